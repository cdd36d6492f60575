"""The work tree as a `purser.tree.Tree`: files on disk, read through `purser.safefile`."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from purser import safefile
from purser.sources.walk import walk
from purser.tree import Listing


@dataclass(frozen=True)
class WorkTree:
    """The repository as it is on disk at `root`."""

    root: Path
    revision: None = None

    def exists(self, rel: str) -> bool:
        return os.path.lexists(self.root / rel)

    def read(self, rel: str) -> bytes:
        return safefile.read(self.root, rel)

    def read_folder(self, rel: str) -> dict[str, bytes]:
        folder = safefile.inside(self.root, rel)
        if not folder.is_dir():
            return {}
        files: dict[str, bytes] = {}
        total = 0
        for path in sorted(folder.iterdir()):
            if path.is_file():
                files[path.name] = safefile.read(self.root, f"{rel}/{path.name}")
                total += len(files[path.name])
                safefile.check_folder_total(total, rel)
        return files

    def files(self, exclude: Iterable[str] = ()) -> Listing:
        walked = walk(self.root, exclude=exclude)
        return Listing(walked.files, walked.errors)

    @contextmanager
    def on_disk(self, rel: str) -> Iterator[Path]:
        yield self.root  # already there
