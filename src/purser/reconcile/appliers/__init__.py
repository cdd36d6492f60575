"""Appliers: what reads and writes one kind of target (`aws` today).

An applier turns a desired `Resource` into a `Desired` (the fields it manages, references
still unresolved), finds the live resources an application owns, and creates, updates and
deletes them. A new target is one module (or package) here registering its factory in
`appliers`; outside packages use the `purser.appliers` entry-point group.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from purser.config import Application, Config
from purser.model import Resource
from purser.registry import Registry
from purser.tree import Tree


class ApplyError(Exception):
    """A write or read the target refused for good (not worth retrying)."""


class Unsupported(Exception):
    """A declared resource this applier cannot apply (its kind, or a value it cannot
    read statically); the plan lists it and nothing is written for it."""


@dataclass(frozen=True)
class Desired:
    """What git says one resource should be: the fields its handler manages (values may
    hold `Ref`s and `${address.attribute}` text until `resolve` fills them in)."""

    address: str
    kind: str
    name: str  # the physical name it has or will get
    fields: dict[str, Any]
    depends_on: tuple[str, ...] = ()


@dataclass
class Live:
    """One owned resource as the target has it now, in the same vocabulary as `Desired`."""

    address: str
    kind: str
    name: str
    fields: dict[str, Any]
    outputs: dict[str, Any] = field(default_factory=dict)  # arn, id, url: what Refs read
    handle: str = ""  # what the handler needs to address it again (an ARN, a URL, an id)
    tags: dict[str, str] = field(default_factory=dict)
    # For a resource that takes no tags and is owned through its parent (an API's route):
    # what it is known by, matched against `Applier.identity` of a declaration.
    identity: str = ""


class Applier(Protocol):
    def desired(self, resource: Resource) -> Desired:
        """`Unsupported` when this applier cannot apply `resource`."""

    def normalise(self, desired: Desired) -> Desired:
        """`desired` (references filled in) with values as the target reports them."""

    def identity(self, desired: Desired) -> str:
        """What a declaration of a tagless child kind is known by live ("" for the rest:
        they are matched by their ownership tags)."""

    def delete_rank(self, kind: str) -> int:
        """Deletes run in this order, lowest first: what refers to others goes first."""

    def replaced_by(self, kind: str) -> frozenset[str]:
        """The fields of `kind` whose change needs the resource created anew."""

    def discover(self, application: str) -> list[Live]:
        """Every live resource whose ownership tags name `application`."""

    def find(self, desired: Desired) -> Live | None:
        """The resource of that kind and physical name, owned or not (crash resume)."""

    def create(self, desired: Desired, tags: dict[str, str]) -> Live: ...

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live: ...

    def delete(self, live: Live) -> None: ...

    def writer_of(self, live: Live, field_name: str) -> str | None:
        """Who last changed `field_name` of `live`, when the target can say (CloudTrail)."""


# `tree`: the repository state the resources were loaded from, for the files a resource
# names (a function's code); None when no resource needs one.
ApplierFactory = Callable[[Application, Config, Tree | None], Applier]
appliers: Registry[ApplierFactory] = Registry("applier", "purser.appliers",
                                              package="purser.reconcile.appliers")


def applier_for(application: Application, config: Config, *,
                tree: Tree | None = None) -> Applier:
    if application.target.kind not in appliers:
        raise ApplyError(f"application {application.name}: purser has no applier for target "
                         f"{application.target.kind!r} yet (it has: {', '.join(appliers)})")
    factory = appliers.get(application.target.kind)
    return factory(application, config, tree)
