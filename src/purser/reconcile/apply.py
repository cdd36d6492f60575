"""Carry a plan out: dependency order, a bounded pool, every write journaled first.

A step starts once everything it refers to is applied, its references are filled in from
the outputs of what is live or was just created, and independent steps run side by side
(at most `workers`). A step that fails for good stops its branch of the graph: whatever
depends on it is reported blocked and not attempted, the rest goes on. Deletes (prune)
run last, one at a time, only when nothing failed, dependents first (by the kind's
`delete_rank`: a route before the integration it targets, a function before its role).

Before a create, the name is looked up: a resource of that name that purser does not own
is refused, never adopted, unless the journal shows purser itself was creating it when
its process died (then the create is finished by an update).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from purser.reconcile.appliers import Applier, ApplyError, Desired, Live, Unsupported
from purser.reconcile.journal import Journal
from purser.reconcile.ownership import APP_TAG, owner, ownership_tags
from purser.reconcile.plan import Action, Plan, Step, resolved
from purser.reconcile.resolve import PENDING, references

WORKERS = 8


@dataclass
class Outcome:
    applied: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    blocked: dict[str, str] = field(default_factory=dict)
    resumed: list[str] = field(default_factory=list)  # creates finished after a crash
    deleted: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.blocked


def apply_plan(plan: Plan, applier: Applier, journal: Journal, *,
               workers: int = WORKERS) -> Outcome:
    outcome = Outcome()
    declared = [step for step in plan.steps if step.desired is not None]
    outputs = {s.address: dict(s.live.outputs) for s in plan.steps if s.live is not None}
    runner = _Runner(applier, journal, plan.application, outputs, plan.declared, outcome)
    _run_graph([s for s in declared if s.action.writes], runner.run, outcome, workers)
    deletes = sorted((step for step in plan.steps if step.action is Action.delete),
                     key=lambda step: (applier.delete_rank(step.kind), step.address))
    if deletes and not outcome.ok:
        for step in deletes:
            outcome.blocked[step.address] = "not pruned: other steps of this sync failed"
    elif deletes:
        for step in deletes:
            runner.guarded(step, runner.delete)
    return outcome


def _run_graph(steps: list[Step], run: Callable[[Step], None], outcome: Outcome,
               workers: int) -> None:
    pending = {step.address: step for step in steps}
    running: dict[Future[None], Step] = {}
    with ThreadPoolExecutor(max(1, workers)) as pool:
        while pending or running:
            busy = {step.address for step in running.values()}
            for step in _ready(pending, busy, outcome):
                del pending[step.address]
                running[pool.submit(run, step)] = step
            if not running:
                break
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                running.pop(future)
                future.result()  # run() records failures itself; anything else is a bug
    for address, step in pending.items():  # a dependency cycle among writes
        outcome.blocked[address] = ("waits on a dependency that never applied: "
                                    f"{', '.join(step.depends_on)}")


def _ready(pending: dict[str, Step], busy: set[str], outcome: Outcome) -> list[Step]:
    """Steps whose dependencies have all applied (a dependency that needs no write is
    applied already); those behind a failure become blocked."""
    ready = []
    for step in list(pending.values()):
        stuck = [d for d in step.depends_on if d in outcome.failed or d in outcome.blocked]
        if stuck:
            outcome.blocked[step.address] = f"not attempted: {stuck[0]} did not apply"
            del pending[step.address]
        elif not any(d in pending or d in busy for d in step.depends_on):
            ready.append(step)
    return ready


class _Runner:
    def __init__(self, applier: Applier, journal: Journal, application: str,
                 outputs: dict[str, dict[str, Any]], addresses: frozenset[str],
                 outcome: Outcome) -> None:
        self.applier = applier
        self.journal = journal
        self.application = application
        self.outputs = outputs
        self.addresses = addresses
        self.outcome = outcome

    def run(self, step: Step) -> None:
        self.guarded(step, self.write)

    def guarded(self, step: Step, write: Callable[[Step], Live | None]) -> None:
        try:
            live = write(step)
        except (ApplyError, Unsupported, LookupError) as error:
            self.outcome.failed[step.address] = str(error)
            return
        if live is not None:
            self.outputs[step.address] = dict(live.outputs)
            self.outcome.applied.append(step.address)

    def write(self, step: Step) -> Live:
        assert step.desired is not None
        desired = resolved(self.applier, step.desired, self.outputs, self.addresses)
        waiting = [name for name, value in desired.fields.items() if value is PENDING]
        if waiting:
            missing = sorted({ref for name in waiting for ref in references(
                step.desired.fields[name], self.addresses) if ref not in self.outputs})
            raise ApplyError(f"cannot fill in {', '.join(waiting)}: waits on "
                             f"{', '.join(missing) or 'a resource'} (not applied)")
        tags = ownership_tags(self.application, step.address)
        if step.action is Action.update and step.live is not None:
            return self._journaled(step, desired, Action.update, lambda: self.applier.update(
                step.live, desired, set(step.changes), tags))  # type: ignore[arg-type]
        if step.action is Action.replace and step.live is not None:
            self.delete(step)
        return self._create(step, desired, tags)

    def _create(self, step: Step, desired: Desired, tags: dict[str, str]) -> Live:
        existing = self.applier.find(desired)
        if existing is None:
            return self._journaled(step, desired, Action.create,
                                   lambda: self.applier.create(desired, tags))
        owned = owner(existing.tags)
        mine = owned == (self.application, step.address)
        if not mine and self.journal.unfinished_create(step.address) != desired.name:
            holder = f"application {owned[0]}" if owned else "nobody (no purser tags)"
            raise ApplyError(f"a {desired.kind} named {desired.name} already exists and is "
                             f"owned by {holder}; purser does not touch it")
        if not mine:
            self.outcome.resumed.append(step.address)
        changed = set(desired.fields) | {"tags"}
        existing.address = step.address
        return self._journaled(step, desired, Action.update,
                               lambda: self.applier.update(existing, desired, changed, tags))

    def delete(self, step: Step) -> None:
        """Delete an owned live resource (prune, or the first half of a replace)."""
        live = step.live
        assert live is not None
        if not _owned(live, self.application, step.address):  # discover never returns these
            raise ApplyError(f"{live.name} is not owned by {self.application}; not deleted")
        step_id = self.journal.start(step.address, Action.delete, live.name, {})
        try:
            self.applier.delete(live)
        except (ApplyError, LookupError) as error:
            self.journal.finish(step_id, str(error))
            raise
        self.journal.finish(step_id)
        if step.action is Action.delete:
            self.outcome.deleted.append(step.address)

    def _journaled(self, step: Step, desired: Desired, action: Action,
                   call: Callable[[], Live]) -> Live:
        step_id = self.journal.start(step.address, action, desired.name, desired.fields)
        try:
            live = call()
        except (ApplyError, Unsupported, LookupError) as error:
            self.journal.finish(step_id, str(error))
            raise
        self.journal.finish(step_id)
        return live


def _owned(live: Live, application: str, address: str) -> bool:
    """Its own ownership tags name this application and address, or it is a tagless child
    (a route) of a resource this application owns."""
    if owner(live.tags) == (application, address):
        return True
    return bool(live.identity) and live.tags.get(APP_TAG) == application
