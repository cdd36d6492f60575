"""Leases with fencing tokens: one holder at a time, tokens that only grow, stale writes refused."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from purser.store import Database, open_database
from purser.store.lease import LeaseLost, acquire, fenced, release
from purser.store.schema import Application, utc_now

TTL = timedelta(seconds=30)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    with open_database(database_url) as database:
        yield database


def test_a_free_lease_is_granted_with_token_one_and_refused_to_others(db: Database) -> None:
    first = acquire(db, "app:payments", "controller-a", ttl=TTL)

    assert first is not None and first.token == 1
    assert acquire(db, "app:payments", "controller-b", ttl=TTL) is None
    assert acquire(db, "app:orders", "controller-b", ttl=TTL) is not None


def test_renewing_keeps_the_token_and_extends_the_expiry(db: Database) -> None:
    now = utc_now()
    first = acquire(db, "app:payments", "controller-a", ttl=TTL, now=now)
    renewed = acquire(db, "app:payments", "controller-a", ttl=TTL, now=now + TTL / 2)

    assert first is not None and renewed is not None
    assert renewed.token == first.token
    assert renewed.expires_at > first.expires_at


def test_an_expired_lease_is_taken_over_with_a_greater_token(db: Database) -> None:
    now = utc_now()
    acquire(db, "app:payments", "controller-a", ttl=TTL, now=now)
    taken = acquire(db, "app:payments", "controller-b", ttl=TTL, now=now + 2 * TTL)

    assert taken is not None and (taken.holder, taken.token) == ("controller-b", 2)


def test_a_write_under_a_superseded_lease_is_refused_and_writes_nothing(db: Database) -> None:
    now = utc_now()
    stale = acquire(db, "app:payments", "controller-a", ttl=TTL, now=now)
    assert stale is not None
    acquire(db, "app:payments", "controller-b", ttl=TTL, now=now + 2 * TTL)

    with pytest.raises(LeaseLost, match=r"token 1 of controller-a was superseded.*controller-b"), \
            fenced(db, stale) as session:
        session.add(Application(name="payments", path="apps/payments"))

    with db.session() as session:
        assert session.scalars(select(Application)).all() == []


def test_a_write_under_an_expired_lease_is_refused(db: Database) -> None:
    grant = acquire(db, "app:payments", "controller-a", ttl=TTL)
    assert grant is not None

    with pytest.raises(LeaseLost, match="expired"), fenced(db, grant, now=utc_now() + 2 * TTL):
        pass


def test_a_write_under_the_current_lease_is_committed(db: Database) -> None:
    grant = acquire(db, "app:payments", "controller-a", ttl=TTL)
    assert grant is not None

    with fenced(db, grant) as session:
        session.add(Application(name="payments", path="apps/payments"))

    with db.session() as session:
        assert session.scalars(select(Application.name)).all() == ["payments"]


def test_a_released_lease_passes_on_at_once_and_its_token_still_grows(db: Database) -> None:
    grant = acquire(db, "app:payments", "controller-a", ttl=TTL)
    assert grant is not None
    release(db, grant)

    taken = acquire(db, "app:payments", "controller-b", ttl=TTL)
    assert taken is not None and taken.token == grant.token + 1
