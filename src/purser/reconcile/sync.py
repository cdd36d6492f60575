"""Sync: make one application's live state what one commit declares.

The revision is resolved to a commit once, and everything after reads that commit: the
gate, the desired state, the record. So a sync applies exactly the commit that was gated
(and reviewed), never what the branch head has become meanwhile. The application's lease
is held throughout; every write is journaled under it (`journal`), and the outcome is
written to the syncs table and sealed in the ledger.
"""

from __future__ import annotations

import getpass
import os
import re
import socket
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from purser import ledger
from purser.checkreport import CheckReport
from purser.config import Application, Config, load_config
from purser.gate import CheckOptions, run_check
from purser.git import GitTree, resolve
from purser.model import Resource
from purser.reconcile.appliers import applier_for
from purser.reconcile.apply import WORKERS, Outcome, apply_plan
from purser.reconcile.journal import Journal
from purser.reconcile.plan import Plan, make_plan
from purser.sources import owner
from purser.store import Database
from purser.store.lease import (
    Grant,
    LeaseLost,
    acquire,
    current_holder,
    expire,
    fenced,
    release,
)
from purser.store.schema import Application as AppRow
from purser.store.schema import FieldDrift, Sync, SyncPhase, utc_now

LEASE_TTL = timedelta(minutes=2)


class Busy(Exception):
    """Another controller holds the application's lease."""


