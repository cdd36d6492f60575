"""`purser forecast`: daily spend forecast per series from the warehouse, each with its chosen
model, fit window and backtest MASE against seasonal naive, and the month-end projection
with budget burn for series that have a monthly budget in purser.yaml. Each budget verdict
(within, will exceed, exceeded) is written to the ledger with the model behind it.

    purser forecast [PATH] [--by total|service|team|app] [--horizon DAYS]
                    [--engine duckdb|spark] [--warehouse DIR] [--db URL]
                    [--format table|json]

Exit 0, or 2 on a usage error (an unusable warehouse folder, a bad purser.yaml).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from purser.cli.ingest import EngineOption, WarehouseOption, engine_for, open_warehouse
from purser.cli.options import fail, read_config, resolve_repo

if TYPE_CHECKING:
    from purser.insight.burn import MonthProjection
    from purser.insight.forecast import SeriesForecast


class By(StrEnum):
    total = "total"
    service = "service"
    team = "team"
    app = "app"


class Format(StrEnum):
    table = "table"
    json = "json"


def forecast(
    path: Annotated[Path | None, typer.Argument(
        help="Repository (default: the current directory).", show_default=False)] = None,
    by: Annotated[By, typer.Option("--by", help="One series per total, service, team or "
                                               "application.")] = By.total,
    horizon: Annotated[int, typer.Option("--horizon", min=1, max=366,
                                         help="Days to forecast.")] = 14,
    warehouse: WarehouseOption = None,
    engine: EngineOption = None,
    db: Annotated[str | None, typer.Option(
        "--db", metavar="URL", show_default=False,
        help="State database for the ledger (default: .purser/state.db).")] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
) -> None:
    """Forecast daily spend per series and project the month against its budget."""
    # Imported here: statsforecast takes seconds to import and other commands need none.
    from purser.insight.burn import budgets_for, project
    from purser.insight.forecast import ForecastSettings
    from purser.insight.forecast import forecast as run
    from purser.warehouse import WarehouseError
    from purser.warehouse.engines import open_engine
    from purser.warehouse.queries import daily_spend

    root, _ = resolve_repo(path, None)
    config = read_config(root)
    budgets = budgets_for(config, by.value)
    store = open_warehouse(root, warehouse, create=False)
    try:
        with open_engine(store, engine_for(root, engine)) as runner:
            frame = daily_spend(runner, by.value)
    except WarehouseError as exc:
        fail(str(exc))
    results = run(frame, ForecastSettings(horizon=horizon,
                                          full_search=config.insight.forecast_full_search))
    months = [project(r, frame[frame["unique_id"] == r.series], budgets.get(r.series))
              for r in results]
    if budgets:
        _record(root, db, results, months)
    if output_format is Format.json:
        typer.echo(json.dumps([_json(r, m, horizon) for r, m in zip(results, months,
                                                                     strict=True)], indent=2))
        return
    if not results:
        typer.echo("No spend in the warehouse: ingest billing first (purser ingest focus).")
        return
    _print(results, months, horizon)


def _record(root: Path, db: str | None, results: list[SeriesForecast],
            months: list[MonthProjection]) -> None:
    """Budget verdicts go to the ledger like every other decision purser makes."""
    from purser.insight.burn import record
    from purser.store import StoreError, database_url, open_database

    try:
        with open_database(database_url(root, db)) as database:
            record(database, results, months)
    except StoreError as exc:
        fail(str(exc))


def _json(result: SeriesForecast, month: MonthProjection, horizon: int) -> dict[str, object]:
    payload = result.model_dump(mode="json")
    payload["points"] = payload["points"][:horizon]
    payload["relative_mase"] = result.relative_mase
    payload["month"] = month.model_dump(mode="json", exclude={"series"})
    payload["summary"] = month.sentence()
    return payload


def _print(results: list[SeriesForecast], months: list[MonthProjection], horizon: int) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Daily spend forecast, next {horizon} days (USD)")
    for name in ("series", "model", "fit window", "MASE", "vs seasonal naive",
                 f"next {horizon} days (80%)", "month projected"):
        table.add_column(name, justify="left" if name in ("series", "model") else "right")
    for result, month in zip(results, months, strict=True):
        points = result.points[:horizon]
        mean = sum(p.mean for p in points)
        lo = sum(p.interval(80).lo for p in points)
        hi = sum(p.interval(80).hi for p in points)
        window = result.window
        table.add_row(result.series, result.model,
                      f"{window.first} … {window.last} ({window.days} d)",
                      _number(result.mase), _number(result.relative_mase),
                      f"{mean:,.2f} ({lo:,.2f}–{hi:,.2f})", f"{month.projected_usd:,.2f}")
    console = Console(width=160)
    console.print(table)
    for result, month in zip(results, months, strict=True):
        typer.echo(f"{result.series}: {result.reason}")
        if month.budget is not None:
            typer.echo(f"  {month.sentence()}")


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"
