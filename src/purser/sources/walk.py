"""The repository walk: which files the source formats get to see, read once each.

Only the extensions some format reads are opened; tool and dependency folders are never
entered; `.gitignore`, `.purserignore` and the configured excludes are honoured; a
symlink that leaves the repository (or loops) is refused, and so is a file too big to be
infrastructure code. Every refusal is one `SourceError` naming the file, and the walk
goes on.
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
from purser.sources import RepoFile

#: Largest file the walk reads; infrastructure code is far smaller than this.
MAX_FILE_BYTES = 5 * 1024 * 1024

EXTENSIONS = frozenset({".tf", ".tfvars", ".json", ".yaml", ".yml", ".template"})
SKIPPED_DIRS = frozenset({".git", ".purser", ".terraform", ".venv", "node_modules"})
IGNORE_FILES = (".gitignore", ".purserignore")

_MB = 1024 * 1024


@dataclass
class Walked:
    files: list[RepoFile] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)


def walk(root: Path, exclude: Iterable[str] = ()) -> Walked:
    """Every readable file of interest under `root`, sorted by relative path."""
    walker = _Walker(root, _ignore_spec(root, exclude))
    walker.visit_dir(walker.root, "")
    walker.found.files.sort(key=lambda f: f.rel)
    walker.found.errors.sort(key=lambda e: e.file)
    return walker.found


def _ignore_spec(root: Path, exclude: Iterable[str]) -> pathspec.GitIgnoreSpec:
    lines: list[str] = []
    for name in IGNORE_FILES:
        with contextlib.suppress(OSError):  # no such file: nothing ignored by it
            lines += (root / name).read_text(encoding="utf-8", errors="replace").splitlines()
    lines += exclude
    return pathspec.GitIgnoreSpec.from_lines(lines)


class _Walker:
    def __init__(self, root: Path, ignored: pathspec.GitIgnoreSpec) -> None:
        self.root = os.path.realpath(root)
        self.ignored = ignored
        self.found = Walked()

    def visit_dir(self, path: str, rel_dir: str) -> None:
        try:
            entries = list(os.scandir(path))
        except OSError as exc:
            self._error(rel_dir or ".", f"cannot list the folder: {_reason(exc)}")
            return
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                self._visit_entry(entry, rel)
            except OSError as exc:  # vanished or unreadable between scandir and stat
                self._error(rel, f"cannot read: {_reason(exc)}")

    def _visit_entry(self, entry: os.DirEntry[str], rel: str) -> None:
        is_link = entry.is_symlink()
        is_dir = entry.is_dir()  # follows a link
        if is_dir:
            if entry.name in SKIPPED_DIRS or self.ignored.match_file(rel + "/"):
                return
            if is_link:
                self._visit_linked_dir(entry, rel)
            else:
                self.visit_dir(entry.path, rel)
            return
        if not is_link and not entry.is_file():
            return  # sockets, fifos, devices
        wanted = os.path.splitext(entry.name)[1].lower() in EXTENSIONS
        if not wanted and not (is_link and not entry.is_file()):
            return
        if self.ignored.match_file(rel):
            return
        if not wanted:  # a link to nothing: a looping one is worth a word, a broken one not
            self._resolve(entry.path, rel, report_broken=False)
            return
        if is_link and not self._link_stays_inside(entry.path, rel):
            return
        self._read(entry, rel)

    def _visit_linked_dir(self, entry: os.DirEntry[str], rel: str) -> None:
        """A folder reached through a link: inside the repository it is walked at its own
        place already, so it is not walked twice; one pointing above itself is a loop."""
        target = self._resolve(entry.path, rel)
        if target is None:
            return
        if not _is_within(target, self.root):
            self._error(rel, f"symlink points outside the repository ({target}); not followed")
        elif _is_within(os.path.realpath(os.path.dirname(entry.path)), target):
            self._error(rel, f"symlink loop (points at its own parent {target}); not followed")

    def _link_stays_inside(self, path: str, rel: str) -> bool:
        target = self._resolve(path, rel)
        if target is None:
            return False
        if not _is_within(target, self.root):
            self._error(rel, f"symlink points outside the repository ({target}); not followed")
            return False
        return True

    def _resolve(self, path: str, rel: str, *, report_broken: bool = True) -> str | None:
        try:
            return os.path.realpath(path, strict=True)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                self._error(rel, "symlink loop; not followed")
            elif report_broken:
                self._error(rel, "symlink points to nothing (broken link); not followed")
            return None

    def _read(self, entry: os.DirEntry[str], rel: str) -> None:
        size = entry.stat().st_size
        if size > MAX_FILE_BYTES:
            self._error(rel, f"file is {size / _MB:.1f} MB, above the "
                             f"{MAX_FILE_BYTES // _MB} MB limit; skipped")
            return
        try:
            with open(entry.path, "rb") as stream:
                data = stream.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            self._error(rel, f"cannot read: {_reason(exc)}")
            return
        if len(data) > MAX_FILE_BYTES:  # grew since stat
            self._error(rel, f"file is above the {MAX_FILE_BYTES // _MB} MB limit; skipped")
            return
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.found.errors.append(SourceError(
                file=rel, line=line,
                message=f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); skipped"))
            return
        self.found.files.append(RepoFile(path=Path(entry.path), rel=rel, data=data))

    def _error(self, rel: str, message: str) -> None:
        self.found.errors.append(SourceError(file=rel, message=message))


def _is_within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def _reason(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
