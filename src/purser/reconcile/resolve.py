"""References between declared resources, filled in from what is live or just created.

A Terraform reference stays a `Ref(address, attribute)` in the IR, and inside a string
(`jsonencode({arn = aws_sqs_queue.dlq.arn})`) it is written `${address.attribute}`. Both
are resolved from a resource's outputs (the ARN, id, URL its handler read back). An
attribute is looked up as written, then in snake_case (CloudFormation's `Arn`,
`QueueUrl`), then by the kind's default (`Ref` with no attribute: `ref`, else `id`). What
cannot be resolved yet (the resource is still to be created) stays `PENDING`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from purser.model import Ref

Outputs = Mapping[str, Mapping[str, Any]]
_PLACEHOLDER = re.compile(r"\$\{([^{}]+)\}")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


class _Pending:
    def __repr__(self) -> str:
        return "(known after apply)"


PENDING: Any = _Pending()


def resolve(value: Any, outputs: Outputs, addresses: frozenset[str]) -> Any:
    """`value` with every reference to one of `addresses` (the declared resources)
    replaced by its output, or PENDING when that output is not known yet."""
    if isinstance(value, Ref):
        return lookup(outputs, value.address, value.attribute)
    if isinstance(value, str) and "${" in value:
        return _interpolate(value, outputs, addresses)
    if isinstance(value, dict):
        resolved = {key: resolve(item, outputs, addresses) for key, item in value.items()}
        return PENDING if any(v is PENDING for v in resolved.values()) else resolved
    if isinstance(value, list):
        items = [resolve(item, outputs, addresses) for item in value]
        return PENDING if any(item is PENDING for item in items) else items
    return value


def references(value: Any, addresses: frozenset[str]) -> Iterator[str]:
    """The declared addresses `value` refers to."""
    if isinstance(value, Ref):
        yield value.address
    elif isinstance(value, str) and "${" in value:
        for match in _PLACEHOLDER.finditer(value):
            split = _split(match.group(1), addresses)
            if split:
                yield split[0]
    elif isinstance(value, dict):
        for item in value.values():
            yield from references(item, addresses)
    elif isinstance(value, list):
        for item in value:
            yield from references(item, addresses)


def lookup(outputs: Outputs, address: str, attribute: str) -> Any:
    found = outputs.get(address)
    if found is None:
        return PENDING
    for key in (attribute, _snake(attribute), attribute.lower()) if attribute else ("ref", "id"):
        if key in found:
            return found[key]
    return PENDING


def _interpolate(text: str, outputs: Outputs, addresses: frozenset[str]) -> Any:
    pending = False

    def fill(match: re.Match[str]) -> str:
        nonlocal pending
        split = _split(match.group(1), addresses)
        if split is None:
            return match.group(0)  # not a reference to a declared resource: left as written
        value = lookup(outputs, *split)
        if value is PENDING:
            pending = True
            return match.group(0)
        return str(value)

    filled = _PLACEHOLDER.sub(fill, text)
    return PENDING if pending else filled


def _split(reference: str, addresses: frozenset[str]) -> tuple[str, str] | None:
    """`address.attribute` → (address, attribute) when the address is declared."""
    if reference in addresses:
        return reference, ""
    address, _, attribute = reference.rpartition(".")
    return (address, attribute) if address in addresses else None


def _snake(name: str) -> str:
    return _CAMEL.sub("_", name).lower()
