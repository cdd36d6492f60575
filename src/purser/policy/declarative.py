"""Rules that test one attribute, written as data.

Most checks read one canonical attribute and compare it with what it should be:
`storage_encrypted` must be true, `image_tag_mutability` must be IMMUTABLE. Such a rule is
an `AttributeRule`: its metadata, the attribute `path`, the `expect`ed condition, the value
AWS uses when the attribute is left out (`default`), optional `when` conditions that say
which resources it applies to, and a message. Built-in packs declare them as a few lines
of class attributes; teams write the same fields in YAML (`policies/*.yaml`, see
`purser.policy.userrules`). Rules that reason across resources stay classes of their own.

A value that cannot be known before deployment (a variable without a default, a
CloudFormation parameter) is never judged as present or absent: a rule at high or above
reports it at info, with the attribute, so the gap is visible rather than passed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import re2

from purser.model import Resource, Severity, number
from purser.policy.rule import Rule, RuleContext, Violation

_UNSET: Any = object()
CONDITIONS = ("equals", "not_equals", "one_of", "not_one_of", "present", "absent", "matches",
              "at_least", "at_most", "contains")


@dataclass(frozen=True)
class Expect:
    """What a value must be. Exactly one condition is set; text compares without case
    ("true" is true: CloudFormation templates spell booleans as text)."""

    equals: Any = _UNSET
    not_equals: Any = _UNSET
    one_of: tuple[Any, ...] | None = None
    not_one_of: tuple[Any, ...] | None = None
    present: bool = False
    absent: bool = False
    matches: str | None = None
    at_least: float | None = None
    at_most: float | None = None
    contains: Any = None  # a list must hold this item (a lone value counts as a list of one)

    def __post_init__(self) -> None:
        chosen = [name for name in CONDITIONS if self._chosen(name)]
        if len(chosen) != 1:
            raise ValueError(f"an expectation takes exactly one of {', '.join(CONDITIONS)}; "
                             f"got {', '.join(chosen) or 'none'}")
        if self.matches is not None:
            _pattern(self.matches)  # a bad pattern fails when the rule is declared

    def _chosen(self, name: str) -> bool:
        value = getattr(self, name)
        if name in ("present", "absent"):
            return value is True
        if name in ("equals", "not_equals"):  # False and None are values to compare with
            return value is not _UNSET
        return value is not None

    def holds(self, value: Any) -> bool:
        value = normal(value)
        empty = value in (None, "", [], {})
        if self.present:
            return not empty
        if self.absent:
            return empty
        if self.equals is not _UNSET:
            return value == normal(self.equals)
        if self.not_equals is not _UNSET:
            return value != normal(self.not_equals)
        if self.one_of is not None:
            return value in [normal(v) for v in self.one_of]
        if self.not_one_of is not None:
            return value not in [normal(v) for v in self.not_one_of]
        if self.matches is not None:
            return isinstance(value, str) and _pattern(self.matches).search(value) is not None
        if self.contains is not None:
            items = value if isinstance(value, list) else [value]
            return normal(self.contains) in [normal(item) for item in items]
        amount = number(value)
        if amount is None:
            return False
        return amount >= self.at_least if self.at_least is not None \
            else amount <= (self.at_most if self.at_most is not None else amount)

    def describe(self) -> str:
        for name in CONDITIONS:
            if self._chosen(name):
                value = getattr(self, name)
                return name.replace("_", " ") if value is True else \
                    f"{name.replace('_', ' ')} {_shown(value)}"
        return ""


_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.case_sensitive = False
_RE2_OPTIONS.log_errors = False


@lru_cache(maxsize=1024)
def _pattern(text: str) -> Any:
    """A case-blind RE2 pattern: linear time whoever wrote it (teams' rules are data)."""
    try:
        return re2.compile(text, _RE2_OPTIONS)
    except re2.error as error:
        raise ValueError(f"invalid pattern {text!r}: {error}") from None


def normal(value: Any) -> Any:
    """Booleans written as text become booleans, other text compares in lower case."""
    if isinstance(value, str):
        lowered = value.strip().lower()
        return {"true": True, "false": False}.get(lowered, lowered)
    return value


def _shown(value: Any) -> str:
    if isinstance(value, tuple | list):
        return ", ".join(_shown(v) for v in value)
    return str(value).lower() if isinstance(value, bool) else str(value)


class AttributeRule(Rule):
    """A rule on one attribute. `message` may use `{value}` (what the resource has, the
    AWS default when it is left out) and `{path}`."""

    path: ClassVar[str]
    expect: ClassVar[Expect]
    default: ClassVar[Any] = None  # what AWS does when the attribute is left out
    when: ClassVar[Mapping[str, Expect]] = {}  # the rule applies only where these hold
    message: ClassVar[str] = "{path} is {value}"
    # The severity when the attribute is left out, where AWS's own default has since made
    # the risk smaller than an explicit bad value (None: the rule's severity either way).
    absent_severity: ClassVar[Severity | None] = None
    absent_message: ClassVar[str | None] = None  # what the default means, when left out

    def check(self, resource: Resource, context: RuleContext) -> Iterator[Violation]:
        for path, condition in self.when.items():
            if resource.is_unknown(path) or not condition.holds(self._value(resource, path)):
                return
        if resource.is_unknown(self.path):
            if self.severity.at_least(Severity.high):
                yield Violation(f"{self.path} is not known before deployment, so this could "
                                f"not be checked (it must {self.expect.describe()})",
                                severity=Severity.info, evidence={"attribute": self.path})
            return
        value = self._value(resource, self.path)
        if not self.expect.holds(value):
            shown, severity, message = _shown(value), None, self.message
            if resource.missing(self.path):  # say which default applies
                shown = "not set" if value is None \
                    else f"not set, so the AWS default {shown} applies"
                severity = self.absent_severity
                message = self.absent_message or message
            # Substituted, not str.format: a team's message is data, not a format program.
            text = message.replace("{value}", shown).replace("{path}", self.path)
            yield Violation(text, severity=severity,
                            evidence={"attribute": self.path, "value": value,
                                      "expected": self.expect.describe()})

    def _value(self, resource: Resource, path: str) -> Any:
        value = resource.get(path)
        if value in (None, "", [], {}) and path == self.path:
            return self.default
        return value
