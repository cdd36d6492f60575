"""`purser ingest`: bring billing and metrics into the warehouse.

    purser ingest focus FILE... [--warehouse DIR] [--repo PATH] [--format text|json]
    purser ingest metrics FILE... [--warehouse DIR] [--repo PATH] [--format text|json]

Each file is checked and stored on its own; a file seen before (same bytes) is skipped.
Exit 0 when every file was stored whole (or was already there), 1 when some rows were
refused (each named with file, line and column; the good rows are stored), 2 when a file
was refused as a whole (unreadable, a required column missing) or on a usage error.
DuckDB and pandas are imported inside the commands, so that the rest of the CLI starts
without them.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from purser.cli.options import RepoOption, fail, read_config, repository_root

if TYPE_CHECKING:
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

    _finish(ingest_focus(open_warehouse(repo, warehouse), files), output_format)


@app.command("metrics")
def metrics(files: FilesArgument, warehouse: WarehouseOption = None, repo: RepoOption = None,
            output_format: FormatOption = Format.text) -> None:
    """Ingest metric files of timestamp, resource_id, metric, value[, unit] rows."""
    from purser.warehouse import ingest_metrics

    _finish(ingest_metrics(open_warehouse(repo, warehouse), files), output_format)


def open_warehouse(repo: Path | None, option: Path | None, *, create: bool = True) -> Warehouse:
    from purser.warehouse import Warehouse, WarehouseError

    root = repo.resolve() if repo is not None else repository_root(Path.cwd())
    try:
        return Warehouse.of_repository(root, option, create=create)
    except WarehouseError as exc:
        fail(str(exc))


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
