"""Two and three `purser controller` processes sharing one PostgreSQL database and one
moto server: every application synced exactly once per revision, the work shared, and a
controller killed mid-sync taken over once its leases expire.

These run on PostgreSQL only: several controllers share a server database by design
(the issue's deployment), while the SQLite file is the one-machine default that a
single controller uses.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from sqlalchemy import select

from purser.sandbox import Sandbox
from purser.store import Database, open_database
from purser.store.schema import Application as AppRow
from purser.store.schema import Lease, Sync, SyncPhase, utc_now
from tests.reconcile.controllers import commit_apps, synced_by, syncs

SIX = {f"app{i}": [] for i in range(6)}
WAIT_SECONDS = 90  # a bound, reached only on a very busy machine


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path
    metrics_port: int

    def rounds(self) -> float:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.metrics_port}/metrics",
                                        timeout=5) as response:
                text = response.read().decode()
        except OSError:
            return 0
        return next((float(line.split()[-1]) for line in text.splitlines()
                     if line.startswith("purser_rounds_total ")), 0)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    if database_url.startswith("sqlite"):
        pytest.skip("several controller processes share a PostgreSQL database, not a file")
    with open_database(database_url) as database:
        yield database


@pytest.fixture
def launch(tmp_path: Path, database_url: str, aws: Sandbox) -> Iterator[Callable[..., Process]]:
    started: list[Process] = []

    def start(name: str, repo: Path, *, ttl: float) -> Process:
        port = free_port()
        log = tmp_path / f"{name}.log"
        command = [sys.executable, "-m", "purser", "controller", str(repo),
                   "--db", database_url, "--id", name, "--interval", "0.2",
                   "--lease-ttl", str(ttl), "--metrics-port", str(port)]
        with log.open("wb") as out:
            popen = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT,
                                     env={**os.environ, **aws.environment})
        started.append(Process(name, popen, log, port))
        return started[-1]

    yield start
    for process in started:
        if process.popen.poll() is None:
            process.popen.kill()
            process.popen.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_until(condition: Callable[[], bool], processes: list[Process], what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        for process in processes:
            if process.popen.poll() is not None:
                pytest.fail(f"{process.name} exited: {process.log.read_text()}")
        if time.monotonic() > deadline:
            logs = "\n".join(p.log.read_text()[-3000:] for p in processes)
            pytest.fail(f"not reached in {WAIT_SECONDS} s: {what}\n{logs}")
        time.sleep(0.05)


def synced_at(db: Database, sha: str, apps: dict[str, list[str]]) -> Callable[[], bool]:
    def done() -> bool:
        with db.session() as session:
            found = dict(session.execute(select(AppRow.name, AppRow.synced_revision)).all())
        return all(found.get(app) == sha for app in apps)
    return done


def more_rounds(processes: list[Process], count: int) -> Callable[[], bool]:
    """True once every process has run `count` rounds more than now."""
    marks = {p.name: p.rounds() + count for p in processes}
    return lambda: all(p.rounds() >= marks[p.name] for p in processes)


def stop(processes: list[Process]) -> None:
    for process in processes:
        process.popen.send_signal(signal.SIGTERM)
    for process in processes:
        assert process.popen.wait(timeout=30) == 0, process.log.read_text()
        assert "stopped; leases given back" in process.log.read_text()


def valid_leases(db: Database) -> dict[str, str]:
    with db.session() as session:
        rows = session.scalars(select(Lease).where(Lease.expires_at > utc_now())).all()
    return {row.name: row.holder for row in rows}


def test_three_controllers_sync_each_application_once_per_revision(tmp_path, db, launch):
    repo = tmp_path / "repo"
    first = commit_apps(repo, SIX)
    # A lease outlasting a first sync on a busy machine; fencing keeps it exact anyway.
    processes = [launch(f"c{i}", repo, ttl=30) for i in (1, 2, 3)]
    wait_until(synced_at(db, first, SIX), processes, "every application at the first commit")
    second = commit_apps(repo, SIX, generation=1)
    wait_until(synced_at(db, second, SIX), processes, "every application at the new commit")
    wait_until(more_rounds(processes, 2), processes, "two more rounds each")
    stop(processes)
    assert syncs(db) == {(app, rev): 1 for app in SIX for rev in (first, second)}
    assert len(synced_by(db)) > 1, synced_by(db)  # the work was shared
    assert valid_leases(db) == {}  # all given back on SIGTERM


def test_a_controller_killed_mid_sync_is_taken_over(tmp_path, db, launch):
    repo = tmp_path / "repo"
    sizes = {"queues": 5, "log_groups": 3}  # syncs long enough to be caught in the middle
    first = commit_apps(repo, SIX, **sizes)
    processes = [launch(f"c{i}", repo, ttl=5) for i in (1, 2)]
    wait_until(synced_at(db, first, SIX), processes, "every application at the first commit")
    second = commit_apps(repo, SIX, generation=1, **sizes)
    victim, app = freeze_mid_sync(db, second, processes)
    victim.popen.kill()  # SIGKILL: no lease given back, a sync left running
    victim.popen.wait()
    survivor = next(p for p in processes if p is not victim)
    wait_until(synced_at(db, second, SIX), [survivor], "the survivor syncing everything")
    survivor.popen.send_signal(signal.SIGCONT)
    stop([survivor])
    assert syncs(db) == {(a, rev): 1 for a in SIX for rev in (first, second)}
    cut, resumed = sync_rows(db, app, second)
    assert (cut.controller, cut.phase) == (victim.name, SyncPhase.failed)
    assert cut.message.startswith(f"interrupted: {victim.name} stopped during the sync")
    assert (resumed.controller, resumed.phase) == (survivor.name, SyncPhase.succeeded)
    assert f"{app}: claimed" in survivor.log.read_text()
    queues = boto3.client("sqs").list_queues().get("QueueUrls", [])
    assert len(queues) == len(SIX) * sizes["queues"]  # the journal resumed: none twice


def freeze_mid_sync(db: Database, sha: str, processes: list[Process]) -> tuple[Process, str]:
    """Stop the controllers now and then until one is caught with a sync of `sha` running;
    that one stays stopped (and the others go on)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        for process in processes:
            process.popen.send_signal(signal.SIGSTOP)
        running = running_syncs(db, sha)
        caught = next((p for p in processes if p.name in running), None)
        for process in processes:
            if process is not caught:
                process.popen.send_signal(signal.SIGCONT)
        if caught is not None:
            return caught, running[caught.name]
        time.sleep(0.01)
    pytest.fail("no controller was caught with a sync running")


def running_syncs(db: Database, sha: str) -> dict[str, str]:
    with db.session() as session:
        rows = session.execute(
            select(Sync.controller, AppRow.name).join(AppRow, Sync.application_id == AppRow.id)
            .where(Sync.revision == sha, Sync.phase == SyncPhase.running)).all()
    return {row.controller: row.name for row in rows}


def sync_rows(db: Database, app: str, sha: str) -> list[Sync]:
    with db.session() as session:
        return list(session.scalars(
            select(Sync).join(AppRow, Sync.application_id == AppRow.id)
            .where(AppRow.name == app, Sync.revision == sha).order_by(Sync.id)).all())
