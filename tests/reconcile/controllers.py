"""A repository of several small auto-synced applications for the controller tests, and
what the state database says was synced."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from sqlalchemy import select

from purser.git import commit_work_tree
from purser.store import Database
from purser.store.schema import Application as AppRow
from purser.store.schema import Sync, SyncPhase
from tests.sources.tree import write


def resources(app: str, generation: int, queues: int = 2, log_groups: int = 1) -> str:
    """`queues` SQS queues and `log_groups` log groups; `generation` changes one field of
    each, so a new generation is a new revision for every application."""
    text = [f'resource "aws_sqs_queue" "q{i}" {{\n  name = "{app}-q{i}"\n'
            f'  visibility_timeout_seconds = {30 + generation}\n}}\n' for i in range(queues)]
    text += [f'resource "aws_cloudwatch_log_group" "g{i}" {{\n  name = "/{app}/g{i}"\n'
             f'  retention_in_days = {[7, 14, 30][generation % 3]}\n}}\n'
             for i in range(log_groups)]
    return "".join(text)


def config(apps: dict[str, list[str]], manual: tuple[str, ...] = ()) -> str:
    lines = ["applications:"]
    for name, depends_on in apps.items():
        lines += [f"  - name: {name}", f"    path: apps/{name}",
                  f"    sync: {{auto: {str(name not in manual).lower()}}}",
                  f"    depends_on: [{', '.join(depends_on)}]"]
    return "\n".join([*lines, "policies: {fail_on: critical}", ""])


def commit_apps(repo: Path, apps: dict[str, list[str]], generation: int = 0, *,
                manual: tuple[str, ...] = (), **sizes: int) -> str:
    files = {f"apps/{name}/main.tf": resources(name, generation, **sizes) for name in apps}
    write(repo, {"purser.yaml": config(apps, manual), **files})
    return commit_work_tree(repo, f"generation {generation}")


def syncs(db: Database, phase: SyncPhase = SyncPhase.succeeded,
          trigger: str | None = "auto") -> Counter[tuple[str, str]]:
    """How many syncs of each (application, revision) ended in `phase`."""
    query = (select(AppRow.name, Sync.revision).join(AppRow, Sync.application_id == AppRow.id)
             .where(Sync.phase == phase))
    if trigger is not None:
        query = query.where(Sync.trigger == trigger)
    with db.session() as session:
        return Counter((row.name, row.revision) for row in session.execute(query))


def synced_by(db: Database) -> dict[str, set[str]]:
    """The controllers that ran a successful sync, with the applications each synced."""
    query = (select(AppRow.name, Sync.controller).join(AppRow, Sync.application_id == AppRow.id)
             .where(Sync.phase == SyncPhase.succeeded))
    found: dict[str, set[str]] = {}
    with db.session() as session:
        for row in session.execute(query):
            found.setdefault(row.controller, set()).add(row.name)
    return found
