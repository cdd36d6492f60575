"""Terraform modules: variables, locals, outputs, providers and module calls.

A `ModuleSource` is what one directory declares; a `ModuleInstance` is that directory
evaluated once, as a root module or for one call (one `count`/`for_each` key) of a
`module` block. Variables, locals, outputs and child modules are evaluated lazily and
memoised, so their order in the files does not matter and a cycle yields unknown.

Local modules (`source = "./x"` or `"../x"`) are followed, and so are remote ones (registry,
git, http, S3 sources) that `terraform init` has copied under the root's
`.terraform/modules` (its `modules.json` maps each call to its folder). Nothing is ever
fetched: a remote call without a copy contributes no resources, its outputs are unknown,
and the Terraform reader lists it as "not evaluated". A local source outside the
repository, a call that nests too deep, and modules that call each other are errors of the
calling block: that call contributes nothing and the rest of the module is still evaluated.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from purser.identity import ROOT_SEPARATOR
from purser.provenance import Origin, OriginKind, Span
from purser.sources.hcl import parse as ast
from purser.sources.hcl.evaluate import Scope, evaluate, traversal_text
from purser.sources.hcl.functions import FUNCTIONS
from purser.sources.hcl.limits import (
    MAX_INSTANCES,
    MAX_MODULE_DEPTH,
    EvaluationError,
    current_budget,
)
from purser.sources.hcl.origins import origin_of
from purser.sources.hcl.policy_document import policy_document_json
from purser.sources.hcl.values import (
    UNKNOWN,
    Namespace,
    PartialAddress,
    RefValue,
    for_each_items,
    instance_key,
    to_bool,
    to_number,
    to_text,
)

_NO_NAMES = Scope(lambda name: UNKNOWN)


@dataclass
class ModuleSource:
    """The declarations of one directory's .tf files."""

    directory: str  # repository-relative POSIX path, "." for the top
    variables: dict[str, ast.Body] = field(default_factory=dict)
    locals: dict[str, ast.Attribute] = field(default_factory=dict)
    outputs: dict[str, ast.Attribute] = field(default_factory=dict)
    resources: list[tuple[str, ast.Block]] = field(default_factory=list)  # (file, block)
    data: list[tuple[str, ast.Block]] = field(default_factory=list)
    calls: dict[str, ast.Block] = field(default_factory=dict)
    providers: list[tuple[str, ast.Block]] = field(default_factory=list)
    # The file declaring "var.NAME", "local.NAME", "output.NAME" or "module.NAME".
    files: dict[str, str] = field(default_factory=dict)
    # The repository's .tf and .tfvars bytes by path, where an origin finds an element's text.
    texts: Mapping[str, bytes] = field(default_factory=dict)

    @classmethod
    def from_files(cls, directory: str, files: list[tuple[str, ast.Body]],
                   texts: Mapping[str, bytes] | None = None) -> ModuleSource:
        source = cls(directory, texts={} if texts is None else texts)
        for file, (_, blocks) in files:
            for block in blocks:
                source.add(file, block)
        return source

    def add(self, file: str, block: ast.Block) -> None:
        kind, labels, body = block[0], block[1], block[2]
        if kind == "resource" and len(labels) == 2:
            self.resources.append((file, block))
        elif kind == "data" and len(labels) == 2:
            self.data.append((file, block))
        elif kind == "locals":
            self.locals.update(body[0])
            self.files.update({f"local.{name}": file for name in body[0]})
        elif kind == "variable" and labels:
            self.variables[labels[0]] = body
            self.files[f"var.{labels[0]}"] = file
        elif kind == "output" and labels and "value" in body[0]:
            self.outputs[labels[0]] = body[0]["value"]
            self.files[f"output.{labels[0]}"] = file
        elif kind == "module" and labels:
            self.calls[labels[0]] = block
            self.files[f"module.{labels[0]}"] = file
        elif kind == "provider" and labels:
            self.providers.append((file, block))

    def local_calls(self) -> dict[str, str]:
        """Module name → repository-relative directory, for calls of local modules."""
        found = {}
        for name, block in self.calls.items():
            directory = local_module_directory(self.directory, block)
            if directory is not None and not is_outside(directory):
                found[name] = directory
        return found


def local_module_directory(caller: str, call: ast.Block) -> str | None:
    """The repository-relative folder of a local module (`../x` when it leaves the
    repository); None for a remote source."""
    source = call[2][0].get("source")
    if source is None or source[0][0] != ast.LIT or not isinstance(source[0][1], str):
        return None
    path = source[0][1]
    if not path.startswith(("./", "../")):
        return None  # a registry, git or URL source: not fetched
    return posixpath.normpath(posixpath.join(caller, path))


