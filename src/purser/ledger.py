"""The audit ledger: an append-only, hash-chained record of every decision purser takes.

Each entry says who (actor) did what (action) to what (subject, application, revision),
from which inputs (a digest of them), with which outcome and why (explanation), and seals
that together with the hash of the entry before it. Changing, removing or reordering an
entry breaks the chain from that point, which `verify` finds and names.

The hash of an entry, so that anyone can recompute it without purser:

    sha256(UTF-8 bytes of the JSON object of the fields
           id, at, actor, action, subject, application, revision, inputs_digest,
           outcome, explanation, prev_hash
           with keys sorted, separators "," and ":", no whitespace, non-ASCII characters
           written as themselves (not \\u escapes), absent values as null)

as lowercase hex. `id` is a JSON integer (the entry's place in the chain: 1, 2, 3, ...),
`at` is UTC as "YYYY-MM-DDTHH:MM:SS.ffffffZ" (always six fraction digits), and
`prev_hash` of entry 1 is 64 zeros. In Python:
`json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`.

Appends are serialised (PostgreSQL: a transaction-level advisory lock; SQLite: BEGIN
IMMEDIATE) so that two writers never fork the chain. A chain cannot show that entries
were cut off its end: keep the head hash that `verify` prints somewhere else (a commit
trailer, a CI log) and pass it back with `expect_hash` to make that checkable.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from purser.store import Database
from purser.store.schema import HASH_LENGTH, LedgerEntry, as_utc, utc_now

GENESIS_HASH = "0" * HASH_LENGTH
_LOCK = "purser.ledger"
_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def _storable(text: str) -> str:
    """Text that both databases keep byte for byte (PostgreSQL refuses NUL; a lone
    surrogate has no UTF-8 encoding, so it could not be hashed)."""
    if "\0" in text:
        raise ValueError("cannot contain a NUL character")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError("is not valid Unicode text (lone surrogate)") from exc
    return text


# Bounds are the column sizes in purser.store.schema, so both databases accept every event.
_Word = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_storable)]
_Name = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_storable)]
_Subject = Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(_storable)]
_Revision = Annotated[str, Field(min_length=1, max_length=64), AfterValidator(_storable)]
_Prose = Annotated[str, Field(max_length=100_000), AfterValidator(_storable)]


class Event(BaseModel):
    """What happened, as the caller records it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    actor: _Name
    action: _Word
    subject: _Subject
    outcome: _Word
    explanation: _Prose = ""
    application: _Name | None = None
    revision: _Revision | None = None
    inputs_digest: _Word | None = None


class Entry(Event):
    """An event sealed into the chain."""

    id: int
    at: datetime
    prev_hash: str
    hash: str

    def sealed_fields(self) -> dict[str, Any]:
        """The fields the hash covers, in their canonical JSON types."""
        fields = self.model_dump(exclude={"hash"})
        fields["at"] = canonical_time(self.at)
        return fields


class Problem(BaseModel):
    """The first place where the chain no longer holds."""

    entry_id: int
    kind: Literal["changed", "broken-link", "missing", "expected-hash-absent"]
    field: str  # the stored field that no longer matches ("hash", "prev_hash", "id")
    message: str


class Verification(BaseModel):
    entries: int
    head_hash: str
    problem: Problem | None = None

    @property
    def intact(self) -> bool:
        return self.problem is None


def canonical_time(at: datetime) -> str:
    return as_utc(at).strftime(_TIME_FORMAT)


