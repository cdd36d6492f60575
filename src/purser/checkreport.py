"""What one gate found, as data: every renderer, the API and the reconciler read this.

`CheckReport` is typed all the way down (resources, findings, the cost estimate and cost
diff, the checked rule/resource pairs), so its JSON form (`report_json`) is a contract.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

from pydantic import BaseModel, Field

from purser.estimates import CostDiff, Estimate
from purser.model import Category, Finding, Resource, Severity, SourceError, SourceRef


class Checked(NamedTuple):
    """One built-in rule evaluated on one resource (a passing test case when it found
    nothing). A tuple, not a model: a large check records a hundred thousand of them."""

    rule_id: str
    category: Category
    resource: str
    source: SourceRef


class CheckReport(BaseModel):
    """Everything one check found.

    The gate assembles it with `CheckReport.build`, which trusts its already typed parts
    (validating 100,000 checked pairs again would cost a fifth of a second)."""

    root: str
    revision: str | None = None  # the commit checked; None for the work tree
    path: str | None = None  # the repository-relative folder reported on; None: all
    resources: list[Resource]
    findings: list[Finding]
    errors: list[SourceError]
    fail_on: Severity = Severity.high
    waived: list[Finding] = Field(default_factory=list)
    cost: Estimate | None = None  # of the head, when computed
    cost_diff: CostDiff | None = None  # against the base, when asked
    checked: list[Checked] = Field(default_factory=list)
    fail_on_input_error: bool = True  # policies.on_input_error: fail (default) or warn
    notices: list[str] = Field(default_factory=list)  # said once: e.g. defaults in use
    skipped: list[str] = Field(default_factory=list)  # files recognised as not infrastructure

    @classmethod
    def build(cls, **fields: Any) -> CheckReport:
        """A report from typed parts, without validating them again."""
        defaults = {name: field.get_default(call_default_factory=True)
                    for name, field in cls.model_fields.items() if name not in fields}
        return cls.model_construct(**defaults, **fields)

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
            "skipped": len(self.skipped),
            "notices": list(self.notices),
        }
