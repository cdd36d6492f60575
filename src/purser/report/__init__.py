"""Renderers for a check: text (rich), JSON, SARIF 2.1.0, Markdown, JUnit XML."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from purser.model import Finding, Resource, Severity, SourceError


@dataclass
class CheckReport:
    """Everything one `purser check` found; every renderer reads only this."""

    root: str
    resources: list[Resource]
    findings: list[Finding]
    errors: list[SourceError]
    fail_on: Severity = Severity.high
    waived: list[Finding] = field(default_factory=list)
    cost: Any = None  # purser.cost Estimate of the head, when computed
    cost_diff: Any = None  # purser.cost CostDiff against the base, when asked
    checked: list[Any] = field(default_factory=list)  # purser.policy.engine.Checked pairs

    fail_on_input_error: bool = True  # policies.on_input_error: fail (default) or warn

    @property
    def failed(self) -> bool:
        return any(f.severity.at_least(self.fail_on) for f in self.findings)

    @property
    def incomplete(self) -> bool:
        """Something that should have been checked was not: an unreadable file, a rule or
        pricer that raised, or nothing at all to check. The gate fails closed on it."""
        return self.fail_on_input_error and (bool(self.errors) or not self.resources)

    @property
    def exit_code(self) -> int:
        """0 clean, 1 findings at or above the threshold, 2 an incomplete check."""
        return 2 if self.incomplete else 1 if self.failed else 0

    def summary(self) -> dict[str, Any]:
        by_severity = Counter(f.severity.value for f in self.findings)
        by_category = Counter(f.category.value for f in self.findings)
        return {
            "resources": len(self.resources),
            "findings": len(self.findings),
            "errors": len(self.errors),
            "waived": len(self.waived),
            "by_severity": {s.value: by_severity.get(s.value, 0) for s in reversed(Severity)},
            "by_category": dict(sorted(by_category.items())),
            "fail_on": self.fail_on.value,
            "failed": self.failed,
            "incomplete": self.incomplete,
        }
