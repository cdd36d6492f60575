"""Where the warehouse lives: `--warehouse DIR`, else `.purser/warehouse/` of the repository.

The folder holds Parquet that purser reads back as facts about spend, so a checked-out tree
must not be able to supply it: a folder (or `.purser/`) that is a symbolic link leading out
of the repository, or one holding files that git tracks, is refused. `.purser/` carries a
`.gitignore` of `*` so that nothing written there is ever committed.
"""

from __future__ import annotations

from pathlib import Path

import pygit2

from purser.warehouse.errors import WarehouseError

STATE_FOLDER = ".purser"
WAREHOUSE_FOLDER = "warehouse"


def warehouse_folder(root: Path, option: Path | None = None, *, create: bool = True) -> Path:
    """The warehouse folder for the repository at `root`, checked and (optionally) created."""
    root = root.resolve()
    chosen = option if option is not None else root / STATE_FOLDER / WAREHOUSE_FOLDER
    folder = chosen if chosen.is_absolute() else Path.cwd() / chosen
    _refuse_escaping_links(root, folder)
    folder = folder.resolve()
    _refuse_tracked(root, folder)
    if create:
        _prepare(root, folder)
    return folder


def _refuse_escaping_links(root: Path, folder: Path) -> None:
    """A link at or above `folder`, inside the repository, must stay in the repository."""
    if not folder.absolute().is_relative_to(root):
        return  # named on the command line outside the repository: the operator's choice
    for candidate in (folder, *folder.parents):
        if candidate == root:
            return
        if candidate.is_symlink() and not candidate.resolve().is_relative_to(root):
            raise WarehouseError(f"{candidate} is a symbolic link leading outside the repository "
                                 f"({candidate.resolve()}); refusing to keep the warehouse there")


def _refuse_tracked(root: Path, folder: Path) -> None:
    tracked = _tracked_under(root, folder)
    if tracked:
        raise WarehouseError(f"{folder} holds files committed to the repository ({tracked}): "
                             "billing facts that arrive with a checkout would be believed. "
                             "Remove them from git, or name another folder with --warehouse")


def _tracked_under(root: Path, folder: Path) -> str | None:
    """A path git tracks (index or HEAD) at or under `folder`, if any."""
    try:
        repo = pygit2.Repository(str(root))
    except (pygit2.GitError, KeyError):
        return None
    workdir = Path(repo.workdir).resolve() if repo.workdir else None
    if workdir is None or not folder.is_relative_to(workdir):
        return None
    prefix = folder.relative_to(workdir).as_posix()
    inside = (lambda path: True) if prefix == "." else (
        lambda path: path == prefix or path.startswith(prefix + "/"))
    for entry in repo.index:
        if inside(entry.path):
            return entry.path
    try:
        tree = repo.head.peel(pygit2.Commit).tree
        return prefix if prefix != "." and prefix in tree else None
    except (KeyError, pygit2.GitError):
        return None


def _prepare(root: Path, folder: Path) -> None:
    try:
        if folder.is_relative_to(root / STATE_FOLDER):
            state = root / STATE_FOLDER
            state.mkdir(exist_ok=True)
            ignore = state / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# purser's local state: never committed\n*\n")
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseError(f"cannot prepare {folder}: {exc.strerror or exc}") from exc
