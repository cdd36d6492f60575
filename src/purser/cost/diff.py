"""What a change does to the monthly bill: the base estimate against the head estimate.

Resources are joined by address (dict lookups, so two 10,000-resource estimates diff in
milliseconds). A resource is *changed* when its monthly cost or any component's quantity,
unit price or cost differs; unchanged resources are only counted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from purser.estimates import (
    ComponentDelta,
    CostDiff,
    Estimate,
    ResourceCost,
    ResourceDelta,
    TotalDelta,
    Unpriced,
)
from purser.model import CostLine, SourceError

__all__ = ["ComponentDelta", "CostDiff", "ResourceDelta", "TotalDelta", "diff", "merge_errors"]

_TOLERANCE = 1e-9  # float noise below a billionth of a dollar is no change


def diff(base: Estimate, head: Estimate) -> CostDiff:
    """Compare two estimates resource by resource (`purser.gate.diff_trees` prices both
    sides of two trees and calls this)."""
    base_by_address = {cost.address: cost for cost in base.resources}
    head_by_address = {cost.address: cost for cost in head.resources}
    added, changed, unchanged = [], [], 0
    for address, head_cost in head_by_address.items():
        base_cost = base_by_address.get(address)
        if base_cost is None:
            added.append(_one_sided(head_cost, side="head"))
            continue
        delta = _compare(base_cost, head_cost)
        if delta is None:
            unchanged += 1
        else:
            changed.append(delta)
    removed = [_one_sided(cost, side="base") for address, cost in base_by_address.items()
               if address not in head_by_address]
    delta_total = head.total_monthly_cost - base.total_monthly_cost
    return CostDiff(
        currency=head.currency, base_total=base.total_monthly_cost,
        head_total=head.total_monthly_cost, delta=delta_total,
        delta_pct=(delta_total / base.total_monthly_cost * 100
                   if base.total_monthly_cost else None),
        added=_by_impact(added), removed=_by_impact(removed), changed=_by_impact(changed),
        unchanged=unchanged,
        newly_unpriced=_only_in(head.unpriced, base.unpriced),
        no_longer_unpriced=_only_in(base.unpriced, head.unpriced),
        totals=_group_totals(base, head))


def _compare(base: ResourceCost, head: ResourceCost) -> ResourceDelta | None:
    components = _component_deltas(base.components, head.components)
    if not components and _same(base.monthly_cost, head.monthly_cost):
        return None
    return ResourceDelta(
        address=head.address, type=head.type, base_monthly=base.monthly_cost,
        head_monthly=head.monthly_cost, delta=head.monthly_cost - base.monthly_cost,
        components=components, application=head.application, environment=head.environment,
        team=head.team, usage_unknown=base.usage_unknown or head.usage_unknown)


def _one_sided(cost: ResourceCost, *, side: str) -> ResourceDelta:
    is_head = side == "head"
    components = [_component_delta(None, line) if is_head else _component_delta(line, None)
                  for line in cost.components]
    return ResourceDelta(
        address=cost.address, type=cost.type,
        base_monthly=None if is_head else cost.monthly_cost,
        head_monthly=cost.monthly_cost if is_head else None,
        delta=cost.monthly_cost if is_head else -cost.monthly_cost,
        components=components, application=cost.application, environment=cost.environment,
        team=cost.team, usage_unknown=cost.usage_unknown)


def _component_deltas(base: list[CostLine], head: list[CostLine]) -> list[ComponentDelta]:
    """Components that differ. Joined by name first; a component whose name changed with
    its settings ("Duration (x86_64, 512 MB)" → "... 1024 MB") is then joined by its price
    (sku and unit), so it shows as one component that moved, not one removed and one added."""
    if len(base) == len(head) and all(a.component == b.component and _same_line(a, b)
                                      for a, b in zip(base, head, strict=True)):
        return []
    pairs = _pair(base, head, key=lambda line: line.component)
    unmatched_base = [line for line in base if id(line) not in pairs.matched_base]
    unmatched_head = [line for line in head if id(line) not in pairs.matched_head]
    by_price = _pair(unmatched_base, unmatched_head,
                     key=lambda line: f"{line.price.sku}\0{line.unit}")
    deltas = [_component_delta(b, h) for b, h in pairs.joined + by_price.joined
              if not _same_line(b, h)]
    deltas += [_component_delta(None, line) for line in unmatched_head
               if id(line) not in by_price.matched_head]
    deltas += [_component_delta(line, None) for line in unmatched_base
               if id(line) not in by_price.matched_base]
    return deltas


@dataclass
class _Pairs:
    joined: list[tuple[CostLine, CostLine]]
    matched_base: set[int]
    matched_head: set[int]


def _pair(base: list[CostLine], head: list[CostLine],
          key: Callable[[CostLine], str]) -> _Pairs:
    """Join lines with equal keys, the n-th base occurrence with the n-th head occurrence."""
    waiting: dict[str, list[CostLine]] = {}
    for line in base:
        waiting.setdefault(key(line), []).append(line)
    pairs = _Pairs([], set(), set())
    for line in head:
        candidates = waiting.get(key(line))
        if candidates:
            match = candidates.pop(0)
            pairs.joined.append((match, line))
            pairs.matched_base.add(id(match))
            pairs.matched_head.add(id(line))
    return pairs


def _component_delta(base: CostLine | None, head: CostLine | None) -> ComponentDelta:
    either = head or base
    if either is None:
        raise ValueError("a component exists on at least one side")
    return ComponentDelta(
        name=either.component, unit=either.unit,
        base_name=base.component if base and head and base.component != head.component
        else None,
        base_quantity=base.monthly_quantity if base else None,
        head_quantity=head.monthly_quantity if head else None,
        base_unit_price=base.unit_price if base else None,
        head_unit_price=head.unit_price if head else None,
        base_monthly=base.monthly_cost if base else None,
        head_monthly=head.monthly_cost if head else None,
        delta=((head.monthly_cost or 0.0) if head else 0.0)
        - ((base.monthly_cost or 0.0) if base else 0.0),
        usage_origin=either.usage_origin)


def _same_line(a: CostLine, b: CostLine) -> bool:
    return (a.unit == b.unit and _same(a.monthly_quantity, b.monthly_quantity)
            and _same(a.unit_price, b.unit_price) and _same(a.monthly_cost, b.monthly_cost))


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=_TOLERANCE)


def _by_impact(deltas: list[ResourceDelta]) -> list[ResourceDelta]:
    return sorted(deltas, key=lambda d: (-abs(d.delta), d.address))


def _only_in(these: list[Unpriced], others: list[Unpriced]) -> list[Unpriced]:
    known = {u.address for u in others}
    return [u for u in these if u.address not in known]


def _group_totals(base: Estimate, head: Estimate) -> dict[str, dict[str, TotalDelta]]:
    groups: dict[str, dict[str, TotalDelta]] = {}
    for group in sorted(set(base.totals) | set(head.totals)):
        before, after = base.totals.get(group, {}), head.totals.get(group, {})
        groups[group] = {
            name: TotalDelta(base=before.get(name, 0.0), head=after.get(name, 0.0),
                             delta=after.get(name, 0.0) - before.get(name, 0.0))
            for name in sorted(set(before) | set(after))}
    return groups


def merge_errors(base: list[SourceError], head: list[SourceError],
                 base_rev: str) -> list[SourceError]:
    """Head errors as they are; a base error the head does not share names its revision."""
    seen = {(e.file, e.line, e.message) for e in head}
    only_base = [SourceError(file=e.file, line=e.line, message=f"at {base_rev}: {e.message}")
                 for e in base if (e.file, e.line, e.message) not in seen]
    return sorted(head + only_base, key=lambda e: (e.file, e.line))
