"""Desired state at any git revision, read straight from the object database (pygit2).

Nothing here checks a revision out or touches the work tree: files are read from the
revision's tree, and `commit_files` writes a commit on a branch with a tree builder.

Paths are relative to the *infrastructure repository root*, which may be a subfolder of
the git work tree (a monorepo's `infra/`): `tree_files(root, "main")` returns the files
under that folder with `rel` paths as the working-tree walk would give them.
"""

from __future__ import annotations

import errno
import posixpath
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from pathlib import Path, PurePosixPath

import pathspec
import pygit2

from purser.config import Config
from purser.model import SourceError
from purser.safefile import MAX_FILE_BYTES, Refused, check_folder_total, too_big
from purser.sources import Loaded, RepoFile, load_repository, reads
from purser.sources.walk import IGNORE_FILES, SKIPPED_DIRS
from purser.tree import Listing

DEFAULT_AUTHOR_NAME = "purser"
DEFAULT_AUTHOR_EMAIL = "purser@localhost"


class GitError(Exception):
    """A repository or revision that cannot be used; the message is shown to the user as is."""


@dataclass(frozen=True)
class Author:
    name: str
    email: str


#: Most bytes a revision written out for a program (`GitTree.on_disk`) may hold.
MAX_EXPORT_BYTES = 256 * 2**20


def open_repository(path: Path) -> pygit2.Repository:
    """The git repository containing `path` (searched upwards, like `git` does)."""
    found = pygit2.discover_repository(str(path))
    if found is None:
        raise GitError(f"{path}: not inside a git repository")
    return pygit2.Repository(found)


def resolve(repo_path: Path, rev: str) -> str:
    """The commit sha a revision names (`main`, `HEAD~1`, a sha, a tag, `origin/main`)."""
    return str(_commit(open_repository(repo_path), rev).id)


def merge_base(repo_path: Path, a: str, b: str) -> str | None:
    """The best common ancestor of two revisions, or None when their histories are unrelated."""
    repo = open_repository(repo_path)
    found = repo.merge_base(_commit(repo, a).id, _commit(repo, b).id)
    return str(found) if found is not None else None


def tree_files(repo_path: Path, rev: str, subdir: str = "") -> list[RepoFile]:
    """The source files of `rev` under the infrastructure root (and `subdir` inside it)."""
    return list_tree(repo_path, rev, subdir).files


def list_tree(repo_path: Path, rev: str, subdir: str = "",
              exclude: list[str] | None = None) -> Listing:
    """Like `tree_files`, also naming the files skipped (too large, not UTF-8).

    The rules are the working-tree walk's (`purser.sources.walk`): its extensions, size
    bound, skipped folders, and the root's `.gitignore`/`.purserignore` as of `rev`.
    Symbolic links are not followed: in git they are only a target path."""
    repo = open_repository(repo_path)
    root = Path(repo_path).resolve()
    prefix = _prefix(repo, root)
    start = posixpath.join(prefix, subdir.strip("/")) if subdir.strip("/") else prefix
    top = _commit(repo, rev).tree
    tree = _subtree(repo, top, start)
    listing = Listing()
    if tree is None:
        return listing
    excluded = _ignore_spec(repo, top, prefix, exclude or [])
    base = posixpath.relpath(start, prefix) if start != prefix else ""
    _collect(repo, tree, base, root, excluded, listing)
    listing.files.sort(key=lambda f: f.rel)
    return listing


def read_file(repo_path: Path, rev: str, rel: str) -> bytes | None:
    """The bytes of one file at `rev` (`rel` relative to the infrastructure root), or None."""
    repo = open_repository(repo_path)
    path = posixpath.join(_prefix(repo, Path(repo_path).resolve()), rel.strip("/"))
    try:
        entry = _commit(repo, rev).tree[path]
    except KeyError:
        return None
    blob = repo[entry.id]
    return blob.data if isinstance(blob, pygit2.Blob) else None


def load_revision(root: Path, rev: str, config: Config, *,
                  variables: dict[str, str] | None = None,
                  cache_dir: Path | None = None) -> Loaded:
    """Every resource the repository described at `rev`, parsed from git, not the disk."""
    return load_repository(GitTree.at(root, rev), config, variables=variables,
                           cache_dir=cache_dir)


