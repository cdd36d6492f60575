"""Input formats → `Resource`s. One module per format, each registered by name.

`load_repository` walks a repository, hands every file to the first format that claims
it, and gathers resources and per-file errors: one broken file never stops the others.
"""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Protocol

from purser.config import Config
from purser.kinds import canonicalize
from purser.model import Resource, SourceError
from purser.registry import Registry
from purser.sources.cache import ParseJob, prefetch


@dataclass(frozen=True)
class RepoFile:
    """A file inside the repository, read once by the walk."""

    path: Path  # absolute
    rel: str  # repository-relative, POSIX separators
    data: bytes

    @property
    def text(self) -> str:
        return self.data.decode("utf-8", errors="replace")

    @property
    def suffix(self) -> str:
        return self.path.suffix.lower()


@dataclass
class LoadContext:
    root: Path
    config: Config
    variables: dict[str, str] = field(default_factory=dict)  # -var NAME=VALUE overrides
    cache_dir: Path | None = None  # parse cache; None keeps it in memory only
    # Reads a repository-relative folder that the walk did not hand over (a Terraform module
    # outside the scanned files): {file name: bytes}. None reads the work tree; a git
    # revision passes its own reader so that nothing comes from the disk.
    read_folder: Callable[[str], dict[str, bytes]] | None = None


@dataclass
class Loaded:
    resources: list[Resource] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)

    def extend(self, other: Loaded) -> None:
        self.resources.extend(other.resources)
        self.errors.extend(other.errors)


class SourceFormat(Protocol):
    """A format may also define `parse_jobs(files, context) -> list[ParseJob]`: the parses
    its `load` will ask `cached_parse` for, so that `load_files` can run them on all cores
    beforehand."""

    name: ClassVar[str]

    def claims(self, file: RepoFile) -> bool:
        """Cheap test (name, first bytes) whether this format reads `file`."""
        ...

    def load(self, files: list[RepoFile], context: LoadContext) -> Loaded:
        """Parse the claimed files; errors are returned, never raised."""
        ...


formats: Registry[type[SourceFormat]] = Registry("source format", "purser.sources")

# Order matters: the first format that claims a file reads it.
_BUILTIN = ("terraform_plan", "terraform", "cloudformation", "kubernetes")


def _import_builtins() -> None:
    for module in _BUILTIN:
        importlib.import_module(f"purser.sources.{module}")


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Bulk loads build hundreds of thousands of acyclic objects (ASTs, manifests, findings):
    collector passes over them cost a third of a large check and free nothing."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def claim(files: Iterable[RepoFile]) -> dict[str, list[RepoFile]]:
    """Group files by the format that reads them; unclaimed files are skipped."""
    _import_builtins()
    readers = [(name, formats.get(name)()) for name in _BUILTIN] + [
        (name, cls()) for name, cls in formats.items() if name not in _BUILTIN]
    groups: dict[str, list[RepoFile]] = {name: [] for name, _ in readers}
    for file in files:
        for name, reader in readers:
            if reader.claims(file):
                groups[name].append(file)
                break
    return groups


def load_files(files: Iterable[RepoFile], context: LoadContext) -> Loaded:
    result = Loaded()
    with garbage_collection_paused():
        groups = {name: claimed for name, claimed in claim(files).items() if claimed}
        readers = {name: formats.get(name)() for name in groups}
        prefetch(_parse_jobs(readers, groups, context), context.cache_dir)
        for name, reader in readers.items():
            result.extend(reader.load(groups[name], context))
    for resource in result.resources:
        canonicalize(resource)  # one vocabulary: rules and pricers read canonical names
    result.resources.sort(key=lambda r: (r.source.file, r.source.line, r.address))
    result.errors = distinct_errors(result.errors)
    return result


def _parse_jobs(readers: dict[str, SourceFormat], groups: dict[str, list[RepoFile]],
                context: LoadContext) -> list[ParseJob]:
    jobs: list[ParseJob] = []
    for name, reader in readers.items():
        parse_jobs = getattr(reader, "parse_jobs", None)
        try:
            jobs.extend(parse_jobs(groups[name], context) if parse_jobs else [])
        except Exception:  # prefetching is an optimisation; the format's load still runs
            continue
    return jobs


def distinct_errors(errors: Iterable[SourceError]) -> list[SourceError]:
    """Errors sorted by place, each once: a file that both the walk and a module reader
    refused (a link out of the tree inside a module folder) is one problem."""
    unique = {(e.file, e.line, e.message): e for e in errors}
    return sorted(unique.values(), key=lambda e: (e.file, e.line, e.message))


def within(resources: list[Resource], folder: str | None) -> list[Resource]:
    """The resources written under a repository-relative `folder`; all when it is None."""
    if not folder:
        return resources
    prefix = folder.strip("/") + "/"
    return [r for r in resources if r.source.file.startswith(prefix)]


def load_repository(root: Path, config: Config, *, variables: dict[str, str] | None = None,
                    cache_dir: Path | None = None) -> Loaded:
    """Walk `root` and load every resource it describes."""
    from purser.sources.walk import walk

    walked = walk(root, exclude=config.policies.exclude)
    context = LoadContext(root=root, config=config, variables=variables or {},
                          cache_dir=cache_dir)
    loaded = load_files(walked.files, context)
    loaded.errors = distinct_errors(walked.errors + loaded.errors)
    return loaded
