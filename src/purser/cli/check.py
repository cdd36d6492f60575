"""`purser check`: the gate every change goes through."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from purser.cli.options import (
    CacheDirOption,
    PathArgument,
    RepoOption,
    VarOption,
    cache_dir_for,
    fail,
    parse_vars,
    read_config,
    resolve_repo,
)
from purser.config import Config
from purser.gate import PHASES, CheckOptions, run_check
from purser.model import Severity
from purser.report import CheckReport
from purser.sources import garbage_collection_paused


class Format(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"
    markdown = "markdown"
    junit = "junit"


def check(
    path: PathArgument = None,
    repo: RepoOption = None,
    output_format: Annotated[
        Format, typer.Option("--format", "-f", help="Report format.")] = Format.text,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")] = None,
    fail_on: Annotated[Severity | None, typer.Option(
        "--fail-on", help="Exit 1 when a finding is at or above this severity "
        "(default: policies.fail_on in purser.yaml).")] = None,
    base: Annotated[str | None, typer.Option(
        "--base", help="Git revision to compare the cost against (e.g. origin/main).")] = None,
    usage: Annotated[
        Path | None, typer.Option("--usage", help="Infracost-format usage file.")] = None,
    no_cost: Annotated[bool, typer.Option("--no-cost", help="Skip the cost estimate.")] = False,
    var: VarOption = None,
    cache_dir: CacheDirOption = None,
) -> None:
    """Gate a repository: security, FinOps and compliance policies, Rego, cost and budgets.

    Exit 0 when clean, 1 when a finding is at or above --fail-on, 2 when the check is
    incomplete (an input, rule or pricer error, or nothing to check) or on a usage error.
    """
    root, only = resolve_repo(path, repo)
    config = read_config(root)
    options = CheckOptions(fail_on=fail_on, variables=parse_vars(var), cost=not no_cost,
                           base=base, usage=usage, only=only,
                           cache_dir=cache_dir_for(root, cache_dir))
    with garbage_collection_paused():  # rendering 20,000 findings is a bulk job too
        report = _run(root, config, options,
                      show_progress=output is None and sys.stderr.isatty())
        _emit(report, output_format, output)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _run(root: Path, config: Config, options: CheckOptions, *,
         show_progress: bool) -> CheckReport:
    from purser.cost.usage import UsageError
    from purser.git import GitError

    try:
        if not show_progress:
            return run_check(root, config, options)
        with Progress(SpinnerColumn(), TextColumn("{task.description:<22}"), BarColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True),
                      transient=True) as progress:
            task = progress.add_task("checking", total=len(PHASES))

            def step(phase: str) -> None:
                progress.update(task, description=phase, completed=PHASES.index(phase))

            return run_check(root, config, options, step=step)
    except (UsageError, GitError) as exc:
        fail(str(exc))


def _emit(report: CheckReport, output_format: Format, output: Path | None) -> None:
    from purser.report.render import render

    if output_format is Format.text and output is None:
        render(report, "text", Console())
        return
    text = render(report, output_format.value, None)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{output}: cannot write report: {exc.strerror}")
