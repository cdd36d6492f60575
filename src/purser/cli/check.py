"""`purser check`: the gate every change goes through."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from purser.cli.collector import garbage_collection_paused
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
from purser.config import Config, ConfigError
from purser.gate import DEFAULTS_NOTICE, PHASES, CheckOptions, run_check
from purser.model import Severity
from purser.report import CheckReport
from purser.report.render import format_names, render
from purser.tree import Tree


def _report_format(name: str) -> str:
    """--format must name a registered report format (`purser.report.render.renderers`)."""
    if name not in format_names():
        raise typer.BadParameter(f"{name!r} is not one of {', '.join(format_names())}")
    return name


def check(
    path: PathArgument = None,
    repo: RepoOption = None,
    output_format: Annotated[str, typer.Option(
        "--format", "-f", callback=_report_format, metavar="FORMAT",
        help=f"Report format: {', '.join(format_names())}.")] = "text",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")] = None,
    fail_on: Annotated[Severity | None, typer.Option(
        "--fail-on", help="Exit 1 when a finding is at or above this severity "
        "(default: policies.fail_on in purser.yaml).")] = None,
    base: Annotated[str | None, typer.Option(
        "--base", help="Git revision to compare the cost against (e.g. origin/main).")] = None,
    rev: Annotated[str | None, typer.Option(
        "--rev", help="Check this git revision (e.g. HEAD~1, a branch, a sha) as it was "
        "committed, with its own purser.yaml and waivers, without a checkout.")] = None,
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
    tree = _tree(root, rev)
    config = read_config(root) if rev is None else _revision_config(tree)
    options = CheckOptions(fail_on=fail_on, variables=parse_vars(var), cost=not no_cost,
                           base=base, usage=usage, only=only,
                           cache_dir=cache_dir_for(root, cache_dir))
    with garbage_collection_paused():  # a bulk job: the collector would free nothing
        report = _run(tree, config, options,
                      show_progress=output is None and sys.stderr.isatty())
        if DEFAULTS_NOTICE in report.notices:
            typer.echo(f"notice: {DEFAULTS_NOTICE}", err=True)
        _emit(report, output_format, output)
    if report.exit_code:
        raise typer.Exit(report.exit_code)


def _tree(root: Path, rev: str | None) -> Tree:
    """The work tree, or the commit `--rev` names."""
    from purser.git import GitError, GitTree
    from purser.sources.worktree import WorkTree

    if rev is None:
        return WorkTree(root)
    try:
        return GitTree.at(root, rev)
    except GitError as exc:
        fail(str(exc))


def _revision_config(tree: Tree) -> Config:
    """The revision's own purser.yaml, or the defaults when it had none."""
    from purser.config import load_config

    try:
        return load_config(tree)
    except ConfigError as exc:
        fail(f"at {tree.revision}: {exc}")


def _run(tree: Tree, config: Config, options: CheckOptions, *,
         show_progress: bool) -> CheckReport:
    from purser.cost.usage import UsageError
    from purser.git import GitError

    try:
        if not show_progress:
            return run_check(tree, config, options)
        with Progress(SpinnerColumn(), TextColumn("{task.description:<22}"), BarColumn(),
                      TimeElapsedColumn(), console=Console(stderr=True),
                      transient=True) as progress:
            task = progress.add_task("checking", total=len(PHASES))

            def step(phase: str) -> None:
                progress.update(task, description=phase, completed=PHASES.index(phase))

            return run_check(tree, config, options, step=step)
    except (UsageError, GitError) as exc:
        fail(str(exc))


def _emit(report: CheckReport, output_format: str, output: Path | None) -> None:
    if output_format == "text" and output is None:
        render(report, "text", Console())
        return
    text = render(report, output_format, None)
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{output}: cannot write report: {exc.strerror}")
