"""User Rego policies, evaluated in-process with rego-cpp (regopy).

Every `.rego` file under the policy folder is loaded into one interpreter (so a policy may
call helpers from another file) and compiled once; each resource is then evaluated
against every package that defines a `deny`, `violation` or `warn` rule (Conftest's
conventions, `deny_*`/`warn_*` too). Kubernetes resources are presented as an admission
request, so Gatekeeper/OPA admission policies run unchanged; other resources as the IR.

Speed: converting a Python value into a Rego input costs more than the evaluation, so the
input is cut down to the `input.…` paths the policies name (found by scanning their
text; a bare `input` keeps everything), and identical cut-down inputs are evaluated once.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from regopy import Interpreter, LogLevel, NodeKind, RegoError, rego_shared

from purser.model import Category, Finding, Resource, Severity, SourceError

Path_ = tuple[str, ...]

RULE_HEAD = re.compile(r"^\s*((?:deny|violation|warn)(?:_\w+)?)\b", re.MULTILINE)
PACKAGE = re.compile(r"^\s*package\s+([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*$", re.MULTILINE)
DIAGNOSTIC_PLACE = re.compile(r"^-- (.+):(\d+):(\d+)\s*$")
RULE_NAME = re.compile(r"(?:deny|violation|warn)(?:_\w+)?")
PATH_STEP = re.compile(r'\.([A-Za-z_]\w*)|\[\s*"((?:[^"\\]|\\.)*)"\s*\]')
CATEGORY_WORDS = (("finops", Category.finops), ("compliance", Category.compliance),
                  ("ai", Category.responsible_ai))


@dataclass
class Policy:
    """One `.rego` file: where it is and what package it fills."""

    file: str  # repository-relative
    source: str
    package: str


@dataclass
class _Compiled:
    interpreter: Interpreter
    bundle: Any
    packages: dict[str, list[str]]  # package → files defining its deny/warn rules
    paths: list[Path_] | None  # input paths the policies read; None: the whole input
    failed: set[str] = field(default_factory=set)


def evaluate(folder: Path, root: Path,
             resources: list[Resource]) -> tuple[list[Finding], list[SourceError]]:
    """Findings of the Rego policies under `folder` for `resources`; a broken file is an
    error of its own and the other policies still run."""
    if not folder.is_dir():
        return [], []
    policies, errors = _read_policies(folder, root)
    compiled, build_errors = _compile(policies)
    errors += build_errors
    if compiled is None or not compiled.packages:
        return [], errors
    findings = _evaluate_all(compiled, resources, errors)
    return findings, errors


# --------------------------------------------------------------------------- loading


def _read_policies(folder: Path, root: Path) -> tuple[list[Policy], list[SourceError]]:
    policies: list[Policy] = []
    errors: list[SourceError] = []
    for path in sorted(folder.rglob("*.rego")):
        if path.name.endswith("_test.rego") or not path.is_file():
            continue  # OPA unit tests, not policies
        file = _relative(path, root)
        try:
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(SourceError(file=file, message=f"cannot read Rego policy: {exc}"))
            continue
        package = PACKAGE.search(_masked(source, strings=True))
        if package is None:
            errors.append(SourceError(file=file, line=1, message=(
                "Rego policy has no `package` line with a plain dotted name")))
            continue
        policies.append(Policy(file, source, package.group(1)))
    return policies, errors


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _compile(policies: list[Policy]) -> tuple[_Compiled | None, list[SourceError]]:
    """Compile all policies together; a file that does not compile is left out (with its
    error) and the rest are compiled again."""
    errors: list[SourceError] = []
    remaining = list(policies)
    while remaining:
        interpreter = _interpreter()
        loaded: list[Policy] = []
        for policy in remaining:
            try:
                interpreter.add_module(policy.file, policy.source)
                loaded.append(policy)
            except RegoError:
                errors.append(_diagnose([policy], blame=policy))
        packages = _rule_packages(loaded)
        if not packages:
            return None, errors
        bundle = interpreter.build(None, [p.replace(".", "/") for p in packages])
        if bundle.ok():
            return _Compiled(interpreter, bundle, packages, _input_paths(loaded)), errors
        culprits = _build_culprits(loaded)
        if not culprits:  # the compiler named no file we know: blame them all, once
            errors += [SourceError(file=p.file, message="Rego policies do not compile together")
                       for p in loaded]
            return None, errors
        errors += culprits.values()
        remaining = [p for p in loaded if p.file not in culprits]
    return None, errors


def _interpreter() -> Interpreter:
    interpreter = Interpreter()
    interpreter.log_level = LogLevel.NONE  # rego-cpp prints errors on stdout otherwise
    return interpreter


def _rule_packages(policies: list[Policy]) -> dict[str, list[str]]:
    packages: dict[str, list[str]] = {}
    for policy in policies:
        if RULE_HEAD.search(_masked(policy.source, strings=True)):
            packages.setdefault(policy.package, []).append(policy.file)
    return packages


# --------------------------------------------------------------------------- diagnostics


def _diagnose(policies: list[Policy], blame: Policy) -> SourceError:
    """The compiler's first complaint about `blame`, with its line."""
    text = _compiler_output(policies)
    for file, line, message in _parse_diagnostics(text):
        if file == blame.file:
            return SourceError(file=file, line=line, message=f"Rego: {message}")
    return SourceError(file=blame.file, message="Rego policy does not parse")


