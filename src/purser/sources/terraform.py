"""Terraform configurations (.tf, .tfvars) → Resources, evaluated statically.

Every directory holding .tf files that no other directory calls as a local module is a
root module. Its variables come from defaults, `terraform.tfvars`, `*.auto.tfvars` (in
lexical order) and `-var` overrides; local modules are followed with their inputs, and so
are remote ones that `terraform init` copied under the root's `.terraform/modules` (read
through its `modules.json`). A remote module without a copy is not evaluated and is listed
as a notice, never silently dropped: nothing in the repository was unreadable (so the gate
does not fail on it), but the report must say what it did not see.

Addresses are Terraform's own; where the repository has several roots, each resource's
address is qualified by its root's folder (`apps/a//aws_lambda_function.api`, see
`purser.identity`), so the same resource written in two roots, or in one module called from
two roots, is two resources. A malformed file yields one
SourceError while the other files of its module are still evaluated; so does a construct
that trips one of the bounds of `hcl/limits.py`. Module folders the walk did not hand over
are read through `purser.safefile`: confined to the repository, regular files only.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Hashable
from pathlib import Path
from typing import Any, ClassVar

from purser import safefile, safejson
from purser.model import Ref, Resource, SourceError, SourceRef
from purser.provenance import Span
from purser.sources import LoadContext, Loaded, RepoFile, formats
from purser.sources.cache import ParseJob, cached_parse, digest, remembered
from purser.sources.hcl import parse as ast
from purser.sources.hcl.evaluate import Scope, evaluate
from purser.sources.hcl.limits import (
    MAX_MODULE_DEPTH,
    MAX_MODULES,
    MAX_RESOURCES,
    EvaluationError,
    budget,
)
from purser.sources.hcl.module import (
    Downloads,
    ModuleInstance,
    ModuleSource,
    RefTracker,
    download_key,
    is_outside,
    local_module_directory,
    root_inputs,
)
from purser.sources.hcl.resources import EvaluatedResource, module_resources
from purser.sources.hcl.values import UNKNOWN, to_text

MODULE_MANIFEST = ".terraform/modules/modules.json"  # written by `terraform init`
PROVIDER_TYPE = "terraform_provider"  # a provider block, loaded as a setting
PROVIDER_FAMILIES = {"aws": "aws", "azurerm": "azure", "azuread": "azure", "google": "gcp",
                     "kubernetes": "kubernetes"}
_NO_NAMES = Scope(lambda name: UNKNOWN)


def parse_file(data: bytes, cache_dir: Path | None) -> ast.Parsed:
    """The AST of one HCL file, from the parse cache when these bytes were seen before."""
    return cached_parse("hcl", data, ast.VERSION, ast.parse_hcl, cache_dir)


@formats.register("terraform")
class TerraformFormat:
    name: ClassVar[str] = "terraform"
    priority: ClassVar[int] = 40
    extensions: ClassVar[frozenset[str]] = frozenset({".tf", ".tfvars"})
    file_names: ClassVar[frozenset[str]] = frozenset()

    def claims(self, file: RepoFile) -> bool:
        return file.suffix in self.extensions

    def parse_jobs(self, files: list[RepoFile], context: LoadContext) -> list[ParseJob]:
        return [ParseJob("hcl", ast.VERSION, file.data, ast.parse_hcl)
                for file in files if not _is_download(file)]

    def load(self, files: list[RepoFile], context: LoadContext) -> Loaded:
        return _Project(files, context).load()


def _is_download(file: RepoFile) -> bool:
    """Terraform's own copies of remote modules, not part of the configuration."""
    return ".terraform" in file.rel.split("/")