class GitTree:
    """The repository at one commit, as a `purser.tree.Tree`: blobs read from the object
    database, symbolic links never followed (in git they are only a target path), files
    above `MAX_FILE_BYTES` refused like the walk's, nothing outside the infrastructure root."""

    def __init__(self, root: Path, sha: str) -> None:
        self.root = Path(root).resolve()
        self.revision: str | None = sha
        self._sha = sha

    @classmethod
    def at(cls, root: Path, rev: str) -> GitTree:
        """The tree of the commit `rev` names (`HEAD~1`, a branch, a sha); `GitError` if none."""
        return cls(root, resolve(root, rev))

    @cached_property
    def _repo(self) -> pygit2.Repository:
        return open_repository(self.root)

    @cached_property
    def _prefix(self) -> str:
        return _prefix(self._repo, self.root)

    def _entry(self, rel: str) -> pygit2.Object | None:
        path = self._inside(rel)
        try:
            return _commit(self._repo, self._sha).tree[path] if path else None
        except KeyError:
            return None

    def _inside(self, rel: str) -> str:
        """The git path of a repository-relative `rel`; `Refused` when it leaves the root."""
        if PurePosixPath(rel).is_absolute():
            raise Refused(f"absolute path {rel!r} is not allowed here; paths are relative to "
                          "the repository")
        path = posixpath.normpath(posixpath.join(self._prefix, rel))
        if path == ".":
            return ""
        if path == ".." or path.startswith("../") or (
                self._prefix and not (path + "/").startswith(self._prefix + "/")):
            raise Refused(f"{rel} is outside the repository; not read")
        return path

    def exists(self, rel: str) -> bool:
        return self._entry(rel) is not None

    def read(self, rel: str) -> bytes:
        entry = self._entry(rel)
        if entry is None:
            raise Refused("cannot read: no such file at this revision")
        if entry.filemode == pygit2.enums.FileMode.LINK:
            raise Refused("a symbolic link; not followed")
        blob = self._repo[entry.id]
        if not isinstance(blob, pygit2.Blob):
            raise Refused("not a regular file (a folder); not read")
        if blob.size > MAX_FILE_BYTES:
            raise Refused(too_big(blob.size, MAX_FILE_BYTES))
        return blob.data

    def read_folder(self, rel: str) -> dict[str, bytes]:
        try:
            path = self._inside(rel)
        except Refused as refused:
            raise OSError(errno.EACCES, refused.reason) from None
        tree = _subtree(self._repo, _commit(self._repo, self._sha).tree, path)
        files: dict[str, bytes] = {}
        total = 0
        for entry in tree or ():
            blob = self._repo[entry.id]
            if (entry.name and isinstance(blob, pygit2.Blob)
                    and entry.filemode != pygit2.enums.FileMode.LINK):
                if blob.size > MAX_FILE_BYTES:
                    raise OSError(errno.EFBIG, f"{entry.name} is above the "
                                               f"{MAX_FILE_BYTES // 2**20} MB limit; not read")
                total += blob.size
                check_folder_total(total, rel)
                files[entry.name] = blob.data
        return files

    def files(self, exclude: Iterable[str] = ()) -> Listing:
        return list_tree(self.root, self._sha, exclude=list(exclude))

    @contextmanager
    def on_disk(self, rel: str) -> Iterator[Path]:
        """A temporary folder standing for the root, holding `rel` as of this commit
        (regular files only, `MAX_EXPORT_BYTES` in all); removed afterwards."""
        path = self._inside(rel)
        with tempfile.TemporaryDirectory(prefix="purser-rev-") as folder:
            target = Path(folder, posixpath.relpath(path or ".", self._prefix or "."))
            target.mkdir(parents=True, exist_ok=True)
            start = _subtree(self._repo, _commit(self._repo, self._sha).tree, path)
            _export(self._repo, start, target, [MAX_EXPORT_BYTES])
            yield Path(folder)


def _export(repo: pygit2.Repository, tree: pygit2.Tree | None, folder: Path,
            budget: list[int]) -> None:
    for entry in tree or ():
        target, name = repo[entry.id], entry.name or ""
        if not name or name in SKIPPED_DIRS:
            continue
        if isinstance(target, pygit2.Tree):
            (folder / name).mkdir()
            _export(repo, target, folder / name, budget)
        elif (isinstance(target, pygit2.Blob) and entry.filemode != pygit2.enums.FileMode.LINK
              and target.size <= min(MAX_FILE_BYTES, budget[0])):
            budget[0] -= target.size
            (folder / name).write_bytes(target.data)


