"""The reconcile commands: plan, sync, diff, rollback, history, status and fights.

    purser plan APP [--rev REF] [--format table|json]
    purser sync APP [--rev REF] [--format table|json]
    purser diff APP [--heal] [--format table|json]
    purser rollback APP [--to REF]
    purser history APP [--format table|json]
    purser status [APP] [--format table|json]
    purser fights APP [--resolve ADDRESS FIELD --reason TEXT]

Every command takes `--repo PATH` (default: the current repository) and `--db URL`.
Exit codes: 0 done (or nothing to do), 1 the sync failed, was refused by the gate or
drift was found, 2 a usage or input error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from purser.cli.options import RepoOption, fail, resolve_repo

if TYPE_CHECKING:
    from purser.reconcile.plan import Plan
    from purser.reconcile.status import SyncRecord
    from purser.reconcile.sync import Reconciler, SyncResult

EXIT_NOT_DONE = 1


class Format(StrEnum):
    table = "table"
    json = "json"


AppArgument = Annotated[str, typer.Argument(metavar="APP", help="Application in purser.yaml.")]
RevOption = Annotated[str, typer.Option("--rev", metavar="REF",
                                        help="Git revision to apply (resolved once).")]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
DbOption = Annotated[str | None, typer.Option(
    "--db", metavar="URL", show_default=False,
    help="State database (default: $PURSER_DB, else .purser/state.db of the repository).")]


def plan(application: AppArgument, rev: RevOption = "HEAD", repo: RepoOption = None,
         db: DbOption = None, output_format: FormatOption = Format.table) -> None:
    """What a sync would do: create, update (field by field), replace, delete, no-op."""
    from purser.reconcile.sync import plan_for

    with _reconciler(repo, db) as reconciler:
        found = _guarded(lambda: plan_for(reconciler, application, rev))
    print_plan(found, output_format)


def sync(application: AppArgument, rev: RevOption = "HEAD", repo: RepoOption = None,
         db: DbOption = None, output_format: FormatOption = Format.table,
         parallel: Annotated[int, typer.Option(
             "--parallel", min=1, max=64, help="Writes in flight at once.")] = 8,
         allow_unsupported: Annotated[bool, typer.Option(
             "--allow-unsupported", help="Exit 0 even when declared resources of kinds purser "
                                         "cannot apply were left out.")] = False) -> None:
    """Gate REF, then apply exactly that commit; journaled, resumable, ledgered.
    Exit 1 when it failed, was refused, or left declared resources unapplied."""
    from purser.reconcile import sync as syncing

    with _reconciler(repo, db) as reconciler:
        result = _guarded(lambda: syncing.sync(reconciler, application, rev, workers=parallel))
    print_result(result, output_format)
    if result.phase.value != "succeeded":
        raise typer.Exit(EXIT_NOT_DONE)
    left_out = result.plan.counts().get("unsupported", 0) if result.plan else 0
    if left_out and not allow_unsupported:
        typer.echo(f"{left_out} declared resource(s) not applied (listed as unsupported): "
                   "live state does not fully follow git; --allow-unsupported accepts that",
                   err=True)
        raise typer.Exit(EXIT_NOT_DONE)


def diff(application: AppArgument, heal: Annotated[bool, typer.Option(
             "--heal", help="Correct the drift now (through the gate), even without "
                            "sync.self_heal.")] = False,
         repo: RepoOption = None, db: DbOption = None,
         output_format: FormatOption = Format.table) -> None:
    """Live state against the last synced revision, field by field (exit 1 on drift)."""
    from purser.reconcile import drift

    with _reconciler(repo, db) as reconciler:
        report = _guarded(lambda: drift.check(reconciler, application))
        healed = _guarded(lambda: drift.heal(reconciler, application, force=True)) \
            if heal and report.drifted else None
    if output_format is Format.json:
        typer.echo(json.dumps({
            "app": application, "revision": report.revision,
            "drift": [{"address": d.address, "field": d.field, "live": _plain(d.live),
                       "desired": _plain(d.desired)} for d in report.drifted],
            "fights": [f.__dict__ for f in report.fights],
            "healed": healed.phase.value if healed else None}, indent=2))
    else:
        print_drift(report, healed)
    if report.drifted and healed is None:
        raise typer.Exit(EXIT_NOT_DONE)


def rollback(application: AppArgument,
             to: Annotated[str | None, typer.Option(
                 "--to", metavar="REF", show_default=False,
                 help="Put the application's folder back as it was at REF (default: revert "
                      "the last synced commit).")] = None,
             repo: RepoOption = None, db: DbOption = None) -> None:
    """Write a revert commit in the repository and sync it."""
    from purser.reconcile.rollback import rollback as roll_back

    with _reconciler(repo, db) as reconciler:
        done = _guarded(lambda: roll_back(reconciler, application, to))
    typer.echo(f"committed {done.commit[:12]} (undoes {done.undone[:12]})")
    print_result(done.result, Format.table)
    if done.result.phase.value != "succeeded":
        raise typer.Exit(EXIT_NOT_DONE)


def history(application: AppArgument, repo: RepoOption = None, db: DbOption = None,
            output_format: FormatOption = Format.table) -> None:
    """The application's syncs, newest first: revision, when, by whom, outcome."""
    from purser.reconcile.status import history as read_history

    with _reconciler(repo, db) as reconciler:
        records = read_history(reconciler.db, application)
    if output_format is Format.json:
        typer.echo(json.dumps([_jsonable(r.__dict__) for r in records], indent=2))
        return
    print_history(application, records)


