"""HCL text → a compact AST of plain tuples, built in one pass over the tree-sitter CST.

The AST holds only tuples, lists, dicts, strings, numbers, booleans and None so that the
parse cache can store it on disk without pickling any class (a planted cache file then
cannot run code). Shapes:

    Parsed     = (body | None, (line, message) | None)
    Body       = (attributes: {name: (expr, line, Where)}, blocks: [Block])
    Where      = (line, end_line, start_byte, end_byte)  the value's text, for spans
    Block      = (type, (label, ...), Body, line, end_line)

Expressions are tuples whose first item is one of the tags below; see `evaluate.py`.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Callable, Iterator
from typing import Any

import tree_sitter_hcl
from tree_sitter import Language, Node, Parser

from purser.sources.hcl.limits import MAX_INTEGER

VERSION = "hcl-ast-4"  # bump when the AST shapes change: it keys the parse cache

# Expression tags.
LIT = "lit"  # (LIT, value)  also literal lists and objects, folded at parse time
TPL = "tpl"  # (TPL, (str | expr, ...))  a template with interpolations
ID = "id"  # (ID, name)  the root of a traversal: var, local, aws_s3_bucket, each...
ATTR = "attr"  # (ATTR, object, name)
IDX = "idx"  # (IDX, object, key)
SPLAT = "splat"  # (SPLAT, object, ((ATTR, None, name) | (IDX, None, key), ...))
CALL = "call"  # (CALL, name, (arg, ...), expand_last)
TUPLE = "tuple"  # (TUPLE, (item, ...))
OBJECT = "object"  # (OBJECT, ((key, value), ...))
COND = "cond"  # (COND, condition, if_true, if_false)
UNARY = "unary"  # (UNARY, "-" | "!", operand)
BINARY = "binary"  # (BINARY, op, left, right)
FOR = "for"  # (FOR, key_var | None, value_var, collection, key | None, value, cond | None, group)
UNKNOWN = "unknown"  # (UNKNOWN,)  a construct evaluated as unknown (template directives)

Expr = tuple[Any, ...]
Where = tuple[int, int, int, int]
Attribute = tuple[Expr, int, Where]
Body = tuple[dict[str, Attribute], list[Any]]
Block = tuple[str, tuple[str, ...], Body, int, int]
Parsed = tuple[Body | None, tuple[int, str] | None]

_LANGUAGE = Language(tree_sitter_hcl.language())
_PARSER = Parser(_LANGUAGE)
_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_POSTFIX = frozenset({"get_attr", "index", "splat"})
_HOLE = "\x00"  # stands for an interpolation while a heredoc is dedented
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")
_BARE_EXPONENT = re.compile(rb"[eE][+-]?[0-9]")
_REPAIRS = 4  # rounds of `1e3` → `1.0e3` before a parse error is reported as it is


class _Invalid(Exception):
    """Valid syntax that is not a valid value (`0x10`, a 5,000-digit integer)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse_hcl(data: bytes) -> Parsed:
    """Parse a .tf or .tfvars file; a syntax error gives (None, (line, message))."""
    root = _PARSER.parse(data).root_node
    inserted: list[int] = []
    if root.has_error:
        data, root, inserted = _with_exponents_repaired(data, root)
        if root.has_error:
            return None, _first_error(root)
    body = next((c for c in root.named_children if c.type == "body"), None)
    try:
        return (_Converter(data, inserted).body(body) if body is not None else ({}, [])), None
    except RecursionError:
        return None, (1, "invalid HCL: expressions nested too deeply")
    except _Invalid as invalid:
        return None, (invalid.line, invalid.message)


def _with_exponents_repaired(data: bytes, root: Node) -> tuple[bytes, Node, list[int]]:
    """The grammar rejects `1e3`, which HCL allows: insert the missing `.0` after every
    integer literal followed by an exponent and parse again (lines do not move; the
    positions of the insertions in the repaired bytes are returned, so that spans can be
    given in the file's own bytes). When the file still does not parse, the first parse's
    error is the one reported."""
    first = root
    inserted: list[int] = []
    for _ in range(_REPAIRS):
        positions = sorted({node.end_byte for node in _numeric_literals(root)
                            if b"." not in data[node.start_byte:node.end_byte]
                            and _BARE_EXPONENT.match(data, node.end_byte)})
        if not positions:
            break
        pieces = [data[start:end] for start, end in zip([0, *positions], [*positions, None],
                                                         strict=True)]
        data = b".0".join(pieces)
        inserted = sorted([m + 2 * bisect.bisect_right(positions, m) for m in inserted]
                          + [p + 2 * i for i, p in enumerate(positions)])
        root = _PARSER.parse(data).root_node
        if not root.has_error:
            return data, root, inserted
    return data, first, []


