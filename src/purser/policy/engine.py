"""Run the gate: built-in rule packs, user Rego, the optional Checkov adapter, then waivers."""

from __future__ import annotations

import importlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from purser.config import Config
from purser.model import Category, Finding, Resource, SourceError, SourceRef
from purser.policy.rule import Rule, RuleContext, Violation, rules

PACKS = ("security", "finops", "compliance", "responsible-ai")


@dataclass
class PolicyResult:
    findings: list[Finding] = field(default_factory=list)
    waived: list[Finding] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)


class Checked(NamedTuple):
    """One built-in rule evaluated on one resource (a passing test case when it found nothing)."""

    rule_id: str
    category: Category
    resource: str
    source: SourceRef


def load_packs() -> None:
    """Import the built-in packs; importing a pack registers its rules."""
    for pack in PACKS:
        importlib.import_module(f"purser.policy.packs.{pack.replace('-', '_')}")


def selected_rules(config: Config) -> list[Rule]:
    load_packs()
    wanted = set(config.policies.packs)
    disabled = set(config.policies.disabled)
    return [cls() for rule_id, cls in rules.items()
            if (cls.pack in wanted or cls.pack not in PACKS) and rule_id not in disabled]


def run_rules(resources: list[Resource], config: Config,
              checked: list[Checked] | None = None) -> list[Finding]:
    """Every built-in rule on every resource of its types; `checked` collects the pairs."""
    context = RuleContext(resources, config)
    by_type: dict[str, list[Rule]] = defaultdict(list)
    for active in selected_rules(config):
        for resource_type in active.resource_types:
            by_type[resource_type].append(active)
    every_type = by_type.pop("*", [])
    applicable = {t: found + every_type for t, found in by_type.items()}
    findings: list[Finding] = []
    for resource in resources:
        for active in applicable.get(resource.type, every_type):
            if checked is not None:
                checked.append(Checked(active.id, active.category, resource.address,
                                       resource.source))
            for outcome in active.check(resource, context):
                findings.append(to_finding(active, resource, outcome))
    return findings


def to_finding(active: Rule, resource: Resource, outcome: Violation | str) -> Finding:
    violation = outcome if isinstance(outcome, Violation) else Violation(outcome)
    return Finding(
        rule_id=active.id, title=active.title,
        severity=violation.severity or active.severity, category=active.category,
        resource=resource.address, message=violation.message,
        remediation=active.remediation, source=resource.source,
        evidence=violation.evidence, frameworks=list(active.frameworks))


def evaluate(root: Path, resources: list[Resource], config: Config) -> PolicyResult:
    """All findings for `resources`, with waived ones set aside."""
    from purser.policy import checkov, rego, waivers

    result = PolicyResult()
    result.findings = run_rules(resources, config, result.checked)
    if config.policies.rego:
        rego_findings, rego_errors = rego.evaluate(root / config.policies.rego, root, resources)
        result.findings += rego_findings
        result.errors += rego_errors
    if config.policies.checkov and checkov.available():
        checkov_findings, checkov_errors = checkov.run(root, result.findings)
        result.findings += checkov_findings
        result.errors += checkov_errors
    result.findings, result.waived = waivers.apply(result.findings, resources, config, root)
    result.findings.sort(key=lambda f: (-f.severity.rank, f.source.file, f.source.line,
                                        f.rule_id, f.resource))
    return result