class _Project:
    """All Terraform files of one repository: directories, module calls, root modules."""

    def __init__(self, files: list[RepoFile], context: LoadContext) -> None:
        self.context = context
        self.loaded = Loaded()
        self.tf_files: dict[str, list[tuple[str, ast.Body]]] = {}
        self.tfvars: dict[str, list[tuple[str, ast.Body]]] = {}
        self.sources: dict[str, ModuleSource | None] = {}
        self.downloads: dict[str, Downloads] = {}  # root directory → its initialised modules
        self.digests: dict[str, str] = {}  # rel → content hash, for the root-module memo
        self.texts: dict[str, bytes] = {}  # rel → bytes, for origins (see ModuleSource)
        for file in files:
            if not _is_download(file):
                self._read(file.rel, file.data, file.suffix)

    def _read(self, rel: str, data: bytes, suffix: str) -> None:
        self.digests[rel] = digest(data)
        self.texts[rel] = data
        body, error = parse_file(data, self.context.cache_dir)
        directory = posixpath.dirname(rel) or "."
        table = self.tf_files if suffix == ".tf" else self.tfvars
        table.setdefault(directory, [])
        if error is not None:
            self.loaded.errors.append(SourceError(file=rel, line=error[0], message=error[1]))
        elif body is not None:
            table[directory].append((rel, body))

    def source(self, directory: str) -> ModuleSource | None:
        """A directory's declarations; a module directory outside the walked files is read
        from disk (a local module the walk excluded is still part of its caller)."""
        if directory not in self.sources:
            if directory not in self.tf_files:
                self._read_directory(directory)
            files = self.tf_files.get(directory)
            self.sources[directory] = (ModuleSource.from_files(directory, files, self.texts)
                                       if files is not None else None)
        return self.sources[directory]

    def _read_directory(self, directory: str) -> None:
        try:
            files = (self.context.read_folder or self._read_work_tree)(directory)
        except OSError as error:
            self.loaded.errors.append(SourceError(file=directory,
                                                  message=f"cannot read: {error.strerror}"))
            return
        except safefile.Refused as refused:
            self.loaded.errors.append(SourceError(file=directory, message=refused.reason))
            return
        for name, data in sorted(files.items()):
            if name.endswith(".tf"):
                self._read(f"{directory}/{name}".removeprefix("./"), data, ".tf")

    def _read_work_tree(self, directory: str) -> dict[str, bytes]:
        """The .tf files of a module folder on disk; one that is a link out of the
        repository, a FIFO, a device or too big is an error naming it, and is not read."""
        folder = safefile.inside(self.context.root, directory)
        if not folder.is_dir():
            return {}
        files = {}
        for path in sorted(folder.glob("*.tf")):
            rel = f"{directory}/{path.name}".removeprefix("./")
            try:
                files[path.name] = safefile.read(self.context.root, rel)
            except safefile.Refused as refused:
                self.loaded.errors.append(SourceError(file=rel, line=refused.line,
                                                      message=refused.reason))
        return files

    def root_directories(self) -> list[str]:
        """Directories no other directory calls; then, so that modules calling each other
        are evaluated (and their cycle reported) rather than silently dropped, the first
        directory of each group that no root reaches."""
        called: set[str] = set()
        for directory in list(self.tf_files):
            source = self.source(directory)
            if source is not None:
                called.update(d for d in source.local_calls().values() if d != directory)
        roots = sorted(d for d in self.tf_files if d not in called)
        reached = set().union(*(self._module_tree(d) for d in roots))
        for directory in sorted(self.tf_files):
            if directory not in reached:
                roots.append(directory)
                reached |= self._module_tree(directory)
        return sorted(roots)

    def load(self) -> Loaded:
        roots = self.root_directories()
        for directory in roots:
            source = self.source(directory)
            if source is not None:
                self._load_root(source, _qualifier(directory, several=len(roots) > 1))
        for directory in sorted(self.tf_files):
            source = self.source(directory)
            if source is not None:
                self.loaded.settings.extend(provider_settings(source))
        return self.loaded

    def _load_root(self, source: ModuleSource, qualifier: str) -> None:
        downloads = self._downloads(source.directory)
        self.loaded.notices.extend(n for n in self._unread_calls(source.directory, downloads)
                                   if n not in self.loaded.notices)
        resources, errors = remembered(
            self._root_key(source, qualifier, downloads),
            lambda: self._root_resources(source, qualifier, downloads))
        self.loaded.errors.extend(errors)
        if len(self.loaded.resources) + len(resources) > MAX_RESOURCES:
            self.loaded.errors.append(self._module_error(
                source, f"the repository has more than {MAX_RESOURCES:,} resource instances; "
                        "this module's were not checked"))
            return
        # Copies of the remembered resources, sharing their values (which nothing writes to:
        # see `Resource`), so that setting a field of one never reaches the memory.
        self.loaded.resources.extend(resource.model_copy() for resource in resources)

    def _root_resources(self, source: ModuleSource, qualifier: str, downloads: Downloads
                        ) -> tuple[list[Resource], list[SourceError]]:
        evaluated, errors = self._evaluate_root(source, qualifier, downloads)
        default_region = self.context.config.defaults.region
        return [to_resource(r, default_region) for r in evaluated], errors

    def _evaluate_root(self, source: ModuleSource, qualifier: str, downloads: Downloads
                       ) -> tuple[list[EvaluatedResource], list[SourceError]]:
        """The root module's resources and the errors met on the way; a module that cannot
        be evaluated at all is one error and no resources."""
        with budget() as spent:
            try:
                evaluated = self._resources(source, qualifier, downloads)
            except EvaluationError as error:
                spent.report(error)
                evaluated = []
            except RecursionError:
                return [], [self._module_error(source, "expressions nested too deeply to "
                                                       "evaluate")]
            except Exception as error:  # a reader bug must not stop the other modules
                return [], [self._module_error(
                    source, f"could not evaluate this module ({error!r})")]
        # A failed local is met by each resource that reads it, but listed once.
        unique = {(e.file or self._first_file(source), e.line, e.message): None
                  for e in spent.errors}
        return evaluated, [SourceError(file=file, line=line, message=message)
                           for file, line, message in unique]

    def _resources(self, source: ModuleSource, qualifier: str,
                   downloads: Downloads) -> list[EvaluatedResource]:
        inputs = root_inputs(source, self._tfvars_values(source.directory),
                             self.context.variables)
        instance = ModuleInstance(source, inputs=inputs, providers={}, sources=self.source,
                                  tracker=RefTracker(), root_directory=source.directory,
                                  root=qualifier, downloads=downloads)
        evaluated: list[EvaluatedResource] = []
        for resource in module_resources(instance):
            evaluated.append(resource)
            if len(evaluated) > MAX_RESOURCES:
                raise EvaluationError(f"more than {MAX_RESOURCES:,} resource instances; "
                                      "not evaluated").at(resource.file, resource.line)
        return evaluated

    def _root_key(self, source: ModuleSource, qualifier: str,
                  downloads: Downloads) -> tuple[Hashable, ...]:
        """Everything a root module's evaluation depends on: the content of its files and
        tfvars and of every module it calls (local or initialised), the qualifier of its
        addresses, the -var overrides, the default region."""
        directories = set().union(self._module_tree(source.directory),
                                  *(self._module_tree(d) for d in downloads.values()))
        files = tuple(sorted(item for item in self.digests.items()
                             if (posixpath.dirname(item[0]) or ".") in directories))
        return ("terraform", source.directory, qualifier, files,
                tuple(sorted(downloads.items())), tuple(sorted(self.context.variables.items())),
                self.context.config.defaults.region)

    def _module_tree(self, directory: str) -> set[str]:
        """`directory` and every local module directory it calls, transitively."""
        seen: set[str] = set()
        pending = [directory]
        while pending:
            current = pending.pop()
            if current in seen:
                continue
            seen.add(current)
            source = self.source(current)
            if source is not None:
                pending.extend(source.local_calls().values())
        return seen

    def _downloads(self, root: str) -> Downloads:
        """The remote modules `terraform init` copied for the root module in `root`: its
        `.terraform/modules/modules.json`, each folder confined to the repository."""
        if root not in self.downloads:
            self.downloads[root] = self._read_manifest(root)
        return self.downloads[root]

    def _read_manifest(self, root: str) -> Downloads:
        rel = posixpath.normpath(posixpath.join(root, MODULE_MANIFEST))
        try:
            data = self._manifest_bytes(rel)
            if data is None:
                return {}
            manifest = safejson.loads(safefile.decode(data))
        except safefile.Refused as refused:
            self.loaded.errors.append(SourceError(file=rel, line=refused.line,
                                                  message=refused.reason))
            return {}
        except safejson.JsonError as error:
            self.loaded.errors.append(SourceError(file=rel, line=error.line,
                                                  message=error.message))
            return {}
        entries = manifest.get("Modules") if isinstance(manifest, dict) else None
        downloads: Downloads = {}
        for entry in entries if isinstance(entries, list) else []:
            key, folder = (entry.get("Key"), entry.get("Dir")) if isinstance(entry, dict) \
                else (None, None)
            if not key or not isinstance(key, str) or not isinstance(folder, str):
                continue  # the root module's own entry, or one that names no folder
            directory = posixpath.normpath(posixpath.join(root, folder))
            if folder.startswith("/") or is_outside(directory):
                self.loaded.errors.append(SourceError(
                    file=rel, message=f"module {key!r}: folder {folder!r} is outside the "
                                      "repository; not read"))
                continue
            downloads[key] = directory
        return downloads

    def _manifest_bytes(self, rel: str) -> bytes | None:
        """modules.json from the tree being checked; None when `terraform init` never ran."""
        if self.context.read_folder is not None:
            folder, name = posixpath.split(rel)
            try:
                return self.context.read_folder(folder).get(name)
            except OSError:
                return None
        if not os.path.lexists(self.context.root / rel):
            return None
        return safefile.read(self.context.root, rel)

    def _unread_calls(self, root: str, downloads: Downloads) -> list[str]:
        """A notice for each module call under `root` whose folder holds nothing to read:
        a remote source `terraform init` has not copied, or an empty folder."""
        notices: list[str] = []
        pending: list[tuple[str, tuple[str, ...]]] = [(root, ())]
        seen: set[tuple[str, tuple[str, ...]]] = set()
        while pending and len(seen) <= MAX_MODULES:  # cycles and fan-out: the evaluation
            directory, module = pending.pop()       # reports them as errors
            source = self.source(directory)
            if (directory, module) in seen or source is None:
                continue
            seen.add((directory, module))
            for name, call in source.calls.items():
                path = (*module, f"module.{name}")
                target = local_module_directory(directory, call)
                if target is None:
                    target = downloads.get(download_key(path))
                if target is None or (not is_outside(target) and self.source(target) is None):
                    notices.append(_not_evaluated(source, name, call, target, downloads))
                elif not is_outside(target) and len(path) < MAX_MODULE_DEPTH:
                    pending.append((target, path))
        return notices

    def _module_error(self, source: ModuleSource, message: str) -> SourceError:
        return SourceError(file=self._first_file(source), message=message)

    def _first_file(self, source: ModuleSource) -> str:
        return min((rel for rel, _ in self.tf_files.get(source.directory, [])),
                   default=source.directory)

    def _tfvars_values(self, directory: str) -> dict[str, tuple[Any, Span]]:
        """terraform.tfvars, then *.auto.tfvars in lexical order; later files win. Each
        value with the span of its text."""
        files = sorted(self.tfvars.get(directory, []), key=lambda f: (
            posixpath.basename(f[0]) != "terraform.tfvars", posixpath.basename(f[0])))
        values: dict[str, tuple[Any, Span]] = {}
        for rel, (attributes, _) in files:
            name = posixpath.basename(rel)
            if name == "terraform.tfvars" or name.endswith(".auto.tfvars"):
                values.update({key: (_tfvar(expr, rel, line), Span(rel, *where))
                               for key, (expr, line, where) in attributes.items()})
        return values


