"""A plan: what it takes to make live state what a revision declares, field by field.

Each declared resource the applier can apply is a create, an update (the fields that
differ, old and new), a replace (a field that cannot change in place, or a new physical
name) or a no-op. An owned live resource no longer declared is a delete when the
application prunes, else an orphan that is reported and left alone. A declared resource
the applier cannot apply is listed as unsupported with the reason, never skipped silently.
Steps come in dependency order: a resource after everything it refers to.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from purser.model import Resource
from purser.reconcile.appliers import Applier, Desired, Live, Unsupported
from purser.reconcile.resolve import PENDING, references, resolve


class Action(Enum):
    create = "create"
    update = "update"
    replace = "replace"
    delete = "delete"
    noop = "no-op"
    orphan = "orphan"  # owned, no longer declared, and the application does not prune
    unsupported = "unsupported"  # declared, but this applier cannot apply it

    @property
    def writes(self) -> bool:
        return self in (Action.create, Action.update, Action.replace, Action.delete)


@dataclass
class Step:
    address: str
    action: Action
    kind: str = ""
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    desired: Desired | None = None  # unresolved: resolved again when the step runs
    live: Live | None = None
    depends_on: tuple[str, ...] = ()
    reason: str = ""
    held: tuple[str, ...] = ()  # drifted fields left alone: a fight awaiting a human


@dataclass
class Plan:
    application: str
    revision: str
    steps: list[Step]
    declared: frozenset[str] = frozenset()  # every declared address, applicable or not

    @property
    def writes(self) -> list[Step]:
        return [step for step in self.steps if step.action.writes]

    def counts(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for step in self.steps:
            counted[step.action.value] = counted.get(step.action.value, 0) + 1
        return counted

    def as_json(self) -> dict[str, Any]:
        return {"app": self.application, "revision": self.revision,
                "actions": [_step_json(step) for step in self.steps]}


def make_plan(applier: Applier, application: str, revision: str,
              resources: Iterable[Resource], live: Iterable[Live], *, prune: bool,
              held: frozenset[tuple[str, str]] = frozenset()) -> Plan:
    """Compare the declared `resources` with the `live` ones the application owns.
    `held` (address, field) pairs are not corrected (fights awaiting a human)."""
    wanted: list[Desired] = []
    steps: list[Step] = []
    declared: set[str] = set()
    for resource in resources:
        declared.add(resource.address)
        try:
            wanted.append(applier.desired(resource))
        except Unsupported as why:
            steps.append(Step(resource.address, Action.unsupported, resource.kind,
                              reason=str(why)))
    # References to any declared resource (one purser cannot apply included) wait for it:
    # never written out as the literal `${...}` text.
    every = frozenset(declared)
    found = _LiveIndex(list(live))
    wanted = _waiting_on_unsupported(wanted, steps, every, found.outputs)
    applied = frozenset(d.address for d in wanted)
    for desired in wanted:
        deps = tuple(sorted((set(desired.depends_on) | set(references(desired.fields, every)))
                            & applied - {desired.address}))
        desired = Desired(desired.address, desired.kind, desired.name, desired.fields, deps)
        target = resolved(applier, desired, found.outputs, every)
        steps.append(_compare(applier, desired, target, found.match(applier, target), held))
    for item in found.unmatched(every):
        steps.append(Step(item.address or item.identity,
                          Action.delete if prune else Action.orphan, item.kind, live=item,
                          reason="" if prune else "no longer declared; prune is off"))
    return Plan(application, revision, _ordered(steps), every)


def _waiting_on_unsupported(wanted: list[Desired], steps: list[Step], every: frozenset[str],
                            outputs: dict[str, dict[str, Any]]) -> list[Desired]:
    """The declarations that can be applied: one that refers to a resource purser cannot
    apply (and that is not live to read from) is unsupported too, saying which, so the
    plan never shows a create that can only fail. Followed through chains of references."""
    cannot = {step.address for step in steps if step.action is Action.unsupported}
    while True:
        blocked = {d.address: waits for d in wanted
                   if (waits := sorted(ref for ref in set(references(d.fields, every))
                                       | set(d.depends_on)
                                       if ref in cannot and ref not in outputs))}
        if not blocked:
            return wanted
        by_address = {d.address: d for d in wanted}
        for address, waits in blocked.items():
            steps.append(Step(address, Action.unsupported, by_address[address].kind,
                              reason=f"waits on {', '.join(waits)}, which purser cannot "
                                     "apply"))
        cannot |= blocked.keys()
        wanted = [d for d in wanted if d.address not in blocked]


class _LiveIndex:
    """Live resources by address (ownership tags), and by identity for those that carry
    no tags of their own (an API's routes: owned through their API, known by route key)."""

    def __init__(self, live: list[Live]) -> None:
        self.by_address = {item.address: item for item in live if item.address}
        self.by_identity = {item.identity: item for item in live
                            if item.identity and not item.address}
        self.outputs = {address: item.outputs for address, item in self.by_address.items()}
        self.matched: set[str] = set()

    def match(self, applier: Applier, target: Desired) -> Live | None:
        item = self.by_address.get(target.address)
        identity = "" if item is not None else applier.identity(target)
        if identity and identity in self.by_identity:
            item = self.by_identity[identity]
            item.address = target.address
            self.matched.add(identity)
            self.outputs[target.address] = item.outputs
        return item

    def unmatched(self, declared: frozenset[str]) -> list[Live]:
        """Owned, and declared nowhere (one declared but unapplicable is still declared)."""
        return ([item for address, item in self.by_address.items() if address not in declared]
                + [item for identity, item in self.by_identity.items()
                   if identity not in self.matched])


def resolved(applier: Applier, desired: Desired, outputs: dict[str, dict[str, Any]],
             addresses: frozenset[str]) -> Desired:
    """`desired` with its references filled in and its values normalised for comparing;
    a value that waits on a resource still to be created stays PENDING."""
    fields = {name: resolve(value, outputs, addresses) for name, value in desired.fields.items()}
    known = {name: value for name, value in fields.items() if value is not PENDING}
    normalised = applier.normalise(Desired(desired.address, desired.kind, desired.name, known,
                                           desired.depends_on)).fields
    pending = {name: PENDING for name in fields.keys() - known.keys()}
    return Desired(desired.address, desired.kind, desired.name, {**normalised, **pending},
                   desired.depends_on)


def _compare(applier: Applier, desired: Desired, target: Desired, live: Live | None,
             held: frozenset[tuple[str, str]]) -> Step:
    base = Step(desired.address, Action.noop, desired.kind, desired=desired, live=live,
                depends_on=desired.depends_on)
    if live is None:
        base.action = Action.create
        base.changes = {name: (None, value) for name, value in target.fields.items()}
        return base
    changes = {name: (live.fields.get(name), value) for name, value in target.fields.items()
               if not _equal(live.fields.get(name), value)}
    base.held = tuple(sorted(name for name in changes if (desired.address, name) in held))
    for name in base.held:
        del changes[name]
    if live.name != desired.name:
        changes["name"] = (live.name, desired.name)
    base.changes = changes
    if changes:
        replace = "name" in changes or bool(set(changes) & applier.replaced_by(desired.kind))
        base.action = Action.replace if replace else Action.update
    return base


def _equal(live: Any, wanted: Any) -> bool:
    if wanted is PENDING:
        return False
    if isinstance(live, dict) and isinstance(wanted, dict):
        return live.keys() == wanted.keys() and all(_equal(live[k], wanted[k]) for k in wanted)
    if isinstance(live, list) and isinstance(wanted, list):
        return len(live) == len(wanted) and all(map(_equal, live, wanted))
    if isinstance(live, int | float) and isinstance(wanted, int | float) \
            and not isinstance(live, bool) and not isinstance(wanted, bool):
        return float(live) == float(wanted)
    return bool(live == wanted)


def _ordered(steps: list[Step]) -> list[Step]:
    """Declared resources after their dependencies (then by address, so the order is the
    same on every run); deletes, orphans and unsupported ones last."""
    declared = {s.address: s for s in steps if s.desired is not None}
    done: set[str] = set()
    ordered: list[Step] = []

    def visit(address: str, path: tuple[str, ...]) -> None:
        if address in done or address in path:
            return  # a cycle is applied in address order; the apply reports what it lacks
        for dep in declared[address].depends_on:
            if dep in declared:
                visit(dep, (*path, address))
        done.add(address)
        ordered.append(declared[address])

    for address in sorted(declared):
        visit(address, ())
    rest = sorted((s for s in steps if s.desired is None),
                  key=lambda s: (s.action.value, s.address))
    return ordered + rest


def _step_json(step: Step) -> dict[str, Any]:
    out: dict[str, Any] = {"address": step.address, "action": step.action.value,
                           "kind": step.kind,
                           "changes": {name: [plain(old), plain(new)]
                                       for name, (old, new) in step.changes.items()}}
    if step.reason:
        out["reason"] = step.reason
    if step.held:
        out["held"] = list(step.held)
    return out


def plain(value: Any) -> Any:
    """`value` as JSON can hold it (a pending reference, as text)."""
    if value is PENDING:
        return "(known after apply)"
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return str(value)
    return value