def status(application: Annotated[str | None, typer.Argument(
               metavar="[APP]", help="One application (default: all).", show_default=False)
           ] = None,
           repo: RepoOption = None, db: DbOption = None,
           output_format: FormatOption = Format.table) -> None:
    """Per application: synced revision, when, by which controller, health, drift."""
    from purser.reconcile.status import status as read_status

    with _reconciler(repo, db) as reconciler:
        _, config = _guarded(lambda: reconciler.at("HEAD"))
        found = _guarded(lambda: read_status(reconciler.db, config, application))
    if output_format is Format.json:
        typer.echo(json.dumps([_jsonable({**s.__dict__, "last": s.last and s.last.__dict__})
                               for s in found], indent=2))
        return
    for s in found:
        when = f"{s.synced_at:%Y-%m-%d %H:%M:%S}Z by {s.synced_by}" if s.synced_at else ""
        revision = s.synced_revision[:12] if s.synced_revision else "-"
        drift = "" if s.drifted_fields is None else f"  drift {s.drifted_fields}"
        fights = f"  fights {s.fights}" if s.fights else ""
        waits = f"  ({s.waiting})" if s.waiting else ""
        typer.echo(f"{s.name:<20} {s.health:<13} {revision:<12} {when}{drift}{fights}{waits}")


def fights(application: AppArgument,
           resolve: Annotated[tuple[str, str] | None, typer.Option(
               "--resolve", metavar="ADDRESS FIELD", show_default=False,
               help="Heal this field again from now on (to keep the other writer's value, "
                    "change it in git).")] = None,
           reason: Annotated[str, typer.Option(help="Why, for the ledger.")] = "",
           repo: RepoOption = None, db: DbOption = None) -> None:
    """Fields another writer keeps changing back, which purser stopped healing."""
    from purser.reconcile import drift

    with _reconciler(repo, db) as reconciler:
        if resolve is not None:
            if not drift.resolve_fight(reconciler, application, *resolve, reason):
                fail(f"no fight on {resolve[1]} of {resolve[0]} in {application}")
            typer.echo(f"{resolve[0]} {resolve[1]}: healing resumes")
            return
        found = drift.fights(reconciler, application)
    if not found:
        typer.echo(f"{application}: no fights")
    for f in found:
        typer.echo(f"{f.address}  {f.field}: healed {f.heals} times; other writer: {f.writer}")


