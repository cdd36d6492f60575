"""Cost renderers: rich tables, JSON and Markdown for an estimate and a base/head diff.

Every figure says where it came from: each component shows its unit price with the
price source and date and the origin of its quantity. A quantity that waits for usage is
printed as "usage unknown", never as a zero.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

from purser.cost.diff import ComponentDelta, CostDiff, ResourceDelta
from purser.cost.estimate import Estimate, ResourceCost
from purser.model import CostLine
from purser.report import CheckReport

USAGE_UNKNOWN = "usage unknown"
MARKDOWN_ROWS = 50  # a PR comment has a size limit; the rest is counted, not listed

# --------------------------------------------------------------------------- numbers


def money(amount: float | None) -> str:
    return USAGE_UNKNOWN if amount is None else f"${amount:,.2f}"


def signed_money(amount: float) -> str:
    sign = "+" if amount > 0 else "-" if amount < 0 else "±"
    return f"{sign}${abs(amount):,.2f}"


def unit_price(price: float) -> str:
    """Every digit the catalog gives ($0.0000166667, $0.04048), at least cents ($0.20)."""
    whole, _, fraction = f"{price:,.10f}".partition(".")
    return f"${whole}.{fraction.rstrip('0').ljust(2, '0')}"


def quantity(value: float | None, unit: str) -> str:
    if value is None:
        return USAGE_UNKNOWN
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4f}".rstrip("0")
    return f"{number} {unit}"


def price_source(line: CostLine) -> str:
    source, date = line.price.source, line.price.date
    return source if not date or date in source else f"{source} ({date})"


def _percent(pct: float | None) -> str:
    return "" if pct is None else f", {pct:+.1f}%"


def headline(diff: CostDiff) -> str:
    return (f"{money(diff.base_total)} → {money(diff.head_total)} "
            f"({signed_money(diff.delta)}{_percent(diff.delta_pct)})")


# --------------------------------------------------------------------------- rich


def cost_table(estimate: Estimate, console: Console, *, top: int | None = None,
               components: bool = True) -> None:
    """The estimate, one line per resource (most expensive first), each component on a
    line of its own under it with its quantity, unit price and usage origin, and the price
    sources as numbered notes at the end: it fits an 80-column CI log. With `top`, only the
    most expensive resources are itemised (the totals stay whole); without `components`,
    only the resource lines."""
    console.print(Text.assemble("Monthly cost estimate: ",
                                (money(estimate.total_monthly_cost), "bold"),
                                f" {estimate.currency}"))
    ranked = sorted(estimate.resources, key=lambda c: (-c.monthly_cost, c.address))
    shown, rest = (ranked[:top], ranked[top:]) if top is not None else (ranked, [])
    sources: dict[str, int] = {}
    for cost in shown:
        console.print(Text.assemble("  ", (f"{money(cost.monthly_cost):>12}", "bold"), "  ",
                                    (cost.address, "bold"), _resource_caveats(cost)))
        for line in cost.components if components else ():
            note = sources.setdefault(price_source(line), len(sources) + 1)
            console.print(Text.assemble(f"{'':6}└ {line.component}: ",
                                        _component_cost(line), f"  ({line.usage_origin}) ",
                                        (f"[{note}]", "dim")))
    if rest:
        console.print(f"… and {len(rest)} more priced resource(s) costing "
                      f"{money(sum(c.monthly_cost for c in rest))} (`purser cost` lists all).",
                      markup=False)
    _print_totals(estimate, console)
    _print_unpriced(estimate, console)
    _print_sources(sources, console)


def _resource_caveats(cost: ResourceCost) -> Text:
    """What the resource's figure leaves out (usage unknown) or spans (a range)."""
    text = Text()
    if cost.usage_unknown:
        text.append(f" + {USAGE_UNKNOWN}", style="yellow")
    if cost.monthly_cost_min is not None and cost.monthly_cost_max is not None:
        text.append(f" ({cost.range_label or 'range'} {money(cost.monthly_cost_min)}–"
                    f"{money(cost.monthly_cost_max)})", style="dim")
    if cost.usage_note:
        text.append(f", {cost.usage_note}", style="dim")
    return text


def _component_cost(line: CostLine) -> Text:
    """`quantity × unit price = monthly`, the monthly part yellow while usage is unknown."""
    return Text.assemble(f"{quantity(line.monthly_quantity, line.unit)} × "
                         f"{unit_price(line.unit_price)} = ",
                         (money(line.monthly_cost),
                          "yellow" if line.monthly_cost is None else ""))


def _print_totals(estimate: Estimate, console: Console) -> None:
    for group, values in estimate.totals.items():
        if values:
            ranked = sorted(values.items(), key=lambda item: -item[1])
            console.print(f"By {group}: " + " · ".join(f"{name} {money(amount)}"
                                                       for name, amount in ranked),
                          markup=False, highlight=False)


