"""ECS task definitions: their containers in one shape.

Terraform hands `container_definitions` over as a JSON string in the ECS API's camelCase;
CloudFormation as a list in PascalCase. `containers()` gives rules one `Container` per
definition, so a rule compares values and never reads a format's spelling.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from purser.model import Resource

MAX_DEFINITIONS_CHARS = 1_000_000


@dataclass
class Container:
    name: str
    image: str = ""
    privileged: bool = False
    readonly_root_filesystem: bool = False
    user: str = ""
    environment: dict[str, Any] = field(default_factory=dict)


def containers(resource: Resource) -> list[Container]:
    """The containers of a task definition; an unreadable value holds none."""
    value = resource.get("container_definitions")
    if isinstance(value, str) and len(value) <= MAX_DEFINITIONS_CHARS:
        try:
            value = json.loads(value)
        except ValueError:
            return []
    if not isinstance(value, list):
        return []
    return [_container(_camel(item)) for item in value if isinstance(item, dict)]


def _camel(mapping: dict[str, Any]) -> dict[str, Any]:
    """`ReadonlyRootFilesystem` → `readonlyRootFilesystem`: the API's own spelling."""
    return {k[:1].lower() + k[1:] if isinstance(k, str) else k: v for k, v in mapping.items()}


def _container(item: dict[str, Any]) -> Container:
    environment = {}
    for entry in item.get("environment") or []:
        if isinstance(entry, dict):
            entry = _camel(entry)
            environment[str(entry.get("name", ""))] = entry.get("value")
    return Container(name=str(item.get("name") or "(unnamed)"), image=str(item.get("image") or ""),
                     privileged=_true(item.get("privileged")),
                     readonly_root_filesystem=_true(item.get("readonlyRootFilesystem")),
                     user=str(item.get("user") or ""), environment=environment)


def _true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")
