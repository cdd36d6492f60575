"""`purser generate`: an intent in plain words → Terraform or manifests that were parsed
back, priced, fitted to the budget and gated, committed on `purser/gen-<slug>`.

    purser generate "INTENT" [--repo PATH] [--app NAME] [--out DIR] [--root DIR] [--dry-run]
                    [--accept-unpriced] [--llm-url URL --model NAME] [--format text|json]

Exit 0 when the code was committed (or, with --dry-run, would be); 1 when the gate or the
budget refused it, or the budget fit is unverified because something that costs money is
not priced and --accept-unpriced was not given (nothing is committed; the reasons are
printed and recorded in the ledger); 2 for an intent that cannot be read or a usage error.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from purser.cli.options import fail

if TYPE_CHECKING:
    from purser.generate import Generation


class Format(StrEnum):
    text = "text"
    json = "json"


def generate(
    intent: Annotated[str, typer.Argument(help="What to build, in plain words.",
                                          show_default=False)],
    repo: Annotated[Path | None, typer.Option(
        "--repo", file_okay=False, help="Repository to generate into (default: the current "
                                        "directory).")] = None,
    app: Annotated[str | None, typer.Option(
        "--app", help="Application name (default: from the intent).")] = None,
    out: Annotated[str | None, typer.Option(
        "--out", metavar="DIR", help="Repository folder for the files (default: apps/<app>, "
        "or in a repository with Terraform roots the module folder its modules live in).")
    ] = None,
    root: Annotated[str | None, typer.Option(
        "--root", metavar="DIR", help="Existing Terraform root that calls the generated "
        "module (default: the root in the intent's region, else the shallowest).")] = None,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Print everything; write no branch and no ledger entry.")] = False,
    accept_unpriced: Annotated[bool, typer.Option(
        "--accept-unpriced", help="Commit even though parts that cost money are not priced "
        "(the budget fit is unverified); they are named in the decisions, the ledger entry "
        "and the commit message.")] = False,
    llm_url: Annotated[str | None, typer.Option(
        "--llm-url", metavar="URL", help="OpenAI-compatible API base (…/v1) to read the intent "
        "with; the key comes from $PURSER_LLM_API_KEY (or $OPENAI_API_KEY).")] = None,
    model: Annotated[str | None, typer.Option("--model", help="Model name for --llm-url.")
                     ] = None,
    output_format: Annotated[Format, typer.Option("--format", "-f")] = Format.text,
) -> None:
    """Generate gate-checked, budget-fitted infrastructure code from an intent."""
    from purser.generate import GenerationRefused, parse_intent
    from purser.generate import generate as run
    from purser.generate.llm import LlmError, LlmReader

    folder = (repo or Path.cwd()).resolve()
    if not folder.is_dir():
        fail(f"{folder}: not a directory")
    if (llm_url is None) != (model is None):
        fail("--llm-url and --model go together")
    reader_name = "purser-rules"
    read = parse_intent
    if llm_url and model:
        try:
            reader = LlmReader.from_environment(llm_url, model)
        except LlmError as exc:
            fail(str(exc))
        read, reader_name = reader.read, f"{model} via OpenAI-compatible API"
    try:
        result = run(intent, repo=folder, read=read, reader_name=reader_name, folder=out,
                     app=app, root=root, dry_run=dry_run, accept_unpriced=accept_unpriced)
    except (GenerationRefused, LlmError) as exc:
        fail(str(exc))
    if output_format is Format.json:
        typer.echo(json.dumps(result.as_json(), indent=2, ensure_ascii=False))
    else:
        _print(result, dry_run)
    raise typer.Exit(0 if result.accepted else 1)


def _print(result: Generation, dry_run: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console(width=140)
    console.rule(f"[bold]Spec[/] (read by {result.reader})")
    console.print_json(json.dumps(result.spec.model_dump(mode="json")))
    table = Table(title="Decisions", show_lines=False)
    for column in ("source", "choice", "reason"):
        table.add_column(column, overflow="fold")
    for decision in result.decisions:
        table.add_row(decision.source, decision.choice, decision.reason)
    console.print(table)
    _print_cost(result, console)
    console.rule("[bold]Gate")
    for finding in result.findings:
        console.print(f"{finding.severity.value:8} {finding.rule_id} {finding.resource}: "
                      f"{finding.message}", markup=False, highlight=False)
    if not result.findings:
        console.print("no findings on the generated resources")
    console.rule("[bold]Files")
    for path in [*result.files, *result.artifacts]:
        console.print(path, markup=False)
    if result.problems:
        console.print("[red]Not committed:[/]")
        for problem in result.problems:
            console.print(f"  - {problem}", markup=False, highlight=False)
    elif dry_run:
        fits = "fits the budget" if result.fit.fits else "its unpriced parts are accepted"
        console.print(f"[green]Passes the gate and {fits}[/] (--dry-run: nothing written)")
    else:
        console.print(f"[green]Committed[/] {result.commit} on branch {result.branch}",
                      highlight=False)


def _print_cost(result: Generation, console: object) -> None:
    from rich.console import Console
    from rich.table import Table

    assert isinstance(console, Console)
    estimate = result.fit.priced.estimate
    catalog = ", ".join(sorted(set(estimate.catalog_versions.values())))
    table = Table(title=f"Monthly cost: ${estimate.total_monthly_cost:,.2f} (on-demand list "
                        f"prices, catalog {catalog}; usage from the intent and the stated "
                        "assumptions)")
    for column in ("resource", "component", "quantity", "unit price", "monthly"):
        table.add_column(column, overflow="fold")
    for resource in estimate.resources:
        for line in resource.components:
            quantity = "—" if line.monthly_quantity is None else f"{line.monthly_quantity:,.4g}"
            table.add_row(resource.address, line.component, f"{quantity} {line.unit}",
                          f"${line.unit_price:g}",
                          "—" if line.monthly_cost is None else f"${line.monthly_cost:,.2f}")
    console.print(table)
    for step in result.fit.steps:
        console.print(f"lever {step.lever}: {step.change}: saves ${step.saved_usd:,.2f} "
                      f"(${step.before_usd:,.2f} → ${step.after_usd:,.2f})", highlight=False)
    for unpriced in estimate.unpriced:
        console.print(f"not priced: {unpriced.address}: {unpriced.reason}", highlight=False)
    console.print(result.fit.explanation, highlight=False)
