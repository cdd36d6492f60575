"""`purser ingest`: bring billing and metrics into the warehouse.

    purser ingest focus FILE... [--warehouse DIR] [--repo PATH] [--format text|json]
    purser ingest metrics FILE... [--warehouse DIR] [--repo PATH] [--format text|json]
    purser ingest metrics --prometheus URL --query PROMQL --metric NAME [--label LABEL]
                          --from WHEN [--to WHEN] [--step 1h]
    purser ingest metrics --cloudwatch --namespace NS --metric NAME [--dimension K=V...]
                          [--region R] --from WHEN [--to WHEN] [--step 1h]

Each file (or live fetch) is checked and stored on its own; the same content seen before is
skipped.
Exit 0 when every file was stored whole (or was already there), 1 when some rows were
refused (each named with file, line and column; the good rows are stored), 2 when a file
was refused as a whole (unreadable, a required column missing), a live source failed (nothing
is stored) or on a usage error.
DuckDB and pandas are imported inside the commands, so that the rest of the CLI starts
without them.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from purser.cli.options import RepoOption, fail, read_config, repository_root

if TYPE_CHECKING:
    from purser.config import IngestLimits
    from purser.warehouse import IngestReport, Warehouse

app = typer.Typer(help="Bring FOCUS billing and per-resource metrics into the warehouse.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)

EXIT_ROWS_REFUSED = 1
EXIT_FILE_REFUSED = 2


class Format(StrEnum):
    text = "text"
    json = "json"


FilesArgument = Annotated[list[Path], typer.Argument(help="Files to ingest (CSV, .csv.gz, "
                                                          "Parquet).", show_default=False)]
WarehouseOption = Annotated[Path | None, typer.Option(
    "--warehouse", metavar="DIR", show_default=False,
    help="Warehouse folder (default: .purser/warehouse/ of the repository).")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]


class Engine(StrEnum):  # purser.warehouse.engines.EngineName, without importing it at start
    duckdb = "duckdb"
    spark = "spark"


EngineOption = Annotated[Engine | None, typer.Option(
    "--engine", show_default=False,
    help="Query engine: duckdb, or spark for estates with billions of billing rows "
         "(default: warehouse.engine in purser.yaml, else duckdb).")]


@app.command("focus")
def focus(files: FilesArgument, warehouse: WarehouseOption = None, repo: RepoOption = None,
          output_format: FormatOption = Format.text) -> None:
    """Ingest FOCUS 1.0–1.3 billing files, partitioned by billing month."""
    from purser.warehouse import ingest_focus

    store = open_warehouse(repo, warehouse)
    _finish(ingest_focus(store, files, _limits(repo)), output_format)


OptionalFiles = Annotated[list[Path] | None, typer.Argument(
    help="Files to ingest (CSV, .csv.gz, Parquet); or fetch live with --prometheus or "
         "--cloudwatch.", show_default=False)]
LIVE = "Live sources"


def _option(*names: str, text: str, metavar: str | None = None) -> Any:
    return typer.Option(*names, help=text, metavar=metavar, show_default=False,
                        rich_help_panel=LIVE)


@app.command("metrics")
def metrics(
    files: OptionalFiles = None,
    prometheus: Annotated[str | None, _option(
        "--prometheus", metavar="URL", text="Fetch from this Prometheus (query_range API).")] =
        None,
    query: Annotated[str | None, _option("--query", metavar="PROMQL",
                                         text="PromQL range query (with --prometheus).")] = None,
    label: Annotated[str, _option("--label", text="Prometheus label naming the resource.")] =
        "resource_id",
    cloudwatch: Annotated[bool, _option("--cloudwatch", text="Fetch from CloudWatch "
                                        "(GetMetricData; honours AWS_ENDPOINT_URL).")] = False,
    namespace: Annotated[str | None, _option("--namespace", text="CloudWatch namespace, "
                                             "e.g. AWS/Lambda.")] = None,
    dimensions: Annotated[list[str] | None, _option(
        "--dimension", metavar="NAME=VALUE", text="CloudWatch dimension filter (repeatable).")] =
        None,
    resource_dimension: Annotated[str | None, _option(
        "--resource-dimension", metavar="NAME", text="CloudWatch dimension naming the resource "
        "(default: the namespace's, e.g. FunctionName).")] = None,
    region: Annotated[str | None, _option("--region", text="AWS region (CloudWatch).")] = None,
    metric: Annotated[str | None, _option(
        "--metric", metavar="NAME", text="purser metric to store (Prometheus), or CloudWatch "
        "metric name, e.g. Invocations.")] = None,
    since: Annotated[str | None, _option("--from", metavar="WHEN", text="Start, ISO date or "
                                         "date-time (UTC unless it has an offset).")] = None,
    until: Annotated[str | None, _option("--to", metavar="WHEN", text="End (default: now).")] =
        None,
    step: Annotated[str, _option("--step", metavar="DURATION", text="Resolution: 30s, 5m, 1h, "
                                 "1d.")] = "1h",
    warehouse: WarehouseOption = None, repo: RepoOption = None,
    output_format: FormatOption = Format.text,
) -> None:
    """Ingest metric files of timestamp, resource_id, metric, value[, unit] rows, or fetch
    them live from Prometheus or CloudWatch."""
    from purser.warehouse import ingest_metrics

    if bool(files) + bool(prometheus) + cloudwatch != 1:
        fail("give metric FILEs, or --prometheus URL, or --cloudwatch (one of them)")
    if files:
        store = open_warehouse(repo, warehouse)
        _finish(ingest_metrics(store, files, _limits(repo)), output_format)
        return
    window = _moment(since, "--from", required=True), _moment(until, "--to")
    if prometheus:
        report = _prometheus(prometheus, query, metric, label, window, _seconds(step))
    else:
        report = _cloudwatch(namespace, metric, dimensions or [], resource_dimension, region,
                             window, _seconds(step))
    _finish(report(open_warehouse(repo, warehouse)), output_format)


Window = tuple[datetime.datetime, datetime.datetime]


def _prometheus(url: str, query: str | None, metric: str | None, label: str, window: Window,
                step: int) -> Callable[[Warehouse], IngestReport]:
    from purser.warehouse import WarehouseError
    from purser.warehouse.sources import ingest_rows
    from purser.warehouse.sources.prometheus import fetch

    if not query or not metric:
        fail("--prometheus needs --query PROMQL and --metric NAME")
    try:
        rows = fetch(url, query, metric=metric, label=label, start=window[0], end=window[1],
                     step=step)
    except WarehouseError as exc:
        fail(str(exc))
    return lambda store: ingest_rows(store, rows, f"prometheus {url} {query}")


def _cloudwatch(namespace: str | None, metric: str | None, dimensions: list[str],
                resource_dimension: str | None, region: str | None, window: Window,
                step: int) -> Callable[[Warehouse], IngestReport]:
    from purser.warehouse import WarehouseError
    from purser.warehouse.sources import ingest_rows
    from purser.warehouse.sources.cloudwatch import Query, fetch

    if not namespace or not metric:
        fail("--cloudwatch needs --namespace NS and --metric NAME")
    pairs = [item.partition("=") for item in dimensions]
    if any(not name or not sep for name, sep, _ in pairs):
        fail("--dimension expects NAME=VALUE")
    request = Query(namespace, metric, {name: value for name, _, value in pairs}, period=step,
                    resource_dimension=resource_dimension)
    try:
        rows = fetch(request, start=window[0], end=window[1], region=region)
    except WarehouseError as exc:
        fail(str(exc))
    return lambda store: ingest_rows(store, rows, f"cloudwatch {namespace} {metric}")


def _moment(text: str | None, option: str, *, required: bool = False) -> datetime.datetime:
    """An ISO date or date-time, UTC unless it carries an offset; absent: now."""
    if text is None:
        if required:
            fail(f"a live fetch needs {option}")
        return datetime.datetime.now(datetime.UTC)
    try:
        moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        fail(f"{option} {text!r}: expected an ISO date or date-time")
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _seconds(step: str) -> int:
    match = re.fullmatch(r"(\d+)([smhd])", step)
    if not match or int(match[1]) == 0:
        fail(f"--step {step!r}: expected a duration such as 30s, 5m, 1h or 1d")
    return int(match[1]) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match[2]]


def open_warehouse(repo: Path | None, option: Path | None, *, create: bool = True) -> Warehouse:
    from purser.warehouse import Warehouse, WarehouseError

    root = repo.resolve() if repo is not None else repository_root(Path.cwd())
    try:
        return Warehouse.of_repository(root, option, create=create)
    except WarehouseError as exc:
        fail(str(exc))


def _limits(repo: Path | None) -> IngestLimits:
    """purser.yaml's `warehouse.ingest` bounds on one input file."""
    root = repo.resolve() if repo is not None else repository_root(Path.cwd())
    return read_config(root).warehouse.ingest


def engine_for(root: Path, option: Engine | None) -> str:
    """--engine, else purser.yaml's `warehouse.engine`."""
    return option.value if option is not None else read_config(root).warehouse.engine


def _finish(report: IngestReport, output_format: Format) -> None:
    if output_format is Format.json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        _print(report)
    if report.refused:
        raise typer.Exit(EXIT_FILE_REFUSED)
    if report.rejected_rows:
        raise typer.Exit(EXIT_ROWS_REFUSED)


def _print(report: IngestReport) -> None:
    from purser.warehouse import Outcome

    for result in report.files:
        if result.outcome is Outcome.refused:
            for error in result.errors:
                typer.echo(f"error: {error}", err=True)
            continue
        months = ", ".join(result.months) or "no month"
        verb = "already ingested" if result.outcome is Outcome.unchanged else "ingested"
        typer.echo(f"{result.file}: {verb}, {result.rows} rows into {result.dataset} "
                   f"({months}), {result.rejected} refused")
        for error in result.errors:
            typer.echo(f"  {error}", err=True)
        if result.rejected > len(result.errors):
            typer.echo(f"  … and {result.rejected - len(result.errors)} more refused rows",
                       err=True)
