"""Input formats → `Resource`s. One module per format, each registered by name.

`load_repository` walks a repository, hands every file to the first format that claims
it, and gathers resources and per-file errors: one broken file never stops the others.
"""

from __future__ import annotations

import functools
import os
import posixpath
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import ClassVar, Protocol

from purser.config import Application, Config
from purser.identity import TerraformId
from purser.kinds import canonicalize
from purser.model import Resource, SourceError
from purser.registry import Registry
from purser.sources.cache import ParseJob, prefetch
from purser.tree import RepoFile, Tree

__all__ = [
    "LoadContext",
    "Loaded",
    "RepoFile",
    "SourceFormat",
    "formats",
    "load_files",
    "load_repository",
    "within",
]


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
    # Files recognised as not infrastructure (CI workflows, Helm values, mkdocs.yml): passed
    # over on purpose, counted so that the report says so.
    skipped: list[str] = field(default_factory=list)
    # Said once, not errors: a Helm chart or Kustomize overlay not rendered, and why.
    notices: list[str] = field(default_factory=list)
    # Blocks that configure a tool rather than declare a cloud resource (Terraform
    # `provider` blocks): judged by the rules, never priced, owned or applied.
    settings: list[Resource] = field(default_factory=list)

    def extend(self, other: Loaded) -> None:
        self.resources.extend(other.resources)
        self.settings.extend(other.settings)
        self.errors.extend(other.errors)
        self.skipped.extend(other.skipped)
        self.notices.extend(other.notices)


class SourceFormat(Protocol):
    """One input format. Every module of this package is imported, so a new format is one
    file here (or an installed package under the `purser.sources` entry-point group).

    A format may also define `survey(files) -> None`, told every file of the tree before any
    `claims` (to know a file's neighbours: a Chart.yaml above it), and
    `parse_jobs(files, context) -> list[ParseJob]`: the parses its `load` will ask
    `cached_parse` for, so that `load_files` can run them on all cores beforehand."""

    name: ClassVar[str]
    #: Formats are asked in priority order (lowest first); the first that claims a file reads it.
    priority: ClassVar[int]
    #: The files this format reads: name endings (".tf") and whole names ("Kustomization").
    #: The walk opens no other file.
    extensions: ClassVar[frozenset[str]]
    file_names: ClassVar[frozenset[str]]

    def claims(self, file: RepoFile) -> bool:
        """Cheap test (name, first bytes) whether this format reads `file`."""
        ...

    def load(self, files: list[RepoFile], context: LoadContext) -> Loaded:
        """Parse the claimed files; errors are returned, never raised."""
        ...


formats: Registry[type[SourceFormat]] = Registry("source format", "purser.sources",
                                                 package=__name__)
DEFAULT_PRIORITY = 100  # a format that declares none is asked after the built-ins


def ranked_formats() -> list[tuple[str, SourceFormat]]:
    """A fresh instance of every format, in the order they are asked to claim files."""
    ordered = sorted(formats.items(),
                     key=lambda item: (getattr(item[1], "priority", DEFAULT_PRIORITY), item[0]))
    return [(name, cls()) for name, cls in ordered]


@functools.cache
def _read_names() -> tuple[frozenset[str], frozenset[str]]:
    classes = [cls for _, cls in formats.items()]
    return (frozenset(e.lower() for cls in classes for e in getattr(cls, "extensions", ())),
            frozenset(n for cls in classes for n in getattr(cls, "file_names", ())))


def reads(name: str) -> bool:
    """Whether some format reads a file called `name` (the walk opens no other file)."""
    extensions, names = _read_names()
    return name in names or os.path.splitext(name)[1].lower() in extensions


