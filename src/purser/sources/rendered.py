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
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, ClassVar

from purser import safefile
from purser.model import SourceError, SourceRef
from purser.safeyaml import YamlError, load_documents
from purser.sources import LoadContext, Loaded, RepoFile, formats
from purser.sources.kubernetes import KUSTOMIZATION_FILES, read_manifests

CHART_FILE = "Chart.yaml"
TIMEOUT_SECONDS = 60
RENDER_WORKERS = 4  # programs in flight at once; each is a process of its own
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
        roots = [(rel, renderer) for rel, renderer in self.roots.items() if rel in by_rel]
        loaded = Loaded()
        for (rel, _), rendered in zip(roots, _render_all(roots, context), strict=True):
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


@dataclass
class _Job:
    """One render in flight: the program, where it runs, and where its output goes."""

    rel: str
    command: list[str]
    where: Path
    home: tempfile.TemporaryDirectory[str] = field(
        default_factory=lambda: tempfile.TemporaryDirectory(prefix="purser-render-"))
    out: IO[bytes] = field(default_factory=tempfile.TemporaryFile)
    err: IO[bytes] = field(default_factory=tempfile.TemporaryFile)
    process: subprocess.Popen[bytes] | None = None
    deadline: float = 0.0


def _render_all(roots: list[tuple[str, Renderer]], context: LoadContext) -> list[Loaded]:
    """Each root's rendering, in order. The programs run several at a time from this
    thread (a library of 200 kustomizations took 20 s one by one); no threads, so that the
    output bound can be set in each child before it starts."""
    prepared = [_prepare(rel, renderer, context) for rel, renderer in roots]
    jobs = [job for job in prepared if isinstance(job, _Job)]
    finished = iter([_finish(job, *outcome, context)
                     for job, outcome in zip(jobs, _run_all(jobs), strict=True)])
    return [next(finished) if isinstance(item, _Job) else item for item in prepared]


def _prepare(rel: str, renderer: Renderer, context: LoadContext) -> Loaded | _Job:
    """A notice or error when the root cannot be rendered here, else the job to run."""
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
    return _Job(rel, command, where)


def _finish(job: _Job, output: bytes, problem: str, context: LoadContext) -> Loaded:
    if problem:
        return Loaded(errors=[SourceError(file=job.rel, message=f"{Path(job.command[0]).name} "
                                                                f"failed: {problem}")])
    return _attributed(read_manifests(RepoFile(path=job.where / "rendered.yaml", rel=job.rel,
                                               data=output), context.cache_dir), job.rel)


def _run_all(jobs: list[_Job]) -> list[tuple[bytes, str]]:
    """Each job's output, or why there is none; at most RENDER_WORKERS run at once."""
    outcomes: dict[int, tuple[bytes, str]] = {}
    waiting = list(enumerate(jobs))
    running: list[tuple[int, _Job]] = []
    while waiting or running:
        while waiting and len(running) < RENDER_WORKERS:
            index, job = waiting.pop(0)
            problem = _start(job)
            if problem:
                outcomes[index] = _closed(job, b"", problem)
            else:
                running.append((index, job))
        still = []
        for index, job in running:
            outcome = _poll(job)
            if outcome is None:
                still.append((index, job))
            else:
                outcomes[index] = _closed(job, *outcome)
        running = still
        if running:
            time.sleep(0.01)
    return [outcomes[index] for index in range(len(jobs))]


def _start(job: _Job) -> str:
    environment = {"PATH": os.environ.get("PATH", ""), "HOME": job.home.name,
                   "HTTP_PROXY": _CLOSED_PROXY, "HTTPS_PROXY": _CLOSED_PROXY,
                   "http_proxy": _CLOSED_PROXY, "https_proxy": _CLOSED_PROXY,
                   "GIT_TERMINAL_PROMPT": "0"}
    try:
        job.process = subprocess.Popen(
            job.command, cwd=job.where, env=environment, stdin=subprocess.DEVNULL,
            stdout=job.out, stderr=job.err, preexec_fn=_bound_output)
    except OSError as exc:
        return f"could not start: {exc.strerror}"
    job.deadline = time.monotonic() + TIMEOUT_SECONDS
    return ""


def _poll(job: _Job) -> tuple[bytes, str] | None:
    """The job's outcome once it has ended (or run out of time), else None."""
    assert job.process is not None
    code = job.process.poll()
    if code is None:
        if time.monotonic() < job.deadline:
            return None
        job.process.kill()
        job.process.wait()
        return b"", f"no result within {TIMEOUT_SECONDS} s"
    job.out.seek(0)
    output = job.out.read(MAX_OUTPUT_BYTES + 1)
    if len(output) > MAX_OUTPUT_BYTES:
        return b"", f"output above {MAX_OUTPUT_BYTES // 2**20} MB"
    if code != 0:
        job.err.seek(0)
        said = job.err.read(2000).decode("utf-8", errors="replace").strip()
        return b"", f"exit {code}: {said or 'no message'}"
    return output, ""


def _closed(job: _Job, output: bytes, problem: str) -> tuple[bytes, str]:
    """Release the job's files and home folder, handing its outcome on."""
    job.out.close()
    job.err.close()
    job.home.cleanup()
    return output, problem


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
