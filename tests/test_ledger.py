"""The audit ledger: a hash chain anyone can recompute, whose tampering is found and named."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import pairwise

import pytest
from pydantic import ValidationError
from sqlalchemy import text

from purser import ledger
from purser.ledger import GENESIS_HASH, Event
from purser.store import Database, open_database


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with open_database(database_url) as database:
        yield database


def record(db: Database, count: int, *, application: str = "payments") -> list[ledger.Entry]:
    return [ledger.append(db, Event(actor="controller-a", action="sync", subject=f"fn-{n}",
                                    application=application, revision="a" * 40,
                                    inputs_digest="sha256:" + "b" * 64, outcome="succeeded",
                                    explanation=f"applied change {n} — ok"))
            for n in range(count)]


def tamper(db: Database, statement: str) -> None:
    with db.engine.begin() as connection:
        connection.execute(text(statement))


def test_an_untouched_chain_verifies_and_each_entry_links_the_one_before(db: Database) -> None:
    written = record(db, 5)

    verdict = ledger.verify(db)

    assert verdict.intact and verdict.entries == 5 and verdict.head_hash == written[-1].hash
    assert [e.id for e in written] == [1, 2, 3, 4, 5]
    assert written[0].prev_hash == GENESIS_HASH
    assert all(later.prev_hash == earlier.hash for earlier, later in pairwise(written))


def test_the_hash_is_the_documented_encoding_recomputed_without_purser(db: Database) -> None:
    entry = ledger.append(db, Event(actor="ana", action="rollback", subject="payments",
                                    outcome="succeeded", explanation="café"),
                          at=datetime(2026, 5, 20, 12, 0, 1, 2, tzinfo=UTC))
    fields = {"id": 1, "at": "2026-05-20T12:00:01.000002Z", "actor": "ana",
              "action": "rollback", "subject": "payments", "application": None,
              "revision": None, "inputs_digest": None, "outcome": "succeeded",
              "explanation": "café", "prev_hash": "0" * 64}
    encoded = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    assert entry.hash == hashlib.sha256(encoded.encode("utf-8")).hexdigest()
    assert ledger.entries(db)[0].hash == entry.hash  # and it reads back the same


def test_a_field_edited_in_the_database_is_found_and_named(db: Database) -> None:
    record(db, 5)
    tamper(db, "UPDATE ledger_entries SET outcome = 'refused' WHERE id = 3")

    verdict = ledger.verify(db)

    assert verdict.problem is not None
    assert (verdict.problem.entry_id, verdict.problem.kind, verdict.problem.field) == \
        (3, "changed", "hash")
    assert verdict.entries == 2


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(db: Database) -> None:
    written = record(db, 5)
    forged = written[2].model_copy(update={"outcome": "refused"})
    forged_hash = ledger.entry_hash(forged.sealed_fields())
    tamper(db, f"UPDATE ledger_entries SET outcome = 'refused', hash = '{forged_hash}' "
               "WHERE id = 3")

    problem = ledger.verify(db).problem

    assert problem is not None
    assert (problem.entry_id, problem.kind, problem.field) == (4, "broken-link", "prev_hash")


def test_a_deleted_middle_entry_is_found_and_named(db: Database) -> None:
    record(db, 5)
    tamper(db, "DELETE FROM ledger_entries WHERE id = 3")

    problem = ledger.verify(db).problem

    assert problem is not None
    assert (problem.entry_id, problem.kind) == (3, "missing")
    assert "entry 3 is missing (deleted): entry 4 follows entry 2" in problem.message


def test_a_renumbered_chain_after_a_deletion_is_still_found(db: Database) -> None:
    record(db, 5)
    tamper(db, "DELETE FROM ledger_entries WHERE id = 3")
    tamper(db, "UPDATE ledger_entries SET id = id - 1 WHERE id > 3")

    problem = ledger.verify(db).problem

    assert problem is not None and problem.entry_id == 3


def test_entries_cut_off_the_end_are_found_against_a_head_kept_elsewhere(db: Database) -> None:
    head = record(db, 4)[-1].hash
    tamper(db, "DELETE FROM ledger_entries WHERE id = 4")

    assert ledger.verify(db).intact  # a chain alone cannot tell
    problem = ledger.verify(db, expect_hash=head).problem
    assert problem is not None and problem.kind == "expected-hash-absent"


def test_entries_are_shown_newest_last_and_filter_by_application(db: Database) -> None:
    record(db, 3, application="payments")
    record(db, 2, application="orders")

    assert [e.id for e in ledger.entries(db, application="payments")] == [1, 2, 3]
    assert [e.id for e in ledger.entries(db, limit=2)] == [4, 5]


@pytest.mark.parametrize("bad", ["", "nul\0byte", "lone \ud800 surrogate", "x" * 201])
def test_an_event_the_databases_cannot_keep_exactly_is_refused(bad: str) -> None:
    with pytest.raises(ValidationError):
        Event(actor=bad, action="sync", subject="payments", outcome="succeeded")


def test_concurrent_appending_threads_never_fork_the_chain(database_url: str) -> None:
    failures: list[BaseException] = []

    def append_many() -> None:
        try:
            with open_database(database_url) as own:
                record(own, 25)
        except BaseException as exc:
            failures.append(exc)

    open_database(database_url).close()
    threads = [threading.Thread(target=append_many) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    with open_database(database_url) as db:
        verdict = ledger.verify(db)
    assert verdict.intact and verdict.entries == 100


APPENDER = """
import sys
from purser import ledger
from purser.store import open_database
with open_database(sys.argv[1]) as db:
    for n in range(int(sys.argv[2])):
        ledger.append(db, ledger.Event(actor=sys.argv[3], action="sync", subject=str(n),
                                       outcome="succeeded"))
"""


def test_concurrent_appending_processes_never_fork_the_chain(database_url: str) -> None:
    open_database(database_url).close()
    processes = [subprocess.Popen([sys.executable, "-c", APPENDER, database_url, "30", name],
                                  stderr=subprocess.PIPE, text=True)
                 for name in ("controller-a", "controller-b")]
    errors = [process.communicate()[1] for process in processes]

    assert [process.returncode for process in processes] == [0, 0], errors
    with open_database(database_url) as db:
        verdict = ledger.verify(db)
        actors = {entry.actor for entry in ledger.entries(db)}
    assert verdict.intact and verdict.entries == 60
    assert actors == {"controller-a", "controller-b"}
