"""Leases with fencing tokens: which controller may work on a named thing, until when.

A lease is granted when it is free, expired, or already held by the asker (a renewal,
which keeps the token). Each change of holder increases the token, and a lease is never
deleted (releasing expires it), so tokens only grow. Writes made through `fenced` check,
in the same transaction and under the lease's lock, that the token is still the current
one: a controller whose lease expired or was taken over cannot write.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict
from sqlalchemy.orm import Session

from purser.store.database import Database
from purser.store.errors import StoreError
from purser.store.schema import Lease, utc_now


class LeaseLost(StoreError):
    """A write under a lease that has expired or passed to another holder."""


class Grant(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str
    holder: str
    token: int
    expires_at: datetime


def acquire(db: Database, name: str, holder: str, *, ttl: timedelta,
            now: datetime | None = None) -> Grant | None:
    """Take or renew the lease `name` for `ttl`; None while another holder's is valid."""
    now = now or utc_now()
    with db.exclusive(_lock(name)) as session:
        lease = session.get(Lease, name)
        if lease is None:
            lease = Lease(name=name, holder=holder, token=1, expires_at=now + ttl)
            session.add(lease)
        elif lease.holder == holder or lease.expires_at <= now:
            if lease.holder != holder:
                lease.holder, lease.token = holder, lease.token + 1
            lease.expires_at = now + ttl
        else:
            return None
        return Grant(name=name, holder=holder, token=lease.token, expires_at=lease.expires_at)


def release(db: Database, grant: Grant, *, now: datetime | None = None) -> None:
    """Give the lease up at once (if still ours) so another holder need not wait."""
    with db.exclusive(_lock(grant.name)) as session:
        lease = session.get(Lease, grant.name)
        if lease is not None and lease.token == grant.token:
            lease.expires_at = now or utc_now()


def current_holder(db: Database, name: str, *, now: datetime | None = None) -> str | None:
    """Who holds the lease `name` now (None when nobody does)."""
    with db.session() as session:
        lease = session.get(Lease, name)
    return lease.holder if lease is not None and lease.expires_at > (now or utc_now()) else None


def expire(db: Database, name: str, holder: str, *, now: datetime | None = None) -> None:
    """End `holder`'s lease at once (it is known to be dead); a no-op once it moved on."""
    with db.exclusive(_lock(name)) as session:
        lease = session.get(Lease, name)
        if lease is not None and lease.holder == holder:
            lease.expires_at = now or utc_now()


@contextmanager
def fenced(db: Database, grant: Grant, *, now: datetime | None = None) -> Iterator[Session]:
    """A write session that is refused (LeaseLost) unless `grant` is still the valid lease."""
    with db.exclusive(_lock(grant.name)) as session:
        lease = session.get(Lease, grant.name)
        if lease is None or lease.token != grant.token:
            current = f"{lease.holder} (token {lease.token})" if lease else "nobody"
            raise LeaseLost(f"lease {grant.name!r}: token {grant.token} of {grant.holder} "
                            f"was superseded; it is now held by {current}")
        if lease.expires_at <= (now or utc_now()):
            raise LeaseLost(f"lease {grant.name!r} of {grant.holder} expired at "
                            f"{lease.expires_at.isoformat()}; acquire it again")
        yield session


def _lock(name: str) -> str:
    return f"purser.lease:{name}"
