"""Where a Terraform value was written and where it came from (see `purser.provenance`).

A block's attributes get a span each as their body is evaluated (`Recorder`); a value that
is not a literal also gets an origin: the `var.NAME` or `local.NAME` it is (whose origin the
module instance knows: a module input at the caller, tfvars, `-var`, a default), or an
expression computed from the variables and locals it reads. Both are worked out when first
asked for: the recorder keeps the parse's own positions and, for a value that is not a
literal, its expression and scope.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial
from typing import Any

from purser.provenance import Deferred, Origin, OriginKind, Span, Where, spans_at
from purser.sources.hcl import parse as ast
from purser.sources.hcl.elements import Step, element_where
from purser.sources.hcl.evaluate import Scope

_NAMESPACES = frozenset({"var", "local"})
_ROOTS = _NAMESPACES | {"each", "count"}
Reference = tuple[Step, ...]  # ("var", "NAME"), ("each", "value", "a", 0), ("count", "index")


def origin_of(kind: OriginKind, name: str, expr: ast.Expr, span: Span, scope: Scope) -> Origin:
    """The origin of a value written as `expr` at `span`: a module input, a local..."""
    return Origin(kind, name, span, _sources(expr, scope))


def attribute_origin(path: str, expr: ast.Expr, span: Span, scope: Scope) -> Origin | None:
    """None for a literal; the origin of the variable, local or for_each element the value
    is; else the expression with the origins of what it reads."""
    if expr[0] == ast.LIT:
        return None
    reference = _traversal(expr)
    found = _reference_origin(reference, scope) if reference is not None else None
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
    found = (_reference_origin(reference, scope)
             for reference in dict.fromkeys(_references(expr)))
    return tuple(origin for origin in found if origin is not None)


def _reference_origin(reference: Reference, scope: Scope) -> Origin | None:
    if reference[0] in _NAMESPACES:
        return scope.origin(str(reference[0]), str(reference[1]))
    return scope.instance_origin(reference)


def _traversal(expr: ast.Expr) -> Reference | None:
    """("var", "config", "memory") for `var.config.memory`, ("each", "value", "a", 0) for
    `each.value.a[0]`: the traversal up to its first index that is not a literal."""
    steps: list[Step] = []
    while expr[0] in (ast.ATTR, ast.IDX):
        key = expr[2] if expr[0] == ast.ATTR else expr[2][1] if expr[2][0] == ast.LIT else None
        steps = [key, *steps] if isinstance(key, str | int) else []
        expr = expr[1]
    if expr[0] != ast.ID or expr[1] not in _ROOTS or not steps:
        return None
    return (expr[1], *steps)


def _references(expr: Any) -> list[Reference]:
    """Every `var.NAME`, `local.NAME`, `each...` and `count.index` an expression reads,
    in order."""
    found: list[Reference] = []
    pending = [expr]
    while pending:
        item = pending.pop()
        if not isinstance(item, tuple) or not item or item[0] == ast.LIT:
            continue
        reference = _traversal(item) if item[0] in (ast.ATTR, ast.IDX) else None
        if reference is not None:  # a variable or local is one source, whatever part is read
            found.append(reference[:2] if reference[0] in _NAMESPACES else reference)
            continue
        pending.extend(reversed(item))
    return found


class InstanceOrigins:
    """Where `each.key`, `each.value…` and `count.index` of one resource instance came
    from: the `count`/`for_each` attribute (`meta`) evaluated in the module's `scope`, and
    `texts` (file → bytes) to find an element written in a map or list literal."""

    __slots__ = ("file", "key", "meta", "scope", "texts")

    def __init__(self, file: str, meta: ast.Attribute, key: Step, scope: Scope,
                 texts: Mapping[str, bytes]) -> None:
        self.file = file
        self.meta = meta
        self.key = key
        self.scope = scope
        self.texts = texts

    def __call__(self, reference: Reference) -> Origin | None:
        if reference[:2] == ("count", "index"):
            return self._at_meta(OriginKind.count_index, str(self.key))
        if reference[:2] == ("each", "key"):
            return self._element(OriginKind.for_each_key, ())
        if reference[:2] == ("each", "value"):
            return self._element(OriginKind.for_each_element, reference[2:])
        return None

    def _at_meta(self, kind: OriginKind, name: str) -> Origin:
        """An origin at the count/for_each text, with the origins of what it reads."""
        expr, _, where = self.meta
        return Origin(kind, name, Span(self.file, *where), _sources(expr, self.scope))

    def _element(self, kind: OriginKind, steps: tuple[Step, ...]) -> Origin:
        """The element's (or, for `each.key`, the key's) own text in the literal the
        collection is, or the literal a variable or local it names holds; else the
        for_each text."""
        name = json.dumps(self.key)
        expr, _, where = self.meta
        collection = Origin(kind, name, Span(self.file, *where))
        reference = _traversal(expr)
        named = _reference_origin(reference, self.scope) if reference is not None else None
        path = (*(reference or ())[2:], self.key, *steps)
        for origin in [collection, *(named.chain() if named is not None else [])]:
            found = self._find(origin.span, path, key=kind is OriginKind.for_each_key)
            if found is not None:
                return Origin(kind, name, found, () if origin is collection else (origin,))
        return self._at_meta(kind, name)

    def _find(self, span: Span | None, path: tuple[Step, ...], *, key: bool) -> Span | None:
        data = self.texts.get(span.file) if span is not None else None
        if span is None or data is None:
            return None
        where = element_where(data, span[1:], path, key=key)
        return Span(span.file, *where) if where is not None else None