def _qualifier(directory: str, *, several: bool) -> str:
    """What qualifies a root's addresses: its folder where the repository has several roots
    (the top folder needs none: every other root's addresses carry theirs)."""
    return directory if several and directory != "." else ""


def _not_evaluated(source: ModuleSource, name: str, call: ast.Block, target: str | None,
                   downloads: Downloads) -> str:
    written = call[2][0].get("source")
    text = written[0][1] if written and written[0][0] == ast.LIT else "?"
    where = f"{source.files[f'module.{name}']}:{call[3]}"
    if target is not None:
        why = f"{target} holds no .tf files"
    elif downloads:
        why = f"not in {MODULE_MANIFEST}: run `terraform init` again to read it"
    else:
        why = "a remote module: run `terraform init` to read it"
    return f"{where}: not evaluated: module source {text!r} (module.{name}): {why}"


def _tfvar(expr: ast.Expr, file: str, line: int) -> Any:
    try:
        return evaluate(expr, _NO_NAMES)
    except EvaluationError as error:
        raise error.at(file, line) from None


def provider_settings(source: ModuleSource) -> list[Resource]:
    """A directory's `provider` blocks with the values written literally in them: enough
    to judge what a provider block hard-codes (credentials), nothing evaluated."""
    found = []
    for file, (_, labels, body, line, end_line) in source.providers:
        literal = {name: expr[1] for name, (expr, _, _) in body[0].items()
                   if expr[0] == ast.LIT}
        alias = literal.get("alias")
        name = f"{labels[0]}.{alias}" if isinstance(alias, str) and alias else labels[0]
        prefix = "" if source.directory == "." else f"{source.directory}//"
        found.append(Resource(
            address=f"{prefix}provider.{name}", type=PROVIDER_TYPE, provider=labels[0],
            name=name, format="terraform", attrs=literal,
            source=SourceRef(file=file, line=line, end_line=end_line)))
    return found


def to_resource(evaluated: EvaluatedResource, default_region: str) -> Resource:
    provider = evaluated.provider
    prefix = evaluated.type.split("_", 1)[0]
    written_tags = evaluated.attrs.get("tags")
    tags = {**(provider.default_tags if provider else {}),
            **(written_tags if isinstance(written_tags, dict) else {})}
    return Resource(
        id=evaluated.id, type=evaluated.type,
        provider=PROVIDER_FAMILIES.get(prefix, prefix), name=evaluated.name,
        format="terraform", region=(provider.region if provider else None) or default_region,
        attrs=evaluated.attrs, depends_on=evaluated.depends_on,
        tags=_tag_texts(tags), unknown=evaluated.unknown,
        spans=evaluated.spans, origins=evaluated.origins,
        source=SourceRef(file=evaluated.file, line=evaluated.line,
                         end_line=evaluated.end_line))


def _tag_texts(tags: dict[str, Any]) -> dict[str, str]:
    texts = {}
    for key, value in tags.items():
        text = str(value) if isinstance(value, Ref) else to_text(value)
        if text is not None:
            texts[str(key)] = text
    return texts
