"""Run the gate: built-in rule packs, user Rego, the optional Checkov adapter, then waivers."""

from __future__ import annotations

import importlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from purser import safefile
from purser.config import CONFIG_FILE, DEFAULT_PACKS, Config
from purser.model import Category, Finding, Resource, SourceError, SourceRef
from purser.policy.rule import Rule, RuleContext, Violation, rules

PACKS = DEFAULT_PACKS  # the built-in packs, all selected unless purser.yaml says otherwise
MAX_ERROR_CHARS = 300


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


def pack_names() -> set[str]:
    """Built-in packs and those of installed rule packages."""
    return set(PACKS) | {cls.pack for _, cls in rules.items()}


def rule_ids() -> set[str]:
    """Ids of every built-in and installed rule."""
    load_packs()
    return set(rules)


def selected_rules(config: Config) -> list[Rule]:
    load_packs()
    wanted = set(config.policies.packs)
    disabled = set(config.policies.disabled)
    return [cls() for rule_id, cls in rules.items()
            if (cls.pack in wanted or cls.pack not in PACKS) and rule_id not in disabled]


def run_rules(resources: list[Resource], config: Config) -> PolicyResult:
    """Every built-in rule on every resource of its types, each pair recorded as checked.

    A rule that raises on a resource (a shape it did not expect) becomes an error naming the
    rule and the resource; every other pair is still checked."""
    context = RuleContext(resources, config)
    by_type: dict[str, list[Rule]] = defaultdict(list)
    for active in selected_rules(config):
        for resource_type in active.resource_types:
            by_type[resource_type].append(active)
    every_type = by_type.pop("*", [])
    applicable = {t: found + every_type for t, found in by_type.items()}
    result = PolicyResult()
    findings, checked = result.findings, result.checked
    for resource in resources:
        for active in applicable.get(resource.type, every_type):
            checked.append(Checked(active.id, active.category, resource.address,
                                   resource.source))
            try:  # one guard per pair: nothing is paid per attribute or per finding
                for outcome in active.check(resource, context):
                    findings.append(to_finding(active, resource, outcome))
            except Exception as exc:  # isolate the rule, report it, go on
                result.errors.append(rule_error(active, resource, exc))
    return result


def rule_error(active: Rule, resource: Resource, exc: Exception) -> SourceError:
    return SourceError(file=resource.source.file, line=resource.source.line,
                       message=f"rule {active.id} raised on {resource.address}: "
                               f"{describe(exc)}")


def describe(exc: BaseException) -> str:
    """`ExcType: message`, cut to a readable length (a message may quote a huge value)."""
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= MAX_ERROR_CHARS else text[:MAX_ERROR_CHARS] + " …"


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

    result = run_rules(resources, config)
    if config.policies.rego:
        try:
            folder = safefile.inside(root, config.policies.rego)
        except safefile.Refused as refused:
            result.errors.append(SourceError(file=CONFIG_FILE, message=(
                f"policies.rego: {refused.reason}")))
        else:
            rego_findings, rego_errors = rego.evaluate(folder, root, resources)
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
