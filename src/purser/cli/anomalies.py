"""`purser anomalies`: daily cost anomalies from the warehouse, each with its root causes
(down to the resource declared in git), whether usage moved with the cost, and the commits
that changed those resources just before. Every verdict is recorded in the ledger.

    purser anomalies [PATH] [--since DATE] [--engine duckdb|spark] [--warehouse DIR]
                     [--db URL] [--format table|json]

Exit 0, or 2 on a usage error (an unusable warehouse folder or state database, a bad
purser.yaml).
"""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from purser.cli.ingest import EngineOption, WarehouseOption, engine_for, open_warehouse
from purser.cli.options import fail, read_config, resolve_repo

if TYPE_CHECKING:
    from purser.insight.anomaly import Anomaly


class Format(StrEnum):
    table = "table"
    json = "json"


def anomalies(
    path: Annotated[Path | None, typer.Argument(
        help="Repository (default: the current directory).", show_default=False)] = None,
    since: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="Report anomalies from this day on (default: all the "
                                   "warehouse holds).", show_default=False)] = None,
    warehouse: WarehouseOption = None,
    engine: EngineOption = None,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL", show_default=False,
        help="State database for the ledger (default: .purser/state.db).")] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Find daily cost anomalies, explain them and name the commits behind them."""
    from purser.insight.anomaly import AnomalySettings, detect, record
    from purser.store import StoreError, database_url, open_database
    from purser.warehouse import WarehouseError
    from purser.warehouse.engines import open_engine

    root, _ = resolve_repo(path, None)
    config = read_config(root)
    store = open_warehouse(root, warehouse, create=False)
    settings = AnomalySettings(min_impact_usd=config.insight.anomaly_min_impact_usd)
    try:
        with open_engine(store, engine_for(root, engine)) as runner:
            found = detect(runner, since=since.date() if since else None, settings=settings,
                           root=root, config=config)
    except WarehouseError as exc:
        fail(str(exc))
    try:
        with open_database(database_url(root, db)) as database:
            record(database, found)
    except StoreError as exc:
        fail(str(exc))
    if output_format is Format.json:
        typer.echo(json.dumps([a.report() for a in found], indent=2))
    else:
        _print(found)


def _print(found: list[Anomaly]) -> None:
    if not found:
        typer.echo("No cost anomalies.")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Cost anomalies (USD per day)")
    numbers = ("impact", "episode", "days", "score")
    for name in ("date", "series", *numbers, "cause", "commits"):
        table.add_column(name, justify="right" if name in numbers else "left")
    for anomaly in found:
        table.add_row(str(anomaly.date), anomaly.series, f"{anomaly.impact_usd:+,.2f}",
                      f"{anomaly.total_impact_usd:+,.2f}", str(anomaly.days),
                      f"{anomaly.score:.2f}", anomaly.cause or "—",
                      " ".join(c.sha[:7] for c in anomaly.commits) or "—")
    Console(width=160).print(table)
    for anomaly in found:
        typer.echo(anomaly.explanation)
