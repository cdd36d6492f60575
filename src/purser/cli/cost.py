"""`purser cost`: the monthly estimate of a repository, and `purser cost diff` of a change.

    purser cost [PATH] [--repo PATH] [--usage FILE] [--format table|json|markdown]
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


class _EstimateOrSubcommand(TyperGroup):
    """`purser cost [PATH] [OPTIONS]` estimates, `purser cost diff ...` diffs.

    A group would read a leading `diff` as its PATH argument and stop reading options after
    PATH; so a leading subcommand name goes to the subcommand (the group's own parameters
    keep their defaults), and otherwise the group parses like a plain command."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if args and args[0] in self.commands:
            super().parse_args(ctx, [])
            ctx._protected_args, ctx.args = args[:1], args[1:]
            return list(ctx.args)
        ctx.allow_interspersed_args = True
        return super().parse_args(ctx, args)


app = typer.Typer(
    cls=_EstimateOrSubcommand,
    help="Monthly cost: estimate a repository (purser cost [PATH]) or a change "
         "(purser cost diff --base REF).",
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
CostPathArgument = Annotated[Path | None, typer.Argument(
    help="Folder to price (default: the repository root).", show_default=False)]


@app.callback(invoke_without_command=True)
def estimate_command(
    ctx: typer.Context,
    path: CostPathArgument = None,
    repo: RepoOption = None,
    usage: UsageOption = None,
    output_format: FormatOption = Format.table,
    var: VarOption = None,
    cache_dir: CacheDirOption = None,
) -> None:
    """Estimate the monthly cost of the repository's desired state (the working tree)."""
    if ctx.invoked_subcommand is not None:
        return
    from purser.cost.diff import estimate_revision

    root, only = resolve_repo(path, repo)
    config = read_config(root)
    usage_file = _usage(root, config, usage)
    result = estimate_revision(root, None, config, usage_file, variables=parse_vars(var),
                               cache_dir=cache_dir_for(root, cache_dir), only=only)
    _warn(result.errors)
    from purser.report.cost import cost_table, estimate_json, estimate_markdown

    _emit(output_format, lambda console: cost_table(result.estimate, console),
          lambda: estimate_json(result.estimate), lambda: estimate_markdown(result.estimate))


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
    from purser.cost.diff import diff_revisions
    from purser.git import GitError

    root, only = resolve_repo(path, repo)
    config = read_config(root)
    usage_file = _usage(root, config, usage)
    try:
        result = diff_revisions(root, base, head, config, usage_file,
                                variables=parse_vars(var),
                                cache_dir=cache_dir_for(root, cache_dir), only=only)
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
