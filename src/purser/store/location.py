"""Where the state database lives: `--db URL`, else $PURSER_DB, else `.purser/state.db`.

The default file sits in the working repository's `.purser/` folder, which holds a
`.gitignore` of `*` so that nothing in it is ever committed. A `.purser/` or `state.db`
that is a symbolic link leading out of the repository is refused: a checked-out tree must
not be able to point purser's writes at another file.
"""

from __future__ import annotations

import os
from pathlib import Path

import pygit2

from purser.store.errors import StoreError

STATE_FOLDER = ".purser"
STATE_FILE = "state.db"
ENVIRONMENT_VARIABLE = "PURSER_DB"
SUPPORTED_SCHEMES = ("sqlite", "postgresql")


def database_url(root: Path, option: str | None = None, *, create: bool = True) -> str:
    """The URL of the state database for the repository at `root`.

    With `create=False` a missing default file is an error rather than a new database
    (for commands that only read what was recorded)."""
    chosen = option or os.environ.get(ENVIRONMENT_VARIABLE)
    if chosen:
        check_scheme(chosen)
        return chosen
    path = default_path(root)
    if create:
        prepare_folder(root)
    elif not path.exists():
        raise StoreError(f"no state database at {path} (nothing recorded yet); "
                         f"name one with --db URL or ${ENVIRONMENT_VARIABLE}")
    return f"sqlite:///{path}"


def default_path(root: Path) -> Path:
    """`.purser/state.db` of the repository, refused if it resolves outside the repository."""
    root = root.resolve()
    path = root / STATE_FOLDER / STATE_FILE
    for candidate in (path.parent, path):
        if candidate.is_symlink() and not candidate.resolve().is_relative_to(root):
            raise StoreError(f"{candidate} is a symbolic link leading outside the repository "
                             f"({candidate.resolve()}); refusing to keep state there")
    if _tracked(root, path):
        raise StoreError(f"{path.relative_to(root)} is committed to the repository: a state "
                         "database that arrived with a checkout could claim syncs, leases or "
                         "unfinished creates (and so hand purser resources it does not own). "
                         "Remove it from git, or name a database with --db or $PURSER_DB")
    return path


def _tracked(root: Path, path: Path) -> bool:
    """True when git tracks `path` (in the index or the checked-out commit)."""
    try:
        repo = pygit2.Repository(str(root))
    except (pygit2.GitError, KeyError):
        return False
    if repo.workdir is None:
        return False
    rel = path.relative_to(Path(repo.workdir).resolve()).as_posix() \
        if path.is_relative_to(Path(repo.workdir).resolve()) else None
    if rel is None:
        return False
    if rel in repo.index:
        return True
    try:
        repo.head.peel(pygit2.Commit).tree[rel]
    except (KeyError, pygit2.GitError):
        return False
    return True


def prepare_folder(root: Path) -> Path:
    """Create `.purser/` with a `.gitignore` of `*` (kept if already there)."""
    folder = default_path(root).parent
    try:
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# purser's local state: never committed\n*\n")
    except OSError as exc:
        raise StoreError(f"cannot prepare {folder}: {exc.strerror or exc}") from exc
    return folder


def check_scheme(url: str) -> None:
    scheme = url.partition(":")[0].partition("+")[0].lower()
    if scheme not in SUPPORTED_SCHEMES:
        raise StoreError(f"unsupported database URL {redacted(url)!r}: expected sqlite:///PATH "
                         "or postgresql+psycopg://USER@HOST/DATABASE")


def redacted(url: str) -> str:
    """The URL with any password hidden, for messages."""
    scheme, sep, rest = url.partition("://")
    credentials, at, place = rest.rpartition("@")
    if not sep or not at or ":" not in credentials:
        return url
    return f"{scheme}://{credentials.partition(':')[0]}:***@{place}"