def _print_unpriced(estimate: Estimate, console: Console) -> None:
    if estimate.unpriced:
        console.print(f"[bold]Not priced[/bold] ({len(estimate.unpriced)}):")
        for item in estimate.unpriced:
            console.print(f"  {item.address}: {item.reason}", markup=False)
    if estimate.free:
        console.print(f"{len(estimate.free)} resource(s) cost nothing by themselves.")
    for note in estimate.notes:
        console.print(f"[dim]note:[/dim] {note}", highlight=False)


def _print_sources(sources: dict[str, int], console: Console) -> None:
    if sources:
        console.print("Price sources:")
        for source, number in sources.items():
            console.print(f"  [{number}] {source}", markup=False, highlight=False)


def diff_table(diff: CostDiff, console: Console) -> None:
    """The cost change: the headline, then added, removed and changed resources, one line
    each with their components under them."""
    style = "red" if diff.delta > 0 else "green" if diff.delta < 0 else ""
    console.print(Text.assemble("Monthly cost: ", (headline(diff), f"bold {style}")))
    for mark, deltas in (("+", diff.added), ("-", diff.removed), ("~", diff.changed)):
        for delta in deltas:
            _print_delta(mark, delta, console)
    console.print(f"{len(diff.added)} added, {len(diff.removed)} removed, "
                  f"{len(diff.changed)} changed, {diff.unchanged} unchanged.")
    for item in diff.newly_unpriced:
        console.print(f"[yellow]newly unpriced:[/yellow] {item.address}: {item.reason}",
                      highlight=False)
    if any(d.usage_unknown for d in (*diff.added, *diff.removed, *diff.changed)):
        console.print(f"[dim]note:[/dim] components marked '{USAGE_UNKNOWN}' are not counted "
                      "in the delta; add usage for them to see their cost.")


def _print_delta(mark: str, delta: ResourceDelta, console: Console) -> None:
    style = "red" if delta.delta > 0 else "green" if delta.delta < 0 else ""
    console.print(Text.assemble(f"  {mark} ", (delta.address, "bold"),
                                f"  {_side(delta.base_monthly)} → {_side(delta.head_monthly)}  ",
                                (f"({signed_money(delta.delta)})", style)))
    for component in delta.components:
        console.print(f"      └ {component.name}: {_component_side(component, 'base')} → "
                      f"{_component_side(component, 'head')}  "
                      f"({signed_money(component.delta)})", markup=False, highlight=False)


def _side(amount: float | None) -> str:
    return "—" if amount is None else money(amount)


def _component_side(component: ComponentDelta, side: str) -> str:
    exists = (component.base_unit_price if side == "base" else component.head_unit_price)
    if exists is None:
        return "—"
    amount = component.base_monthly if side == "base" else component.head_monthly
    count = component.base_quantity if side == "base" else component.head_quantity
    return f"{quantity(count, component.unit)}: {money(amount)}" if count is not None else (
        USAGE_UNKNOWN)


# --------------------------------------------------------------------------- JSON


def estimate_json(estimate: Estimate) -> dict[str, Any]:
    return {
        "currency": estimate.currency,
        "total_monthly_cost": estimate.total_monthly_cost,
        "resources": [_resource_json(cost) for cost in estimate.resources],
        "unpriced": [item.model_dump() for item in estimate.unpriced],
        "free": list(estimate.free),
        "totals": estimate.totals,
        "notes": list(estimate.notes),
        "catalog_versions": dict(estimate.catalog_versions),
    }


def _resource_json(cost: ResourceCost) -> dict[str, Any]:
    return {
        "address": cost.address, "type": cost.type, "monthly_cost": cost.monthly_cost,
        "usage_unknown": cost.usage_unknown, "application": cost.application,
        "environment": cost.environment, "team": cost.team,
        "monthly_cost_min": cost.monthly_cost_min, "monthly_cost_max": cost.monthly_cost_max,
        "range_label": cost.range_label, "usage_note": cost.usage_note,
        "components": [_component_json(line) for line in cost.components],
    }


def _component_json(line: CostLine) -> dict[str, Any]:
    return {
        "name": line.component, "unit": line.unit, "monthly_quantity": line.monthly_quantity,
        "unit_price": line.unit_price, "monthly_cost": line.monthly_cost,
        "price_source": line.price.source, "price_date": line.price.date,
        "sku": line.price.sku, "region": line.price.region, "usage_origin": line.usage_origin,
    }


def diff_json(diff: CostDiff) -> dict[str, Any]:
    return diff.model_dump(mode="json")


def cost_json(report: CheckReport) -> dict[str, Any]:
    """The cost keys of a check's JSON report: "cost" and, with a base, "cost_diff"."""
    found: dict[str, Any] = {}
    if isinstance(report.cost, Estimate):
        found["cost"] = estimate_json(report.cost)
    if isinstance(report.cost_diff, CostDiff):
        found["cost_diff"] = diff_json(report.cost_diff)
    return found


# --------------------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def _code(text: str) -> str:
    """Inline code inside a table cell: a pipe still ends the cell unless escaped."""
    return f"`{_md(text.replace('`', ''))}`"


