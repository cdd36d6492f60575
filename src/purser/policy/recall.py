"""Findings remembered between checks in one process, for resources that did not change.

The controller and the API re-check a repository after every push, and most resources are
as they were. A rule's findings on a resource are reused when neither the resource nor
anything else the rule read changed. `WatchedContext` records every look past the resource
(the resources of a type, one address, all of them), so a rule never has to declare what
it reads (and cannot forget to); the findings are reused only while each of those looks
would see the same contents. A rule that raised is always worked out again.

The key is the resource's full content (address, source span, attributes, tags, …) under
one configuration, so an edit anywhere in a resource, or in purser.yaml, is a new key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any, NamedTuple

from purser.checkreport import Checked
from purser.config import Config
from purser.model import Finding, Resource
from purser.policy.rule import RuleContext

#: Resources remembered per configuration; beyond it the oldest half is forgotten.
MAX_RESOURCES = 200_000
#: Configurations remembered (a server may check several repositories).
MAX_CONFIGS = 8

ContentKey = tuple[Any, ...]
Look = tuple[str, str]  # ("type", name) | ("address", address) | ("all", "")


class Recalled(NamedTuple):
    """A rule's findings on one resource, and what it saw elsewhere when it found them."""

    looks: tuple[Look, ...]
    seen: tuple[int, ...]  # the digest of each look's contents at the time
    findings: list[Finding]


Remembered = dict[str, Recalled]  # rule id → its findings on the resource


class ResourceMemory(NamedTuple):
    """Everything the rules made of one resource: per rule, and flattened for the common case
    where nothing it depends on changed (one `extend` instead of a loop over its rules)."""

    by_rule: Remembered
    checked: list[Checked]
    findings: list[Finding]
    looking: tuple[Recalled, ...]  # the entries that read other resources


class WatchedContext(RuleContext):
    """A `RuleContext` that records each look at resources other than the one checked, and
    digests what each look sees so that a later check can tell whether it changed."""

    def __init__(self, resources: list[Resource], config: Config) -> None:
        super().__init__(resources, config)
        self.looks: list[Look] = []
        self._keys = {r.address: content_key(r) for r in resources}
        self._digests: dict[Look, int] = {}

    @property
    def resources(self) -> list[Resource]:
        self.looks.append(("all", ""))
        return self._resources

    @resources.setter
    def resources(self, value: list[Resource]) -> None:
        self._resources = value

    def find(self, address: str) -> Resource | None:
        self.looks.append(("address", address))
        return super().find(address)

    def of_type(self, *types: str) -> list[Resource]:
        self.looks.extend(("type", name) for name in types)
        return super().of_type(*types)

    def key(self, resource: Resource) -> ContentKey:
        return self._keys.get(resource.address) or content_key(resource)

    def digest(self, look: Look) -> int:
        """What one look sees now, as a number that changes when its contents do."""
        found = self._digests.get(look)
        if found is None:
            kind, name = look
            if kind == "address":
                found = hash(self._keys.get(name))
            else:
                chosen = self._resources if kind == "all" else self._by_type.get(name, [])
                found = hash(tuple(self._keys[r.address] for r in chosen))
            self._digests[look] = found
        return found

    def recalled(self, findings: list[Finding]) -> Recalled:
        """What the rule just checked found, with the looks it took (then forgotten)."""
        if not self.looks:
            return Recalled((), (), findings)
        unique = tuple(dict.fromkeys(self.looks))
        self.looks.clear()
        return Recalled(unique, tuple(self.digest(look) for look in unique), findings)

    def still_true(self, recalled: Recalled) -> bool:
        return all(self.digest(look) == seen
                   for look, seen in zip(recalled.looks, recalled.seen, strict=True))

    def remember(self, by_rule: Remembered, checked: list[Checked]) -> ResourceMemory:
        return ResourceMemory(by_rule, checked,
                              [f for recalled in by_rule.values() for f in recalled.findings],
                              tuple(r for r in by_rule.values() if r.looks))


_lock = threading.Lock()
_by_config: OrderedDict[str, dict[ContentKey, ResourceMemory]] = OrderedDict()


def memory_for(config: Config) -> dict[ContentKey, ResourceMemory]:
    """The findings remembered under `config` (a new, empty memory for a new one)."""
    digest = config.model_dump_json()
    with _lock:
        memory = _by_config.pop(digest, None)
        if memory is None:
            memory = {}
        elif len(memory) > MAX_RESOURCES:
            for key in list(memory)[: len(memory) // 2]:
                del memory[key]
        _by_config[digest] = memory
        while len(_by_config) > MAX_CONFIGS:
            _by_config.popitem(last=False)
        return memory


def forget() -> None:
    """Forget every remembered finding (tests, and a process that reloads its rules)."""
    with _lock:
        _by_config.clear()


def content_key(resource: Resource) -> ContentKey:
    """Everything of a resource a rule or a finding can see. Reprs of plain parsed data are
    exact and cost microseconds; a value printed differently is only a missed reuse."""
    return (resource.address, resource.type, resource.provider, resource.name,
            resource.format, resource.region, resource.source.file, resource.source.line,
            resource.source.end_line, repr(resource.attrs), repr(resource.tags),
            repr(resource.annotations), tuple(resource.unknown), tuple(resource.depends_on))
