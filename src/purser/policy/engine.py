"""Run the gate: built-in rule packs, user Rego, the optional Checkov adapter, then waivers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from purser import safefile
from purser.checkreport import Checked
from purser.config import CONFIG_FILE, DEFAULT_PACKS, Config
from purser.model import Finding, Resource, SourceError
from purser.policy import recall
from purser.policy.rule import Rule, Violation, rules
from purser.tree import Tree

# The packs selected unless purser.yaml says otherwise; a rule of any other pack (a pack module
# dropped into purser.policy.packs, or an installed package) is on unless disabled.
PACKS = DEFAULT_PACKS
MAX_ERROR_CHARS = 300


@dataclass
class PolicyResult:
    findings: list[Finding] = field(default_factory=list)
    waived: list[Finding] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)


def load_packs() -> None:
    """Import every pack module of `purser.policy.packs` and every installed rule package;
    importing a pack registers its rules."""
    rules.discover()


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
    rule and the resource; every other pair is still checked. What the rules made of a
    resource is remembered by its content and what else they read (`recall`): in a process
    that checks again, an unchanged resource is not judged again."""
    selected = selected_rules(config)
    applicable, every_type = _rules_by_type(selected)
    memory = recall.memory_for(config, selected)
    context = recall.WatchedContext(resources, config)
    result = PolicyResult()
    for resource, key in zip(resources, context.keys, strict=True):
        judged = memory.get(key)
        if judged is None or (judged.looks and not context.still_true(judged)):
            judged = _judge(resource, applicable.get(resource.type, every_type), context,
                            result)
            if judged is None:
                continue
            memory[key] = judged
        result.checked += judged.checked
        result.findings += judged.findings
    return result


def _judge(resource: Resource, selected: list[Rule], context: recall.WatchedContext,
           result: PolicyResult) -> recall.Judged | None:
    """The rules on one resource. None when a rule raised: then each rule is run again on
    its own to name the one that raised, everything is in `result` and nothing is
    remembered."""
    checked = [Checked(active.id, active.category, resource.address, resource.source)
               for active in selected]
    found: list[Finding] = []
    try:  # one guard per resource: the common case pays nothing per rule
        for active in selected:
            for outcome in active.check(resource, context):
                found.append(to_finding(active, resource, outcome))
    except Exception:
        context.looks.clear()
        result.checked += checked
        for active in selected:
            result.findings += _each_alone(active, resource, context, result)
        return None
    return context.judged(checked, found)


def _each_alone(active: Rule, resource: Resource, context: recall.WatchedContext,
                result: PolicyResult) -> list[Finding]:
    """One rule's findings on one resource, its error in `result` when it raises."""
    found: list[Finding] = []
    try:
        for outcome in active.check(resource, context):
            found.append(to_finding(active, resource, outcome))
    except Exception as exc:  # isolate the rule, report it, go on
        result.errors.append(rule_error(active, resource, exc))
    context.looks.clear()
    return found


def _rules_by_type(selected: list[Rule]) -> tuple[dict[str, list[Rule]], list[Rule]]:
    """The rules for each resource type, and those for every type."""
    by_type: dict[str, list[Rule]] = defaultdict(list)
    for active in selected:
        for resource_type in active.resource_types:
            by_type[resource_type].append(active)
    every_type = by_type.pop("*", [])
    return {t: found + every_type for t, found in by_type.items()}, every_type


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


def evaluate(tree: Tree | Path, resources: list[Resource], config: Config) -> PolicyResult:
    """All findings for `resources`, with waived ones set aside; Rego policies, waivers and
    inline ignores are read from `tree` (a `Path`: its work tree), the state of the
    repository the resources came from."""
    from purser.policy import checkov, waivers
    from purser.sources.worktree import WorkTree

    tree = WorkTree(tree) if isinstance(tree, Path) else tree
    result = run_rules(resources, config)
    if config.policies.rego:
        _add_rego(result, tree, config.policies.rego, resources)
        _add_declared(result, tree, config.policies.rego, resources, config)
    if config.policies.checkov and checkov.available():
        with tree.on_disk(".") as folder:
            checkov_findings, checkov_errors = checkov.run(folder, result.findings)
        result.findings += checkov_findings
        result.errors += checkov_errors
    result.findings, result.waived = waivers.apply(result.findings, resources, config, tree)
    result.findings.sort(key=lambda f: (-f.severity.rank, f.source.file, f.source.line,
                                        f.rule_id, f.resource))
    return result


def _add_rego(result: PolicyResult, tree: Tree, folder: str,
              resources: list[Resource]) -> None:
    """The user's Rego policies in `folder`, as the tree holds them."""
    from purser.policy import rego

    try:
        if tree.revision is None:
            safefile.inside(tree.root, folder)  # refused before anything runs
        with tree.on_disk(folder) as root:
            rego_findings, rego_errors = rego.evaluate(root / folder, root, resources)
    except safefile.Refused as refused:
        result.errors.append(SourceError(file=CONFIG_FILE, message=(
            f"policies.rego: {refused.reason}")))
        return
    result.findings += rego_findings
    result.errors += rego_errors


def _add_declared(result: PolicyResult, tree: Tree, folder: str, resources: list[Resource],
                  config: Config) -> None:
    """The team's one-attribute YAML rules in `folder` (`purser.policy.userrules`)."""
    from purser.policy import userrules

    try:
        if tree.revision is None:
            safefile.inside(tree.root, folder)
        with tree.on_disk(folder) as root:
            found, errors = userrules.evaluate(root / folder, root, resources, config)
    except safefile.Refused:
        return  # the Rego reading reports the refused folder once
    result.findings += found
    result.errors += errors