def estimate_markdown(estimate: Estimate) -> str:
    lines = [f"### Monthly cost estimate: {money(estimate.total_monthly_cost)} "
             f"{estimate.currency}", ""]
    lines += ["| Resource | Type | Monthly |", "| --- | --- | ---: |"]
    ordered = sorted(estimate.resources, key=lambda c: (-c.monthly_cost, c.address))
    for cost in ordered[:MARKDOWN_ROWS]:
        monthly = money(cost.monthly_cost) + (f" + {USAGE_UNKNOWN}" if cost.usage_unknown else "")
        lines.append(f"| {_code(cost.address)} | {_md(cost.type)} | {monthly} |")
    if len(ordered) > MARKDOWN_ROWS:
        lines.append(f"| … and {len(ordered) - MARKDOWN_ROWS} more | | |")
    for group, values in estimate.totals.items():
        if values:
            summary = ", ".join(f"{_md(name)} {money(amount)}" for name, amount in
                                sorted(values.items(), key=lambda item: -item[1]))
            lines += ["", f"**By {group}:** {summary}"]
    lines += _details("Components, prices and usage", _components_markdown(ordered))
    if estimate.unpriced:
        lines += _details(f"Not priced ({len(estimate.unpriced)})", [
            f"- {_code(item.address)}: {_md(item.reason)}" for item in estimate.unpriced])
    lines += [""] + [f"> {note}" for note in estimate.notes]
    return "\n".join(lines).rstrip() + "\n"


def _components_markdown(costs: list[ResourceCost]) -> list[str]:
    rows = ["| Resource | Component | Quantity | Unit price | Monthly | Price source | Usage |",
            "| --- | --- | ---: | ---: | ---: | --- | --- |"]
    for cost in costs[:MARKDOWN_ROWS]:
        for line in cost.components:
            rows.append(f"| {_code(cost.address)} | {_md(line.component)} | "
                        f"{quantity(line.monthly_quantity, line.unit)} | "
                        f"{unit_price(line.unit_price)} | {money(line.monthly_cost)} | "
                        f"{_md(price_source(line))} | {line.usage_origin} |")
    return rows


def diff_markdown(diff: CostDiff) -> str:
    """The PR-comment section: headline, the resources that moved, details folded away."""
    lines = ["### Cost impact", "",
             f"Monthly cost: **{money(diff.base_total)} → {money(diff.head_total)}** "
             f"({signed_money(diff.delta)}{_percent(diff.delta_pct)}) {diff.currency}", ""]
    moved = [("added", d) for d in diff.added] + [("removed", d) for d in diff.removed] + [
        ("changed", d) for d in diff.changed]
    moved.sort(key=lambda item: (-abs(item[1].delta), item[1].address))
    if moved:
        lines += ["| | Resource | Before | After | Delta |", "| --- | --- | ---: | ---: | ---: |"]
        for kind, delta in moved[:MARKDOWN_ROWS]:
            unknown = f" ({USAGE_UNKNOWN})" if delta.usage_unknown else ""
            lines.append(f"| {kind} | {_code(delta.address)}{unknown} | "
                         f"{_side(delta.base_monthly)} | {_side(delta.head_monthly)} | "
                         f"{signed_money(delta.delta)} |")
        if len(moved) > MARKDOWN_ROWS:
            lines.append(f"| | … and {len(moved) - MARKDOWN_ROWS} more | | | |")
        lines.append("")
    lines.append(f"{len(diff.added)} added, {len(diff.removed)} removed, "
                 f"{len(diff.changed)} changed, {diff.unchanged} unchanged.")
    if moved:
        lines += _details("Component changes", _component_changes_markdown(
            [delta for _, delta in moved[:MARKDOWN_ROWS]]))
    if diff.newly_unpriced:
        lines += _details(f"Newly unpriced ({len(diff.newly_unpriced)})", [
            f"- {_code(item.address)}: {_md(item.reason)}" for item in diff.newly_unpriced])
    if any(d.usage_unknown for _, d in moved):
        lines += ["", f"> Components with {USAGE_UNKNOWN} are not counted in the delta."]
    return "\n".join(lines).rstrip() + "\n"


def _component_changes_markdown(deltas: list[ResourceDelta]) -> list[str]:
    rows = ["| Resource | Component | Before | After | Delta |",
            "| --- | --- | ---: | ---: | ---: |"]
    for delta in deltas:
        for component in delta.components:
            rows.append(f"| {_code(delta.address)} | {_md(component.name)} | "
                        f"{_component_side(component, 'base')} | "
                        f"{_component_side(component, 'head')} | "
                        f"{signed_money(component.delta)} |")
    return rows


def _details(summary: str, body: list[str]) -> list[str]:
    return ["", "<details>", f"<summary>{summary}</summary>", "", *body, "", "</details>"]


def cost_markdown(report: CheckReport) -> str:
    """The cost section of a check's Markdown report: the diff when there is a base, and
    the head's estimate (folded away when the diff leads)."""
    parts = []
    if isinstance(report.cost_diff, CostDiff):
        parts.append(diff_markdown(report.cost_diff))
    if isinstance(report.cost, Estimate):
        estimate = estimate_markdown(report.cost)
        parts.append("\n".join(_details("Full estimate", [estimate])) + "\n"
                     if parts else estimate)
    return "\n".join(parts)