def commit_work_tree(path: Path, message: str, author: Author | None = None, *,
                     at: datetime | None = None) -> str:
    """Stage every file of the work tree at `path` and commit it on HEAD (`git add -A` and
    `git commit`); a folder that is no repository yet becomes one, on branch `main`.
    `at` dates the commit (a history written after the fact, as the demo data's is)."""
    repo = (pygit2.Repository(str(path)) if (Path(path) / ".git").exists()
            else pygit2.init_repository(str(path), initial_head="main"))
    repo.index.add_all()
    repo.index.write()
    tree = repo.index.write_tree()
    signature = _signature(repo, author, at)
    parents = [] if repo.head_is_unborn else [repo.head.target]
    return str(repo.create_commit("HEAD", signature, signature, message, tree, parents))


def create_branch(repo_path: Path, name: str, start: str = "HEAD", *,
                  force: bool = False) -> str:
    """Create branch `name` at revision `start`; returns its commit sha."""
    repo = open_repository(repo_path)
    commit = _commit(repo, start)
    if not force and repo.lookup_branch(name) is not None:
        raise GitError(f"branch '{name}' already exists")
    try:
        repo.create_branch(name, commit, force)
    except (ValueError, pygit2.GitError) as exc:
        raise GitError(f"cannot create branch '{name}': {exc}") from None
    return str(commit.id)


def commit_files(repo_path: Path, branch: str, files: dict[str, bytes | None], message: str,
                 trailers: dict[str, str] | None = None, author: Author | None = None) -> str:
    """Commit `files` (rel path → new bytes, None deletes) on top of `branch`; returns the sha.

    Written with tree builders, so the work tree and the index stay as they are. The
    checked-out branch is refused for that reason: its work tree would silently lag behind.
    """
    repo = open_repository(repo_path)
    reference = repo.lookup_branch(branch)
    if reference is None:
        raise GitError(f"unknown branch '{branch}'")
    if not repo.head_is_unborn and not repo.head_is_detached and repo.head.name == reference.name:
        raise GitError(f"branch '{branch}' is checked out; commit to another branch")
    parent = reference.peel(pygit2.Commit)
    prefix = _prefix(repo, Path(repo_path).resolve())
    changes = {_repo_path(prefix, rel): data for rel, data in files.items()}
    tree_id = _write_tree(repo, parent.tree, changes)
    signature = _signature(repo, author)
    sha = repo.create_commit(reference.name, signature, signature,
                             with_trailers(message, trailers or {}), tree_id, [parent.id])
    return str(sha)


def commit_trailers(repo_path: Path, rev: str) -> dict[str, str]:
    """The `Key: value` trailers of a commit message."""
    return dict(_commit(open_repository(repo_path), rev).message_trailers)


def with_trailers(message: str, trailers: dict[str, str]) -> str:
    """`message` followed by a blank line and one `Key: value` line per trailer."""
    body = message.rstrip("\n")
    if not trailers:
        return body + "\n"
    for key, value in trailers.items():
        if not key or ":" in key or "\n" in key or "\n" in value:
            raise GitError(f"invalid trailer {key!r}: {value!r}")
    lines = "\n".join(f"{key}: {value}" for key, value in trailers.items())
    return f"{body}\n\n{lines}\n"


def _commit(repo: pygit2.Repository, rev: str) -> pygit2.Commit:
    try:
        return repo.revparse_single(rev).peel(pygit2.Commit)
    except (KeyError, ValueError, pygit2.GitError, pygit2.InvalidSpecError):
        raise GitError(f"unknown revision '{rev}'") from None


def _prefix(repo: pygit2.Repository, root: Path) -> str:
    """Where the infrastructure root lies inside the git tree ("" at the top)."""
    if repo.workdir is None:
        return ""
    workdir = Path(repo.workdir).resolve()
    if not root.is_relative_to(workdir):
        raise GitError(f"{root}: not inside the git work tree {workdir}")
    rel = root.relative_to(workdir).as_posix()
    return "" if rel == "." else rel


def _repo_path(prefix: str, rel: str) -> str:
    parts = PurePosixPath(rel.strip("/")).parts
    if not parts or ".." in parts or parts[0] == ".git":
        raise GitError(f"invalid path to commit: {rel!r}")
    return posixpath.join(prefix, *parts) if prefix else posixpath.join(*parts)


