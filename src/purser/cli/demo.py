"""`purser demo`: walk the loop on the shipped example repository.

The example is copied into a fresh git repository, gated, priced, then changed (a Lambda's
memory is raised) so that the cost diff and the budget gate of a pull request show too.
Then an AWS emulator is started, the clean `notifications` application is synced to it,
its function's memory is changed behind purser's back, and the drift is found and healed.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from purser.cli.collector import garbage_collection_paused
from purser.cli.explain import describe
from purser.cli.options import fail, read_config
from purser.cli.reconcile import Format
from purser.gate import CheckOptions, run_check
from purser.git import Author, commit_work_tree

EXAMPLE = Path("examples") / "shop"
CHANGED_FILE = Path("terraform") / "lambda.tf"
DEMO_AUTHOR = Author("purser demo", "demo@purser.invalid")
EXPLAINED = ("module.network.aws_nat_gateway.main", "tags")  # a module input from tfvars
SYNCED, DRIFTED = "notifications", "shop-prod-notify"  # the application, its function
_MEMORY = re.compile(r"(memory_size\s*=\s*)(\d+)")
GENERATED_INTENT = ("queue worker for refunds with a DLQ, 2M messages a month, "
                    "at most $25 a month")


def find_example() -> Path | None:
    """The example next to the source tree, or under the current directory or a parent."""
    candidates = [Path(__file__).resolve().parents[3], *Path.cwd().resolve().parents]
    candidates.insert(0, Path.cwd().resolve())
    return next((c / EXAMPLE for c in candidates if (c / EXAMPLE / "purser.yaml").is_file()),
                None)


def demo(
    example: Annotated[Path | None, typer.Option(help="Example repository to walk.")] = None,
    workdir: Annotated[Path | None, typer.Option(help="Where to build the demo git repository "
                                                 "(default: a temporary folder).")] = None,
) -> None:
    """Gate, price and change the example repository, as a pull request would."""
    source = example or find_example()
    if source is None or not source.is_dir():
        fail("cannot find the example repository examples/shop; pass --example PATH")
    console = Console()
    base_dir = workdir or Path(tempfile.mkdtemp(prefix="purser-demo-"))
    repo = base_dir / "shop"
    if repo.exists():
        shutil.rmtree(repo)
    shutil.copytree(source, repo, ignore=shutil.ignore_patterns(".purser", ".git"))
    commit_work_tree(repo, "shop: infrastructure as merged on main", DEMO_AUTHOR)
    config = read_config(repo)

    from purser.report.cost import diff_table
    from purser.report.render import render

    console.rule("[bold]1. The gate on main: findings, and what main costs per month")
    with garbage_collection_paused():
        main = run_check(repo, config, CheckOptions())
    render(main, "text", console)

    console.rule("[bold]Why a value is what it is: purser explain")
    nat = next((r for r in main.resources if r.address == EXPLAINED[0]), None)
    if nat is not None:
        console.print(f"$ purser explain '{EXPLAINED[0]}' {EXPLAINED[1]}", markup=False)
        console.print(describe(nat, repo, EXPLAINED[1]), markup=False, highlight=False)

    console.rule("[bold]2. A pull request raises a Lambda's memory")
    changed = _raise_memory(repo / CHANGED_FILE)
    console.print(f"{CHANGED_FILE}: memory_size {changed[0]} → {changed[1]} MB")
    commit_work_tree(repo, "payments: raise Lambda memory for faster cold starts", DEMO_AUTHOR)
    with garbage_collection_paused():
        pull = run_check(repo, config, CheckOptions(base="HEAD~1"))
    if pull.cost_diff is not None:
        diff_table(pull.cost_diff, console)
    budget = [f for f in pull.findings if f.rule_id.startswith("PUR-BUD")]
    for finding in budget:
        console.print(f"[red]{finding.rule_id}[/] {finding.message}")
    comment = base_dir / "pull-request-comment.md"
    comment.write_text(render(pull, "markdown", None), encoding="utf-8")

    _reconcile(repo, console)
    _insight(base_dir / "insight", console)
    _generate(repo, console)
    console.rule("[bold]Done")
    console.print(f"Demo repository: {repo}\nPull-request comment (Markdown): {comment}\n"
                  f"Try: purser check --repo {repo} --format sarif")


def _reconcile(repo: Path, console: Console) -> None:
    """Sync an application to the AWS emulator, drift it by hand, watch it healed."""
    import boto3

    from purser import ledger, sandbox
    from purser.cli.reconcile import print_drift, print_history, print_result
    from purser.reconcile import drift
    from purser.reconcile.status import history
    from purser.reconcile.sync import Reconciler, sync
    from purser.store import database_url, open_database

    console.rule(f"[bold]3. GitOps: sync {SYNCED} to an AWS emulator (moto on 127.0.0.1)")
    with sandbox.start() as emulator, _environment(emulator.environment), \
            open_database(database_url(repo)) as db:
        reconciler = Reconciler(repo, db, actor="purser demo")
        console.print(f"$ purser sandbox   # {emulator.endpoint}\n$ purser sync {SYNCED}",
                      markup=False)
        print_result(sync(reconciler, SYNCED), Format.table)
        console.print(f"$ purser sync {SYNCED}   # again: nothing to write", markup=False)
        print_result(sync(reconciler, SYNCED), Format.table)

        console.rule("[bold]4. Someone raises the function's memory in the console")
        boto3.client("lambda").update_function_configuration(FunctionName=DRIFTED,
                                                              MemorySize=1024)
        console.print(f"$ purser diff {SYNCED}", markup=False)
        report = drift.check(reconciler, SYNCED)
        print_drift(report, drift.heal(reconciler, SYNCED))
        console.print(f"$ purser history {SYNCED}", markup=False)
        print_history(SYNCED, history(db, SYNCED))
        verdict = ledger.verify(db)
        console.print(f"$ purser ledger verify\nledger intact: {verdict.entries} entries, "
                      f"head {verdict.head_hash}", markup=False)


def _insight(out: Path, console: Console) -> None:
    """The return path: a generated bill ingested, spend allocated, forecast against the
    budgets, and cost anomalies traced to the commits that caused them."""
    from purser.cli import anomalies, demodata, forecast, ingest, spend

    console.rule("[bold]5. The bill comes back: FOCUS billing and metrics, spend by team")
    shop = out / "shop"
    console.print(f"$ purser demo-data --out {out} --seed 7 --days 90", markup=False)
    demodata.demo_data(out=out, repo=None, seed=7, days=90, end=None, gzip=False)
    console.print("$ purser ingest focus billing.csv && purser ingest metrics metrics.csv",
                  markup=False)
    ingest.focus([out / "billing.csv"], warehouse=None, repo=shop,
                 output_format=ingest.Format.text)
    ingest.metrics([out / "metrics.csv"], warehouse=None, repo=shop,
                   output_format=ingest.Format.text)
    console.print("$ purser spend --by team", markup=False)
    spend.spend(by="team", since=None, until=None, cost=spend.Cost.EffectiveCost,
                warehouse=None, repo=shop, output_format=spend.Format.table)

    console.rule("[bold]6. Forecast per application, and the month against its budget")
    console.print("$ purser forecast --by app", markup=False)
    forecast.forecast(path=shop, by=forecast.By.app, horizon=14, warehouse=None,
                      output_format=forecast.Format.table)

    console.rule("[bold]7. Cost anomalies, down to the resource and the commit")
    console.print("$ purser anomalies", markup=False)
    anomalies.anomalies(path=shop, since=None, warehouse=None, db=None,
                        output_format=anomalies.Format.table)


def _generate(repo: Path, console: Console) -> None:
    """Intent to code: a new application generated into the shop, priced, gated, committed
    on its own branch (the shop's conventions: its names, tags and Lambda habits)."""
    from purser.generate import GenerationRefused, generate, parse_intent

    console.rule("[bold]8. Intent to infrastructure code, gated before it is committed")
    console.print(f'$ purser generate "{GENERATED_INTENT}"', markup=False)
    try:
        result = generate(GENERATED_INTENT, repo=repo, read=parse_intent)
    except GenerationRefused as refused:
        console.print(f"refused: {refused}", markup=False)
        return
    for decision in result.decisions:
        if decision.source in ("convention", "lever"):
            console.print(f"  {decision.source}: {decision.choice} ({decision.reason})",
                          markup=False, highlight=False)
    blocking = ", ".join(f.rule_id for f in result.blocking) or "none at or above high"
    console.print(f"{result.fit.explanation}; gate findings: {blocking}", highlight=False)
    console.print(f"branch {result.branch} ({(result.commit or '')[:12]})" if result.branch
                  else "not committed: " + "; ".join(result.problems), markup=False)


@contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    """`values` exported while the block runs (boto3 reads the endpoint from there)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _raise_memory(path: Path) -> tuple[int, int]:
    text = path.read_text(encoding="utf-8")
    match = _MEMORY.search(text)
    if match is None:
        fail(f"{path}: no memory_size to change")
    before = int(match.group(2))
    after = min(before * 4, 10240)
    path.write_text(text[: match.start(2)] + str(after) + text[match.end(2):], encoding="utf-8")
    return before, after
