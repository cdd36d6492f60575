"""What a rule is: its metadata beside the few lines that decide it.

A rule is a small class registered by id. The engine never imports a concrete rule; it
looks rules up in `rules`, which imports every module of `purser.policy.packs` (a new pack
is one file there). A team's private rules ship as a package registering under the
`purser.rules` entry-point group.

A rule declares its own settings (`policies.thresholds` in purser.yaml, validated against
what the rules declare) and the checks of other tools that check the same thing
(`equivalents`, used to drop a Checkov finding that repeats a built-in one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, TypeVar, cast

from purser import kinds
from purser.config import Config
from purser.model import Category, Resource, Severity
from purser.registry import Registry

T = TypeVar("T")

SettingValue = int | float | str | bool


@dataclass(frozen=True)
class Setting:
    """A value a team may tune in purser.yaml `policies.thresholds`; its type is its default's."""

    default: SettingValue
    description: str = ""

    @property
    def type(self) -> type:
        return type(self.default)


@dataclass
class Violation:
    """What a rule reports; the engine turns it into a `Finding` with the rule's metadata."""

    message: str
    evidence: dict[str, Any] = field(default_factory=dict)
    severity: Severity | None = None  # overrides the rule's default when set


class RuleContext:
    """Everything a rule may read besides the resource: settings and the other resources."""

    def __init__(self, resources: list[Resource], config: Config) -> None:
        self.config = config
        self.resources = resources
        self._by_address = {r.address: r for r in resources}
        self._memo: dict[str, Any] = {}
        self._by_type: dict[str, list[Resource]] = defaultdict(list)
        for resource in resources:
            self._by_type[resource.type].append(resource)

    def find(self, address: str) -> Resource | None:
        return self._by_address.get(address)

    def memo(self, name: str, build: Callable[[RuleContext], T]) -> T:
        """A table a rule builds once per check from the whole context (not per resource)."""
        if name not in self._memo:
            self._memo[name] = build(self)
        return cast(T, self._memo[name])

    def of_type(self, *types: str) -> list[Resource]:
        return [r for t in types for r in self._by_type.get(t, ())]

    def of_kind(self, *names: str) -> list[Resource]:
        """Resources of the named kinds (purser.kinds), whatever their format."""
        return self.of_type(*kinds.types(*names))

    def referencing(self, resource: Resource, *types: str) -> Iterator[Resource]:
        """Resources of `types` that depend on `resource` (reference its address)."""
        for other in self.of_type(*types):
            if resource.address in other.depends_on:
                yield other


class Rule:
    id: ClassVar[str]
    title: ClassVar[str]
    severity: ClassVar[Severity]
    category: ClassVar[Category]
    pack: ClassVar[str]
    resource_types: ClassVar[tuple[str, ...]]
    frameworks: ClassVar[tuple[str, ...]] = ()
    remediation: ClassVar[str] = ""
    settings: ClassVar[Mapping[str, Setting]] = {}
    # Checks of other tools that check the same thing: {"checkov": ("CKV_AWS_45",)}.
    equivalents: ClassVar[Mapping[str, tuple[str, ...]]] = {}
    source: ClassVar[str] = "built-in"  # or the team's YAML file:line that declares it

    def setting(self, name: str, context: RuleContext) -> Any:
        """The value of one of this rule's settings: purser.yaml's, else its default."""
        return context.config.policies.thresholds.get(name, self.settings[name].default)

    def check(self, resource: Resource, context: RuleContext) -> Iterable[Violation | str]:
        """Yield a message (or a `Violation`) for each way `resource` breaks the rule."""
        raise NotImplementedError


rules: Registry[type[Rule]] = Registry("rule", "purser.rules", package="purser.policy.packs")


def rule(cls: type[Rule]) -> type[Rule]:
    """Class decorator: register a rule under its own id."""
    return rules.register(cls.id)(cls)


def declared_settings() -> dict[str, Setting]:
    """Every setting the registered rules declare, by name (rules may share one)."""
    return {name: setting for _, cls in rules.items() for name, setting in cls.settings.items()}
