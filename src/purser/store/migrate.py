"""Bring a database's schema to the newest revision this purser knows, under a lock.

The Alembic environment ships inside the package (`purser/store/migrations/`) and runs
programmatically: no alembic.ini is needed. A database already at head costs one query;
one written by a newer purser (a revision this one does not know) is refused, never
downgraded or guessed at.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from purser.store.engine import exclusive_connection
from purser.store.errors import StoreError

MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK = "purser.store.migrate"


def upgrade(engine: Engine) -> None:
    """Run the pending migrations (none when already at head)."""
    scripts = ScriptDirectory(str(MIGRATIONS))
    head = scripts.get_current_head()
    with engine.connect() as connection:
        if current_revision(connection) == head:
            return
    with exclusive_connection(engine, _LOCK) as connection:
        current = current_revision(connection)  # another process may have just upgraded
        if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
            raise StoreError(
                f"the state database has schema revision {current!r}, which this purser does "
                f"not know (its newest is {head!r}): it was written by a newer purser; "
                "upgrade purser to open it")
        if current != head:
            command.upgrade(_config(connection), "head")


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config
