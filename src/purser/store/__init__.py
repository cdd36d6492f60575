"""The state database: what the controllers know about applications, syncs,
recommendations, approvals, leases and the audit ledger.

SQLAlchemy 2 over SQLite (WAL, `.purser/state.db` by default) or PostgreSQL
(`postgresql+psycopg://…`); Alembic migrations run when a database is opened. Importing
this package imports SQLAlchemy: the CLI does so only inside the commands that need it.
"""

from purser.store.database import Database, open_database
from purser.store.errors import StoreError
from purser.store.location import database_url

__all__ = ["Database", "StoreError", "database_url", "open_database"]
