"""Engines for the two supported databases, and the one lock every writer shares.

SQLite runs in WAL mode (readers never wait for the writer) with synchronous=NORMAL.
pysqlite's own transaction handling is switched off so that purser emits BEGIN itself: a
plain BEGIN for reads and BEGIN IMMEDIATE for exclusive work, which takes SQLite's write
lock at once instead of failing later when a read transaction tries to become a write. On
PostgreSQL exclusive work holds a transaction-level advisory lock named after what it guards.
"""

from __future__ import annotations

import hashlib
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, func, select

_EXCLUSIVE = "purser_exclusive"
SQLITE_BUSY_TIMEOUT_S = 60
WAL_RETRY_S = 0.01


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _begin_sqlite)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(connection: sqlite3.Connection, _record: Any) -> None:
    connection.isolation_level = None  # purser emits BEGIN itself (_begin_sqlite)
    cursor = connection.cursor()
    _switch_to_wal(cursor)
    # In WAL mode NORMAL never corrupts the database and keeps every commit through a
    # process crash (what the reconciler's journal must survive); only an operating-system
    # crash or power cut can lose the last commits. FULL would fsync each journal step.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _switch_to_wal(cursor: sqlite3.Cursor) -> None:
    """SQLite answers "database is locked" at once, without waiting out the busy timeout,
    when a fresh database's journal mode changes while another connection writes: several
    processes opening a new state database together would fail. Retry, within that timeout."""
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(WAL_RETRY_S)


def _begin_sqlite(connection: Connection) -> None:
    exclusive = connection.get_execution_options().get(_EXCLUSIVE, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if exclusive else "BEGIN")


@contextmanager
def exclusive_connection(engine: Engine, lock: str) -> Iterator[Connection]:
    """A connection in a transaction that no other holder of `lock` runs beside; it commits
    when the block ends and rolls back if the block raises.

    On SQLite the lock is the whole database's write lock, whatever its name."""
    with engine.connect() as connection:
        connection.execution_options(**{_EXCLUSIVE: True})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(select(func.pg_advisory_xact_lock(lock_key(lock))))
            yield connection


def lock_key(lock: str) -> int:
    """The signed 64-bit advisory lock key for a lock name."""
    return int.from_bytes(hashlib.sha256(lock.encode()).digest()[:8], "big", signed=True)
