"""Opening a database runs its migrations: schema from empty, idempotent, never downgraded."""

from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text

from purser.store import StoreError, open_database
from purser.store.migrate import current_revision, head_revision
from purser.store.schema import Application, Base

TABLES = {"applications", "syncs", "recommendations", "approvals", "ledger_entries", "leases"}


def test_migrations_create_the_whole_schema_from_an_empty_database(database_url: str) -> None:
    with open_database(database_url) as db, db.engine.connect() as connection:
        assert set(inspect(connection).get_table_names()) >= TABLES
        assert current_revision(connection) == head_revision()


def test_the_migrations_and_the_models_describe_the_same_schema(database_url: str) -> None:
    with open_database(database_url) as db, db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_opening_again_migrates_nothing_and_keeps_the_data(database_url: str) -> None:
    with open_database(database_url) as db, db.session() as session, session.begin():
        session.add(Application(name="payments", path="apps/payments"))

    with open_database(database_url) as db, db.session() as session:
        assert session.scalars(select(Application.name)).all() == ["payments"]
        with db.engine.connect() as connection:
            assert current_revision(connection) == head_revision()


def test_a_database_from_a_newer_purser_is_refused(database_url: str) -> None:
    with open_database(database_url) as db, db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))

    with pytest.raises(StoreError, match=r"'9999', which this purser does not know.*newer"):
        open_database(database_url)


def test_concurrent_openers_of_a_fresh_database_migrate_it_exactly_once(
        database_url: str) -> None:
    failures: list[BaseException] = []

    def open_and_close() -> None:
        try:
            open_database(database_url).close()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=open_and_close) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    with open_database(database_url) as db, db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1


def test_sqlite_runs_in_wal_mode(tmp_path: object) -> None:
    with open_database(f"sqlite:///{tmp_path}/state.db") as db, db.engine.connect() as c:
        assert c.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
