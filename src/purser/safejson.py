"""Strict, bounded JSON loading for files written by strangers (templates, plans).

`json.loads` alone keeps the last of two equal keys silently, reads integers of thousands
of digits (and then fails to print them), recurses until the stack runs out and passes
lone surrogates (`"\\udfff"`) that no report can encode. Here each of those is a
`JsonError` with the line it was written on, or, for surrogates, a U+FFFD in their place.
The same bounds as for YAML apply.

The checks that run on every file are single passes in C over the bytes (translate, split,
search); the exact place of a problem is looked for only once one is known to be there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import accumulate
from typing import Any

from purser.safeyaml import MAX_DEPTH, MAX_INT_DIGITS

_STRUCTURE = b'"[]{}'
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in _STRUCTURE)
_NESTING = [0] * 256
_NESTING[ord("[")] = _NESTING[ord("{")] = 1
_NESTING[ord("]")] = _NESTING[ord("}")] = -1
_DIGIT_OR_NOT = bytes(ord("1") if chr(b).isdigit() else ord("0") for b in range(256))
_LONG_DIGIT_RUN = b"1" * (MAX_INT_DIGITS + 1)

_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:]|-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?')
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class JsonError(ValueError):
    def __init__(self, message: str, line: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _DuplicateKey(Exception):
    pass


def loads(text: str) -> Any:
    """The value of a JSON document; raise `JsonError` with a line on bad or hostile input."""
    data = text.encode("utf-8", "surrogatepass")
    if _nesting(data) > MAX_DEPTH:
        raise JsonError(f"values nested more than {MAX_DEPTH} levels deep", _deep_line(text))
    if _LONG_DIGIT_RUN in data.translate(_DIGIT_OR_NOT):
        _refuse_long_numbers(text)
    try:
        value = json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise JsonError(f"invalid JSON: {exc.msg}", exc.lineno) from None
    except _DuplicateKey:
        key, first, line = _duplicate(text)
        raise JsonError(f"duplicate key {key[:80]!r} (first written on line {first})",
                        line) from None
    except RecursionError:  # only when called with little stack left
        raise JsonError(f"values nested more than {MAX_DEPTH} levels deep") from None
    return without_surrogates(value) if _SURROGATE_ESCAPE.search(text) else value


def without_surrogates(value: Any) -> Any:
    """`value` with every lone surrogate in its strings (and keys) replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {without_surrogates(k): without_surrogates(v) for k, v in value.items()}
    return value


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    mapping = dict(pairs)
    if len(mapping) != len(pairs):
        raise _DuplicateKey
    return mapping


def _nesting(data: bytes) -> int:
    """The deepest nesting of arrays and objects, brackets inside strings not counted."""
    if b'\\"' in data:  # drop escaped backslashes, then escaped quotes: quotes then pair up
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    outside_strings = b"".join(data.translate(None, _NOT_STRUCTURE).split(b'"')[::2])
    return max(accumulate(map(_NESTING.__getitem__, outside_strings)), default=0)


# -- where a known problem was written: slower scans that stop at the first one -----------

def _tokens(text: str) -> Iterator[tuple[str, int]]:
    """Strings, brackets, colons and numbers with their lines."""
    line, counted = 1, 0
    for match in _TOKEN.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        yield match.group(), line


def _deep_line(text: str) -> int:
    depth = 0
    for token, line in _tokens(text):
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif token in ("]", "}"):
            depth -= 1
    return 0


def _refuse_long_numbers(text: str) -> None:
    for token, line in _tokens(text):
        if token[0] != '"' and len(token.lstrip("-")) > MAX_INT_DIGITS:
            raise JsonError(f"number too long: {len(token):,} characters "
                            f"(at most {MAX_INT_DIGITS})", line)


def _duplicate(text: str) -> tuple[str, int, int]:
    """The first key written twice in one object: (key, its first line, its second line)."""
    objects: list[dict[str, int] | None] = []  # None for an array
    previous, previous_line = "", 0
    for token, line in _tokens(text):
        if token in ("{", "["):
            objects.append({} if token == "{" else None)
        elif token in ("}", "]") and objects:
            objects.pop()
        elif token == ":" and previous.startswith('"') and objects and objects[-1] is not None:
            key, keys = json.loads(previous), objects[-1]
            if key in keys:
                return key, keys[key], previous_line
            keys[key] = previous_line
        previous, previous_line = token, line
    return "", 0, 0
