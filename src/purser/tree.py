"""A repository as the gate reads it: the work tree on disk or a git revision, alike.

Everything a check reads from the repository (sources, module folders, `purser.yaml`,
usage files, waiver lines, inline ignores, Rego policies) goes through one `Tree`, so a
check of an older commit never mixes in a file of the work tree. Implementations:
`purser.sources.worktree.WorkTree` (the disk, through `purser.safefile`) and
`purser.git.GitTree` (blobs of one commit, links never followed, sizes bounded).
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from purser.model import SourceError


@dataclass(frozen=True)
class RepoFile:
    """A file inside the repository, read once by the listing."""

    path: Path  # absolute (for a revision: where it would lie in the work tree)
    rel: str  # repository-relative, POSIX separators
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


@dataclass
class Listing:
    """The source files of a tree, and one error per file that could not be read."""

    files: list[RepoFile] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)


class Tree(Protocol):
    """Read-only access to one state of the repository; paths are repository-relative."""

    @property
    def root(self) -> Path:
        """The repository folder on disk (for a revision: the work tree holding it)."""
        ...

    @property
    def revision(self) -> str | None:
        """The commit sha; None for the work tree."""
        ...

    def exists(self, rel: str) -> bool:
        """True when `rel` names an entry (a link counts, even a broken one)."""
        ...

    def read(self, rel: str) -> bytes:
        """The bytes of one regular file; `safefile.Refused` says why not."""
        ...

    def read_folder(self, rel: str) -> dict[str, bytes]:
        """The regular files directly inside a folder, by name ({} when there is none)."""
        ...

    def files(self, exclude: Iterable[str] = ()) -> Listing:
        """Every source file, honouring the root's `.gitignore`/`.purserignore` and
        `exclude` (the walk's rules: `purser.sources.walk`)."""
        ...

    def on_disk(self, rel: str) -> AbstractContextManager[Path]:
        """A folder on disk standing for the root and holding `rel` as this tree has it,
        for programs that read files themselves (the Rego sandbox, Checkov): the work tree
        is its own; a revision is written out for the while."""
        ...

