"""Helm charts and Kustomize overlays → Resources, rendered by their own programs.

A chart (a folder with `Chart.yaml`) is rendered with `helm template`, a Kustomize root (a
kustomization no other kustomization builds on: `overlays/dev`, not `base`) with
`kustomize build` or `kubectl kustomize`, whichever is on PATH: purser never ships them.
Every rendered object is a resource whose source is the chart's Chart.yaml or the overlay's
kustomization.yaml. The program runs confined: a time limit, a bounded output, no proxy
that leads anywhere (no network for well-behaved tools), an environment of PATH and a
fresh HOME only, inside the repository's own folder.

Without the program, each chart or overlay gets one notice saying it was not rendered and
why; the plain manifests a kustomization lists are then read as they are. Not an input
error: the files are fine, the machine lacks a tool, and the notice is in every report.
"""

from __future__ import annotations

import os
import posixpath
import re
import resource
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from purser import safefile
from purser.model import SourceError, SourceRef
from purser.safeyaml import YamlError, load_documents
from purser.sources import LoadContext, Loaded, RepoFile, formats
from purser.sources.kubernetes import KUSTOMIZATION_FILES, read_manifests

CHART_FILE = "Chart.yaml"
TIMEOUT_SECONDS = 60
MAX_OUTPUT_BYTES = 32 * 2**20
#: Keys of a kustomization naming the files or folders it builds from, and its patches.
_RESOURCE_KEYS = ("resources", "bases", "components", "crds")
_PATCH_KEYS = ("patchesStrategicMerge", "patches", "patchesJson6902")
_COMPONENT = re.compile(rb"^kind:[ \t]*Component[ \t]*$", re.M)  # only applied by others
_CLOSED_PROXY = "http://127.0.0.1:9"  # the discard port: a fetch fails at once


@dataclass(frozen=True)
class Renderer:
    """How one kind of source is rendered: the programs that can, and their arguments."""

    what: str  # "Helm chart", "Kustomize overlay"
    commands: tuple[tuple[str, ...], ...]  # each: program, arguments before the folder
    meanwhile: str  # what is checked when it is not rendered

    def command(self, folder: Path) -> list[str] | None:
        for program, *arguments in self.commands:
            found = shutil.which(program)
            if found:
                return [found, *arguments, str(folder)]
        return None

    @property
    def programs(self) -> str:
        return " or ".join(f"`{c[0]}`" for c in self.commands)


HELM = Renderer("Helm chart", (("helm", "template", "release"),),
                "its templates are not checked")
KUSTOMIZE = Renderer("Kustomize overlay", (("kustomize", "build"), ("kubectl", "kustomize")),
                     "the manifests it lists are checked as written, without its changes")


@formats.register("rendered")
class RenderedFormat:
    name: ClassVar[str] = "rendered"
    priority: ClassVar[int] = 10  # before everything: a chart's files are not manifests
    extensions: ClassVar[frozenset[str]] = frozenset({".yaml", ".yml"})
    file_names: ClassVar[frozenset[str]] = frozenset(KUSTOMIZATION_FILES)

    def __init__(self) -> None:
        self.roots: dict[str, Renderer] = {}  # Chart.yaml / root kustomization → renderer
        self.kustomize_files: set[str] = set()  # every kustomization and patch: not objects
        self.built: dict[str, set[str]] = {}  # root kustomization → manifests it builds from

    def survey(self, files: list[RepoFile]) -> None:
        kustomizations = {posixpath.dirname(f.rel): f for f in files
                          if posixpath.basename(f.rel) in KUSTOMIZATION_FILES}
        inputs = {folder: _inputs(file) for folder, file in kustomizations.items()}
        built_on = {path for resources, _ in inputs.values() for path in resources}
        self.roots = {f.rel: HELM for f in files if posixpath.basename(f.rel) == CHART_FILE}
        self.kustomize_files = {f.rel for f in kustomizations.values()} | {
            path for _, patches in inputs.values() for path in patches}
        for folder, file in kustomizations.items():
            if folder not in built_on and not _COMPONENT.search(file.data):
                self.roots[file.rel] = KUSTOMIZE
                self.built[file.rel] = _reached(folder, inputs, kustomizations)

    def claims(self, file: RepoFile) -> bool:
        """Charts, kustomizations and patches always; the manifests a kustomization builds
        from only when it will be rendered (else the Kubernetes reader reads them)."""
        return (file.rel in self.roots or file.rel in self.kustomize_files
                or (any(file.rel in built for built in self.built.values())
                    and KUSTOMIZE.command(Path()) is not None))

    def load(self, files: list[RepoFile], context: LoadContext) -> Loaded:
        self.survey(files)
        by_rel = {file.rel: file for file in files}
        loaded = Loaded()
        for rel, renderer in self.roots.items():
            if rel not in by_rel:
                continue
            rendered = _render(rel, renderer, context)
            loaded.extend(rendered)
            if not rendered.resources:  # not rendered: its manifests are read as they are
                for path in sorted(self.built.get(rel, set()) - self.kustomize_files):
                    if path in by_rel:
                        loaded.extend(read_manifests(by_rel[path], context.cache_dir))
        return loaded


