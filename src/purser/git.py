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
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import pathspec
import pygit2

from purser.config import Config
from purser.model import SourceError
from purser.safefile import MAX_FILE_BYTES
from purser.sources import LoadContext, Loaded, RepoFile, distinct_errors, load_files
from purser.sources.walk import EXTENSIONS, IGNORE_FILES, SKIPPED_DIRS

DEFAULT_AUTHOR_NAME = "purser"
DEFAULT_AUTHOR_EMAIL = "purser@localhost"


class GitError(Exception):
    """A repository or revision that cannot be used; the message is shown to the user as is."""


@dataclass(frozen=True)
class Author:
    name: str
    email: str


@dataclass
class TreeListing:
    files: list[RepoFile]
    errors: list[SourceError]


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
              exclude: list[str] | None = None) -> TreeListing:
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
    listing = TreeListing(files=[], errors=[])
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
    listing = list_tree(root, rev, exclude=config.policies.exclude)
    context = LoadContext(root=Path(root).resolve(), config=config,
                          variables=variables or {}, cache_dir=cache_dir,
                          read_folder=lambda folder: _folder_files(root, rev, folder))
    loaded = load_files(listing.files, context)
    loaded.errors = distinct_errors(listing.errors + loaded.errors)
    return loaded


def _folder_files(repo_path: Path, rev: str, folder: str) -> dict[str, bytes]:
    """The files directly inside `folder` at `rev` (for modules outside the listed files).
    Symbolic links are skipped (in git they are only a target path), a folder outside the
    infrastructure root and a file above the size bound are refused like the walk's."""
    repo = open_repository(repo_path)
    prefix = _prefix(repo, Path(repo_path).resolve())
    path = posixpath.normpath(posixpath.join(prefix, folder))
    if path.startswith("../") or path == ".." or not (
            not prefix or path == prefix or path.startswith(prefix.rstrip("/") + "/")):
        raise OSError(errno.EACCES, f"{folder} is outside the repository; not read")
    tree = _subtree(repo, _commit(repo, rev).tree, "" if path == "." else path)
    if tree is None:
        return {}
    files: dict[str, bytes] = {}
    for entry in tree:
        blob = repo[entry.id]
        if (entry.name and isinstance(blob, pygit2.Blob)
                and entry.filemode != pygit2.enums.FileMode.LINK):
            if blob.size > MAX_FILE_BYTES:
                raise OSError(errno.EFBIG, f"{entry.name} is above the "
                                           f"{MAX_FILE_BYTES // 2**20} MB limit; not read")
            files[entry.name] = blob.data
    return files


def commit_work_tree(path: Path, message: str, author: Author | None = None) -> str:
    """Stage every file of the work tree at `path` and commit it on HEAD (`git add -A` and
    `git commit`); a folder that is no repository yet becomes one, on branch `main`."""
    repo = (pygit2.Repository(str(path)) if (Path(path) / ".git").exists()
            else pygit2.init_repository(str(path), initial_head="main"))
    repo.index.add_all()
    repo.index.write()
    tree = repo.index.write_tree()
    signature = _signature(repo, author)
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
             excluded: pathspec.GitIgnoreSpec, listing: TreeListing) -> None:
    for entry in tree:
        name = entry.name or ""
        rel = f"{base}/{name}" if base else name
        target = repo[entry.id]
        if isinstance(target, pygit2.Tree):
            if name not in SKIPPED_DIRS and not excluded.match_file(rel + "/"):
                _collect(repo, target, rel, root, excluded, listing)
        elif isinstance(target, pygit2.Blob) and _is_source(entry, rel, excluded):
            _read_blob(target, rel, root, listing)


def _read_blob(blob: pygit2.Blob, rel: str, root: Path, listing: TreeListing) -> None:
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
            and PurePosixPath(rel).suffix.lower() in EXTENSIONS
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


def _signature(repo: pygit2.Repository, author: Author | None) -> pygit2.Signature:
    if author is not None:
        return pygit2.Signature(author.name, author.email)
    try:
        return repo.default_signature
    except (KeyError, pygit2.GitError):
        return pygit2.Signature(DEFAULT_AUTHOR_NAME, DEFAULT_AUTHOR_EMAIL)
