"""Alembic's entry point, given the connection by `purser.store.migrate` (which already
holds the migration lock and the transaction the revisions run in)."""

from __future__ import annotations

from alembic import context

from purser.store.schema import Base

connection = context.config.attributes.get("connection")
if connection is None or context.is_offline_mode():
    raise RuntimeError("purser's migrations run through purser.store.migrate.upgrade, "
                       "which supplies the database connection")
context.configure(connection=connection, target_metadata=Base.metadata, compare_type=True)
with context.begin_transaction():
    context.run_migrations()