def canonical_bytes(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def entry_hash(fields: dict[str, Any]) -> str:
    return hashlib.sha256(canonical_bytes(fields)).hexdigest()


def append(db: Database, event: Event, *, at: datetime | None = None) -> Entry:
    """Seal `event` onto the head of the chain and store it."""
    when = as_utc(at or utc_now())
    with db.exclusive(_LOCK) as session:
        head = session.execute(select(LedgerEntry.id, LedgerEntry.hash)
                               .order_by(LedgerEntry.id.desc()).limit(1)).first()
        entry_id, prev_hash = (head.id + 1, head.hash) if head else (1, GENESIS_HASH)
        unsealed = Entry(**event.model_dump(), id=entry_id, at=when, prev_hash=prev_hash,
                         hash="")
        entry = unsealed.model_copy(update={"hash": entry_hash(unsealed.sealed_fields())})
        session.add(LedgerEntry(**entry.model_dump()))
    return entry


def entries(db: Database, *, application: str | None = None,
            limit: int | None = None) -> list[Entry]:
    """The newest `limit` entries (all by default), oldest first."""
    query = select(LedgerEntry).order_by(LedgerEntry.id.desc())
    if application is not None:
        query = query.where(LedgerEntry.application == application)
    if limit is not None:
        query = query.limit(limit)
    with db.session() as session:
        rows = session.scalars(query).all()
    return [_entry(row) for row in reversed(rows)]


def verify(db: Database, *, expect_hash: str | None = None) -> Verification:
    """Recompute the chain from the first entry; the first problem found, if any.

    `expect_hash`: a head hash recorded earlier, which must still be in the chain."""
    count, previous, seen_expected = 0, None, expect_hash is None
    with db.session() as session:
        for entry in _stored(session):
            problem = _check(entry, previous)
            if problem:
                return Verification(entries=count, head_hash=_hash_of(previous),
                                    problem=problem)
            count, previous = count + 1, entry
            seen_expected = seen_expected or entry.hash == expect_hash
    head = _hash_of(previous)
    if not seen_expected:
        return Verification(entries=count, head_hash=head, problem=Problem(
            entry_id=count, kind="expected-hash-absent", field="hash",
            message=f"no entry has the expected hash {expect_hash}: entries were removed "
                    f"from the end of the chain, or the chain was replaced"))
    return Verification(entries=count, head_hash=head)


def _check(entry: Entry, previous: Entry | None) -> Problem | None:
    expected_id = previous.id + 1 if previous else 1
    if entry.id != expected_id:
        missing = (f"entries {expected_id} to {entry.id - 1} are"
                   if entry.id - 1 > expected_id else f"entry {expected_id} is")
        return Problem(entry_id=expected_id, kind="missing", field="id",
                       message=f"{missing} missing (deleted): entry {entry.id} follows "
                               f"{f'entry {previous.id}' if previous else 'the start'}")
    expected_prev = _hash_of(previous)
    if entry.prev_hash != expected_prev:
        after = (f"entry {previous.id}'s hash {expected_prev}: entry {previous.id} was "
                 "rewritten (with a recomputed hash), or this link was edited" if previous
                 else "the genesis hash (64 zeros): this link was edited")
        return Problem(entry_id=entry.id, kind="broken-link", field="prev_hash",
                       message=f"its prev_hash {entry.prev_hash} does not match {after}")
    recomputed = entry_hash(entry.sealed_fields())
    if entry.hash != recomputed:
        return Problem(entry_id=entry.id, kind="changed", field="hash",
                       message=f"its recorded fields no longer produce its hash "
                               f"(stored {entry.hash}, recomputed {recomputed}): a field "
                               "of this entry was changed after it was written")
    return None


def _stored(session: Session) -> Iterator[Entry]:
    rows = session.scalars(select(LedgerEntry).order_by(LedgerEntry.id)
                           .execution_options(yield_per=1000))
    for row in rows:
        yield _entry(row)


def _entry(row: LedgerEntry) -> Entry:
    """A stored row as an Entry, read back as it is (no validation: a tampered row must
    still be readable to be reported)."""
    return Entry.model_construct(**{name: getattr(row, name) for name in Entry.model_fields})


def _hash_of(entry: Entry | None) -> str:
    return entry.hash if entry else GENESIS_HASH