def _subtree(repo: pygit2.Repository, tree: pygit2.Tree, path: str) -> pygit2.Tree | None:
    if not path:
        return tree
    try:
        found = repo[tree[path].id]
    except KeyError:
        return None
    return found if isinstance(found, pygit2.Tree) else None


def _ignore_spec(repo: pygit2.Repository, tree: pygit2.Tree, prefix: str,
                 exclude: list[str]) -> pathspec.GitIgnoreSpec:
    """The walk's ignore rules as they stood at this revision: the root's ignore files
    (read from the tree, not the disk) and the configured excludes."""
    lines: list[str] = []
    for name in IGNORE_FILES:
        try:
            blob = repo[tree[posixpath.join(prefix, name)].id]
        except KeyError:
            continue
        if isinstance(blob, pygit2.Blob):
            lines += blob.data.decode("utf-8", errors="replace").splitlines()
    return pathspec.GitIgnoreSpec.from_lines([*lines, *exclude])


def _collect(repo: pygit2.Repository, tree: pygit2.Tree, base: str, root: Path,
             excluded: pathspec.GitIgnoreSpec, listing: Listing) -> None:
    for entry in tree:
        name = entry.name or ""
        rel = f"{base}/{name}" if base else name
        target = repo[entry.id]
        if isinstance(target, pygit2.Tree):
            if name not in SKIPPED_DIRS and not excluded.match_file(rel + "/"):
                _collect(repo, target, rel, root, excluded, listing)
        elif isinstance(target, pygit2.Blob) and _is_source(entry, rel, excluded):
            _read_blob(target, rel, root, listing)


def _read_blob(blob: pygit2.Blob, rel: str, root: Path, listing: Listing) -> None:
    """The walk's checks on one file: its size, then UTF-8 (a binary is not source)."""
    if blob.size > MAX_FILE_BYTES:
        listing.errors.append(SourceError(
            file=rel, message=f"file is {blob.size / 2**20:.1f} MB, above the "
                              f"{MAX_FILE_BYTES // 2**20} MB limit; skipped"))
        return
    data = blob.data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        listing.errors.append(SourceError(
            file=rel, line=data.count(b"\n", 0, exc.start) + 1,
            message=f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); skipped"))
        return
    listing.files.append(RepoFile(path=root / rel, rel=rel, data=data))


def _is_source(entry: pygit2.Object, rel: str, excluded: pathspec.GitIgnoreSpec) -> bool:
    return (entry.filemode != pygit2.enums.FileMode.LINK
            and reads(PurePosixPath(rel).name)
            and not excluded.match_file(rel))


def _write_tree(repo: pygit2.Repository, tree: pygit2.Tree | None,
                changes: dict[str, bytes | None]) -> pygit2.Oid:
    """A copy of `tree` with `changes` applied; paths are relative to `tree`."""
    builder = repo.TreeBuilder(tree) if tree is not None else repo.TreeBuilder()
    nested: dict[str, dict[str, bytes | None]] = {}
    for path, data in changes.items():
        head, _, rest = path.partition("/")
        if rest:
            nested.setdefault(head, {})[rest] = data
        elif data is None:
            if builder.get(head) is not None:
                builder.remove(head)
        else:
            builder.insert(head, repo.create_blob(data), pygit2.enums.FileMode.BLOB)
    for name, inner in nested.items():
        current = builder.get(name)
        subtree = repo[current.id] if current is not None else None
        child = _write_tree(repo, subtree if isinstance(subtree, pygit2.Tree) else None, inner)
        written = repo[child]
        if isinstance(written, pygit2.Tree) and len(written) == 0:
            if current is not None:
                builder.remove(name)
        else:
            builder.insert(name, child, pygit2.enums.FileMode.TREE)
    return builder.write()


def _signature(repo: pygit2.Repository, author: Author | None,
               at: datetime | None = None) -> pygit2.Signature:
    if author is None:
        try:
            found = repo.default_signature
        except (KeyError, pygit2.GitError):
            found = pygit2.Signature(DEFAULT_AUTHOR_NAME, DEFAULT_AUTHOR_EMAIL)
        author = Author(found.name, found.email)
    if at is None:
        return pygit2.Signature(author.name, author.email)
    offset = at.utcoffset() or timedelta(0)
    return pygit2.Signature(author.name, author.email, int(at.timestamp()),
                            int(offset.total_seconds() // 60))
