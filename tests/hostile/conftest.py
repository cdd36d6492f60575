"""The attack suite's harness: purser run as CI would run it on a stranger's pull request.

Each case builds a small hostile repository in `tmp_path` and runs `purser` in a child
process under a wall-clock and an address-space limit, so that a regression (a hang, a
memory blow-up, a crash of native code) fails its test instead of the suite. The child's
environment carries a canary secret: no output may ever contain it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

CANARY = "purser-canary-4f1d9c2e-do-not-leak"
OUTSIDE_TEXT = "outside-the-repository-7c3b"
TIME_LIMIT_S = 60
MEMORY_LIMIT_BYTES = 3 * 1024**3


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def assert_clean(self) -> None:
        """No traceback, no environment text, no outside file's content."""
        assert "Traceback (most recent call last)" not in self.output, self.output[-3000:]
        assert "internal error" not in self.output, self.output[-3000:]
        assert CANARY not in self.output
        assert OUTSIDE_TEXT not in self.output


def build(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write `files` (relative path → content) under `root` and return it."""
    root.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


def run_purser(*args: str | Path, cwd: Path | None = None,
               timeout: float = TIME_LIMIT_S) -> Outcome:
    """`purser ARGS` in a child process with the canary in its environment; a run past the
    time limit or above the memory limit is killed and fails the calling test.

    Memory is watched as resident size: an address-space rlimit cannot be used, because
    regopy's allocator reserves terabytes of address space up front."""
    env = {**os.environ, "PURSER_CANARY": CANARY, "AWS_SECRET_ACCESS_KEY": CANARY,
           "NO_COLOR": "1", "COLUMNS": "200", "PURSER_WORKERS": "1"}
    command = [sys.executable, "-m", "purser", *map(str, args)]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL, start_new_session=True)
        verdict = _watch(child, timeout)
        out.seek(0)
        err.seek(0)
        outcome = Outcome(child.returncode, out.read().decode("utf-8", "replace"),
                          err.read().decode("utf-8", "replace"))
    if verdict:
        pytest.fail(f"purser {' '.join(map(str, args))} {verdict}\n{outcome.output[-2000:]}")
    return outcome


def _watch(child: subprocess.Popen[bytes], timeout: float) -> str:
    """Wait for `child`; kill its whole session when it runs too long or grows too big."""
    deadline = time.monotonic() + timeout
    while child.poll() is None:
        if time.monotonic() > deadline:
            verdict = f"ran past {timeout} s"
        elif _resident_bytes(child.pid) > MEMORY_LIMIT_BYTES:
            verdict = f"used more than {MEMORY_LIMIT_BYTES // 1024**3} GB"
        else:
            time.sleep(0.02)
            continue
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        return verdict
    return ""


def _resident_bytes(pid: int) -> int:
    """Resident size of `pid` and its children (a Rego worker counts too)."""
    total = 0
    for task in (pid, *_children(pid)):
        with contextlib.suppress(OSError, ValueError, IndexError), \
                open(f"/proc/{task}/statm") as statm:
            total += int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return total


def _children(pid: int) -> list[int]:
    with contextlib.suppress(OSError), open(f"/proc/{pid}/task/{pid}/children") as children:
        return [int(c) for c in children.read().split()]
    return []


@pytest.fixture
def outside_file(tmp_path: Path) -> Path:
    """A file outside every repository a test builds, holding text that must never show."""
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(f"{OUTSIDE_TEXT}\n", encoding="utf-8")
    return secret