def download_key(module: tuple[str, ...]) -> str:
    """Terraform's key for a module call in `.terraform/modules/modules.json`: the call
    names without instance keys, ('module.app["a"]', "module.net") → "app.net"."""
    return ".".join(step.removeprefix("module.").split("[", 1)[0] for step in module)


def is_outside(directory: str) -> bool:
    return directory == ".." or directory.startswith("../")


@dataclass
class Provider:
    region: str | None = None
    default_tags: dict[str, Any] = field(default_factory=dict)


class RefTracker:
    """Collects the resource addresses an evaluation reads, for `depends_on`."""

    def __init__(self) -> None:
        self._stack: list[set[str]] = []

    def record(self, address: str) -> None:
        if self._stack:
            self._stack[-1].add(address)

    def add(self, addresses: set[str]) -> None:
        if self._stack and addresses:
            self._stack[-1].update(addresses)

    def start(self) -> None:
        """Begin collecting; `stop()` returns what was read since (kept cheap: hot path)."""
        self._stack.append(set())

    def stop(self) -> set[str]:
        return self._stack.pop()


class _Lazy:
    """name → value computed on first use, remembering the resources that value read.
    A value whose evaluation failed fails again, with the same error, each time it is read."""

    def __init__(self, compute: Callable[[str], Any], tracker: RefTracker) -> None:
        self.compute = compute
        self.tracker = tracker
        self.done: dict[str, tuple[Any, set[str]]] = {}
        self.failed: dict[str, EvaluationError] = {}
        self.busy: set[str] = set()

    def get(self, name: str) -> Any:
        if name in self.done:
            value, refs = self.done[name]
        elif name in self.failed:
            raise self.failed[name]
        elif name in self.busy:
            return UNKNOWN  # a cycle
        else:
            self.busy.add(name)
            self.tracker.start()
            try:
                value = self.compute(name)
            except EvaluationError as error:
                self.failed[name] = error
                raise
            finally:
                refs = self.tracker.stop()
                self.busy.discard(name)
            self.done[name] = (value, refs)
        self.tracker.add(refs)
        return value


Sources = Callable[[str], "ModuleSource | None"]
#: Remote module calls that `terraform init` downloaded: download key → repository-relative
#: folder of the copy (`apps/a/.terraform/modules/vpc`).
Downloads = dict[str, str]


