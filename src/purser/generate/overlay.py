"""The target repository with the generated files laid over it, as a `purser.tree.Tree`:
the gate reads it exactly as it would read the branch, before anything is written."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from purser.safefile import Refused
from purser.sources import reads
from purser.tree import Listing, RepoFile, Tree


@dataclass
class Overlay:
    base: Tree
    generated: dict[str, bytes]  # repository-relative path → bytes

    @property
    def root(self) -> Path:
        return self.base.root

    @property
    def revision(self) -> str | None:
        return None

    def exists(self, rel: str) -> bool:
        return posixpath.normpath(rel) in self.generated or self.base.exists(rel)

    def read(self, rel: str) -> bytes:
        found = self.generated.get(posixpath.normpath(rel))
        return found if found is not None else self.base.read(rel)

    def read_folder(self, rel: str) -> dict[str, bytes]:
        folder = posixpath.normpath(rel)
        try:
            found = dict(self.base.read_folder(rel))
        except (OSError, Refused):
            found = {}
        found.update({posixpath.basename(path): data for path, data in self.generated.items()
                      if posixpath.dirname(path) == folder})
        return found

    def files_listing(self) -> list[RepoFile]:
        return [RepoFile(path=self.root / rel, rel=rel, data=data)
                for rel, data in sorted(self.generated.items()) if reads(posixpath.basename(rel))]

    def files(self, exclude: Iterable[str] = ()) -> Listing:
        listing = self.base.files(exclude)
        ours = self.files_listing()
        replaced = {f.rel for f in ours}
        kept = [f for f in listing.files if f.rel not in replaced]
        return Listing(sorted(kept + ours, key=lambda f: f.rel),
                       [e for e in listing.errors if e.file not in replaced])

    @contextmanager
    def on_disk(self, rel: str) -> Iterator[Path]:
        with self.base.on_disk(rel) as folder:
            yield folder