def default_actor() -> str:
    """Who the ledger names, and who holds leases, when a person runs a command:
    `user@host pid N` (the process, so that two of one user's commands exclude each
    other, and a lease left by one that died can be recognised as such)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = f"uid{os.getuid()}"
    return f"{user}@{socket.gethostname()} pid {os.getpid()}"


def _died_here(holder: str) -> bool:
    """True when `holder` is a command of this host whose process no longer runs."""
    found = _PROCESS.fullmatch(holder)
    if found is None or found.group(1) != socket.gethostname():
        return False
    try:
        os.kill(int(found.group(2)), 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OverflowError):
        return False
    return False


_PROCESS = re.compile(r"[^@]*@(.+) pid (\d+)")


@dataclass
class Reconciler:
    """What every reconcile command needs: the repository, its state database and the
    name the ledger records as the actor (a person, or a controller's id)."""

    root: Path
    db: Database
    actor: str = field(default_factory=default_actor)
    lease_ttl: timedelta = LEASE_TTL

    def at(self, rev: str) -> tuple[str, Config]:
        """The commit `rev` names and purser.yaml as that commit has it."""
        sha = resolve(self.root, rev)
        return sha, load_config(GitTree(self.root, sha))


@dataclass
class SyncResult:
    application: str
    revision: str
    phase: SyncPhase
    plan: Plan | None = None
    outcome: Outcome | None = None
    message: str = ""
    gate: CheckReport | None = None


def gate(reconciler: Reconciler, config: Config, application: Application,
         sha: str) -> CheckReport:
    """The revision gate over the application's folder at `sha`."""
    return run_check(GitTree(reconciler.root, sha), config,
                     CheckOptions(only=None if application.path == "." else application.path))


def declared(report: CheckReport, config: Config, application: Application) -> list[Resource]:
    """The resources of `report` that belong to `application`: written under its folder
    (a nested application's folder belongs to that one), or in a module a root under its
    folder calls."""
    return [r for r in report.resources
            if (found := owner(r, config)) is not None and found.name == application.name]


def plan_for(reconciler: Reconciler, name: str, rev: str, *, hold: bool = True) -> Plan:
    """What a sync of `rev` would do now (no gate, no write). `hold=False` shows the
    fields in a fight too (a drift check reports them)."""
    sha, config = reconciler.at(rev)
    application = config.application(name)
    tree = GitTree(reconciler.root, sha)
    report = run_check(tree, config, CheckOptions(
        policies=False, cost=False, only=None if application.path == "." else application.path))
    applier = applier_for(application, config, tree=tree)
    return make_plan(applier, name, sha, declared(report, config, application),
                     applier.discover(name), prune=application.sync.prune,
                     held=held_fields(reconciler.db, name) if hold else frozenset())


def sync(reconciler: Reconciler, name: str, rev: str = "HEAD", *,
         trigger: str = "manual", workers: int = WORKERS) -> SyncResult:
    sha, config = reconciler.at(rev)
    application = config.application(name)
    grant = _lease(reconciler, name)
    try:
        return _sync_held(reconciler, grant, config, application, sha, trigger, workers)
    finally:
        release(reconciler.db, grant)


def _lease(reconciler: Reconciler, name: str) -> Grant:
    """The application's lease; one left by a command of this host that died is taken
    over at once rather than after its expiry."""
    grant = acquire(reconciler.db, lease_name(name), reconciler.actor, ttl=reconciler.lease_ttl)
    if grant is None:
        holder = current_holder(reconciler.db, lease_name(name))
        if holder and _died_here(holder):
            expire(reconciler.db, lease_name(name), holder)
            grant = acquire(reconciler.db, lease_name(name), reconciler.actor,
                            ttl=reconciler.lease_ttl)
        if grant is None:
            raise Busy(f"application {name} is being synced by {holder or 'another process'}")
    return grant


def _renewed(reconciler: Reconciler, grant: Grant) -> Grant:
    """The same lease for another `lease_ttl`; LeaseLost if it passed to someone else."""
    renewed = acquire(reconciler.db, grant.name, grant.holder, ttl=reconciler.lease_ttl)
    if renewed is None or renewed.token != grant.token:
        raise LeaseLost(f"lease {grant.name!r} of {grant.holder} was taken over during the "
                        "gate; this sync stops before writing anything")
    return renewed


def lease_name(application: str) -> str:
    return f"application:{application}"


def held_fields(db: Database, application: str) -> frozenset[tuple[str, str]]:
    """Fields in a fight: not healed until a human decides."""
    with db.session() as session:
        rows = session.execute(select(FieldDrift.address, FieldDrift.field).where(
            FieldDrift.application == application, FieldDrift.fighting)).all()
    return frozenset((row.address, row.field) for row in rows)


def _sync_held(reconciler: Reconciler, grant: Grant, config: Config, application: Application,
               sha: str, trigger: str, workers: int) -> SyncResult:
    name = application.name
    applier = applier_for(application, config, tree=GitTree(reconciler.root, sha))
    _ensure_row(reconciler.db, application)
    _close_interrupted(reconciler, grant, name)
    report = gate(reconciler, config, application, sha)
    verdict = "passed" if report.exit_code == 0 else "refused"
    ledger.append(reconciler.db, ledger.Event(
        actor=reconciler.actor, action="gate", subject=name, application=name, revision=sha,
        inputs_digest=sha, outcome=verdict, explanation=_gate_summary(report)))
    if report.exit_code != 0:
        message = f"the gate refused {sha[:12]}: {_gate_summary(report)}"
        _record(reconciler, grant, application, sha, SyncPhase.refused, trigger, message, {})
        return SyncResult(name, sha, SyncPhase.refused, message=message, gate=report)
    grant = _renewed(reconciler, grant)  # the gate can outlast a short lease
    plan = make_plan(applier, name, sha, declared(report, config, application),
                     applier.discover(name), prune=application.sync.prune,
                     held=held_fields(reconciler.db, name))
    sync_id = _record(reconciler, grant, application, sha, SyncPhase.running, trigger, "", {})
    journal = Journal(reconciler.db, grant, sync_id, name, ttl=reconciler.lease_ttl)
    outcome = apply_plan(plan, applier, journal, workers=workers)
    phase = SyncPhase.succeeded if outcome.ok else SyncPhase.failed
    message = _outcome_summary(plan, outcome)
    _finish(reconciler, journal.grant, application, sync_id, sha, phase, message,
            _summary(plan, outcome))
    ledger.append(reconciler.db, ledger.Event(
        actor=reconciler.actor, action="heal" if trigger == "heal" else "sync", subject=name,
        application=name, revision=sha, inputs_digest=sha, outcome=phase.value,
        explanation=message))
    if outcome.deleted:
        ledger.append(reconciler.db, ledger.Event(
            actor=reconciler.actor, action="prune", subject=name, application=name,
            revision=sha, outcome="deleted",
            explanation="deleted, no longer declared: " + ", ".join(outcome.deleted)))
    return SyncResult(name, sha, phase, plan=plan, outcome=outcome, message=message,
                      gate=report)


def _ensure_row(db: Database, application: Application) -> None:
    with db.exclusive(f"application:{application.name}:row") as session:
        row = session.scalars(select(AppRow).where(AppRow.name == application.name)).first()
        if row is None:
            session.add(AppRow(name=application.name, path=application.path,
                               environment=application.environment))
        else:
            row.path, row.environment = application.path, application.environment


def _close_interrupted(reconciler: Reconciler, grant: Grant, name: str) -> None:
    """Syncs of `name` still marked running were cut off (we hold the lease now): say so.
    Their journal is what this sync resumes from."""
    with fenced(reconciler.db, grant) as session:
        stale = session.scalars(select(Sync).join(AppRow, Sync.application_id == AppRow.id)
                                .where(AppRow.name == name,
                                       Sync.phase == SyncPhase.running)).all()
        for row in stale:
            row.phase, row.finished_at = SyncPhase.failed, utc_now()
            row.message = (f"interrupted: {row.controller} stopped during the sync; the next "
                           "sync resumed from its journal")


def _record(reconciler: Reconciler, grant: Grant, application: Application, sha: str,
            phase: SyncPhase, trigger: str, message: str, summary: dict[str, object]) -> int:
    with fenced(reconciler.db, grant) as session:
        row = session.scalars(select(AppRow).where(AppRow.name == application.name)).one()
        sync_row = Sync(application_id=row.id, revision=sha, phase=phase,
                        controller=reconciler.actor, message=message, trigger=trigger,
                        summary=summary,
                        finished_at=None if phase is SyncPhase.running else utc_now())
        session.add(sync_row)
        session.flush()
        return sync_row.id


def _finish(reconciler: Reconciler, grant: Grant, application: Application, sync_id: int,
            sha: str, phase: SyncPhase, message: str, summary: dict[str, object]) -> None:
    with fenced(reconciler.db, grant) as session:
        sync_row = session.get(Sync, sync_id)
        assert sync_row is not None
        sync_row.phase, sync_row.message, sync_row.summary = phase, message, summary
        sync_row.finished_at = utc_now()
        if phase is SyncPhase.succeeded:
            row = session.scalars(select(AppRow).where(AppRow.name == application.name)).one()
            if row.synced_revision != sha:  # a new revision: its fight counts start afresh
                _forget_heals(session, application.name)
            row.synced_revision, row.synced_at, row.synced_by = sha, utc_now(), reconciler.actor
            row.drifted_fields, row.checked_at = 0, utc_now()


def _forget_heals(session: Session, application: str) -> None:
    session.execute(delete(FieldDrift).where(FieldDrift.application == application,
                                             FieldDrift.fighting.is_(False)))


def _summary(plan: Plan, outcome: Outcome) -> dict[str, object]:
    return {"actions": plan.counts(), "applied": len(outcome.applied),
            "failed": outcome.failed, "blocked": outcome.blocked,
            "resumed": outcome.resumed, "deleted": outcome.deleted,
            "unsupported": [s.address for s in plan.steps if s.action.value == "unsupported"]}


def _outcome_summary(plan: Plan, outcome: Outcome) -> str:
    counts = ", ".join(f"{n} {a}" for a, n in sorted(plan.counts().items()))
    parts = [f"{len(outcome.applied)} applied ({counts})"]
    if outcome.resumed:
        parts.append(f"{len(outcome.resumed)} unfinished creates resumed")
    if outcome.deleted:
        parts.append(f"{len(outcome.deleted)} pruned")
    for address, why in list(outcome.failed.items())[:5]:
        parts.append(f"{address} failed: {why}")
    if outcome.blocked:
        parts.append(f"{len(outcome.blocked)} blocked behind a failure")
    return "; ".join(parts)


def _gate_summary(report: CheckReport) -> str:
    blocking = [f for f in report.findings if f.severity.at_least(report.fail_on)]
    parts = [f"{len(report.findings)} findings", f"{len(report.errors)} input errors"]
    if blocking:
        parts.append("blocking: " + ", ".join(f"{f.rule_id} on {f.resource}"
                                               for f in blocking[:5]))
    if report.cost is not None:
        parts.append(f"estimated ${report.cost.total_monthly_cost:,.2f}/month")
    return "; ".join(parts) + f"; exit code {report.exit_code}"
