"""Resource blocks → evaluated instances: count/for_each, dynamic blocks, unknown paths.

Arguments become plain values; nested blocks become lists of dicts under the block name
(as `terraform show -json` writes them); `dynamic` blocks are expanded into those lists.
A value that cannot be known is left out and its dotted path (block names without an
index: `ingress.cidr_blocks`) is listed in `unknown`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from purser.model import Ref
from purser.sources.hcl import parse as ast
from purser.sources.hcl.evaluate import Scope, evaluate, traversal_text
from purser.sources.hcl.module import ModuleInstance, Namespace, Provider, expansion, for_each_items
from purser.sources.hcl.values import UNKNOWN, PartialAddress, RefValue, instance_key

META_ARGUMENTS = frozenset({"count", "for_each", "depends_on", "provider"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})
_PLAIN = (str, int, float, bool, type(None))
_OMIT = object()


@dataclass
class EvaluatedResource:
    address: str
    type: str
    name: str
    file: str
    line: int
    end_line: int
    attrs: dict[str, Any]
    unknown: list[str] = field(default_factory=list)
    depends_on: list[str] = field(default_factory=list)
    provider: Provider | None = None


def module_resources(instance: ModuleInstance) -> Iterator[EvaluatedResource]:
    """Every resource instance of a module instance and of the local modules it calls."""
    for file, block in instance.source.resources:
        yield from resource_instances(instance, file, block)
    for child in instance.all_children():
        yield from module_resources(child)


def resource_instances(instance: ModuleInstance, file: str,
                       block: ast.Block) -> Iterator[EvaluatedResource]:
    _, (resource_type, name), body, line, end_line = block
    base = f"{instance.prefix}{resource_type}.{name}"
    instance.tracker.start()
    keys = expansion(body, instance.scope)
    expansion_refs = instance.tracker.stop()
    unknown_meta: list[str] = []
    if keys is None:  # count/for_each unknown: one un-indexed instance, say so
        meta = "count" if "count" in body[0] else "for_each"
        keys = [(None, {"count" if meta == "count" else "each": UNKNOWN})]
        unknown_meta = [meta]
    explicit = _explicit_depends_on(body, instance.prefix)
    provider = instance.providers.get(_provider_key(body, resource_type))
    for key, names in keys:
        scope = instance.scope.bind(**names) if names else instance.scope
        unknown = list(unknown_meta)
        instance.tracker.start()
        attrs = evaluate_body(body, scope, "", unknown, top=True)
        refs = instance.tracker.stop()
        depends = (refs | expansion_refs | explicit) - {base}
        suffix = "" if key is None else f"[{instance_key(key)}]"
        yield EvaluatedResource(
            address=base + suffix, type=resource_type, name=name, file=file, line=line,
            end_line=end_line, attrs=attrs, unknown=unknown, depends_on=sorted(depends),
            provider=provider)


def _explicit_depends_on(body: ast.Body, prefix: str) -> set[str]:
    found = body[0].get("depends_on")
    if found is None or found[0][0] != ast.TUPLE:
        return set()
    texts = (traversal_text(item) for item in found[0][1])
    return {prefix + text for text in texts if text}


def _provider_key(body: ast.Body, resource_type: str) -> str:
    chosen = body[0].get("provider")
    text = traversal_text(chosen[0]) if chosen else None
    return text or resource_type.split("_", 1)[0]


def evaluate_body(body: ast.Body, scope: Scope, path: str, unknown: list[str], *,
                  top: bool = False) -> dict[str, Any]:
    attributes, blocks = body
    attrs: dict[str, Any] = {}
    for name, (expr, _) in attributes.items():
        if top and name in META_ARGUMENTS:
            continue
        value = known_part(evaluate(expr, scope), path + name, unknown)
        if value is not _OMIT:
            attrs[name] = value
    for block_type, labels, block_body, _, _ in blocks:
        if top and block_type in META_BLOCKS:
            continue
        if block_type == "dynamic" and labels:
            expanded = _dynamic(labels[0], block_body, scope, path, unknown)
            if expanded is not None:
                attrs.setdefault(labels[0], []).extend(expanded)
            continue
        nested = evaluate_body(block_body, scope, f"{path}{block_type}.", unknown)
        attrs.setdefault(block_type, []).append(nested)
    return attrs


def _dynamic(label: str, body: ast.Body, scope: Scope, path: str,
             unknown: list[str]) -> list[dict[str, Any]] | None:
    """`dynamic "x" { for_each, iterator, content {} }` → the list of `x` blocks."""
    attributes, blocks = body
    content = next((b[2] for b in blocks if b[0] == "content"), None)
    for_each = attributes.get("for_each")
    if content is None or for_each is None:
        return None
    collection = evaluate(for_each[0], scope)
    items = (list(enumerate(collection)) if isinstance(collection, list)
             else for_each_items(collection))
    if items is None:
        unknown.append(path + label)
        return None
    iterator = attributes.get("iterator")
    name = (traversal_text(iterator[0]) if iterator else None) or label
    return [evaluate_body(content, scope.bind(**{name: {"key": key, "value": value}}),
                          f"{path}{label}.", unknown)
            for key, value in items]


def known_part(value: Any, path: str, unknown: list[str]) -> Any:
    """The value without its unknown parts (their paths are added to `unknown`);
    references become `Ref`s. Returns `_OMIT` when the whole value is unknown."""
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, RefValue):
        return Ref(address=value.address, attribute=value.attribute)
    if isinstance(value, dict):
        kept = {}
        for key, item in value.items():
            part = known_part(item, f"{path}.{key}", unknown)
            if part is not _OMIT:
                kept[key] = part
        return kept
    if isinstance(value, list):
        if any(item is UNKNOWN or isinstance(item, PartialAddress | Namespace) for item in value):
            unknown.append(path)
            return _OMIT
        parts = [known_part(item, path, unknown) for item in value]
        return [p for p in parts if p is not _OMIT]
    unknown.append(path)
    return _OMIT