def _build_culprits(policies: list[Policy]) -> dict[str, SourceError]:
    culprits: dict[str, SourceError] = {}
    known = {p.file for p in policies}
    for file, line, message in _parse_diagnostics(_compiler_output(policies)):
        if file in known and file not in culprits:
            culprits[file] = SourceError(file=file, line=line, message=f"Rego: {message}")
    return culprits


def _compiler_output(policies: list[Policy]) -> str:
    """Compile again with logging on: rego-cpp only tells the line of an error on stdout."""

    def compile_loudly() -> None:
        interpreter = Interpreter()
        interpreter.log_level = LogLevel.ERROR
        for policy in policies:
            interpreter.add_module(policy.file, policy.source)
        interpreter.build(None, sorted({p.package.replace(".", "/") for p in policies}))

    return _captured_stdout(compile_loudly)


def _captured_stdout(action: Callable[[], None]) -> str:
    sys.stdout.flush()
    with tempfile.TemporaryFile() as sink:
        saved = os.dup(1)
        os.dup2(sink.fileno(), 1)
        try:
            action()
        except RegoError:
            pass
        finally:
            ctypes.CDLL(None).fflush(None)
            os.dup2(saved, 1)
            os.close(saved)
        sink.seek(0)
        return sink.read().decode("utf-8", errors="replace")


def _parse_diagnostics(text: str) -> Iterator[tuple[str, int, str]]:
    """(file, line, message) for each `-- file:line:col` marker; the message is the line
    before it (rego-cpp's error layout)."""
    previous = ""
    for line in text.splitlines():
        place = DIAGNOSTIC_PLACE.match(line)
        if place:
            yield place.group(1), int(place.group(2)), previous or "syntax error"
        elif line.strip() and not set(line.strip()) <= set("-~") and line != "Errors:":
            previous = line.strip()


# --------------------------------------------------------------------------- evaluation


def _evaluate_all(compiled: _Compiled, resources: list[Resource],
                  errors: list[SourceError]) -> list[Finding]:
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    outcomes: dict[str, list[tuple[str, str, Any]]] = {}
    for resource in resources:
        document = _project(_input_for(resource, compiled.paths), compiled.paths)
        key = json.dumps(document, sort_keys=True, default=str)
        if key not in outcomes:
            outcomes[key] = _outcomes(compiled, document, resource, errors)
        for package, rule, entry in outcomes[key]:
            finding = _finding(package, rule, entry, resource, compiled.packages[package])
            identity = (finding.rule_id, finding.resource, finding.message)
            if identity not in seen:
                seen.add(identity)
                findings.append(finding)
    return findings


def _outcomes(compiled: _Compiled, document: Any, resource: Resource,
              errors: list[SourceError]) -> list[tuple[str, str, Any]]:
    """(package, rule, entry) for every message the policies produce for one input."""
    interpreter = compiled.interpreter
    try:
        interpreter.set_input(document)
    except (ValueError, TypeError):  # a value Rego cannot hold (a YAML date): as text
        interpreter.set_input(json.loads(json.dumps(document, default=str)))
    found: list[tuple[str, str, Any]] = []
    for package in compiled.packages:
        if package in compiled.failed:
            continue
        value = _query(interpreter, compiled.bundle, package.replace(".", "/"))
        if value is _FAILED:
            compiled.failed.add(package)
            errors.append(SourceError(file=compiled.packages[package][0], message=(
                f"Rego evaluation of package {package} failed on {resource.address}; "
                "its rules were skipped from there on")))
            continue
        for rule, result in sorted(value.items()):
            if RULE_NAME.fullmatch(rule):
                found += [(package, rule, entry) for entry in _entries(result)]
    return found