def _inputs(file: RepoFile) -> tuple[set[str], set[str]]:
    """Repository paths a kustomization builds from and the patches it applies (entries
    resolved from its folder); remote ones (URLs) are left to the program."""
    try:
        documents = load_documents(safefile.decode(file.data))
    except (YamlError, safefile.Refused):
        return set(), set()
    data: Any = documents[0].data if documents else None
    if not isinstance(data, dict):
        return set(), set()
    folder = posixpath.dirname(file.rel)
    return (_paths(folder, data, _RESOURCE_KEYS), _paths(folder, data, _PATCH_KEYS))


def _paths(folder: str, data: dict[str, Any], keys: tuple[str, ...]) -> set[str]:
    entries = [e.get("path") if isinstance(e, dict) else e
               for key in keys if isinstance(data.get(key), list) for e in data[key]]
    return {posixpath.normpath(posixpath.join(folder, e)) for e in entries
            if isinstance(e, str) and "://" not in e and not e.startswith("github.com/")}


def _reached(folder: str, inputs: dict[str, tuple[set[str], set[str]]],
             kustomizations: dict[str, RepoFile]) -> set[str]:
    """Every file a kustomization builds from, through the kustomizations it lists."""
    reached: set[str] = set()
    pending, seen = [folder], set()
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        for path in inputs.get(current, (set(), set()))[0]:
            if path in kustomizations:
                pending.append(path)
            else:
                reached.add(path)
    return reached


def _render(rel: str, renderer: Renderer, context: LoadContext) -> Loaded:
    folder = posixpath.dirname(rel)
    label = f"{folder or '.'}: {renderer.what}"
    if context.read_folder is not None:
        return Loaded(notices=[f"{label} not rendered: rendering a git revision is not "
                               f"supported yet; {renderer.meanwhile}"])
    try:
        where = safefile.inside(context.root, folder or ".")
    except safefile.Refused as refused:
        return Loaded(errors=[SourceError(file=rel, message=refused.reason)])
    command = renderer.command(where)
    if command is None:
        return Loaded(notices=[f"{label} not rendered: {renderer.programs} is not on PATH; "
                               f"{renderer.meanwhile}"])
    output, problem = _run(command, where)
    if problem:
        return Loaded(errors=[SourceError(file=rel, message=f"{Path(command[0]).name} "
                                                            f"failed: {problem}")])
    return _attributed(read_manifests(RepoFile(path=where / "rendered.yaml", rel=rel,
                                               data=output), context.cache_dir), rel)


def _run(command: list[str], folder: Path) -> tuple[bytes, str]:
    """The program's output, or why there is none ("" when it succeeded)."""
    with tempfile.TemporaryDirectory(prefix="purser-render-") as home, \
            tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        environment = {"PATH": os.environ.get("PATH", ""), "HOME": home,
                       "HTTP_PROXY": _CLOSED_PROXY, "HTTPS_PROXY": _CLOSED_PROXY,
                       "http_proxy": _CLOSED_PROXY, "https_proxy": _CLOSED_PROXY,
                       "GIT_TERMINAL_PROMPT": "0"}
        try:
            finished = subprocess.run(
                command, cwd=folder, env=environment, stdin=subprocess.DEVNULL, stdout=out,
                stderr=err, timeout=TIMEOUT_SECONDS, preexec_fn=_bound_output, check=False)
        except subprocess.TimeoutExpired:
            return b"", f"no result within {TIMEOUT_SECONDS} s"
        except OSError as exc:
            return b"", f"could not start: {exc.strerror}"
        out.seek(0)
        output = out.read(MAX_OUTPUT_BYTES + 1)
        if len(output) > MAX_OUTPUT_BYTES:
            return b"", f"output above {MAX_OUTPUT_BYTES // 2**20} MB"
        if finished.returncode != 0:
            err.seek(0)
            said = err.read(2000).decode("utf-8", errors="replace").strip()
            return b"", f"exit {finished.returncode}: {said or 'no message'}"
        return output, ""


def _bound_output() -> None:
    """In the child: a file it writes (its output) stops at the bound (SIGXFSZ)."""
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_OUTPUT_BYTES + 1, MAX_OUTPUT_BYTES + 1))


def _attributed(loaded: Loaded, rel: str) -> Loaded:
    """Rendered objects belong to the chart or overlay: their source is its file (the
    lines of the program's output would point nowhere)."""
    for found in loaded.resources:
        found.source = SourceRef(file=rel, line=1)
    loaded.errors = [error.model_copy(update={
        "line": 1, "message": f"{error.message} (rendered output, line {error.line})"})
        for error in loaded.errors]
    return loaded