def _numeric_literals(root: Node) -> Iterator[Node]:
    pending = [root]
    while pending:
        node = pending.pop()
        if node.type == "numeric_lit":
            yield node
        elif node.child_count:
            pending.extend(node.children)


def parse_expression(text: str) -> Expr | None:
    """Parse one expression (a `-var` value); None when it is not valid HCL."""
    body, error = parse_hcl(f"value = {text}\n".encode())
    if error or body is None or "value" not in body[0]:
        return None
    return body[0]["value"][0]


def _first_error(node: Node) -> tuple[int, str]:
    for child in node.children:
        if child.is_missing:
            return child.start_point[0] + 1, f"invalid HCL: missing '{child.type}'"
        if child.type == "ERROR":
            token = child.text.decode("utf-8", "replace").strip().splitlines() if child.text else []
            snippet = token[0][:30] if token else "end of file"
            return child.start_point[0] + 1, f"invalid HCL: unexpected '{snippet}'"
        if child.has_error:
            return _first_error(child)
    return node.start_point[0] + 1, "invalid HCL"


class _Converter:
    """One pass over the CST; `data` is the file's bytes, sliced for identifiers and text.
    `inserted` are the positions where a repair added two bytes (`1e3` → `1.0e3`)."""

    def __init__(self, data: bytes, inserted: list[int]) -> None:
        self.data = data
        self.inserted = inserted
        self.converters: dict[str, Callable[[Node], Expr]] = {
            "expression": self._expression, "literal_value": self._literal_value,
            "collection_value": self._collection_value, "variable_expr": self._variable_expr,
            "function_call": self._function_call, "conditional": self._conditional,
            "operation": self._operation, "for_expr": self._for_expr,
            "template_expr": self._template_expr}

    def text(self, node: Node) -> str:
        return self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def where(self, node: Node) -> Where:
        """The node's lines and its byte offsets in the file as written."""
        start, end = node.start_byte, node.end_byte
        if self.inserted:
            start -= 2 * bisect.bisect_left(self.inserted, start)
            end -= 2 * bisect.bisect_left(self.inserted, end)
        return node.start_point[0] + 1, node.end_point[0] + 1, start, end

    def body(self, node: Node) -> Body:
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        for child in node.named_children:
            kind = child.type
            if kind == "attribute":
                name_node, value_node = child.named_children[0], child.named_children[-1]
                attributes[self.text(name_node)] = (self.expr(value_node),
                                                    child.start_point[0] + 1,
                                                    self.where(value_node))
            elif kind == "block":
                blocks.append(self.block(child))
        return attributes, blocks

    def block(self, node: Node) -> Block:
        labels: list[str] = []
        body: Body = ({}, [])
        name = ""
        for child in node.named_children:
            kind = child.type
            if kind == "identifier":
                if name:
                    labels.append(self.text(child))
                else:
                    name = self.text(child)
            elif kind == "string_lit":
                labels.append(self.string(child, quoted=True))
            elif kind == "body":
                body = self.body(child)
        return name, tuple(labels), body, node.start_point[0] + 1, node.end_point[0] + 1

    def expr(self, node: Node) -> Expr:
        convert = self.converters.get(node.type)
        return convert(node) if convert else (UNKNOWN,)

    def _expression(self, node: Node) -> Expr:
        children = node.named_children
        value = self.expr(children[0])
        for step in children[1:]:
            value = self.traverse(value, step)
        return value

    def traverse(self, value: Expr, step: Node) -> Expr:
        kind = step.type
        if kind == "get_attr":
            return (ATTR, value, self.text(step.named_children[0]))
        if kind == "index":
            inner = step.named_children[0]
            if inner.type == "legacy_index":  # `a.0`
                return (IDX, value, (LIT, _number(self.text(inner).lstrip("."), inner)))
            return (IDX, value, self.expr(inner.named_children[0]))
        if kind == "splat":
            steps = step.named_children[0].named_children
            return (SPLAT, value, tuple(self.traverse(None, s) for s in steps))  # type: ignore[arg-type]
        return (UNKNOWN,)

    def _literal_value(self, node: Node) -> Expr:
        inner = node.named_children[0]
        kind = inner.type
        if kind == "numeric_lit":
            return (LIT, _number(self.text(inner), inner))
        if kind == "bool_lit":
            return (LIT, self.text(inner) == "true")
        if kind == "string_lit":
            return (LIT, self.string(inner, quoted=True))
        return (LIT, None)

    def string(self, node: Node, *, quoted: bool) -> str:
        """A string literal without interpolation: the text between its quotes."""
        return self.literal(node.start_byte + 1, node.end_byte - 1, quoted)

    def _collection_value(self, node: Node) -> Expr:
        inner = node.named_children[0]
        if inner.type == "tuple":
            items = tuple(self.expr(c) for c in inner.named_children if c.type == "expression")
            if all(item[0] == LIT for item in items):  # folded: evaluated once, here
                return (LIT, [item[1] for item in items])
            return (TUPLE, items)
        elements = []
        for element in inner.named_children:
            if element.type == "object_elem":
                key_node, value_node = element.named_children[0], element.named_children[-1]
                elements.append((self.object_key(key_node), self.expr(value_node)))
        if all(k[0] == LIT and isinstance(k[1], str) and v[0] == LIT for k, v in elements):
            return (LIT, {k[1]: v[1] for k, v in elements})
        return (OBJECT, tuple(elements))

    def object_key(self, node: Node) -> Expr:
        key = self.expr(node)
        if key[0] == ID:  # a bare word is a literal key, `(word)` an expression
            parenthesised = node.named_children[0].type == "expression"
            return key if parenthesised else (LIT, key[1])
        return key

    def _variable_expr(self, node: Node) -> Expr:
        return (ID, self.text(node))

    def _function_call(self, node: Node) -> Expr:
        children = node.named_children
        args: tuple[Expr, ...] = ()
        expand = False
        if len(children) > 1:
            arg_nodes = children[1].named_children
            args = tuple(self.expr(a) for a in arg_nodes if a.type == "expression")
            expand = any(a.type == "ellipsis" for a in arg_nodes)
        return (CALL, self.text(children[0]), args, expand)

    def _conditional(self, node: Node) -> Expr:
        condition, if_true, if_false = (self.expr(c) for c in node.named_children[:3])
        return (COND, condition, if_true, if_false)

    def _operation(self, node: Node) -> Expr:
        inner = node.named_children[0]
        operands = self.operands(inner)
        operator = next(self.text(c) for c in inner.children
                        if not c.is_named and c.type not in ("(", ")"))
        if inner.type == "unary_operation":
            return (UNARY, operator, operands[0])
        return (BINARY, operator, operands[0], operands[1])

    def operands(self, node: Node) -> list[Expr]:
        """Operand terms are inlined: `a.b + 1` is (variable_expr, get_attr, literal_value)."""
        operands: list[Expr] = []
        for child in node.named_children:
            if child.type in _POSTFIX and operands:
                operands[-1] = self.traverse(operands[-1], child)
            else:
                operands.append(self.expr(child))
        return operands

    def _for_expr(self, node: Node) -> Expr:
        inner = node.named_children[0]
        parts = inner.named_children
        intro = next(c for c in parts if c.type == "for_intro")
        names = [self.text(c) for c in intro.named_children if c.type == "identifier"]
        collection = self.expr(next(c for c in intro.named_children if c.type == "expression"))
        key_var, value_var = (names[0], names[1]) if len(names) > 1 else (None, names[0])
        expressions = [self.expr(c) for c in parts if c.type == "expression"]
        cond = next((self.expr(c.named_children[0]) for c in parts if c.type == "for_cond"),
                    None)
        group = any(c.type == "ellipsis" for c in parts)
        if inner.type == "for_object_expr":
            return (FOR, key_var, value_var, collection, expressions[0], expressions[1], cond,
                    group)
        return (FOR, key_var, value_var, collection, None, expressions[0], cond, False)

    def _template_expr(self, node: Node) -> Expr:
        inner = node.named_children[0]
        if inner.type == "heredoc_template":
            parts = self.heredoc_parts(inner)
        else:
            parts = self.template_parts(inner, quoted=True)
        return _template(parts)

    def template_parts(self, node: Node, *, quoted: bool) -> list[Any]:
        """Literal text (from the gaps between interpolations) and interpolated expressions."""
        parts: list[Any] = []
        position, end = node.start_byte, node.end_byte
        for child in node.named_children:
            kind = child.type
            if kind == "quoted_template_start":
                position = child.end_byte
            elif kind == "quoted_template_end":
                end = child.start_byte
            elif kind in ("template_interpolation", "template_directive"):
                parts.append(self.literal(position, child.start_byte, quoted))
                parts.append(self.interpolation(child))
                position = child.end_byte
        parts.append(self.literal(position, end, quoted))
        return _strip_markers(parts)

    def heredoc_parts(self, node: Node) -> list[Any]:
        children = node.named_children
        opening, closing = children[1], children[-1]
        start = self.data.index(b"\n", opening.end_byte) + 1 if b"\n" in self.data[
            opening.end_byte:closing.start_byte] else closing.start_byte
        end = self.data.rfind(b"\n", start, closing.start_byte) + 1 or start
        parts: list[Any] = []
        position = start
        for child in children[2:-1]:
            if child.type == "template_literal":
                continue
            parts.append(self.literal(position, child.start_byte, False))
            parts.append(self.interpolation(child))
            position = child.end_byte
        parts.append(self.literal(position, max(end, position), False))
        parts = _strip_markers(parts)
        if self.text(children[0]).endswith("-"):
            parts = _dedent(parts)
        return parts

    def literal(self, start: int, end: int, quoted: bool) -> str:
        raw = self.data[start:end].decode("utf-8", "replace")
        return _unescape(raw, quoted) if ("\\" in raw or "$${" in raw or "%%{" in raw) else raw

    def interpolation(self, node: Node) -> Any:
        if node.type != "template_interpolation":
            return (UNKNOWN,)  # %{if}/%{for} directives are not evaluated
        strip = tuple(c.type == "strip_marker" for c in (node.named_children[1],
                                                          node.named_children[-2]))
        inner = next((c for c in node.named_children if c.type == "expression"), None)
        expr = self.expr(inner) if inner is not None else (UNKNOWN,)
        return ("strip", strip, expr) if any(strip) else expr


