"""The controller: keeps every `sync.auto` application at the tracked branch's head.

A round resolves the head to a commit once and reads purser.yaml there. For each auto
application, dependencies first, it claims the application's lease; holding it, it reads
whether that commit was synced already (so across controllers each revision is synced
once), syncs it unless the gate refused it (never retried) or it failed lately (retried
with backoff), and otherwise checks drift, healing it for `self_heal`.

Several controllers share one database and all do work. Each registers under a lease of
its own; the valid ones are the live controllers, and a controller claims at most its
fair share (applications / live controllers, rounded up), giving back what is over it.
So a new controller receives work, and a dead one's applications (and its share) pass to
the others once its leases expire; the next sync resumes the dead one's journal.

Dependencies: an application waits until each one it `depends_on` is synced and healthy
(`status.waiting_on`, what `purser status` shows) and, when that dependency is itself
auto-synced, synced at this very commit: one commit's changes apply in dependency order.
A dependency synced by hand needs only a healthy last sync.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from purser.config import Application, Config
from purser.reconcile.metrics import Metrics
from purser.reconcile.sync import LEASE_TTL, Busy, Reconciler, lease_name, sync
from purser.store import Database, open_database
from purser.store.lease import Grant, acquire, release
from purser.store.schema import Application as AppRow
from purser.store.schema import Lease, Sync, SyncPhase, utc_now

RETRY_CAP = timedelta(minutes=15)
REGISTRATION = "controller:"


@dataclass(frozen=True)
class Event:
    """One thing a controller did or decided, as its log line shows it."""

    application: str
    action: str  # claimed|released|synced|failed|refused|waiting|held|drifted|healed|error
    message: str = ""

    def __str__(self) -> str:
        return f"{self.application}: {self.action}" + (f" {self.message}" if self.message
                                                        else "")


class Controller:
    def __init__(self, root: Path, db: Database | str, id: str, *, interval: float = 30.0,
                 lease_ttl: timedelta = LEASE_TTL, branch: str = "HEAD",
                 metrics: Metrics | None = None,
                 log: Callable[[Event], None] | None = None) -> None:
        self._owns_db = isinstance(db, str)
        self.db = open_database(db) if isinstance(db, str) else db
        self.id = id
        self.interval = interval
        self.branch = branch
        self.reconciler = Reconciler(root, self.db, actor=id, lease_ttl=lease_ttl)
        self.metrics = metrics or Metrics(id)
        self.log = log or (lambda event: None)
        self.grants: dict[str, Grant] = {}
        self.stopping = threading.Event()
        self._woken = threading.Event()
        self._said: dict[str, str] = {}  # the standing reason per application, said once
        self._events: list[Event] = []  # this round's

    @property
    def ttl(self) -> timedelta:
        return self.reconciler.lease_ttl

    def run(self, rounds: int | None = None) -> int:
        """Run rounds every `interval` seconds (sooner when woken) until stopped or `rounds`
        are done; the number run."""
        from purser.policy import engine

        engine.load_packs()  # now, not in the first gate, while an application's lease runs
        done = 0
        while not self.stopping.is_set() and (rounds is None or done < rounds):
            self._woken.clear()  # a wake during the round brings the next one at once
            try:
                self.round()
            except Exception as exc:  # the database away for a moment: try next round
                self.log(Event("*", "error", f"round failed: {type(exc).__name__}: {exc}"))
            done += 1
            if rounds is None or done < rounds:
                self._woken.wait(self.interval)
        return done

    def wake(self) -> None:
        """Start the next round now (the webhook calls this)."""
        self._woken.set()

    def stop(self) -> None:
        """End `run` after the application at hand (a sync is never cut short)."""
        self.stopping.set()
        self._woken.set()

    def close(self) -> None:
        """Give every lease back at once, so others need not wait for their expiry."""
        self._events = []
        for name in list(self.grants):
            self._give_back(name)
        registration = acquire(self.db, REGISTRATION + self.id, self.id, ttl=self.ttl)
        if registration is not None:
            release(self.db, registration)
        if self._owns_db:
            self.db.close()

    def round(self) -> list[Event]:
        """One pass over the auto applications; what was done, each logged as it happens."""
        self._events = []
        try:
            sha, config = self.reconciler.at(self.branch)
        except Exception as exc:  # a bad push must not stop the controller: said, retried
            self._note(Event("*", "error", f"cannot read {self.branch}: {exc}"))
            return self._events
        applications = ordered([a for a in config.applications if a.sync.auto])
        names = [a.name for a in applications]
        self._shed(names)
        for application in applications:
            if self.stopping.is_set():
                break
            if self._claim(application.name, len(names)):
                for event in self._tend(config, application, sha):
                    self._note(event)
        self.metrics.holding(names, set(self.grants))
        self.metrics.rounds.inc()
        return self._events

    def _note(self, event: Event) -> None:
        self._events.append(event)
        self.log(event)

    # Leases: who works on what.

    def _share(self, applications: int) -> int:
        """How many applications this controller may hold: a fair share of the live ones."""
        acquire(self.db, REGISTRATION + self.id, self.id, ttl=self.ttl)
        with self.db.session() as session:
            live = session.scalar(select(func.count()).select_from(Lease).where(
                Lease.name.startswith(REGISTRATION), Lease.expires_at > utc_now())) or 1
        return math.ceil(applications / max(live, 1))

    def _claim(self, name: str, applications: int) -> bool:
        """Renew this application's lease, or take it when free and under our share."""
        previous = self.grants.pop(name, None)
        if previous is None and len(self.grants) >= self._share(applications):
            return False
        grant = acquire(self.db, lease_name(name), self.id, ttl=self.ttl)
        if grant is None:
            if previous is not None:
                self._note(Event(name, "released", "taken over by another controller"))
            return False
        if previous is None or previous.token != grant.token:
            self._note(Event(name, "claimed", f"lease token {grant.token}"))
        self.grants[name] = grant
        return True

    def _shed(self, names: list[str]) -> None:
        """Give back applications no longer auto-synced, and those over our share."""
        for name in [n for n in self.grants if n not in names]:
            self._give_back(name)
        share = self._share(len(names))
        for name in reversed([n for n in names if n in self.grants]):
            if len(self.grants) <= share:
                break
            self._give_back(name)

    def _give_back(self, name: str) -> None:
        release(self.db, self.grants.pop(name))
        self._note(Event(name, "released", "given back"))

    def _reclaim(self, name: str) -> None:
        """Hold the lease again after a sync (which releases it when done)."""
        grant = acquire(self.db, lease_name(name), self.id, ttl=self.ttl)
        if grant is None:
            self.grants.pop(name, None)
        else:
            self.grants[name] = grant

    # The work on one application, under its lease.

    def _tend(self, config: Config, application: Application, sha: str) -> list[Event]:
        name = application.name
        try:
            why = self._waiting(config, application, sha)
            if why:
                return self._standing(name, "waiting", why)
            synced = self._synced(name)
            if synced != sha:
                held = self._held_back(name, sha)
                if not held:
                    return [self._sync(name, sha)]
                events = self._standing(name, "held", held)
            else:
                events = self._standing(name, "synced", f"at {sha[:12]}")
            return events + (self._drift(application) if synced else [])
        except Busy:
            self.grants.pop(name, None)
            return []
        except Exception as exc:  # one application's trouble must not stop the others
            self.metrics.synced(name, "error")
            self.grants.pop(name, None)  # claimed afresh next round, if still ours
            return [Event(name, "error", f"{type(exc).__name__}: {exc}")]

    def _standing(self, name: str, action: str, why: str) -> list[Event]:
        """A state that lasts rounds is said once, when it begins."""
        if self._said.get(name) == f"{action} {why}":
            return []
        self._said[name] = f"{action} {why}"
        return [] if action == "synced" else [Event(name, action, why)]

    def _waiting(self, config: Config, application: Application, sha: str) -> str:
        from purser.reconcile.status import waiting_on

        why = waiting_on(self.db, config, application.name)
        if why:
            return why
        for dependency in application.depends_on:
            if config.application(dependency).sync.auto and self._synced(dependency) != sha:
                return f"waits for {dependency}: not synced at {sha[:12]} yet"
        return ""

    def _synced(self, name: str) -> str | None:
        with self.db.session() as session:
            return session.scalar(select(AppRow.synced_revision).where(AppRow.name == name))

    def _held_back(self, name: str, sha: str) -> str:
        """Why `sha` is not synced this round: refused by the gate (until a new commit), or
        failed lately (retried after interval × 2^(failures-1), at most RETRY_CAP)."""
        with self.db.session() as session:
            phases = session.execute(
                select(Sync.phase, Sync.finished_at).join(AppRow, Sync.application_id == AppRow.id)
                .where(AppRow.name == name, Sync.revision == sha, Sync.finished_at.is_not(None))
                .order_by(Sync.id.desc()).limit(20)).all()
        if any(row.phase is SyncPhase.refused for row in phases):
            return f"{sha[:12]} was refused by the gate; waiting for a new commit"
        failures = 0
        for row in phases:
            if row.phase is not SyncPhase.failed:
                break
            failures += 1
        if not failures:
            return ""
        delay = min(timedelta(seconds=self.interval * 2 ** (failures - 1)), RETRY_CAP)
        retry_at = phases[0].finished_at + delay
        if retry_at <= utc_now():
            return ""
        return f"{sha[:12]} failed {failures} times; retrying after {retry_at:%H:%M:%S}Z"

    def _sync(self, name: str, sha: str) -> Event:
        result = sync(self.reconciler, name, sha, trigger="auto")
        self._reclaim(name)
        self.metrics.synced(name, result.phase.value)
        self._said.pop(name, None)
        self._observe_age(name)
        action = {SyncPhase.succeeded: "synced"}.get(result.phase, result.phase.value)
        return Event(name, action, f"{sha[:12]}: {result.message}")

    def _drift(self, application: Application) -> list[Event]:
        from purser.reconcile import drift

        name = application.name
        report = drift.check(self.reconciler, name)
        self.metrics.drift(name, len(report.drifted), len(report.fights))
        self._observe_age(name)
        if not report.drifted:
            return []
        fields = ", ".join(f"{d.address}.{d.field}" for d in report.drifted[:5])
        events = [Event(name, "drifted", f"{len(report.drifted)} fields: {fields}")]
        if application.sync.self_heal:
            healed = drift.heal(self.reconciler, name)
            self._reclaim(name)
            if healed is not None:
                self.metrics.synced(name, healed.phase.value)
                events.append(Event(name, "healed", f"{healed.phase.value}: {healed.message}"))
        return events

    def _observe_age(self, name: str) -> None:
        with self.db.session() as session:
            at = session.scalar(select(AppRow.synced_at).where(AppRow.name == name))
        if at is not None:
            self.metrics.last_synced(name, at)


def ordered(applications: list[Application]) -> list[Application]:
    """Dependencies before their dependents (declared order otherwise; a cycle is left in
    declared order, and its members wait on each other, saying so)."""
    by_name = {a.name: a for a in applications}
    placed: dict[str, Application] = {}
    visiting: set[str] = set()

    def place(application: Application) -> None:
        if application.name in placed or application.name in visiting:
            return
        visiting.add(application.name)
        for dependency in application.depends_on:
            if dependency in by_name:
                place(by_name[dependency])
        placed[application.name] = application

    for application in applications:
        place(application)
    return list(placed.values())
