"""The process entry point: a bug fails closed with one line, never a traceback."""

import subprocess
import sys

RAISE_INSIDE = """
import purser.cli as cli
def broken():
    raise RuntimeError("boom")
cli.app = broken
cli.main()
"""

PRINT_SURROGATE = """
import purser.cli as cli
def speak():
    print("lone \\udfff surrogate")
cli.app = speak
cli.main()
"""


def run(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", **env}, check=False)


def test_an_internal_error_exits_2_with_one_line_and_no_traceback() -> None:
    done = run(RAISE_INSIDE)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "internal error" in done.stderr and "RuntimeError: boom" in done.stderr


def test_purser_debug_shows_the_traceback() -> None:
    done = run(RAISE_INSIDE, PURSER_DEBUG="1")
    assert "Traceback" in done.stderr


def test_an_unencodable_character_does_not_kill_the_output() -> None:
    done = run(PRINT_SURROGATE, PYTHONIOENCODING="utf-8")
    assert done.returncode == 0
    assert "lone \\udfff surrogate" in done.stdout