def _number(text: str, node: Node) -> int | float:
    """A numeric literal: decimal digits, optional fraction and exponent, within 64 bits."""
    line = node.start_point[0] + 1
    if not _NUMBER.fullmatch(text):
        raise _Invalid(line, f"invalid number {text[:30]!r}: HCL numbers are decimal")
    if any(c in text for c in ".eE"):
        value = float(text)
        if math.isinf(value):
            raise _Invalid(line, f"number {text[:30]} is out of range")
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if len(text.lstrip("0")) > 19 or int(text) >= MAX_INTEGER:
        raise _Invalid(line, f"number {text[:30]}{'...' if len(text) > 30 else ''} is "
                             "beyond 64 bits")
    return int(text)


def _unescape(raw: str, quoted: bool) -> str:
    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if token == "$${":
            return "${"
        if token == "%%{":
            return "%{"
        if not quoted:
            return token
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            return _character(int(code[1:], 16))
        return _SIMPLE_ESCAPES.get(code, token)

    return _ESCAPE.sub(replace, raw)


def _character(point: int) -> str:
    """A \\u or \\U escape; a surrogate or a point beyond Unicode (which no writer could
    encode) becomes U+FFFD, as Go's decoder makes it."""
    if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
        return "\ufffd"
    return chr(point)


