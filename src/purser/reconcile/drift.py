"""Drift: live state that has moved away from the last synced revision, field by field.

`check` plans the synced revision against what is live; every update or replace it finds
is drift (a create is a resource deleted out of band). `heal` corrects it for an
application with `sync.self_heal`, by syncing the synced revision again (so the correction
passes the gate like any other apply). Each heal of a field is counted per synced
revision: a field that drifts back more than `sync.fight_after` times is another writer
fighting purser (an autoscaler, a console user). It is then reported as a fight, naming
the field and both writers where the cloud says who (CloudTrail), and left alone until a
human decides (`resolve_fight`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from purser import ledger
from purser.reconcile.appliers import applier_for
from purser.reconcile.plan import Action, Plan
from purser.reconcile.sync import Reconciler, SyncResult, plan_for, sync
from purser.store.schema import Application as AppRow
from purser.store.schema import FieldDrift, utc_now

UNKNOWN_WRITER = "unknown writer"
WHOLE_RESOURCE = "(resource)"  # the field name of a resource deleted out of band


@dataclass(frozen=True)
class Drifted:
    address: str
    field: str
    live: Any
    desired: Any


@dataclass(frozen=True)
class Fight:
    address: str
    field: str
    heals: int
    writer: str


@dataclass
class DriftReport:
    application: str
    revision: str | None  # None: never synced, so nothing can have drifted
    drifted: list[Drifted] = field(default_factory=list)
    fights: list[Fight] = field(default_factory=list)
    plan: Plan | None = None


def check(reconciler: Reconciler, name: str) -> DriftReport:
    """Compare live state with the last synced revision; record the count."""
    revision = synced_revision(reconciler, name)
    if revision is None:
        return DriftReport(name, None, fights=fights(reconciler, name))
    plan = plan_for(reconciler, name, revision, hold=False)
    drifted = _drifted(plan)
    with reconciler.db.exclusive(f"application:{name}:row") as session:
        row = session.scalars(select(AppRow).where(AppRow.name == name)).one()
        row.drifted_fields, row.checked_at = len(drifted), utc_now()
    return DriftReport(name, revision, drifted, fights(reconciler, name), plan)


def heal(reconciler: Reconciler, name: str, *, force: bool = False) -> SyncResult | None:
    """Correct the drift of a self-healing application (any application with `force`);
    None when there was nothing to heal or healing is off."""
    report = check(reconciler, name)
    if report.revision is None or not report.drifted:
        return None
    _, config = reconciler.at(report.revision)
    application = config.application(name)
    if not (application.sync.self_heal or force):
        return None
    for drifted in report.drifted:
        if (drifted.address, drifted.field) not in _fighting(report.fights):
            _count_heal(reconciler, report, drifted, application.sync.fight_after)
    now_fighting = _fighting(fights(reconciler, name))
    if all((d.address, d.field) in now_fighting for d in report.drifted):
        return None  # everything that drifted is a fight: left to a human
    return sync(reconciler, name, report.revision, trigger="heal")


def _fighting(found: list[Fight]) -> set[tuple[str, str]]:
    return {(fight.address, fight.field) for fight in found}


def _drifted(plan: Plan) -> list[Drifted]:
    """Each changed field of an update or replace; a create is a resource deleted live."""
    found: list[Drifted] = []
    for step in plan.steps:
        if step.action is Action.create:
            found.append(Drifted(step.address, WHOLE_RESOURCE, "absent", "declared"))
        elif step.action in (Action.update, Action.replace):
            found.extend(Drifted(step.address, name, old, new)
                         for name, (old, new) in step.changes.items())
    return found


def fights(reconciler: Reconciler, name: str) -> list[Fight]:
    with reconciler.db.session() as session:
        rows = session.scalars(select(FieldDrift).where(FieldDrift.application == name,
                                                        FieldDrift.fighting)).all()
    return [Fight(r.address, r.field, r.heals, r.writer) for r in rows]


def resolve_fight(reconciler: Reconciler, name: str, address: str, field_name: str,
                  decision: str) -> bool:
    """A human's decision on a fight: purser heals the field again from now on. (To keep
    the other writer's value, change it in git.) False when there was no such fight."""
    with reconciler.db.exclusive(f"application:{name}:row") as session:
        row = session.scalars(select(FieldDrift).where(
            FieldDrift.application == name, FieldDrift.address == address,
            FieldDrift.field == field_name, FieldDrift.fighting)).first()
        if row is None:
            return False
        session.delete(row)
    ledger.append(reconciler.db, ledger.Event(
        actor=reconciler.actor, action="fight-resolved", subject=f"{address} {field_name}",
        application=name, outcome="heal-again",
        explanation=decision or "a human resumed healing this field"))
    return True


def synced_revision(reconciler: Reconciler, name: str) -> str | None:
    with reconciler.db.session() as session:
        return session.scalars(select(AppRow.synced_revision).where(AppRow.name == name)).first()


def _count_heal(reconciler: Reconciler, report: DriftReport, drifted: Drifted,
                fight_after: int) -> None:
    """One more heal of this field; past `fight_after` it becomes a fight (ledgered)."""
    name = report.application
    with reconciler.db.exclusive(f"application:{name}:row") as session:
        row = session.scalars(select(FieldDrift).where(
            FieldDrift.application == name, FieldDrift.address == drifted.address,
            FieldDrift.field == drifted.field)).first()
        if row is None:
            row = FieldDrift(application=name, address=drifted.address, field=drifted.field,
                             heals=0, fighting=False, writer="")
            session.add(row)
        if row.heals < fight_after:
            row.heals += 1
            row.updated_at = utc_now()
            return
        row.fighting, row.updated_at = True, utc_now()
        row.writer = _writer(reconciler, report, drifted)
        heals, writer = row.heals, row.writer
    ledger.append(reconciler.db, ledger.Event(
        actor=reconciler.actor, action="fight", subject=f"{drifted.address} {drifted.field}",
        application=name, revision=report.revision, outcome="healing-stopped",
        explanation=(f"{drifted.field} of {drifted.address} drifted back after {heals} heals: "
                     f"{writer} keeps setting {drifted.live!r} while purser "
                     f"({reconciler.actor}) sets {drifted.desired!r}; healing this field "
                     "stops until a human decides")))


def _writer(reconciler: Reconciler, report: DriftReport, drifted: Drifted) -> str:
    step = next((s for s in report.plan.steps if s.address == drifted.address), None) \
        if report.plan else None
    if step is None or step.live is None:
        return UNKNOWN_WRITER
    _, config = reconciler.at(report.revision or "HEAD")
    applier = applier_for(config.application(report.application), config)
    return applier.writer_of(step.live, drifted.field) or UNKNOWN_WRITER
