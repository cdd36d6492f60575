"""What the state database says about applications: their syncs and their health.

Health is read, not probed: the last sync's outcome, the last drift check's count, fights
awaiting a human, resources the applier could not apply, and for an application that
`depends_on` others, why it waits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from purser.config import Config
from purser.store import Database
from purser.store.schema import Application as AppRow
from purser.store.schema import FieldDrift, Sync, SyncPhase


@dataclass(frozen=True)
class SyncRecord:
    revision: str
    phase: str
    trigger: str
    controller: str
    started_at: datetime
    finished_at: datetime | None
    message: str
    unsupported: int = 0  # declared resources the sync could not apply


@dataclass(frozen=True)
class AppStatus:
    name: str
    # healthy | partial | drifted | fighting | syncing | failed | refused | never synced
    health: str
    synced_revision: str | None
    synced_at: datetime | None
    synced_by: str | None
    last: SyncRecord | None
    drifted_fields: int | None
    fights: int
    waiting: str  # why it may not sync yet ("" when it may)


def history(db: Database, name: str, limit: int = 50) -> list[SyncRecord]:
    """The application's syncs, newest first."""
    with db.session() as session:
        rows = session.execute(
            select(Sync).join(AppRow, Sync.application_id == AppRow.id)
            .where(AppRow.name == name).order_by(Sync.id.desc()).limit(limit)).scalars().all()
    return [_record(row) for row in rows]


def status(db: Database, config: Config, name: str | None = None) -> list[AppStatus]:
    names = [name] if name else [a.name for a in config.applications]
    found = {n: _status(db, n) for n in names}
    for application in config.applications:
        if application.name in found:
            found[application.name] = _with_waiting(found[application.name],
                                                    waiting_on(db, config, application.name))
    return list(found.values())


def waiting_on(db: Database, config: Config, name: str) -> str:
    """Why `name` may not sync yet: a dependency not synced or not healthy ("" if none)."""
    for dependency in config.application(name).depends_on:
        if dependency not in {a.name for a in config.applications}:
            return f"depends on {dependency}, which purser.yaml does not declare"
        found = _status(db, dependency)
        if found.synced_revision is None:
            return f"waits for {dependency}: not synced yet"
        if found.health not in ("healthy", "partial", "drifted"):
            return f"waits for {dependency}: {found.health}"
    return ""


def _status(db: Database, name: str) -> AppStatus:
    with db.session() as session:
        row = session.scalars(select(AppRow).where(AppRow.name == name)).first()
        fights = len(session.scalars(select(FieldDrift.id).where(
            FieldDrift.application == name, FieldDrift.fighting)).all())
    last = next(iter(history(db, name, limit=1)), None)
    if row is None:
        return AppStatus(name, "never synced", None, None, None, None, None, 0, "")
    return AppStatus(name, _health(last, row.drifted_fields, fights), row.synced_revision,
                     row.synced_at, row.synced_by, last, row.drifted_fields, fights, "")


def _health(last: SyncRecord | None, drifted: int | None, fights: int) -> str:
    if last is None:
        return "never synced"
    if last.phase in (SyncPhase.failed.value, SyncPhase.refused.value):
        return last.phase
    if last.phase == SyncPhase.running.value:
        return "syncing"
    if fights:
        return "fighting"
    if drifted:
        return "drifted"
    return "partial" if last.unsupported else "healthy"


def _with_waiting(found: AppStatus, why: str) -> AppStatus:
    return AppStatus(found.name, found.health, found.synced_revision, found.synced_at,
                     found.synced_by, found.last, found.drifted_fields, found.fights, why)


def _record(row: Sync) -> SyncRecord:
    unsupported = (row.summary or {}).get("unsupported") or []
    return SyncRecord(row.revision, row.phase.value, row.trigger, row.controller,
                      row.started_at, row.finished_at, row.message, len(unsupported))
