"""Findings remembered between checks in one process, for resources that did not change.

The controller and the API re-check a repository after every push, and most resources are
as they were. What the rules made of a resource is reused when neither the resource, nor
the rules and configuration, nor anything else the rules read changed. `WatchedContext`
records every look past the resource (the resources of a type, one address, all of them),
so a rule never has to declare what it reads (and cannot forget to); the findings are
reused only while each of those looks would see the same contents. Most rules read their
own resource only: for them nothing is recorded and nothing is compared. A resource on
which a rule raised is always worked out again.

The key is the resource's full content (address, source span, attributes, tags, …), so an
edit anywhere in a resource is a new key; a memory belongs to one configuration and one
set of rules, so an edit of purser.yaml or a rule replaced in process starts a new one.
"""

from __future__ import annotations

import marshal
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from typing import NamedTuple

from purser.checkreport import Checked
from purser.config import Config
from purser.model import Finding, Resource
from purser.policy.rule import Rule, RuleContext

#: Resources remembered per memory; beyond it the oldest half is forgotten.
MAX_RESOURCES = 200_000
#: Memories kept (a server may check several repositories, each with its purser.yaml).
MAX_MEMORIES = 8
#: marshal's format 2 writes no back-references, so equal data always gives equal bytes.
_MARSHAL_VERSION = 2

ContentKey = Hashable
Look = tuple[str, str]  # ("type", name) | ("address", address) | ("all", "")


class Judged(NamedTuple):
    """What the rules made of one resource, and what they saw elsewhere when they judged it
    (`looks` is empty for a resource whose rules read nothing but the resource)."""

    checked: list[Checked]
    findings: list[Finding]
    looks: tuple[Look, ...]
    seen: tuple[int, ...]  # the digest of each look's contents at the time


class WatchedContext(RuleContext):
    """A `RuleContext` that records each look at resources other than the one judged, and
    digests what each look sees so that a later check can tell whether it changed."""

    def __init__(self, resources: list[Resource], config: Config) -> None:
        super().__init__(resources, config)
        self.looks: list[Look] = []
        self.keys = [content_key(r) for r in resources]  # in the order of `resources`
        # By identity: copies of one address each keep their own (`resources` keeps them
        # alive while the context lives, so no id is reused).
        self._key_of = {id(r): key for r, key in zip(resources, self.keys, strict=True)}
        self._digests: dict[Look, int] = {}

    @property
    def resources(self) -> list[Resource]:
        self.looks.append(("all", ""))
        return self._resources

    @resources.setter
    def resources(self, value: list[Resource]) -> None:
        self._resources = value

    def find(self, address: str) -> Resource | None:
        found = super().find(address)
        self.looks.append(("address", address))  # once found: a name that can be a key
        return found

    def of_type(self, *types: str) -> list[Resource]:
        found = super().of_type(*types)
        self.looks.extend(("type", name) for name in types)
        return found

    def judged(self, checked: list[Checked], findings: list[Finding]) -> Judged:
        """What the rules just found on one resource, with the looks they took (then
        forgotten, ready for the next resource)."""
        if not self.looks:
            return Judged(checked, findings, (), ())
        unique = tuple(dict.fromkeys(self.looks))
        self.looks.clear()
        return Judged(checked, findings, unique, tuple(self._digest(look) for look in unique))

    def still_true(self, judged: Judged) -> bool:
        """Whether every look behind `judged` would see what it saw then."""
        return all(self._digest(look) == seen
                   for look, seen in zip(judged.looks, judged.seen, strict=True))

    def _digest(self, look: Look) -> int:
        """What one look sees now, as a number that changes when its contents do."""
        found = self._digests.get(look)
        if found is None:
            found = self._digests[look] = hash(tuple(self._key_of[id(r)] for r in self._sees(look)))
        return found

    def _sees(self, look: Look) -> list[Resource]:
        kind, name = look
        if kind == "address":
            found = self._by_address.get(name)
            return [found] if found is not None else []
        return self._resources if kind == "all" else self._by_type.get(name, [])


_lock = threading.Lock()
_memories: OrderedDict[Hashable, dict[ContentKey, Judged]] = OrderedDict()


def memory_for(config: Config, selected: Sequence[Rule]) -> dict[ContentKey, Judged]:
    """What `selected` made of each resource under `config` (empty for a new pair). The
    rules' `check` functions are part of the key: a rule replaced in process is a new
    memory, never a reuse of the old rule's findings."""
    name = (config.model_dump_json(), tuple((type(r), type(r).check) for r in selected))
    with _lock:
        memory = _memories.pop(name, None)
        if memory is None:
            memory = {}
        elif len(memory) > MAX_RESOURCES:
            for key in list(memory)[: len(memory) // 2]:
                del memory[key]
        _memories[name] = memory
        while len(_memories) > MAX_MEMORIES:
            _memories.popitem(last=False)
        return memory


def forget() -> None:
    """Forget every remembered finding (tests, and a process that wants its memory back)."""
    with _lock:
        _memories.clear()


def content_key(resource: Resource) -> ContentKey:
    """Everything of a resource a rule or a finding can see, as bytes: equal exactly when
    the contents are. marshal writes plain parsed data several times faster than `repr`;
    a value it cannot write (a `Ref` inside the attributes) falls back to `repr`, where a
    value printed differently is only a missed reuse, and a value neither can write (nested
    past their depth) gets a key of its own: judged afresh at every check."""
    source = resource.source
    content = (resource.address, resource.type, resource.provider, resource.name,
               resource.format, resource.kind, resource.region, source.file, source.line,
               source.end_line, resource.attrs, resource.tags, resource.annotations,
               resource.unknown, resource.depends_on)
    try:
        return marshal.dumps(content, _MARSHAL_VERSION)
    except ValueError:
        pass
    try:
        return repr(content)
    except RecursionError:
        return object()
