"""`purser ledger` through the real CLI: append, show, verify, and tampering named with exit 1."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from purser.cli import app

runner = CliRunner()


def ledger(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["ledger", *args])
    return result.exit_code, result.output


def append(database_url: str, subject: str, *more: str) -> None:
    code, output = ledger("append", "--db", database_url, "--actor", "ana", "--action", "sync",
                          "--subject", subject, "--outcome", "succeeded", *more)
    assert code == 0, output


def test_appended_entries_are_shown_as_text_and_json_and_verify(database_url: str) -> None:
    append(database_url, "fn-1", "--app", "payments", "--revision", "c0ffee" * 6,
           "--explanation", "memory 512 → 1024")
    append(database_url, "fn-2", "--app", "orders")

    code, shown = ledger("show", "--db", database_url)
    assert code == 0
    lines = shown.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[0] == "1"
    assert "payments/fn-1@c0ffeec0ffee  succeeded: memory 512 → 1024" in lines[0]

    code, as_json = ledger("show", "--db", database_url, "--app", "orders", "--format", "json")
    entries = json.loads(as_json)
    assert [(e["id"], e["subject"], e["application"]) for e in entries] == [(2, "fn-2", "orders")]
    assert entries[0]["at"].endswith("Z") and len(entries[0]["hash"]) == 64

    code, verdict = ledger("verify", "--db", database_url)
    assert code == 0
    assert verdict.startswith(f"ledger intact: 2 entries, head {entries[0]['hash']}")


def test_a_row_edited_in_the_database_fails_verify_naming_the_entry(database_url: str) -> None:
    for n in range(3):
        append(database_url, f"fn-{n}")
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE ledger_entries SET actor = 'mallory' WHERE id = 2"))
    engine.dispose()

    code, output = ledger("verify", "--db", database_url)
    assert code == 1
    assert output.startswith("ledger TAMPERED at entry 2 (hash): its recorded fields no longer")

    code, output = ledger("verify", "--db", database_url, "--format", "json")
    verdict = json.loads(output)
    assert code == 1
    assert (verdict["intact"], verdict["entries"]) == (False, 1)
    assert (verdict["problem"]["entry_id"], verdict["problem"]["kind"]) == (2, "changed")


def test_the_default_database_lives_in_the_repository_dot_purser(tmp_path: Path) -> None:
    (tmp_path / "purser.yaml").write_text("project: demo\n")
    code, output = ledger("append", "--repo", str(tmp_path), "--actor", "ana", "--action",
                          "gate", "--subject", "payments", "--outcome", "refused")

    assert code == 0, output
    assert (tmp_path / ".purser" / "state.db").is_file()
    assert ledger("verify", "--repo", str(tmp_path))[0] == 0


def test_reading_a_repository_with_no_state_is_an_error_and_creates_nothing(
        tmp_path: Path) -> None:
    code, output = ledger("verify", "--repo", str(tmp_path))

    assert code == 2
    assert output.startswith("error: no state database at ")
    assert not (tmp_path / ".purser").exists()


def test_a_bad_database_url_is_one_error_line(tmp_path: Path) -> None:
    code, output = ledger("show", "--db", "mysql://root:secret@db/x", "--repo", str(tmp_path))

    assert code == 2
    assert output.splitlines() == [
        "error: unsupported database URL 'mysql://root:***@db/x': expected sqlite:///PATH "
        "or postgresql+psycopg://USER@HOST/DATABASE"]


def test_an_event_that_cannot_be_stored_exactly_is_refused(tmp_path: Path) -> None:
    code, output = ledger("append", "--db", f"sqlite:///{tmp_path}/s.db", "--actor", "a\0b",
                          "--action", "sync", "--subject", "s", "--outcome", "ok")

    assert code == 2
    assert output.startswith("error: --actor: Value error, cannot contain a NUL character")


def test_the_cli_starts_without_importing_sqlalchemy() -> None:
    probe = "import sys, purser.cli; print(sorted(m for m in sys.modules if 'sqlalchemy' in m " \
            "or 'alembic' in m))"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True).stdout

    assert loaded.strip() == "[]"