_FAILED: Any = object()
_SCALARS = {NodeKind.String, NodeKind.Int, NodeKind.Float, NodeKind.Boolean, NodeKind.True_,
            NodeKind.False_, NodeKind.Null, NodeKind.Undefined}
_ESCAPE = re.compile(r'\\(["\\/bfnrt]|u[0-9a-fA-F]{4})')
_ESCAPED = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _query(interpreter: Interpreter, bundle: Any, entrypoint: str) -> Any:
    """The value of one compiled entrypoint for the current input.

    regopy's `Output` parses rego-cpp's JSON text, which leaves quotes inside strings
    unescaped (a message naming `aws_x.y["k"]` breaks it), so the result nodes are read
    through regopy's C bindings instead.
    """
    try:
        output = rego_shared.rego_bundle_query_entrypoint(
            interpreter._impl, bundle._impl, entrypoint)
    except RegoError:
        return _FAILED
    try:
        if not rego_shared.rego_output_ok(output):
            return _FAILED
        node = rego_shared.rego_output_expressions_at_index(output, 0)
        value = _node_value(node) if node else {}
        return value if isinstance(value, dict) else {}
    finally:
        rego_shared.rego_free_output(output)


def _node_value(node: Any) -> Any:
    kind = rego_shared.rego_node_type(node)
    if kind in _SCALARS:
        return _scalar(kind, rego_shared.rego_node_value(node) if kind not in (
            NodeKind.Null, NodeKind.Undefined) else "")
    children = [rego_shared.rego_node_get(node, i)
                for i in range(rego_shared.rego_node_size(node))]
    if kind is NodeKind.Object:
        items = [[_node_value(rego_shared.rego_node_get(item, i)) for i in (0, 1)]
                 for item in children]
        return {_hashable(key): value for key, value in items}
    if kind in (NodeKind.Array, NodeKind.Set):
        return [_node_value(child) for child in children]
    return _node_value(children[0]) if children else None  # Term, Scalar, Terms


def _scalar(kind: NodeKind, text: str) -> Any:
    if kind is NodeKind.String:
        return _unquoted(text)
    if kind is NodeKind.Int:
        return int(text)
    if kind is NodeKind.Float:
        return float(text)
    if kind in (NodeKind.Boolean, NodeKind.True_, NodeKind.False_):
        return text == "true"
    return None


