"""A block body → attributes: plain values, nested blocks, `dynamic` blocks, unknown paths.

Arguments become plain values; nested blocks become lists of dicts under the block name
(as `terraform show -json` writes them); `dynamic` blocks are expanded into those lists.
A value that cannot be known is left out and its dotted path (block names without an
index: `ingress.cidr_blocks`) is listed in `unknown`. A `Recorder`, when given, receives
each attribute's span and origin under its indexed path (`ingress.0.cidr_blocks`).
"""

from __future__ import annotations

from typing import Any

from purser.model import Ref
from purser.sources.hcl import parse as ast
from purser.sources.hcl.evaluate import Scope, evaluate, traversal_text
from purser.sources.hcl.limits import EvaluationError
from purser.sources.hcl.origins import Recorder
from purser.sources.hcl.values import UNKNOWN, Namespace, PartialAddress, RefValue, for_each_items

META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
_PLAIN = (str, int, float, bool, type(None))
OMIT: Any = object()  # what known_part returns for a wholly unknown value


def evaluate_body(body: ast.Body, scope: Scope, path: str, unknown: list[str], *,
                  top: bool = False, recorder: Recorder | None = None) -> dict[str, Any]:
    attributes, blocks = body
    attrs: dict[str, Any] = {}
    for name, attribute in attributes.items():
        if top and name in META_ARGUMENTS:
            continue
        expr, line, _ = attribute
        if recorder is not None:
            recorder.record(name, attribute, scope)
        try:
            value = known_part(evaluate(expr, scope), path + name, unknown)
        except EvaluationError as error:
            raise error.at(line=line) from None
        if value is not OMIT:
            attrs[name] = value
    for block_type, labels, block_body, _, _ in blocks:
        if top and block_type in META_BLOCKS:
            continue
        if block_type == "dynamic" and labels:
            expanded = _dynamic(labels[0], block_body, scope, path, unknown, recorder,
                                len(attrs.get(labels[0], [])))
            if expanded is not None:
                attrs.setdefault(labels[0], []).extend(expanded)
            continue
        siblings = attrs.setdefault(block_type, [])
        inner = recorder.nested(block_type, len(siblings)) if recorder is not None else None
        siblings.append(evaluate_body(block_body, scope, f"{path}{block_type}.", unknown,
                                      recorder=inner))
    return attrs


def _dynamic(label: str, body: ast.Body, scope: Scope, path: str, unknown: list[str],
             recorder: Recorder | None, first: int) -> list[dict[str, Any]] | None:
    """`dynamic "x" { for_each, iterator, content {} }` → the list of `x` blocks, the
    first of them `x.<first>` for the recorder (after the `x` blocks written out)."""
    attributes, blocks = body
    content = next((b[2] for b in blocks if b[0] == "content"), None)
    for_each = attributes.get("for_each")
    if content is None or for_each is None:
        return None
    try:
        collection = evaluate(for_each[0], scope)
    except EvaluationError as error:
        raise error.at(line=for_each[1]) from None
    items = (list(enumerate(collection)) if isinstance(collection, list)
             else for_each_items(collection))
    if items is None:
        unknown.append(path + label)
        return None
    iterator = attributes.get("iterator")
    name = (traversal_text(iterator[0]) if iterator else None) or label
    return [evaluate_body(content, scope.bind(**{name: {"key": key, "value": value}}),
                          f"{path}{label}.", unknown,
                          recorder=recorder.nested(label, first + index) if recorder else None)
            for index, (key, value) in enumerate(items)]


def known_part(value: Any, path: str, unknown: list[str]) -> Any:
    """The value without its unknown parts (their paths are added to `unknown`);
    references become `Ref`s. Returns `OMIT` when the whole value is unknown."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, RefValue):
        return Ref(address=value.address, attribute=value.attribute)
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            part = known_part(item, f"{path}.{key}", unknown)
            if part is not OMIT:
                kept[key] = part
        return kept
    if isinstance(value, list):
        if any(item is UNKNOWN or isinstance(item, PartialAddress | Namespace) for item in value):
            unknown.append(path)
            return OMIT
        parts = [known_part(item, path, unknown) for item in value]
        return [p for p in parts if p is not OMIT]
    unknown.append(path)
    return OMIT
