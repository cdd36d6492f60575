"""`purser spend`: spend allocated by service, team, environment, application, tag or
resource, from the warehouse, untagged and unallocated spend as rows of their own.

    purser spend [--by service|team|env|app|tag:KEY|resource] [--from DATE] [--to DATE]
                 [--cost EffectiveCost|BilledCost|ListCost|ContractedCost]
                 [--engine duckdb|spark] [--warehouse DIR] [--repo PATH]
                 [--format table|json]
    purser spend --estimate-vs-actual [--db URL] [--cost ...] [--warehouse DIR]

Every amount says its currency and the FOCUS cost column it sums. Exit 0, or 2 on a usage
error (an unknown grouping, a bad date, an unusable warehouse folder).
"""

from __future__ import annotations

import datetime
import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from purser.cli.ingest import Engine, EngineOption, WarehouseOption, engine_for, open_warehouse
from purser.cli.options import RepoOption, fail, read_config, repository_root

if TYPE_CHECKING:
    from purser.warehouse import Warehouse
    from purser.warehouse.queries import CostColumn


class Format(StrEnum):
    table = "table"
    json = "json"


class Cost(StrEnum):
    EffectiveCost = "EffectiveCost"
    BilledCost = "BilledCost"
    ListCost = "ListCost"
    ContractedCost = "ContractedCost"




def spend(
    by: Annotated[str, typer.Option("--by", help="service, team, env, app, tag:KEY or "
                                                 "resource.")] = "service",
    since: Annotated[str | None, typer.Option("--from", metavar="YYYY-MM-DD",
                                              show_default=False,
                                              help="First day (charge period start).")] = None,
    until: Annotated[str | None, typer.Option("--to", metavar="YYYY-MM-DD", show_default=False,
                                              help="Last day, included.")] = None,
    cost: Annotated[Cost, typer.Option("--cost", help="FOCUS cost column to sum.")] =
        Cost.EffectiveCost,
    warehouse: WarehouseOption = None,
    engine: EngineOption = None,
    repo: RepoOption = None,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    estimate_vs_actual: Annotated[bool, typer.Option(
        "--estimate-vs-actual", help="Per application: the estimate of its synced revision "
        "against this month's bill, flagged past insight.estimate_ratio.")] = False,
    db: Annotated[str | None, typer.Option("--db", metavar="URL", show_default=False,
                                           help="State database URL.")] = None,
) -> None:
    """Print spend per group from the ingested FOCUS billing."""
    from purser.warehouse import WarehouseError
    from purser.warehouse.engines import open_engine
    from purser.warehouse.queries import CostColumn, allocation

    start, end = _date(since, "--from"), _date(until, "--to")
    root = repo.resolve() if repo is not None else repository_root(Path.cwd())
    store = open_warehouse(root, warehouse, create=False)
    if estimate_vs_actual:
        _estimate_vs_actual(root, store, engine, db, CostColumn(cost.value), output_format)
        return
    try:
        with open_engine(store, engine_for(root, engine)) as runner:
            result = allocation(runner, "app" if by == "application" else by, start, end,
                                CostColumn(cost.value))
    except WarehouseError as exc:
        fail(str(exc))
    if output_format is Format.json:
        payload = result.model_dump(mode="json")
        payload["totals"] = result.totals()
        typer.echo(json.dumps(payload, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    period = f"{start or 'first charge'} to {end or 'last charge'}"
    typer.echo(f"Spend by {by}: sum of {result.cost_column.value}, {period}")
    table = Table()
    for name, justify in (("group", "left"), ("cost", "right"), ("rows", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in result.rows:
        table.add_row(row.group, f"{row.cost:,.2f} {row.currency}", str(row.rows))
    for currency, total in sorted(result.totals().items()):
        table.add_row("total", f"{total:,.2f} {currency}", "", style="bold")
    Console(width=120).print(table)


def _estimate_vs_actual(root: Path, store: Warehouse, engine: Engine | None, db: str | None,
                        cost: CostColumn, output_format: Format) -> None:
    from purser.git import GitError
    from purser.insight.accuracy import compare, synced_revisions
    from purser.warehouse import WarehouseError
    from purser.warehouse.engines import open_engine

    config = read_config(root)
    try:
        with open_engine(store, engine_for(root, engine)) as runner:
            result = compare(root, config, runner, synced_revisions(root, db), cost=cost)
    except (WarehouseError, GitError) as exc:
        fail(str(exc))
    if result is None:
        fail("no billing in the warehouse: ingest a FOCUS file first (purser ingest focus)")
    if output_format is Format.json:
        typer.echo(result.model_dump_json(indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    typer.echo(f"Estimate vs actual: {result.cost_column.value} of {result.month:%Y-%m} through "
               f"{result.through}, × {result.scale:.3g} to the whole month; flagged past "
               f"{result.threshold:g}× either way (insight.estimate_ratio)")
    table = Table()
    for name in ("application", "estimate", "estimate of", "billed to date", "month (scaled)",
                 "actual / estimate", ""):
        table.add_column(name, justify="left" if name in ("application", "estimate of")
                         else "right")
    for row in result.rows:
        table.add_row(row.application, f"${row.estimate:,.2f}", row.estimated_at,
                      _money(row.billed_to_date), _money(row.actual),
                      "-" if row.ratio is None else f"{row.ratio:.2f}×",
                      "FLAGGED" if row.flagged else "", style="bold" if row.flagged else None)
    Console(width=140).print(table)


def _money(amount: float | None) -> str:
    return "not on the bill" if amount is None else f"${amount:,.2f}"


def _date(text: str | None, option: str) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        fail(f"{option} {text!r}: expected a date YYYY-MM-DD")
