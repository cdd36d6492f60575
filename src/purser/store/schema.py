"""The tables of the state database, as typed SQLAlchemy 2 models.

The schema is owned by the Alembic revisions in `purser/store/migrations/versions/`: a change
here is a new revision there (tests/store compare the two, so they cannot drift apart).
Times are stored and read back in UTC (`UtcDateTime`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

HASH_LENGTH = 64  # hex SHA-256


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(at: datetime) -> datetime:
    """`at` in UTC; a naive time is taken as UTC already (purser stores nothing else)."""
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """A time stored in UTC and read back zone-aware in UTC on both databases (SQLite
    keeps no zone; PostgreSQL answers in the session's zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else as_utc(value)


class SyncPhase(StrEnum):
    pending = "pending"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"
    refused = "refused"  # the revision failed the gate and was not applied


class RecommendationStatus(StrEnum):
    open = "open"
    approved = "approved"
    rejected = "rejected"
    merged = "merged"


class Decision(StrEnum):
    approved = "approved"
    rejected = "rejected"


def _stored_as_text(enum: type[StrEnum]) -> Enum:
    """A Python enum kept as its value in a short text column (no native PostgreSQL type,
    so adding a member later is a plain revision)."""
    return Enum(enum, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class Base(DeclarativeBase):
    type_annotation_map = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON,
        SyncPhase: _stored_as_text(SyncPhase),
        RecommendationStatus: _stored_as_text(RecommendationStatus),
        Decision: _stored_as_text(Decision),
    }


class Application(Base):
    """An application declared in purser.yaml, as the controllers know it."""

    __tablename__ = "applications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    path: Mapped[str] = mapped_column(String(1000))
    environment: Mapped[str | None] = mapped_column(String(100))
    synced_revision: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utc_now)
    synced_at: Mapped[datetime | None]
    synced_by: Mapped[str | None] = mapped_column(String(200))
    # The last drift check: how many fields differ from the synced revision, and when.
    drifted_fields: Mapped[int | None] = mapped_column(Integer)
    checked_at: Mapped[datetime | None]


class Sync(Base):
    """One attempt to make an application's live state follow one revision."""

    __tablename__ = "syncs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id"), index=True)
    revision: Mapped[str] = mapped_column(String(64))
    phase: Mapped[SyncPhase]
    controller: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]
    trigger: Mapped[str] = mapped_column(String(32), default="manual")  # manual|auto|heal|...
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)  # action → count, drift


class JournalStep(Base):
    """One write the reconciler is about to make or has made, journaled before the call.

    `key` is the step's idempotency key (application, address, action and a digest of
    what is written): a sync that finds its key already done does not write again, and one
    that finds it started (the process died during the call) looks the resource up by the
    physical name recorded here before creating anything."""

    __tablename__ = "journal_steps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sync_id: Mapped[int] = mapped_column(ForeignKey("syncs.id"), index=True)
    application: Mapped[str] = mapped_column(String(200), index=True)
    key: Mapped[str] = mapped_column(String(HASH_LENGTH), index=True)
    address: Mapped[str] = mapped_column(String(1000))
    action: Mapped[str] = mapped_column(String(16))
    physical_id: Mapped[str] = mapped_column(String(1000), default="")
    state: Mapped[str] = mapped_column(String(16))  # started | done | failed
    error: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(default=utc_now)
    finished_at: Mapped[datetime | None]


class FieldDrift(Base):
    """How often one field of one resource was healed back since its revision was synced;
    past the application's `fight_after` it is a fight and healing it stops."""

    __tablename__ = "field_drifts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application: Mapped[str] = mapped_column(String(200), index=True)
    address: Mapped[str] = mapped_column(String(1000))
    field: Mapped[str] = mapped_column(String(300))
    heals: Mapped[int] = mapped_column(Integer, default=0)
    fighting: Mapped[bool] = mapped_column(default=False)
    writer: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(default=utc_now)


class Recommendation(Base):
    """A proposed change (a patch on a branch) with the evidence behind it."""

    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id"),
                                                       index=True)
    kind: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(1000))
    branch: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[RecommendationStatus] = mapped_column(default=RecommendationStatus.open)
    evidence: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utc_now)


class Approval(Base):
    """A human's (or an allowing policy's) decision on a recommendation."""

    __tablename__ = "approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id"),
                                                   index=True)
    approver: Mapped[str] = mapped_column(String(200))
    decision: Mapped[Decision]
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(default=utc_now)


class LedgerEntry(Base):
    """One row of the hash-chained audit trail; `purser.ledger` writes and verifies it.

    The id is the entry's place in the chain (1, 2, 3, ...), assigned by the appender under
    the chain lock, never by a sequence: a gap is a deleted entry."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(String(1000))
    application: Mapped[str | None] = mapped_column(String(200), index=True)
    revision: Mapped[str | None] = mapped_column(String(64))
    inputs_digest: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(100))
    explanation: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(HASH_LENGTH))
    hash: Mapped[str] = mapped_column(String(HASH_LENGTH), unique=True)


class Lease(Base):
    """Who may work on a named thing (an application) until when.

    The token grows by one each time the lease changes hands: a write carrying an older
    token comes from a holder whose lease was taken over, and is refused."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(300), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    token: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime]