def _strip_markers(parts: list[Any]) -> list[Any]:
    """Apply `${~ x ~}` whitespace stripping to the neighbouring literal text."""
    for i, part in enumerate(parts):
        if isinstance(part, tuple) and part[0] == "strip":
            left, right = part[1]
            if left and i > 0 and isinstance(parts[i - 1], str):
                parts[i - 1] = parts[i - 1].rstrip()
            if right and i + 1 < len(parts) and isinstance(parts[i + 1], str):
                parts[i + 1] = parts[i + 1].lstrip()
            parts[i] = part[2]
    return parts


def _dedent(parts: list[Any]) -> list[Any]:
    """`<<-` heredocs lose the smallest indentation of their non-blank lines."""
    exprs = [p for p in parts if not isinstance(p, str)]
    text = "".join(p if isinstance(p, str) else _HOLE for p in parts)
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip(" \t")]
    cut = min(indents, default=0)
    text = "\n".join(line[cut:] for line in lines)
    pieces = text.split(_HOLE)
    result: list[Any] = [pieces[0]]
    for expr, piece in zip(exprs, pieces[1:], strict=False):
        result += [expr, piece]
    return result


def _template(parts: list[Any]) -> Expr:
    """A template that is one interpolation and nothing else yields that value unconverted."""
    kept = tuple(p for p in parts if p != "")
    if not kept:
        return (LIT, "")
    if len(kept) == 1:
        return (LIT, kept[0]) if isinstance(kept[0], str) else kept[0]
    return (TPL, kept)
