"""Budgets from purser.yaml, judged against the estimate and the base/head diff.

A budget belongs to a scope: an application (`applications[].budget`) or a tag value
(`budgets: [{tag: team, value: payments, ...}]`). PUR-BUD-001 fires when the scope's
estimate exceeds `monthly_usd`; PUR-BUD-002 when the change raises the scope's cost by
more than `max_increase_usd` or `max_increase_pct`. Each finding names the numbers and
the resources that account for most of them, so the reader knows where to look.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from purser.config import Budget, Config
from purser.cost.diff import CostDiff, ResourceDelta
from purser.cost.estimate import Estimate, ResourceCost
from purser.model import Category, Finding, SourceRef

OVER_BUDGET = "PUR-BUD-001"
INCREASE_ABOVE_MAX = "PUR-BUD-002"
CONTRIBUTORS = 3
CONFIG_SOURCE = SourceRef(file="purser.yaml", line=0)

# Tag keys that the estimate already allocates by, and the totals grouping that holds them.
_GROUPING_OF_TAG = {"application": "application", "env": "environment",
                    "environment": "environment", "team": "team"}

Priced = ResourceCost | ResourceDelta


@dataclass(frozen=True)
class _Scope:
    resource: str  # "application:<name>" or "tag:<key>=<value>"
    label: str  # how a message names it
    budget: Budget
    grouping: str | None  # the totals grouping that holds this scope exactly, if any
    key: str
    member: Callable[[Priced], bool]


def check_budgets(estimate: Estimate, config: Config,
                  diff: CostDiff | None = None) -> list[Finding]:
    """Findings for every budget the estimate exceeds and every increase above its maximum."""
    findings: list[Finding] = []
    for scope in _scopes(config):
        members = [cost for cost in estimate.resources if scope.member(cost)]
        over = _over_budget(scope, members)
        if over is not None:
            findings.append(over)
        if diff is not None:
            increase = _increase_above_max(scope, estimate, members, diff)
            if increase is not None:
                findings.append(increase)
    return findings


def _scopes(config: Config) -> list[_Scope]:
    scopes = []
    for application in config.applications:
        if application.budget is not None:
            name = application.name
            scopes.append(_Scope(
                resource=f"application:{name}", label=f"application {name}",
                budget=application.budget, grouping="application", key=name,
                member=_application_member(name)))
    for budget in config.budgets:
        scopes.append(_Scope(
            resource=f"tag:{budget.tag}={budget.value}", label=f"tag {budget.tag}={budget.value}",
            budget=budget, grouping=_GROUPING_OF_TAG.get(budget.tag), key=budget.value,
            member=_tag_member(budget.tag, budget.value)))
    return scopes


def _application_member(name: str) -> Callable[[Priced], bool]:
    return lambda cost: cost.application == name


def _tag_member(tag: str, value: str) -> Callable[[Priced], bool]:
    grouping = _GROUPING_OF_TAG.get(tag)
    if grouping is not None:
        return lambda cost: getattr(cost, grouping) == value
    # Other tags are read from the resource's tags when the estimate carries them.
    return lambda cost: (getattr(cost, "tags", None) or {}).get(tag) == value


def _over_budget(scope: _Scope, members: list[ResourceCost]) -> Finding | None:
    limit = scope.budget.monthly_usd
    total = sum(cost.monthly_cost for cost in members)
    if limit is None or total <= limit:
        return None
    top = sorted(members, key=lambda c: (-c.monthly_cost, c.address))[:CONTRIBUTORS]
    named = ", ".join(f"{c.address} ({_usd(c.monthly_cost)})" for c in top)
    waiting = sum(1 for c in members if c.usage_unknown)
    message = (f"{scope.label} is estimated at {_usd(total)}/month, over its monthly budget "
               f"of {_usd(limit)} by {_usd(total - limit)}. Biggest contributors: {named}."
               + _unknown_usage_note(waiting))
    return _finding(scope, OVER_BUDGET, "Monthly budget exceeded", message,
                    "Reduce the biggest contributors, or raise the budget in purser.yaml "
                    "if the spend is intended.",
                    {"budget_usd": limit, "estimate_usd": _round(total),
                     "over_by_usd": _round(total - limit),
                     "resources_with_unknown_usage": waiting,
                     "contributors": [{"address": c.address,
                                       "monthly_cost": _round(c.monthly_cost)} for c in top]})


def _increase_above_max(scope: _Scope, estimate: Estimate, members: list[ResourceCost],
                        diff: CostDiff) -> Finding | None:
    budget = scope.budget
    if budget.max_increase_usd is None and budget.max_increase_pct is None:
        return None
    base, head = _scope_totals(scope, estimate, members, diff)
    delta = head - base
    pct = delta / base * 100 if base else None
    breaches = _breaches(budget, delta, pct)
    if not breaches:
        return None
    deltas: Iterable[ResourceDelta] = (*diff.added, *diff.changed, *diff.removed)
    rising = sorted((d for d in deltas if d.delta > 0 and scope.member(d)),
                    key=lambda d: (-d.delta, d.address))[:CONTRIBUTORS]
    named = ", ".join(f"{d.address} (+{_usd(d.delta)})" for d in rising) or "none listed"
    change = f"+{_usd(delta)}" + (f", +{pct:.1f}%" if pct is not None else "")
    message = (f"{scope.label}'s monthly cost rises from {_usd(base)} to {_usd(head)} "
               f"({change}), above the allowed increase of {' and '.join(breaches)}. "
               f"Biggest increases: {named}.")
    return _finding(scope, INCREASE_ABOVE_MAX, "Cost increase above the allowed maximum",
                    message, "Review the biggest increases before merging, or raise the "
                    "budget's max_increase in purser.yaml if the growth is intended.",
                    {"base_usd": _round(base), "head_usd": _round(head),
                     "delta_usd": _round(delta),
                     "delta_pct": round(pct, 2) if pct is not None else None,
                     "max_increase_usd": budget.max_increase_usd,
                     "max_increase_pct": budget.max_increase_pct,
                     "increases": [{"address": d.address, "delta": _round(d.delta)}
                                   for d in rising]})


def _scope_totals(scope: _Scope, estimate: Estimate, members: list[ResourceCost],
                  diff: CostDiff) -> tuple[float, float]:
    """Base and head totals of a scope: exact from the diff's grouped totals when the scope
    is a grouping the estimate allocates by, else the head less the listed deltas."""
    if scope.grouping is not None and scope.grouping in diff.totals:
        found = diff.totals[scope.grouping].get(scope.key)
        return (found.base, found.head) if found else (0.0, 0.0)
    head = sum(cost.monthly_cost for cost in members)
    delta = sum(d.delta for d in (*diff.added, *diff.changed, *diff.removed)
                if scope.member(d))
    return head - delta, head


def _breaches(budget: Budget, delta: float, pct: float | None) -> list[str]:
    """Which maxima the increase exceeds; a percentage needs a base that costs something."""
    found = []
    if budget.max_increase_usd is not None and delta > budget.max_increase_usd:
        found.append(f"{_usd(budget.max_increase_usd)} (max_increase_usd)")
    if budget.max_increase_pct is not None and pct is not None and pct > budget.max_increase_pct:
        found.append(f"{budget.max_increase_pct:g}% (max_increase_pct)")
    return found


def _finding(scope: _Scope, rule_id: str, title: str, message: str, remediation: str,
             evidence: dict[str, Any]) -> Finding:
    return Finding(rule_id=rule_id, title=title, severity=scope.budget.severity,
                   category=Category.finops, resource=scope.resource, message=message,
                   remediation=remediation, source=CONFIG_SOURCE,
                   evidence={"scope": scope.resource, **evidence})


def _unknown_usage_note(waiting: int) -> str:
    if not waiting:
        return ""
    return (f" {waiting} resource(s) have usage-based components without usage, not counted: "
            "the real cost is higher.")


def _usd(amount: float) -> str:
    return f"${amount:,.2f}"


def _round(amount: float) -> float:
    return round(amount, 4)