class ModuleInstance:
    """One directory evaluated once. Its resources' addresses start with `prefix`: the root's
    qualifier (`apps/a//` where the repository has several roots, else "") and the calls
    that led here (`module`: 'module.app["a"]', "module.net")."""

    def __init__(self, source: ModuleSource, *, inputs: dict[str, Input],
                 providers: dict[str, Provider], sources: Sources, tracker: RefTracker,
                 root_directory: str, root: str = "", module: tuple[str, ...] = (),
                 callers: tuple[str, ...] = (), downloads: Downloads | None = None) -> None:
        self.source = source
        self.root = root
        self.module = module
        self.prefix = (f"{root}{ROOT_SEPARATOR}" if root else "") + "".join(
            f"{step}." for step in module)
        self.downloads = downloads or {}
        self.inputs = inputs
        self.sources = sources
        self.tracker = tracker
        self.callers = callers  # the directories of the modules that led here, outermost first
        self.root_directory = root_directory
        self._variables = _Lazy(self._variable, tracker)
        self._locals = _Lazy(self._local, tracker)
        self._outputs = _Lazy(self._output, tracker)
        self._policy_documents = _Lazy(self._policy_document, tracker)
        self._children: dict[str, dict[Any, ModuleInstance] | None] = {}
        path = {"module": posixpath.relpath(source.directory, root_directory), "root": ".",
                "cwd": "."}
        self._names: dict[str, Any] = {
            "var": Namespace(self._variables.get), "local": Namespace(self._locals.get),
            "module": Namespace(self.module_value), "data": Namespace(self._data_source),
            "path": path, "terraform": {"workspace": "default"},
            "count": UNKNOWN, "each": UNKNOWN, "self": UNKNOWN}
        self._origins: dict[tuple[str, str], Origin | None] = {}
        self.scope = Scope(self._resolve, origin=self.origin)
        self.providers = self._own_providers(providers)

    def _resolve(self, name: str) -> Any:
        known = self._names.get(name)
        if known is not None:
            return known
        return PartialAddress(self.prefix + name, 1, self.tracker.record)

    def _data_source(self, data_type: str) -> Any:
        if data_type == "aws_iam_policy_document":
            return Namespace(self._policy_documents.get)
        return PartialAddress(f"{self.prefix}data.{data_type}", 1)

    def _policy_document(self, name: str) -> Any:
        """{"json": ...} per instance (a list for count, a map for for_each), as Terraform
        indexes them; a reference when the document or its instances cannot be known."""
        address = f"{self.prefix}data.aws_iam_policy_document.{name}"
        file, body = next(((file, block[2]) for file, block in self.source.data
                           if block[1] == ("aws_iam_policy_document", name)), ("", None))
        if body is None:
            return RefValue(address)
        try:
            keys = expansion(body, self.scope)
            documents = {}
            for key, names in keys or ():
                text = policy_document_json(body, self.scope.bind(**names))
                documents[key] = {"json": text, "minified_json": text}
        except EvaluationError as error:
            raise error.at(file) from None
        if keys is None:
            return RefValue(address)
        if "count" in body[0]:
            return [documents[i] for i in range(len(documents))]
        return documents if "for_each" in body[0] else documents[None]

    def _variable(self, name: str) -> Any:
        declaration = self.source.variables.get(name)
        if declaration is None:
            return UNKNOWN
        type_expr = declaration[0].get("type", (None,))[0]
        if name in self.inputs:
            value = self.inputs[name]()
        elif "default" in declaration[0]:
            expr, line, _ = declaration[0]["default"]
            value = _located(expr, _NO_NAMES, self.source.files[f"var.{name}"], line)
        else:
            return UNKNOWN
        return convert(value, type_expr)

    def _local(self, name: str) -> Any:
        found = self.source.locals.get(name)
        if found is None:
            return UNKNOWN
        return _located(found[0], self.scope, self.source.files[f"local.{name}"], found[1])

    def origin(self, namespace: str, name: str) -> Origin | None:
        """Where `var.NAME` or `local.NAME` got its value; memoised, so that every resource
        reading it shares one chain."""
        key = (namespace, name)
        if key not in self._origins:
            self._origins[key] = None  # a cycle has no origin
            self._origins[key] = self._find_origin(namespace, name)
        return self._origins[key]

    def _find_origin(self, namespace: str, name: str) -> Origin | None:
        if namespace == "local":
            found = self.source.locals.get(name)
            return None if found is None else origin_of(
                OriginKind.local, name, found[0],
                Span(self.source.files[f"local.{name}"], *found[2]), self.scope)
        if name in self.inputs:
            return self.inputs[name].origin()
        declaration = self.source.variables.get(name)
        if declaration is None or "default" not in declaration[0]:
            return None
        where = declaration[0]["default"][2]
        return Origin(OriginKind.variable_default, name,
                      Span(self.source.files[f"var.{name}"], *where))

    def _output(self, name: str) -> Any:
        found = self.source.outputs.get(name)
        if found is None:
            return UNKNOWN
        return _located(found[0], self.scope, self.source.files[f"output.{name}"], found[1])

    def output(self, name: str) -> Any:
        return self._outputs.get(name)

    def module_value(self, name: str) -> Any:
        """`module.<name>`: an object of outputs, or a list/map of them for count/for_each."""
        instances = self.children(name)
        if instances is None:
            return UNKNOWN
        call_body = self.source.calls[name][2][0]
        views = {key: Namespace(child.output) for key, child in instances.items()}
        if "count" in call_body:
            return [views[i] for i in range(len(views))]
        if "for_each" in call_body:
            return views
        return views.get(None, UNKNOWN)

    def children(self, name: str) -> dict[Any, ModuleInstance] | None:
        """The instances of a local module call, keyed by count index / for_each key (None)."""
        if name not in self._children:
            self._children[name] = None  # guards against a call reaching itself
            self._children[name] = self._instantiate(name)
        return self._children[name]

    def all_children(self) -> Iterator[ModuleInstance]:
        for name in self.source.calls:
            yield from (self.children(name) or {}).values()

    def _instantiate(self, name: str) -> dict[Any, ModuleInstance] | None:
        """The instances of one call; a call that cannot be followed is reported as the
        error of its block and contributes nothing."""
        call = self.source.calls.get(name)
        directory = None if call is None else self._call_directory(name, call)
        if call is None or directory is None:
            return None
        try:
            return self._instances(name, call, directory)
        except EvaluationError as error:
            current_budget().report(error.at(self.source.files[f"module.{name}"], call[3]))
            return None

    def _call_directory(self, name: str, call: ast.Block) -> str | None:
        """A local module's folder, or the copy `terraform init` made of a remote one."""
        local = local_module_directory(self.source.directory, call)
        if local is not None:
            return local
        return self.downloads.get(download_key((*self.module, f"module.{name}")))

    def _instances(self, name: str, call: ast.Block,
                   directory: str) -> dict[Any, ModuleInstance] | None:
        if is_outside(directory):
            raise EvaluationError(f"module {name!r}: source {directory!r} is outside the "
                                  "repository; not read")
        chain = (*self.callers, self.source.directory)
        if directory in chain:
            steps = " → ".join(f"{d!r}" for d in (*chain[chain.index(directory):], directory))
            raise EvaluationError(f"module cycle: {steps}; not evaluated")
        if len(chain) >= MAX_MODULE_DEPTH:
            raise EvaluationError(f"modules nested more than {MAX_MODULE_DEPTH} deep; "
                                  "not evaluated")
        child_source = self.sources(directory)
        if child_source is None:
            return None
        body, file = call[2], self.source.files[f"module.{name}"]
        keys = expansion(body, self.scope)
        if keys is None:  # count/for_each unknown: one un-indexed instance, as for resources
            keys = [(None, {"count" if "count" in body[0] else "each": UNKNOWN})]
        current_budget().add_modules(len(keys))
        providers = self._passed_providers(body)
        instances = {}
        for key, names in keys:
            scope = self.scope.bind(**names)
            suffix = "" if key is None else f"[{instance_key(key)}]"
            inputs = {arg: _module_input(arg, attribute, scope, file)
                      for arg, attribute in body[0].items() if arg not in _MODULE_META}
            instances[key] = ModuleInstance(
                child_source, inputs=inputs, providers=providers, sources=self.sources,
                tracker=self.tracker, root_directory=self.root_directory, root=self.root,
                module=(*self.module, f"module.{name}{suffix}"), callers=chain,
                downloads=self.downloads)
        return instances

    def _passed_providers(self, call_body: ast.Body) -> dict[str, Provider]:
        """Providers a child inherits: all of ours, renamed by the call's `providers` map."""
        providers = dict(self.providers)
        mapping = call_body[0].get("providers")
        if mapping and mapping[0][0] == ast.OBJECT:
            for key_expr, value_expr in mapping[0][1]:
                inner = key_expr[1] if key_expr[0] == ast.LIT else traversal_text(key_expr)
                outer = traversal_text(value_expr)
                if inner and outer and outer in self.providers:
                    providers[inner] = self.providers[outer]
        return providers

    def _own_providers(self, inherited: dict[str, Provider]) -> dict[str, Provider]:
        providers = dict(inherited)
        for file, (_, labels, body, line, _) in self.source.providers:
            try:
                key, provider = self._provider(labels[0], body)
            except EvaluationError as error:
                current_budget().report(error.at(file, line))
                continue
            providers[key] = provider
        return providers

    def _provider(self, name: str, body: ast.Body) -> tuple[str, Provider]:
        alias = to_text(_attribute(body, "alias", self.scope))
        region = _attribute(body, "region", self.scope)
        tags: dict[str, Any] = {}
        for block in body[1]:
            if block[0] == "default_tags":
                value = _attribute(block[2], "tags", self.scope)
                tags = value if isinstance(value, dict) else {}
        return (f"{name}.{alias}" if alias else name,
                Provider(region=region if isinstance(region, str) else None, default_tags=tags))


_MODULE_META = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


class Input:
    """A variable's value given from outside the module (a module call's argument, tfvars,
    `-var`), computed when the module first reads it, and where it came from."""

    __slots__ = ("_origin", "_value")

    def __init__(self, value: Callable[[], Any], origin: Callable[[], Origin | None]) -> None:
        self._value = value
        self._origin = origin

    def __call__(self) -> Any:
        return self._value()

    def origin(self) -> Origin | None:
        return self._origin()


def _module_input(name: str, attribute: ast.Attribute, scope: Scope, file: str) -> Input:
    """A module call's argument (an evaluation error names the call's line)."""
    expr, line, where = attribute
    return Input(lambda: _located(expr, scope, file, line),
                 lambda: origin_of(OriginKind.module_input, name, expr, Span(file, *where),
                                   scope))


def _located(expr: ast.Expr, scope: Scope, file: str, line: int) -> Any:
    try:
        return evaluate(expr, scope)
    except EvaluationError as error:
        raise error.at(file, line) from None


def _attribute(body: ast.Body, name: str, scope: Scope) -> Any:
    found = body[0].get(name)
    return None if found is None else _located(found[0], scope, "", found[1])


def expansion(body: ast.Body, scope: Scope) -> list[tuple[Any, dict[str, Any]]] | None:
    """The instance keys of a block with `count`/`for_each` and the names each one binds.

    [(None, {})] for a single instance; None when count/for_each cannot be known. A count
    Terraform would refuse, or more than MAX_INSTANCES instances, is an EvaluationError.
    """
    attributes = body[0]
    if "count" in attributes:
        expr, line, _ = attributes["count"]
        count = to_number(_located(expr, scope, "", line))
        if count is None:
            return None
        return [(i, {"count": {"index": i}}) for i in range(_instance_count(count, line))]
    if "for_each" in attributes:
        expr, line, _ = attributes["for_each"]
        items = for_each_items(_located(expr, scope, "", line))
        if items is None:
            return None
        _instance_count(len(items), line)
        return [(key, {"each": {"key": key, "value": value}}) for key, value in items]
    return [(None, {})]


def _instance_count(count: int | float, line: int) -> int:
    if count != count or count in (float("inf"), float("-inf")):
        problem = f"{count} is not a number"
    elif count != int(count):
        problem = f"{count} is not a whole number"
    elif count < 0:
        problem = f"{count} is negative"
    elif count > MAX_INSTANCES:
        problem = (f"{int(count):,} instances, above the {MAX_INSTANCES:,} purser evaluates "
                   "for one resource or module call")
    else:
        return int(count)
    raise EvaluationError(f"invalid count or for_each: {problem}; not evaluated").at(line=line)


def convert(value: Any, type_expr: ast.Expr | None) -> Any:
    """Apply a variable's `type` constraint: "5" → 5 for number, 5 → "5" for string, ..."""
    if type_expr is None or value is None or value is UNKNOWN:
        return value
    if type_expr[0] == ast.ID:
        converted = _PRIMITIVES.get(type_expr[1], _same)(value)
        return value if converted is None else converted
    if type_expr[0] != ast.CALL or not type_expr[2]:
        return value
    kind, inner = type_expr[1], type_expr[2][0]
    if kind in ("list", "set") and isinstance(value, list):
        items = [convert(v, inner) for v in value]
        return FUNCTIONS["toset"](items) if kind == "set" else items
    if kind == "map" and isinstance(value, dict):
        return {k: convert(v, inner) for k, v in value.items()}
    if kind == "object" and isinstance(value, dict) and inner[0] == ast.OBJECT:
        return _convert_object(value, inner)
    if kind == "optional":
        return convert(value, inner)
    return value


def _convert_object(value: dict[str, Any], type_expr: ast.Expr) -> dict[str, Any]:
    """Declared attributes get their type; missing optional ones get their default or null."""
    result = dict(value)
    for key_expr, attribute_type in type_expr[1]:
        name = key_expr[1] if key_expr[0] == ast.LIT else None
        if not isinstance(name, str):
            continue
        if name in value:
            result[name] = convert(value[name], attribute_type)
        elif attribute_type[0] == ast.CALL and attribute_type[1] == "optional":
            args = attribute_type[2]
            result[name] = evaluate(args[1], _NO_NAMES) if len(args) > 1 else None
    return result


def _same(value: Any) -> Any:
    return value


_PRIMITIVES: dict[str, Callable[[Any], Any]] = {
    # A reference stays a reference: its value is a string once it is known.
    "string": lambda v: to_text(v) if not isinstance(v, list | dict | RefValue) else None,
    "number": to_number,
    "bool": to_bool,
}


def root_inputs(source: ModuleSource, tfvars: dict[str, tuple[Any, Span]],
                overrides: dict[str, str]) -> dict[str, Input]:
    """Values of a root module's variables: tfvars files (value and where it is written),
    then `-var NAME=VALUE` text."""
    inputs = {name: _constant(value, Origin(OriginKind.tfvars, name, span))
              for name, (value, span) in tfvars.items()}
    for name, text in overrides.items():
        declaration = source.variables.get(name)
        type_expr = declaration[0].get("type", (None,))[0] if declaration else None
        inputs[name] = _constant(_variable_text(text, type_expr),
                                 Origin(OriginKind.cli_var, name, None))
    return inputs


def _constant(value: Any, origin: Origin) -> Input:
    return Input(lambda: value, lambda: origin)


def _variable_text(text: str, type_expr: ast.Expr | None) -> Any:
    """A `-var` value: literal text for strings, HCL for numbers, bools and collections."""
    is_string = type_expr is not None and type_expr[0] == ast.ID and type_expr[1] == "string"
    if is_string or not text.strip().startswith(("[", "{")):
        return text
    expr = ast.parse_expression(text)
    return text if expr is None else evaluate(expr, _NO_NAMES)
