"""`purser cost`: the monthly estimate of a repository, and `purser cost diff` of a change.

    purser cost [estimate] [PATH] [--repo PATH] [--usage FILE] [--format table|json|markdown]
                [--telemetry [--days 30] [--warehouse DIR] [--engine duckdb|spark]]
    purser cost diff [PATH] --base REF [--head REF] [--repo PATH] [--usage FILE] [--format ...]

Exit 0 on success, 2 on a usage or input error (bad revision, malformed usage file, bad
purser.yaml), reported as one `error:` line. Files that cannot be read are reported as
warnings and the estimate still runs without them.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from typer.core import TyperGroup

from purser.cli.collector import garbage_collection_paused
from purser.cli.ingest import Engine, EngineOption, WarehouseOption, engine_for, open_warehouse
from purser.cli.options import (
    CacheDirOption,
    RepoOption,
    VarOption,
    cache_dir_for,
    fail,
    parse_vars,
    read_config,
    resolve_repo,
)
from purser.config import Config
from purser.cost.usage import UsageError, UsageSource
from purser.gate import usage_for
from purser.model import SourceError


class _EstimateByDefault(TyperGroup):
    """`purser cost [PATH] [OPTIONS]` is `purser cost estimate [PATH] [OPTIONS]`: a first
    word that names no subcommand (a path, an option, nothing) goes to `estimate`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # a click Context
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["estimate", *args]
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_EstimateByDefault,
    help="Monthly cost: estimate a repository (purser cost [PATH]) or a change "
         "(purser cost diff [PATH] --base REF).",
    add_completion=False,
    pretty_exceptions_enable=False,
)


class Format(StrEnum):
    table = "table"
    json = "json"
    markdown = "markdown"


FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
UsageOption = Annotated[Path | None, typer.Option(
    "--usage", dir_okay=False,
    help="Usage file (Infracost format); default: cost.usage in purser.yaml.")]
TelemetryOption = Annotated[bool, typer.Option(
    "--telemetry", "--usage-from-telemetry",
    help="Price usage from the warehouse's metrics where observed (a p10–p90 range), the "
         "usage file elsewhere.")]
DaysOption = Annotated[int, typer.Option(
    "--days", min=1, help="Days of telemetry, up to the last day with metrics.")]
CostPathArgument = Annotated[Path | None, typer.Argument(
    help="Folder to price (default: the repository root).", show_default=False)]


@app.command("estimate")
def estimate_command(
    path: CostPathArgument = None,
    repo: RepoOption = None,
    usage: UsageOption = None,
    output_format: FormatOption = Format.table,
    var: VarOption = None,
    cache_dir: CacheDirOption = None,
    telemetry: TelemetryOption = False,
    days: DaysOption = 30,
    warehouse: WarehouseOption = None,
    engine: EngineOption = None,
) -> None:
    """Estimate the monthly cost of the working tree (`purser cost [PATH]` for short)."""
    from purser.gate import CheckOptions, run_check

    root, only = resolve_repo(path, repo)
    config = read_config(root)
    usage_file = _usage(root, config, usage)
    if telemetry:
        usage_file = _with_telemetry(root, usage_file, days, warehouse, engine)
    with garbage_collection_paused():
        result = run_check(root, config, CheckOptions(
            policies=False, usage=usage_file, variables=parse_vars(var),
            cache_dir=cache_dir_for(root, cache_dir), only=only))
    _warn(result.errors)
    from purser.report.cost import cost_table, estimate_json, estimate_markdown

    priced = result.cost
    assert priced is not None  # asked for: CheckOptions.cost
    _emit(output_format, lambda console: cost_table(priced, console),
          lambda: estimate_json(priced), lambda: estimate_markdown(priced))


@app.command("diff")
def diff_command(
    base: Annotated[str, typer.Option(
        "--base", help="Revision before the change (branch, tag, sha, HEAD~1, origin/main).")],
    path: CostPathArgument = None,
    head: Annotated[str | None, typer.Option(
        "--head", help="Revision after the change (default: the working tree).")] = None,
    repo: RepoOption = None,
    usage: UsageOption = None,
    output_format: FormatOption = Format.table,
    var: VarOption = None,
    cache_dir: CacheDirOption = None,
) -> None:
    """What a change does to the monthly cost: --base against --head (or the working tree).

    Both revisions are read from git without a checkout and priced with the same
    purser.yaml and usage file.
    """
    from purser.gate import CheckOptions, diff_revisions
    from purser.git import GitError

    root, only = resolve_repo(path, repo)
    config = read_config(root)
    usage_file = _usage(root, config, usage)
    try:
        with garbage_collection_paused():
            result = diff_revisions(root, base, head, config, CheckOptions(
                usage=usage_file, variables=parse_vars(var),
                cache_dir=cache_dir_for(root, cache_dir), only=only))
    except GitError as exc:
        fail(str(exc))
    _warn(result.errors)
    from purser.report.cost import diff_json, diff_markdown, diff_table

    _emit(output_format, lambda console: diff_table(result, console),
          lambda: diff_json(result), lambda: diff_markdown(result))


def _usage(root: Path, config: Config, option: Path | None) -> UsageSource | None:
    """--usage, else purser.yaml's cost.usage and the applications' usage files."""
    try:
        return usage_for(root, config, option)
    except UsageError as exc:
        fail(str(exc))


def _with_telemetry(root: Path, usage: UsageSource | None, days: int, folder: Path | None,
                    engine: Engine | None) -> UsageSource:
    """Observed usage first; the usage file answers the keys telemetry does not know."""
    from purser.cost.usage import LayeredUsage
    from purser.warehouse import WarehouseError
    from purser.warehouse.engines import open_engine
    from purser.warehouse.telemetry import observed_usage

    try:
        with open_engine(open_warehouse(root, folder, create=False),
                         engine_for(root, engine)) as runner:
            observed = observed_usage(runner, days=days)
    except WarehouseError as exc:
        fail(str(exc))
    if not observed.readings:
        typer.echo(f"warning: no telemetry in the warehouse for {observed.window}: usage "
                   "comes from the usage file only", err=True)
    return LayeredUsage(observed, usage) if usage is not None else observed


def _warn(errors: list[SourceError]) -> None:
    for error in errors:
        typer.echo(f"warning: {error}", err=True)


def _emit(output_format: Format, table: Any, as_json: Any, as_markdown: Any) -> None:
    if output_format is Format.table:
        table(Console())
    elif output_format is Format.json:
        sys.stdout.write(json.dumps(as_json(), indent=2) + "\n")
    else:
        sys.stdout.write(as_markdown())