def _unquoted(text: str) -> str:
    """rego-cpp hands strings back with their source escapes, object keys also quoted."""
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]

    def unescape(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.startswith("u"):
            return chr(int(code[1:], 16))
        return _ESCAPED.get(code, code)

    return _ESCAPE.sub(unescape, text)


def _hashable(key: Any) -> Any:
    return key if isinstance(key, str | int | float | bool | None) else json.dumps(
        key, sort_keys=True)


def _entries(result: Any) -> list[Any]:
    """The messages of a rule: a v1 set comes back as a list, a classic `deny[msg]` that
    rego-cpp reads as a partial object as `{msg: true}`, a complete rule as a value."""
    if isinstance(result, dict):
        if "msg" in result:
            return [result]
        return [key for key, value in result.items() if value is not False]
    if isinstance(result, list):
        return result
    if result is True or (isinstance(result, str) and result):
        return [result]
    return []


def _finding(package: str, rule: str, entry: Any, resource: Resource,
             files: list[str]) -> Finding:
    evidence: dict[str, Any] = {"policy": files[0] if len(files) == 1 else files, "rule": rule}
    if isinstance(entry, dict) and "msg" in entry:
        message = str(entry["msg"])
        if entry.get("details") is not None:
            evidence["details"] = entry["details"]
    elif isinstance(entry, str):
        message = entry
    elif entry is True:
        message = f"Rego rule {package}.{rule} holds for this resource"
    else:
        message = json.dumps(entry, sort_keys=True, default=str)
    warning = rule.startswith("warn")
    return Finding(
        rule_id=f"REGO:{package}", title=f"Rego policy {package}",
        severity=Severity.low if warning else Severity.high,
        category=_category(package), resource=resource.address, message=message,
        source=resource.source, evidence=evidence, origin="rego")


def _category(package: str) -> Category:
    words = set(re.split(r"[._\-]", package.lower()))
    for word, category in CATEGORY_WORDS:
        if word in words or (word != "ai" and word in package.lower()):
            return category
    return Category.security


# --------------------------------------------------------------------------- input


def _input_for(resource: Resource, paths: list[Path_] | None) -> Any:
    if _is_manifest(resource):
        return _admission_request(resource)
    if paths is None:
        return resource.model_dump(mode="json")
    fields = {path[0] for path in paths if path[0] in Resource.model_fields}
    return resource.model_dump(mode="json", include=fields) if fields else {}


def _is_manifest(resource: Resource) -> bool:
    if resource.format == "kubernetes":
        return True
    attrs = resource.attrs
    return resource.provider == "kubernetes" and "apiVersion" in attrs and "kind" in attrs


def _admission_request(resource: Resource) -> dict[str, Any]:
    manifest = resource.attrs
    group, _, version = str(manifest.get("apiVersion", "")).rpartition("/")
    namespace = resource.address.rsplit("/", 2)[-2] if resource.address.count("/") >= 2 else ""
    return {"request": {
        "kind": {"group": group, "version": version, "kind": manifest.get("kind", "")},
        "object": manifest, "operation": "CREATE",
        "namespace": "" if namespace == "_" else namespace, "name": resource.name,
        "uid": str(uuid.uuid5(uuid.NAMESPACE_URL, resource.address)),
    }}


def _project(document: Any, paths: list[Path_] | None) -> Any:
    """Only the parts of `document` at `paths`, which are prefix-free; a path that meets a
    list or a scalar early keeps that value whole."""
    if paths is None:
        return document
    projected: dict[str, Any] = {}
    for path in paths:
        source, target = document, projected
        for key in path[:-1]:
            if not isinstance(source, dict) or key not in source:
                break
            source = source[key]
            if not isinstance(source, dict):
                target[key] = source
                break
            target = target.setdefault(key, {})
        else:
            if isinstance(source, dict) and path[-1] in source:
                target[path[-1]] = source[path[-1]]
    return projected


def _input_paths(policies: list[Policy]) -> list[Path_] | None:
    """Every `input.a.b["c"]` path the policies read, or None when one reads `input` as a
    whole (a bare `input`, a computed index at the top)."""
    paths: set[Path_] = set()
    for policy in policies:
        code = _masked(policy.source, strings=False)
        bare = _masked(policy.source, strings=True)
        for match in re.finditer(r"(?<![\w.])input\b", bare):
            path = _static_path(code, match.end())
            if not path:
                return None
            paths.add(path)
    return _shortest_prefixes(paths)


def _static_path(code: str, position: int) -> Path_:
    keys: list[str] = []
    while match := PATH_STEP.match(code, position):
        name, quoted = match.group(1), match.group(2)
        if name is None:
            try:
                name = json.loads(f'"{quoted}"')
            except ValueError:
                break  # an escape we do not read: keep the whole value from here
        keys.append(name)
        position = match.end()
    return tuple(keys)


def _shortest_prefixes(paths: set[Path_]) -> list[Path_]:
    kept: list[Path_] = []
    for path in sorted(paths, key=len):
        if not any(path[:len(prefix)] == prefix for prefix in kept):
            kept.append(path)
    return sorted(kept)


# --------------------------------------------------------------------------- lexing


def _spans(source: str) -> Iterator[tuple[str, int, int]]:
    """(kind, start, end) of each comment and string literal in Rego source."""
    index, length = 0, len(source)
    while index < length:
        char = source[index]
        if char == "#":
            end = source.find("\n", index)
            end = length if end < 0 else end
            yield "comment", index, end
            index = end
        elif char == '"':
            end = index + 1
            while end < length and source[end] not in '"\n':
                end += 2 if source[end] == "\\" else 1
            yield "string", index, min(end + 1, length)
            index = end + 1
        elif char == "`":
            end = source.find("`", index + 1)
            end = length - 1 if end < 0 else end
            yield "string", index, end + 1
            index = end + 1
        else:
            index += 1


def _masked(source: str, *, strings: bool) -> str:
    """`source` with comments (and, when asked, string contents) blanked out; offsets and
    line breaks stay where they were."""
    text = list(source)
    for kind, start, end in _spans(source):
        if kind == "comment" or strings:
            first = start + 1 if kind == "string" else start
            last = end - 1 if kind == "string" else end
            for index in range(first, last):
                if text[index] != "\n":
                    text[index] = " "
    return "".join(text)
