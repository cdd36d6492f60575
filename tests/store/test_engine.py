"""SQLite connections configured as purser's engine configures them, meeting on a database
nobody has opened yet."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

from purser.store import engine

TRIALS = 50  # without the retry, about one trial in ten failed on this machine
WRITERS = 4
HOLD_S = 0.01


def _write(path: Path, failures: list[BaseException]) -> None:
    try:
        connection = sqlite3.connect(path, timeout=engine.SQLITE_BUSY_TIMEOUT_S)
        engine._configure_sqlite(connection, None)  # what make_engine does on each connect
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("CREATE TABLE IF NOT EXISTS t (x INTEGER)")
        connection.execute("INSERT INTO t VALUES (1)")
        time.sleep(HOLD_S)  # the others connect while the write lock is held
        connection.execute("COMMIT")
        connection.close()
    except BaseException as exc:  # collected for the assertion
        failures.append(exc)


def test_connections_meeting_on_a_fresh_database_wait_instead_of_failing(
        tmp_path: Path) -> None:
    failures: list[BaseException] = []
    for trial in range(TRIALS):
        path = tmp_path / f"fresh-{trial}.db"
        threads = [threading.Thread(target=_write, args=(path, failures))
                   for _ in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []
