"""The Rego worker: compiles and evaluates user policies with rego-cpp, in a child process.

rego-cpp is native code that a hostile policy can crash (reading back a recursion error
aborts it, deep nesting overflows its stack) or run away with (`numbers.range`, regex
backtracking), so `purser.policy.rego_sandbox` runs this module in a process of its own,
with an empty environment, under a time and memory watch. It imports nothing of purser.

It reads one JSON request on stdin and writes one JSON line per step on stdout, in a fixed
order, so that the parent knows which step was running if it has to stop it:

    {"error": {"file", "line", "message"}}     a policy that does not compile (left out)
    {"packages": [package, ...]}               compiled; the packages queried, in order
    {"result": [document, package, [[rule, entry], ...]]}
    {"failed": [document, package, message]}   an evaluation error; package skipped after
    {"done": true}

Request: {"policies": [{"file", "source", "package", "rules"}], "documents": [...],
"start": first document, "skip": [package, ...], "compile_only": bool}.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import resource
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from regopy import Interpreter, LogLevel, NodeKind, RegoError, rego_shared

DIAGNOSTIC_PLACE = re.compile(r"^-- (.+):(\d+):(\d+)\s*$")
RULE_NAME = re.compile(r"(?:deny|violation|warn)(?:_\w+)?")

Policy = dict[str, Any]  # {"file", "source", "package", "rules": has deny/warn rules}


def main() -> None:
    request = json.loads(sys.stdin.buffer.read())
    _confine(int(request.get("cpu_seconds", 65)))
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    _silence_stdout()  # policies' print/trace and rego-cpp's own chatter go nowhere

    def emit(kind: str, value: Any) -> None:
        out.write(json.dumps({kind: value}) + "\n")
        out.flush()

    compiled = _compile(request["policies"], emit)
    if compiled is not None:
        interpreter, bundle, packages = compiled
        emit("packages", packages)
        if not request.get("compile_only"):
            _evaluate(interpreter, bundle, packages, request, emit)
    emit("done", True)


def _confine(cpu_seconds: int) -> None:
    """No environment at all (Python's start-up sets LC_CTYPE in the empty one it was
    given), no core file from a crash, and a CPU bound should the parent be gone."""
    os.environ.clear()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = cpu_seconds if hard == resource.RLIM_INFINITY else min(cpu_seconds, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _silence_stdout() -> None:
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


# --------------------------------------------------------------------------- compiling


def _compile(policies: list[Policy], emit: Callable[[str, Any], None],
             ) -> tuple[Interpreter, Any, list[str]] | None:
    """Compile all policies together; a file that does not compile is reported and left
    out, and the rest are compiled again."""
    remaining = list(policies)
    while remaining:
        interpreter = _interpreter()
        loaded: list[Policy] = []
        for policy in remaining:
            try:
                interpreter.add_module(policy["file"], policy["source"])
                loaded.append(policy)
            except RegoError:
                emit("error", _diagnose(policy))
        packages = list(dict.fromkeys(p["package"] for p in loaded if p["rules"]))
        if not packages:
            return None
        bundle = interpreter.build(None, [p.replace(".", "/") for p in packages])
        if bundle.ok():
            return interpreter, bundle, packages
        culprits = _build_culprits(loaded)
        if not culprits:  # the compiler named no file we know: blame them all, once
            for policy in loaded:
                emit("error", {"file": policy["file"], "line": 0,
                               "message": "Rego policies do not compile together"})
            return None
        for error in culprits.values():
            emit("error", error)
        remaining = [p for p in loaded if p["file"] not in culprits]
    return None


def _interpreter() -> Interpreter:
    interpreter = Interpreter()
    interpreter.log_level = LogLevel.NONE
    return interpreter


def _diagnose(policy: Policy) -> dict[str, Any]:
    """The compiler's first complaint about `policy`, with its line."""
    for file, line, message in _parse_diagnostics(_compiler_output([policy])):
        if file == policy["file"]:
            return {"file": file, "line": line, "message": f"Rego: {message}"}
    return {"file": policy["file"], "line": 0, "message": "Rego policy does not parse"}


def _build_culprits(policies: list[Policy]) -> dict[str, dict[str, Any]]:
    culprits: dict[str, dict[str, Any]] = {}
    known = {p["file"] for p in policies}
    for file, line, message in _parse_diagnostics(_compiler_output(policies)):
        if file in known and file not in culprits:
            culprits[file] = {"file": file, "line": line, "message": f"Rego: {message}"}
    return culprits


def _compiler_output(policies: list[Policy]) -> str:
    """Compile again with logging on: rego-cpp only tells the line of an error on stdout."""

    def compile_loudly() -> None:
        interpreter = Interpreter()
        interpreter.log_level = LogLevel.ERROR
        for policy in policies:
            interpreter.add_module(policy["file"], policy["source"])
        interpreter.build(None, sorted({p["package"].replace(".", "/") for p in policies}))

    return _captured_stdout(compile_loudly)


def _captured_stdout(action: Callable[[], None]) -> str:
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


# --------------------------------------------------------------------------- evaluating


def _evaluate(interpreter: Interpreter, bundle: Any, packages: list[str],
              request: dict[str, Any], emit: Callable[[str, Any], None]) -> None:
    """Every package on every document from `start`, one line per step. Documents are
    set one at a time: regopy's `with input as input[i]` batching crashes."""
    skip = set(request.get("skip", ()))
    documents = request["documents"]
    for index in range(request.get("start", 0), len(documents)):
        _set_input(interpreter, documents[index])
        for package in packages:
            if package in skip:
                continue
            value = _query(interpreter, bundle, package.replace(".", "/"))
            if isinstance(value, _Failure):
                skip.add(package)
                emit("failed", [index, package, value.message])
                continue
            found = [[rule, entry] for rule, result in sorted(value.items())
                     if RULE_NAME.fullmatch(rule) for entry in _entries(result)]
            emit("result", [index, package, found])


def _set_input(interpreter: Interpreter, document: Any) -> None:
    try:
        interpreter.set_input(document)
    except (ValueError, TypeError, OverflowError, RegoError):  # e.g. an int past 64 bits
        interpreter.set_input_term(json.dumps(document))


@dataclass
class _Failure:
    message: str


_SCALARS = {NodeKind.String, NodeKind.Int, NodeKind.Float, NodeKind.Boolean, NodeKind.True_,
            NodeKind.False_, NodeKind.Null, NodeKind.Undefined}
_ESCAPE = re.compile(r'\\(["\\/bfnrt]|u[0-9a-fA-F]{4})')
_ESCAPED = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _query(interpreter: Interpreter, bundle: Any, entrypoint: str) -> dict[str, Any] | _Failure:
    """The value of one compiled entrypoint for the current input.

    regopy's `Output` parses rego-cpp's JSON text, which leaves quotes inside strings
    unescaped (a message naming `aws_x.y["k"]` breaks it), so the result nodes are read
    through regopy's C bindings instead. An evaluation error (a recursion) comes back as
    an `Error` node, which rego-cpp aborts on if it is read as a value.
    """
    try:
        output = rego_shared.rego_bundle_query_entrypoint(
            interpreter._impl, bundle._impl, entrypoint)
    except RegoError as error:
        return _Failure(str(error) or "evaluation error")
    try:
        if not rego_shared.rego_output_ok(output):
            return _Failure("evaluation error")
        top = rego_shared.rego_output_node(output)
        if top and rego_shared.rego_node_type(top) == NodeKind.Error:
            return _Failure(_error_message(top))
        node = rego_shared.rego_output_expressions_at_index(output, 0)
        value = _node_value(node) if node else {}
        return value if isinstance(value, dict) else {}
    except RecursionError:
        return _Failure("the result is nested too deeply to read")
    finally:
        rego_shared.rego_free_output(output)


def _error_message(error: Any) -> str:
    for index in range(rego_shared.rego_node_size(error)):
        child = rego_shared.rego_node_get(error, index)
        if rego_shared.rego_node_type(child) == NodeKind.ErrorMessage:
            return str(rego_shared.rego_node_value(child)) or "evaluation error"
    return "evaluation error"


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


if __name__ == "__main__":
    main()
