"""An open state database: the engine, sessions for reading, and exclusive sessions for
writes that must not interleave (the ledger's chain head, a lease)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from purser.store.engine import exclusive_connection, make_engine
from purser.store.errors import StoreError
from purser.store.location import check_scheme, redacted
from purser.store.migrate import upgrade


class Database:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # SQLite has one writer at a time and makes a blocked one sleep and retry (up to
        # 100 ms a try): this process's threads queue here instead, and only other
        # processes meet SQLite's lock. PostgreSQL's advisory locks need no help.
        self._writer = threading.Lock() if engine.dialect.name == "sqlite" else None

    @property
    def backend(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    @contextmanager
    def exclusive(self, lock: str) -> Iterator[Session]:
        """A session whose work no other holder of `lock` interleaves with; committed when
        the block ends, rolled back if it raises."""
        with self._writer or nullcontext(), \
                exclusive_connection(self.engine, lock) as connection, \
                Session(bind=connection, expire_on_commit=False) as session:
            yield session
            session.flush()

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_database(url: str) -> Database:
    """Connect and run pending migrations; StoreError for anything the user can fix."""
    check_scheme(url)
    engine = make_engine(url)
    try:
        upgrade(engine)
    except DBAPIError as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise StoreError(f"cannot open the state database {redacted(url)}: {reason}") from exc
    except StoreError:
        engine.dispose()
        raise
    return Database(engine)
