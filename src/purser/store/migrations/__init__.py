"""purser's Alembic environment: run through `purser.store.migrate.upgrade`, never by hand."""
