"""Where a Terraform value was written and where it came from (see `purser.provenance`).

A block's attributes get a span each as their body is evaluated (`Recorder`); a value that
is not a literal also gets an origin: the `var.NAME` or `local.NAME` it is (whose origin the
module instance knows: a module input at the caller, tfvars, `-var`, a default), or an
expression computed from the variables and locals it reads. Both are worked out when first
asked for: the recorder keeps the parse's own positions and, for a value that is not a
literal, its expression and scope.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from purser.provenance import Deferred, Origin, OriginKind, Span, Where, spans_at
from purser.sources.hcl import parse as ast
from purser.sources.hcl.evaluate import Scope

_NAMESPACES = frozenset({"var", "local"})


def origin_of(kind: OriginKind, name: str, expr: ast.Expr, span: Span, scope: Scope) -> Origin:
    """The origin of a value written as `expr` at `span`: a module input, a local..."""
    return Origin(kind, name, span, _sources(expr, scope))


def attribute_origin(path: str, expr: ast.Expr, span: Span, scope: Scope) -> Origin | None:
    """None for a literal; the origin of the variable or local the value is; else the
    expression with the origins of what it reads."""
    if expr[0] == ast.LIT:
        return None
    named = _named(expr)
    found = scope.origin(*named) if named is not None else None
    return found or Origin(OriginKind.expression, path, span, _sources(expr, scope))


class Recorder:
    """Where one resource's attributes are written, filled as its body is evaluated;
    `nested` gives the recorder of a nested block (the same tables, a longer path)."""

    __slots__ = ("computed", "file", "prefix", "written")

    def __init__(self, file: str, prefix: str = "", written: dict[str, Where] | None = None,
                 computed: dict[str, tuple[ast.Attribute, Scope]] | None = None) -> None:
        self.file = file
        self.prefix = prefix
        self.written: dict[str, Where] = {} if written is None else written
        # The values that are not literals, with the scope their origin is found in.
        self.computed: dict[str, tuple[ast.Attribute, Scope]] = {} if computed is None \
            else computed

    def record(self, name: str, attribute: ast.Attribute, scope: Scope) -> None:
        path = self.prefix + name
        self.written[path] = attribute[2]
        if attribute[0][0] != ast.LIT:
            self.computed[path] = (attribute, scope)

    def nested(self, block_type: str, index: int) -> Recorder:
        return Recorder(self.file, f"{self.prefix}{block_type}.{index}.", self.written,
                        self.computed)

    def spans(self) -> Deferred[Span]:
        return Deferred(partial(spans_at, self.file, self.written))

    def origins(self) -> Deferred[Origin]:
        return Deferred(partial(_origins, self.file, self.computed))


def _origins(file: str, computed: dict[str, tuple[ast.Attribute, Scope]]) -> dict[str, Origin]:
    found = {path: attribute_origin(path, attribute[0], Span(file, *attribute[2]), scope)
             for path, (attribute, scope) in computed.items()}
    return {path: origin for path, origin in found.items() if origin is not None}


def _sources(expr: ast.Expr, scope: Scope) -> tuple[Origin, ...]:
    if expr[0] == ast.LIT:
        return ()
    found = (scope.origin(*name) for name in dict.fromkeys(_references(expr)))
    return tuple(origin for origin in found if origin is not None)


def _named(expr: ast.Expr) -> tuple[str, str] | None:
    """("var", "memory") for `var.memory` (or `var.config.memory`, `local.x[0]`...)."""
    while expr[0] in (ast.ATTR, ast.IDX):
        if expr[0] == ast.ATTR and _is_namespace(expr[1]):
            return expr[1][1], expr[2]
        expr = expr[1]
    return None


def _references(expr: Any) -> list[tuple[str, str]]:
    """Every `var.NAME` and `local.NAME` an expression reads, in order."""
    found: list[tuple[str, str]] = []
    pending = [expr]
    while pending:
        item = pending.pop()
        if not isinstance(item, tuple) or not item or item[0] == ast.LIT:
            continue
        if item[0] == ast.ATTR and _is_namespace(item[1]):
            found.append((item[1][1], item[2]))
            continue
        pending.extend(reversed(item))
    return found


def _is_namespace(expr: Any) -> bool:
    return isinstance(expr, tuple) and len(expr) == 2 and expr[0] == ast.ID and \
        expr[1] in _NAMESPACES
