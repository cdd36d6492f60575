"""`purser spend`: spend allocated by service, team, environment, application, tag or
resource, from the warehouse, untagged and unallocated spend as rows of their own.

    purser spend [--by service|team|env|app|tag:KEY|resource] [--from DATE] [--to DATE]
                 [--cost EffectiveCost|BilledCost|ListCost|ContractedCost]
                 [--engine duckdb|spark] [--warehouse DIR] [--repo PATH]
                 [--format table|json]

Every amount says its currency and the FOCUS cost column it sums. Exit 0, or 2 on a usage
error (an unknown grouping, a bad date, an unusable warehouse folder).
"""

from __future__ import annotations

import datetime
import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from purser.cli.ingest import EngineOption, WarehouseOption, engine_for, open_warehouse
from purser.cli.options import RepoOption, fail, repository_root


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
) -> None:
    """Print spend per group from the ingested FOCUS billing."""
    from purser.warehouse import WarehouseError
    from purser.warehouse.engines import open_engine
    from purser.warehouse.queries import CostColumn, allocation

    start, end = _date(since, "--from"), _date(until, "--to")
    root = repo.resolve() if repo is not None else repository_root(Path.cwd())
    store = open_warehouse(root, warehouse, create=False)
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


def _date(text: str | None, option: str) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        fail(f"{option} {text!r}: expected a date YYYY-MM-DD")
