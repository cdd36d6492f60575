"""Syncing one application of a real git repository, for the tests of tagless children:
commit the files, sync through `purser.reconcile.sync`, with prune on or off."""

from __future__ import annotations

from pathlib import Path

from purser.git import commit_work_tree
from purser.reconcile.sync import Reconciler, SyncResult, sync
from purser.store import open_database
from tests.sources.tree import write

CONFIG = """
applications:
  - name: shop
    path: infra
    sync: {prune: %s}
policies: {fail_on: critical}
"""


def synced(root: Path, files: dict[str, str], message: str, *, prune: bool = True,
           removed: tuple[str, ...] = ()) -> SyncResult:
    """Write `files` (under `root`/repo, paths relative to the application's folder),
    delete `removed`, commit, and sync application `shop` with state in `root`."""
    repo = root / "repo"
    write(repo, {"purser.yaml": CONFIG % str(prune).lower(),
                 **{f"infra/{path}": text for path, text in files.items()}})
    for path in removed:
        (repo / "infra" / path).unlink()
    commit_work_tree(repo, message)
    with open_database(f"sqlite:///{root / 'state.db'}") as db:
        return sync(Reconciler(root=repo, db=db, actor="test"), "shop")


def actions(result: SyncResult) -> dict[str, str]:
    assert result.plan is not None, result.message
    return {step.address: step.action.value for step in result.plan.steps}
