"""The write journal: every step recorded in the state database before its call.

Each write is a row keyed by an idempotency key (application, address, action and a
digest of what is written) that goes `started` before the call and `done` or `failed`
after. A process killed between the two leaves `started` behind: the next sync of the
application, planning again from live state, asks the journal whether a create of that
address was left unfinished, and if so adopts the resource of the recorded physical name
(its tags may be missing: S3 tags a bucket after creating it) instead of refusing it as
someone else's. All journal writes are fenced by the application's lease, so a controller
whose lease was taken over cannot record (nor, journaling first, make) another write.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from purser.reconcile.plan import Action
from purser.store import Database
from purser.store.lease import Grant, acquire, fenced
from purser.store.schema import JournalStep, utc_now

STARTED, DONE, FAILED = "started", "done", "failed"


class Journal:
    def __init__(self, db: Database, grant: Grant, sync_id: int, application: str, *,
                 ttl: timedelta) -> None:
        self.db = db
        self.grant = grant
        self.sync_id = sync_id
        self.application = application
        self.ttl = ttl

    def start(self, address: str, action: Action, physical_id: str,
              written: dict[str, Any]) -> int:
        self._renew_if_due()
        with fenced(self.db, self.grant) as session:
            step = JournalStep(sync_id=self.sync_id, application=self.application,
                               key=idempotency_key(self.application, address, action, written),
                               address=address, action=action.value,
                               physical_id=physical_id[:1000], state=STARTED)
            session.add(step)
            session.flush()
            return step.id

    def finish(self, step_id: int, error: str = "") -> None:
        with fenced(self.db, self.grant) as session:
            step = session.get(JournalStep, step_id)
            if step is not None:
                step.state = FAILED if error else DONE
                step.error = error
                step.finished_at = utc_now()

    def unfinished_create(self, address: str) -> str | None:
        """The physical name of a create of `address` that was started and never finished
        (by any earlier sync of this application), if there is one."""
        with self.db.session() as session:
            step = session.scalars(
                select(JournalStep).where(JournalStep.application == self.application,
                                          JournalStep.address == address,
                                          JournalStep.action.in_((Action.create.value,
                                                                  Action.replace.value)))
                .order_by(JournalStep.id.desc()).limit(1)).first()
        return step.physical_id if step is not None and step.state == STARTED else None

    def _renew_if_due(self) -> None:
        """Keep the lease while the sync runs: renew once half its time is gone."""
        if self.grant.expires_at - utc_now() < self.ttl / 2:
            renewed = acquire(self.db, self.grant.name, self.grant.holder, ttl=self.ttl)
            if renewed is not None and renewed.token == self.grant.token:
                self.grant = renewed


def idempotency_key(application: str, address: str, action: Action,
                    written: dict[str, Any]) -> str:
    payload = json.dumps([application, address, action.value, written], sort_keys=True,
                         default=str, separators=(",", ":"))
    return hashlib.sha256(payload.encode()).hexdigest()
