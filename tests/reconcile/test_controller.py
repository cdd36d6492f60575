"""The controller in process, on a real git repository, a real moto server and the state
database on SQLite and PostgreSQL: once per revision, dependencies, refusals, sharing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from purser.cli import app
from purser.git import commit_work_tree
from purser.reconcile.controller import REGISTRATION, Controller, Event
from purser.reconcile.status import status
from purser.reconcile.sync import Reconciler, lease_name, sync
from purser.store import Database, open_database
from purser.store.lease import acquire, expire, release
from purser.store.schema import SyncPhase
from tests.reconcile.controllers import commit_apps, synced_by, syncs
from tests.sources.tree import write

APPS = {"orders": [], "billing": []}


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with open_database(database_url) as database:
        yield database


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    return tmp_path / "repo"


def controller(repo: Path, db: Database, name: str = "c1", **options: object) -> Controller:
    return Controller(repo, db, name, **{"interval": 0.1, **options})  # type: ignore[arg-type]


def actions(events: list[Event], action: str) -> list[str]:
    return [e.application for e in events if e.action == action]


def test_each_auto_application_is_synced_once_per_revision(repo, db, aws):
    first = commit_apps(repo, APPS)
    one = controller(repo, db)
    assert sorted(actions(one.round(), "synced")) == sorted(APPS)
    assert actions(one.round(), "synced") == []  # the same head again: nothing to do
    second = commit_apps(repo, APPS, generation=1)
    assert sorted(actions(one.round(), "synced")) == sorted(APPS)
    assert syncs(db) == {(app, rev): 1 for app in APPS for rev in (first, second)}
    one.close()


def test_an_application_waits_for_its_dependency_and_says_why(repo, db, aws):
    apps = {"api": ["queues"], "queues": []}
    commit_apps(repo, apps, manual=("queues",))
    one = controller(repo, db)
    events = one.round()
    assert actions(events, "synced") == []
    assert [str(e) for e in events if e.action == "waiting"] == [
        "api: waiting waits for queues: not synced yet"]
    assert one.round() == []  # a standing reason is said once
    config = one.reconciler.at("HEAD")[1]
    assert status(db, config, "api")[0].waiting == "waits for queues: not synced yet"
    sync(Reconciler(repo, db, actor="person"), "queues")
    assert actions(one.round(), "synced") == ["api"]
    one.close()


def test_dependencies_sync_first_at_each_revision(repo, db, aws):
    apps = {"api": ["queues"], "queues": []}  # declared after its dependent
    sha = commit_apps(repo, apps)
    one = controller(repo, db)
    assert actions(one.round(), "synced") == ["queues", "api"]
    assert syncs(db) == {("queues", sha): 1, ("api", sha): 1}
    one.close()


def test_a_dependent_waits_while_its_dependency_is_behind_the_head(repo, db, aws):
    apps = {"api": ["queues"], "queues": []}
    commit_apps(repo, apps)
    one = controller(repo, db)
    one.round()
    head = commit_apps(repo, apps, generation=1)
    release(db, one.grants["queues"])  # and another controller takes it over
    elsewhere = acquire(db, lease_name("queues"), "c2", ttl=timedelta(minutes=1))
    assert elsewhere is not None
    events = one.round()
    assert [str(e) for e in events] == [
        "queues: released taken over by another controller",
        f"api: waiting waits for queues: not synced at {head[:12]} yet"]
    release(db, elsewhere)
    assert actions(one.round(), "synced") == ["queues", "api"]
    one.close()


def test_a_refused_revision_is_not_retried_every_round(repo, db, aws):
    commit_apps(repo, {"orders": []})
    write(repo, {"apps/orders/broken.tf": 'resource "aws_sqs_queue" "x" {\n  name = \n'})
    sha = commit_work_tree(repo, "a file that does not parse")
    one = controller(repo, db)
    first = one.round()
    assert actions(first, "refused") == ["orders"]
    assert actions(one.round(), "refused") == []
    assert syncs(db, SyncPhase.refused) == {("orders", sha): 1}
    one.close()


def test_a_failed_revision_is_retried_after_a_backoff(repo, db, aws):
    commit_apps(repo, {"orders": []})
    write(repo, {"apps/orders/bad.tf": 'resource "aws_sqs_queue" "bad" {\n  name = "bad"\n'
                                       "  max_message_size = 10\n}\n"})  # the API refuses it
    sha = commit_work_tree(repo, "a queue AWS refuses")
    one = controller(repo, db, interval=3600)  # backoff: interval × 2^(failures-1)
    assert actions(one.round(), "failed") == ["orders"]
    held = one.round()
    assert [e.message.split(";")[0] for e in held if e.action == "held"] == [
        f"{sha[:12]} failed 1 times"]
    assert syncs(db, SyncPhase.failed) == {("orders", sha): 1}
    one.interval = 0  # the backoff is over
    assert actions(one.round(), "failed") == ["orders"]
    assert syncs(db, SyncPhase.failed) == {("orders", sha): 2}
    one.close()


def test_controllers_share_the_applications_fairly(repo, db, aws):
    commit_apps(repo, APPS)
    one, two = controller(repo, db, "c1"), controller(repo, db, "c2")
    one.round()  # alone so far: takes everything
    assert len(one.grants) == len(APPS)
    two.round()  # registered now, but everything is held
    assert two.grants == {}
    one.round()  # two live controllers: gives back what is over its half
    two.round()
    assert len(one.grants) == len(two.grants) == len(APPS) // 2
    assert set(one.grants).isdisjoint(two.grants)
    one.close()
    two.close()


def test_a_closed_controller_hands_its_applications_over_at_once(repo, db, aws):
    first = commit_apps(repo, APPS)
    one, two = controller(repo, db, "c1"), controller(repo, db, "c2")
    one.round()
    one.close()
    second = commit_apps(repo, APPS, generation=1)
    assert sorted(actions(two.round(), "synced")) == sorted(APPS)
    assert syncs(db) == {(app, rev): 1 for app in APPS for rev in (first, second)}
    assert synced_by(db) == {"c1": set(APPS), "c2": set(APPS)}
    two.close()


def test_a_dead_controllers_leases_pass_over_after_expiry(repo, db, aws):
    commit_apps(repo, {"orders": []})
    ttl = timedelta(minutes=5)  # long: the test, not the clock, decides when they expire
    dead, alive = controller(repo, db, "c1", lease_ttl=ttl), controller(repo, db, "c2",
                                                                       lease_ttl=ttl)
    dead.round()  # and never again, nor closed
    assert alive.round() == [] and alive.grants == {}

    for name in (lease_name("orders"), REGISTRATION + "c1"):  # the dead one's time runs out
        expire(db, name, "c1")

    events = alive.round()
    assert [str(e) for e in events][:1] == ["orders: claimed lease token 2"]


def test_purser_controller_once_syncs_and_gives_its_leases_back(repo, database_url, db, aws):
    sha = commit_apps(repo, {"orders": []})
    result = CliRunner().invoke(app, ["controller", str(repo), "--db", database_url,
                                      "--id", "cli", "--once"])
    assert result.exit_code == 0, result.output
    lines = [line.split(" ", 2)[2] for line in result.output.splitlines()]
    assert lines[:2] == ["orders: claimed lease token 1",
                         f"orders: synced {sha[:12]}: 3 applied (3 create)"]
    assert lines[-1] == "stopped; leases given back"
    assert acquire(db, lease_name("orders"), "another", ttl=timedelta(seconds=5)) is not None


def test_purser_controller_needs_the_webhook_secret_it_names(repo, monkeypatch):
    repo.mkdir()
    monkeypatch.delenv("PURSER_TEST_UNSET_SECRET", raising=False)
    result = CliRunner().invoke(app, ["controller", str(repo), "--webhook-port", "0",
                                      "--webhook-secret-env", "PURSER_TEST_UNSET_SECRET"])
    assert result.exit_code == 2
    assert "PURSER_TEST_UNSET_SECRET: that environment variable is not set" in result.output