def claim(files: Iterable[RepoFile]) -> dict[str, list[RepoFile]]:
    """Group files by the format that reads them; unclaimed files are skipped."""
    files = list(files)
    asked = ranked_formats()
    for _, reader in asked:
        survey = getattr(reader, "survey", None)
        if survey is not None:
            survey(files)
    groups: dict[str, list[RepoFile]] = {name: [] for name, _ in asked}
    for file in files:
        for name, reader in asked:
            if reader.claims(file):
                groups[name].append(file)
                break
    return groups


def load_files(files: Iterable[RepoFile], context: LoadContext) -> Loaded:
    result = Loaded()
    groups = {name: claimed for name, claimed in claim(files).items() if claimed}
    readers = {name: formats.get(name)() for name in groups}
    prefetch(_parse_jobs(readers, groups, context), context.cache_dir)
    for name, reader in readers.items():
        result.extend(reader.load(groups[name], context))
    for resource in result.resources:
        canonicalize(resource)  # one vocabulary: rules and pricers read canonical names
    result.resources.sort(key=lambda r: (r.source.file, r.source.line, r.address))
    result.errors = distinct_errors(result.errors)
    result.notices.extend(shared_addresses(result.resources))
    return result


def shared_addresses(resources: list[Resource]) -> list[str]:
    """A notice for each address that several resources carry: copies of one Kubernetes
    object in several folders (a release bundle, per-environment copies). Each copy is still
    checked; the notice says that the address, which should name one resource, does not."""
    places: dict[str, list[str]] = defaultdict(list)
    for resource in resources:
        places[resource.address].append(str(resource.source))
    return [f"{address} is declared {len(where)} times ({', '.join(where[:3])}"
            f"{', …' if len(where) > 3 else ''}): one address should name one resource; "
            "give each copy its own name or namespace, or exclude the copies"
            for address, where in places.items() if len(where) > 1]


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
    """The resources a repository-relative `folder` declares: those written under it (a
    module's under it, as each caller instantiates them), and those of modules elsewhere
    that a Terraform root under it calls. All when it is None."""
    if not folder or folder.strip("/") in ("", "."):
        return resources
    prefix = folder.strip("/") + "/"
    return [r for r in resources
            if home(r).startswith(prefix) or r.source.file.startswith(prefix)]


def owner(resource: Resource, config: Config) -> Application | None:
    """The application a resource belongs to: the one with the longest path holding its home
    (for a module's resource, the calling root). A module written inside an application
    nested in the caller's belongs to that nested one: a module folder given an application
    of its own (as `purser generate` lands one) is allocated, budgeted and synced as itself,
    while the root keeps calling it and no address changes."""
    called_from = home(resource)
    caller = config.application_for(called_from)
    if caller is None or called_from == resource.source.file:
        return caller
    written = config.application_for(resource.source.file)
    if written is not None and written is not caller and \
            PurePosixPath(written.path).is_relative_to(PurePosixPath(caller.path)):
        return written
    return caller


def home(resource: Resource) -> str:
    """Where a resource is declared from: a Terraform module's resource belongs to the root
    that calls it (each caller has its own), anything else to the file it is written in."""
    identity = resource.id
    if not isinstance(identity, TerraformId) or not identity.module:
        return resource.source.file
    return posixpath.join(identity.folder or identity.root, "")


def load_repository(tree: Tree | Path, config: Config, *,
                    variables: dict[str, str] | None = None,
                    cache_dir: Path | None = None) -> Loaded:
    """Every resource `tree` describes (a `Path` is read as its work tree)."""
    from purser.sources.worktree import WorkTree

    tree = WorkTree(tree) if isinstance(tree, Path) else tree
    listing = tree.files(exclude=config.policies.exclude)
    # A work tree's module folders are read by the format itself, naming each refused file.
    context = LoadContext(root=tree.root, config=config, variables=variables or {},
                          cache_dir=cache_dir,
                          read_folder=tree.read_folder if tree.revision else None)
    loaded = load_files(listing.files, context)
    loaded.errors = distinct_errors(listing.errors + loaded.errors)
    return loaded
