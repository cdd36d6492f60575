"""Rollback by revert: a new commit in the repository, then a sync of that commit.

Git keeps the history: the rollback is a commit on the checked-out branch, written by
purser with `Purser-Rollback` trailers, never a reset. Without `--to` it reverts the
application's last synced commit; with `--to REF` it puts the application's folder back
as it was at REF (everything else in the repository stays as it is). The work tree is
updated to the new commit, so it is refused when tracked files have uncommitted changes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pygit2

from purser import ledger
from purser.git import GitError, open_repository, resolve, with_trailers
from purser.reconcile.drift import synced_revision
from purser.reconcile.sync import Reconciler, SyncResult, sync

_UNCOMMITTED = ~(pygit2.enums.FileStatus.WT_NEW | pygit2.enums.FileStatus.IGNORED
                 | pygit2.enums.FileStatus.CURRENT)


@dataclass
class Rollback:
    commit: str  # the revert commit purser wrote
    undone: str  # what it undid: the reverted commit, or the REF restored
    result: SyncResult


def rollback(reconciler: Reconciler, name: str, to: str | None = None) -> Rollback:
    repo = open_repository(reconciler.root)
    _require_clean(repo)
    _, config = reconciler.at("HEAD")
    application = config.application(name)
    if to is None:
        last = synced_revision(reconciler, name)
        if last is None:
            raise GitError(f"application {name} was never synced: nothing to roll back "
                           "(name a revision with --to)")
        commit = _revert(repo, last, name)
        undone = last
    else:
        undone = resolve(reconciler.root, to)
        commit = _restore(repo, undone, _folder(repo, reconciler, application.path), name)
    ledger.append(reconciler.db, ledger.Event(
        actor=reconciler.actor, action="rollback", subject=name, application=name,
        revision=commit, inputs_digest=undone[:64], outcome="committed",
        explanation=(f"wrote {commit[:12]} reverting {undone[:12]}" if to is None else
                     f"wrote {commit[:12]} restoring {application.path} as of {undone[:12]}")))
    return Rollback(commit, undone, sync(reconciler, name, commit, trigger="rollback"))


def _revert(repo: pygit2.Repository, sha: str, name: str) -> str:
    head = repo.head.peel(pygit2.Commit)
    reverted = repo.get(sha)
    if not isinstance(reverted, pygit2.Commit):
        raise GitError(f"unknown revision '{sha}'")
    if len(reverted.parents) > 1:
        raise GitError(f"{sha[:12]} is a merge commit; roll back with --to REF instead")
    index = repo.revert_commit(reverted, head)
    if index.conflicts is not None:
        raise GitError(f"reverting {sha[:12]} conflicts with later commits; roll back with "
                       "--to REF, or revert by hand")
    summary = reverted.message.splitlines()[0] if reverted.message else sha[:12]
    message = with_trailers(f'Revert "{summary}"\n\nThis reverts commit {sha}.',
                            {"Purser-Rollback": name, "Purser-Reverts": sha})
    return _commit_on_head(repo, index.write_tree(repo), message)


def _restore(repo: pygit2.Repository, sha: str, folder: str, name: str) -> str:
    target = repo.get(sha)
    assert isinstance(target, pygit2.Commit)
    head = repo.head.peel(pygit2.Commit)
    tree = _with_subtree(repo, head.tree, folder.split("/") if folder else [],
                         _subtree_id(target.tree, folder))
    message = with_trailers(f"Roll {name} back to {sha[:12]}",
                            {"Purser-Rollback": name, "Purser-Restores": sha})
    return _commit_on_head(repo, tree, message)


def _commit_on_head(repo: pygit2.Repository, tree: pygit2.Oid, message: str) -> str:
    head = repo.head.peel(pygit2.Commit)
    if tree == head.tree.id:
        raise GitError("nothing to roll back: the result is the current commit's tree")
    signature = _signature(repo)
    sha = repo.create_commit("HEAD", signature, signature, message, tree, [head.id])
    repo.checkout_head(strategy=pygit2.enums.CheckoutStrategy.FORCE)
    return str(sha)


def _require_clean(repo: pygit2.Repository) -> None:
    if repo.head_is_unborn or repo.head_is_detached:
        raise GitError("rollback commits on the checked-out branch; check a branch out first")
    dirty = sorted(path for path, flags in repo.status().items() if flags & _UNCOMMITTED)
    if dirty:
        raise GitError("uncommitted changes to tracked files (commit or stash them first): "
                       + ", ".join(dirty[:5]))


def _folder(repo: pygit2.Repository, reconciler: Reconciler, path: str) -> str:
    """The application's folder as a path in the git tree."""
    workdir = repo.workdir.rstrip("/")
    prefix = str(reconciler.root.resolve().relative_to(workdir)) if workdir else ""
    joined = "/".join(p for p in (prefix, path) if p and p != ".")
    return joined.strip("/")


def _subtree_id(tree: pygit2.Tree, folder: str) -> pygit2.Oid | None:
    if not folder:
        return tree.id
    try:
        return tree[folder].id
    except KeyError:
        return None  # the folder did not exist then: restoring it means removing it


def _with_subtree(repo: pygit2.Repository, tree: pygit2.Tree, parts: list[str],
                  replacement: pygit2.Oid | None) -> pygit2.Oid:
    """`tree` with the folder at `parts` replaced by `replacement` (None removes it)."""
    if not parts:
        return replacement or repo.TreeBuilder().write()
    builder = repo.TreeBuilder(tree)
    current = builder.get(parts[0])
    if len(parts) == 1:
        new = replacement
    else:
        inner = repo[current.id] if current is not None else None
        if not isinstance(inner, pygit2.Tree):
            inner = repo[repo.TreeBuilder().write()].peel(pygit2.Tree)
        new = _with_subtree(repo, inner, parts[1:], replacement)
    if current is not None:
        builder.remove(parts[0])
    if new is not None:
        builder.insert(parts[0], new, pygit2.enums.FileMode.TREE)
    return builder.write()


def _signature(repo: pygit2.Repository) -> pygit2.Signature:
    try:
        return repo.default_signature
    except (KeyError, pygit2.GitError):
        return pygit2.Signature("purser", "purser@localhost")
