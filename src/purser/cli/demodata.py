"""`purser demo-data`: billing, metrics and known anomalies for the example repository."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from purser.cli.demo import find_example
from purser.cli.options import fail


def demo_data(
    out: Annotated[Path, typer.Option(help="Folder for billing.csv, metrics.csv and "
                                      "anomalies.json.")] = Path("demo-data"),
    repo: Annotated[Path | None, typer.Option(
        help="Demo git repository that receives the anomalies' commits (default: OUT/shop, "
             "a fresh copy of examples/shop).")] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed writes the same data."
                                      )] = 13,
    days: Annotated[int, typer.Option(help="Days of history.")] = 120,
    end: Annotated[datetime | None, typer.Option(
        formats=["%Y-%m-%d"], help="Last day (default: yesterday, UTC).")] = None,
    gzip: Annotated[bool, typer.Option(help="Write billing.csv.gz.")] = False,
) -> None:
    """Write FOCUS billing and per-resource metrics for the example shop, with anomalies
    injected on known dates, each caused by a real commit in the demo repository."""
    from purser.warehouse.demodata import DemoDataError, generate

    target = repo or _fresh_copy(out / "shop")
    try:
        summary = generate(target, out, seed=seed, days=days,
                           end=end.date() if end else None, compress=gzip)
    except DemoDataError as problem:
        fail(str(problem))
    typer.echo(f"{summary.start} .. {summary.end}: {summary.billing_rows} billing rows "
               f"(${summary.total_usd:,.2f}), {summary.metric_rows} metric rows")
    for name, sha in summary.commits.items():
        typer.echo(f"  anomaly {name}: commit {sha[:12]}")
    typer.echo(f"Wrote {summary.billing}, {summary.metrics} and {summary.anomalies}; "
               f"repository {target}")


def _fresh_copy(target: Path) -> Path:
    source = find_example()
    if source is None:
        fail("cannot find the example repository examples/shop; pass --repo PATH")
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".purser", ".git"))
    return target
