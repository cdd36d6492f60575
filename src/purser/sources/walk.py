"""The repository walk: which files the source formats get to see, read once each.

Only the files some format says it reads (`purser.sources.reads`) are opened; tool and
dependency folders are never entered; `.gitignore`, `.purserignore` and the configured
excludes are honoured; a symlink that leaves the repository (or loops) is refused, and so is
a file too big to be infrastructure code. Every refusal is one `SourceError` naming the
file, and the walk goes on.
"""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pathspec

from purser.model import SourceError
from purser.safefile import Refused, decode, is_within, read, read_path, reason
from purser.sources import RepoFile, reads

SKIPPED_DIRS = frozenset({".git", ".purser", ".terraform", ".venv", "node_modules"})
IGNORE_FILES = (".gitignore", ".purserignore")



@dataclass
class Walked:
    files: list[RepoFile] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)


def walk(root: Path, exclude: Iterable[str] = ()) -> Walked:
    """Every readable file of interest under `root`, sorted by relative path."""
    walker = _Walker(root, _ignore_spec(root, exclude))
    walker.visit_dir(Path(walker.root), "")
    walker.found.files.sort(key=lambda f: f.rel)
    walker.found.errors.sort(key=lambda e: e.file)
    return walker.found


def _ignore_spec(root: Path, exclude: Iterable[str]) -> pathspec.GitIgnoreSpec:
    lines: list[str] = []
    for name in IGNORE_FILES:
        if os.path.lexists(root / name):  # no such file: nothing ignored by it
            with contextlib.suppress(Refused):  # a FIFO or a link out: ignores nothing
                lines += read(root, name).decode("utf-8", errors="replace").splitlines()
    lines += exclude
    return pathspec.GitIgnoreSpec.from_lines(lines)


class _Walker:
    def __init__(self, root: Path, ignored: pathspec.GitIgnoreSpec) -> None:
        self.root = os.path.realpath(root)
        self.ignored = ignored
        self.found = Walked()

    def visit_dir(self, folder: Path, rel_dir: str) -> None:
        try:
            entries = list(os.scandir(folder))
        except OSError as exc:
            self._error(rel_dir or ".", f"cannot list the folder: {reason(exc)}")
            return
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                self._visit_entry(folder, entry, rel)
            except OSError as exc:  # vanished or unreadable between scandir and stat
                self._error(rel, f"cannot read: {reason(exc)}")

    def _visit_entry(self, folder: Path, entry: os.DirEntry[str], rel: str) -> None:
        if entry.is_symlink():
            self._visit_link(folder, entry, rel)
        elif entry.is_dir(follow_symlinks=False):
            if entry.name not in SKIPPED_DIRS and not self.ignored.match_file(rel + "/"):
                self.visit_dir(folder / entry.name, rel)
        elif reads(entry.name) and not self.ignored.match_file(rel):
            self._read(folder, entry, rel)  # a FIFO or device is refused there, with a word

    def _visit_link(self, folder: Path, entry: os.DirEntry[str], rel: str) -> None:
        """A link is read only when it resolves inside the repository. A linked folder
        inside is walked at its own place already, so it is not walked twice."""
        try:
            target = os.path.realpath(entry.path, strict=True)
        except OSError as exc:
            ignored = self.ignored.match_file(rel) or self.ignored.match_file(rel + "/")
            if exc.errno == errno.ELOOP and not ignored:
                self._error(rel, "symlink loop; not followed")
            elif reads(entry.name) and not ignored:
                self._error(rel, "symlink points to nothing (broken link); not followed")
            return
        if os.path.isdir(target):
            if entry.name in SKIPPED_DIRS or self.ignored.match_file(rel + "/"):
                return
            if not is_within(target, self.root):
                self._error(rel, f"symlink points outside the repository ({target}); "
                                 "not followed")
            elif is_within(os.path.realpath(os.path.dirname(entry.path)), target):
                self._error(rel, f"symlink loop (points at its own parent {target}); "
                                 "not followed")
            return
        if not reads(entry.name) or self.ignored.match_file(rel):
            return
        if not is_within(target, self.root):
            self._error(rel, f"symlink points outside the repository ({target}); not followed")
        else:
            self._read(folder, entry, rel)

    def _read(self, folder: Path, entry: os.DirEntry[str], rel: str) -> None:
        try:
            data = read_path(entry.path)
            decode(data)
        except Refused as refused:
            self.found.errors.append(SourceError(file=rel, line=refused.line,
                                                 message=refused.reason))
            return
        self.found.files.append(RepoFile(path=folder / entry.name, rel=rel, data=data))

    def _error(self, rel: str, message: str) -> None:
        self.found.errors.append(SourceError(file=rel, message=message))

