"""Terraform text written from plain values, formatted as `terraform fmt` would.

Strings are always written quoted and escaped: a backslash, a quote, a newline, `${` and
`%{` can never open an interpolation, a template directive or a new line of code, however
they reached the value (an intent, an LLM's reply, a repository's tag). Code that is meant
as an expression (a reference, a function call) is an `Expr`, built only by the blueprints.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_OPENER = re.compile(r"[$%](?=[{$%])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


@dataclass(frozen=True)
class Expr:
    """An HCL expression written as is: `aws_s3_bucket.backup.arn`, `var.env`."""

    code: str


@dataclass(frozen=True)
class Template:
    """A quoted string mixing literal text (escaped) and expressions (`${...}`)."""

    parts: tuple[str | Expr, ...]


@dataclass(frozen=True)
class Json:
    """`jsonencode(...)` of a value (an IAM policy): written as an HCL object."""

    value: Any


@dataclass
class Block:
    """`type "label" "label" { ... }`; `body` keeps its order: attributes and blocks."""

    type: str
    labels: tuple[str, ...] = ()
    body: list[tuple[str, Value] | Block] = field(default_factory=list)
    comment: str = ""

    def attrs(self) -> dict[str, Value]:
        return {item[0]: item[1] for item in self.body if isinstance(item, tuple)}


#: str, int, float, bool, None, Expr, Template, Json, or lists and string-keyed dicts of
#: them (typed loosely: mypy cannot check a recursive union through the blueprints' literals).
Value = Any


def quote(text: str) -> str:
    """`text` as an HCL quoted string literal, with nothing left to interpret."""
    out = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
           .replace("\r", "\\r").replace("\t", "\\t"))
    # `${` and `%{` (and runs such as `$${`, which parsers read differently) are written
    # with the `$` or `%` as a \u escape: decoded after the template is read, never opening one.
    out = _OPENER.sub(lambda m: f"\\u{ord(m.group(0)):04x}", out)
    return _CONTROL.sub(lambda m: f"\\u{ord(m.group(0)):04x}", out)


def ref(*parts: str) -> Expr:
    return Expr(".".join(parts))


def render(blocks: list[Block]) -> str:
    """Blocks separated by one blank line, each formatted, ending with a newline."""
    return "\n".join(_block(block, 0) for block in blocks)


def _block(block: Block, depth: int) -> str:
    pad = "  " * depth
    labels = "".join(f' "{quote(label)}"' for label in block.labels)
    head = "".join(f"{pad}# {line}\n" for line in block.comment.splitlines())
    if not block.body:
        return f"{head}{pad}{block.type}{labels} {{}}\n"
    return f"{head}{pad}{block.type}{labels} {{\n{_body(block.body, depth + 1)}{pad}}}\n"


def _body(items: list[tuple[str, Value] | Block], depth: int) -> str:
    pad = "  " * depth
    out: list[str] = []
    run: list[tuple[str, Value]] = []

    def flush() -> None:
        width = max((len(_key(name)) for name, value in run if _single_line(value, depth)),
                    default=0)
        for name, value in run:
            key = _key(name)
            key = key.ljust(width) if _single_line(value, depth) else key
            out.append(f"{pad}{key} = {_value(value, depth)}\n")
        run.clear()

    previous_block = False
    for item in items:
        if isinstance(item, Block):
            if run:
                flush()
            if out:
                out.append("\n")
            out.append(_block(item, depth))
            previous_block = True
        else:
            if previous_block:
                out.append("\n")
                previous_block = False
            run.append(item)
    flush()
    return "".join(out)


def _single_line(value: Value, depth: int) -> bool:
    return "\n" not in _value(value, depth)


def _key(name: str) -> str:
    return name if _IDENTIFIER.match(name) else json.dumps(name)


def _value(value: Value, depth: int) -> str:
    if isinstance(value, Expr):
        return value.code
    if isinstance(value, Template):
        return '"' + "".join(quote(p) if isinstance(p, str) else "${" + p.code + "}"
                             for p in value.parts) + '"'
    if isinstance(value, Json):
        return f"jsonencode({_value(value.value, depth)})"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) and not value.is_integer() else \
            str(int(value))
    if isinstance(value, str):
        return f'"{quote(value)}"'
    if isinstance(value, list):
        items = [_value(item, depth + 1) for item in value]
        line = "[" + ", ".join(items) + "]"
        if len(line) <= 80 and "\n" not in line:
            return line
        pad = "  " * (depth + 1)
        return "[\n" + "".join(f"{pad}{item},\n" for item in items) + "  " * depth + "]"
    return _object(value, depth)


def _object(value: dict[str, Value], depth: int) -> str:
    if not value:
        return "{}"
    pad = "  " * (depth + 1)
    keys = {name: _key(name) for name in value}
    width = max(len(k) for k in keys.values())
    lines = [f"{pad}{keys[name].ljust(width)} = {_value(item, depth + 1)}\n"
             for name, item in value.items()]
    return "{\n" + "".join(lines) + "  " * depth + "}"