COMMANDS: dict[str, Callable[..., None]] = {
    "plan": plan, "sync": sync, "diff": diff, "rollback": rollback, "history": history,
    "status": status, "fights": fights}


@contextmanager
def _reconciler(repo: Any, db: str | None) -> Iterator[Reconciler]:
    from sqlalchemy.exc import DBAPIError

    from purser.reconcile.sync import Reconciler
    from purser.store import StoreError, database_url, open_database

    root, _ = resolve_repo(None, repo)
    try:
        with open_database(database_url(root, db)) as database:
            yield Reconciler(root=root, db=database)
    except StoreError as exc:
        fail(str(exc))
    except DBAPIError as exc:
        fail(f"state database: {str(exc.orig or exc).strip().splitlines()[0]}")


def _guarded(call: Any) -> Any:
    """Run `call`; what the user can fix (a revision, an application name, purser.yaml,
    the cloud refusing) is one error line, never a traceback."""
    from purser.config import ConfigError
    from purser.git import GitError
    from purser.reconcile.appliers import ApplyError
    from purser.reconcile.sync import Busy
    from purser.store.lease import LeaseLost

    try:
        return call()
    except KeyError as exc:
        fail(str(exc.args[0]) if exc.args else str(exc))
    except (ConfigError, GitError, ApplyError, Busy, LeaseLost) as exc:
        fail(str(exc))


def print_history(application: str, records: list[SyncRecord]) -> None:
    if not records:
        typer.echo(f"{application}: no syncs recorded")
    for r in records:
        typer.echo(f"{r.started_at:%Y-%m-%d %H:%M:%S}Z  {r.revision[:12]}  {r.phase:<9}  "
                   f"{r.trigger:<8}  {r.controller}  {r.message}")


def print_plan(found: Plan, output_format: Format) -> None:
    if output_format is Format.json:
        typer.echo(json.dumps(found.as_json(), indent=2))
        return
    typer.echo(f"{found.application} at {found.revision[:12]}: "
               + ", ".join(f"{n} {a}" for a, n in sorted(found.counts().items())))
    for step in found.steps:
        if step.action.value == "no-op" and not step.held:
            continue  # counted in the summary line
        typer.echo(f"  {step.action.value:<11} {step.address}"
                   + (f"  ({step.reason})" if step.reason else ""))
        for name, (old, new) in step.changes.items():
            typer.echo(f"      {name}: {_short(new)}" if step.action.value == "create"
                       else f"      {name}: {_short(old)} → {_short(new)}")
        for name in step.held:
            typer.echo(f"      {name}: held (a fight awaiting a human)")


def print_result(result: SyncResult, output_format: Format) -> None:
    if output_format is Format.json:
        typer.echo(json.dumps({"app": result.application, "revision": result.revision,
                               "phase": result.phase.value, "message": result.message,
                               "plan": result.plan.as_json() if result.plan else None},
                              indent=2))
        return
    if result.plan is not None:
        print_plan(result.plan, Format.table)
    typer.echo(f"sync {result.phase.value}: {result.message}")


def print_drift(report: Any, healed: SyncResult | None) -> None:
    if report.revision is None:
        typer.echo(f"{report.application}: never synced; nothing to compare")
        return
    if not report.drifted:
        typer.echo(f"{report.application}: in sync with {report.revision[:12]}")
    for d in report.drifted:
        typer.echo(f"drift  {d.address}  {d.field}: live {_short(d.live)}, "
                   f"git {_short(d.desired)}")
    for f in report.fights:
        typer.echo(f"fight  {f.address}  {f.field}: {f.writer} (healing stopped)")
    if healed is not None:
        typer.echo(f"healed: sync {healed.phase.value}: {healed.message}")


def _short(value: Any) -> str:
    text = json.dumps(_plain(value), default=str)
    return text if len(text) <= 120 else text[:117] + "..."


def _plain(value: Any) -> Any:
    from purser.reconcile.plan import plain

    return plain(value)


def _jsonable(fields: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(fields, default=str))
