"""IAM policy documents: where resources keep them, and their statements in one shape.

A document arrives as a JSON string (Terraform `jsonencode`, heredocs) or a dict
(CloudFormation `PolicyDocument`). AWS lets `Statement`, `Action`, `Resource` and
`Principal` be a single value or a list; `statements()` hands rules lists only, so a
rule compares values and never checks shapes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

from purser.model import Resource

# Resource type → attribute paths holding permission policies. A path segment `*` walks
# every element of a list (Terraform `inline_policy` blocks, CloudFormation `Policies`).
PERMISSION_POLICY_PATHS: dict[str, tuple[str, ...]] = {
    "aws_iam_policy": ("policy",),
    "aws_iam_role_policy": ("policy",),
    "aws_iam_user_policy": ("policy",),
    "aws_iam_group_policy": ("policy",),
    "aws_iam_role": ("inline_policy.*.policy",),
    "AWS::IAM::Policy": ("PolicyDocument",),
    "AWS::IAM::ManagedPolicy": ("PolicyDocument",),
    "AWS::IAM::Role": ("Policies.*.PolicyDocument",),
    "AWS::IAM::User": ("Policies.*.PolicyDocument",),
    "AWS::IAM::Group": ("Policies.*.PolicyDocument",),
}
PERMISSION_POLICY_TYPES: tuple[str, ...] = tuple(PERMISSION_POLICY_PATHS)

# Resource type → attribute path of the role's trust (assume-role) policy.
TRUST_POLICY_PATHS: dict[str, str] = {
    "aws_iam_role": "assume_role_policy",
    "AWS::IAM::Role": "AssumeRolePolicyDocument",
}


@dataclass
class Statement:
    """One policy statement with every list-or-scalar field made a list."""

    effect: str
    actions: list[str] = field(default_factory=list)
    not_actions: list[str] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    principals: list[str] = field(default_factory=list)
    condition: dict[str, Any] = field(default_factory=dict)
    sid: str = ""

    @property
    def allows(self) -> bool:
        return self.effect == "Allow"

    def grants(self, action: str) -> bool:
        """True when an action pattern of this statement covers `action` (IAM is case-blind)."""
        return any(fnmatchcase(action.lower(), pattern.lower()) for pattern in self.actions)


def parse_document(value: Any) -> dict[str, Any] | None:
    """A policy document as a dict, or None when `value` is not a readable document."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def statements(value: Any) -> Iterator[Statement]:
    """The statements of a document given as a JSON string or a dict."""
    document = parse_document(value)
    if document is None:
        return
    for raw in as_list(document.get("Statement")):
        if isinstance(raw, dict):
            condition = raw.get("Condition")
            yield Statement(
                effect=str(raw.get("Effect", "")),
                actions=_strings(raw.get("Action")),
                not_actions=_strings(raw.get("NotAction")),
                resources=_strings(raw.get("Resource")),
                principals=_principals(raw.get("Principal")),
                condition=condition if isinstance(condition, dict) else {},
                sid=str(raw.get("Sid", "")))


def permission_documents(resource: Resource) -> Iterator[tuple[str, Any]]:
    """(attribute path, document) for every permission policy `resource` carries."""
    for path in PERMISSION_POLICY_PATHS.get(resource.type, ()):
        yield from _walk(resource.attrs, path.split("."), "")


def permission_statements(resource: Resource) -> Iterator[tuple[str, Statement]]:
    """(attribute path, statement) across every permission policy of `resource`."""
    for path, document in permission_documents(resource):
        for statement in statements(document):
            yield path, statement


def trust_statements(resource: Resource) -> Iterator[Statement]:
    path = TRUST_POLICY_PATHS.get(resource.type)
    return statements(resource.get(path)) if path else iter(())


def _walk(value: Any, keys: list[str], prefix: str) -> Iterator[tuple[str, Any]]:
    if not keys:
        if value is not None:
            yield prefix, value
        return
    key, rest = keys[0], keys[1:]
    if key == "*":
        for index, item in enumerate(value if isinstance(value, list) else []):
            yield from _walk(item, rest, f"{prefix}.{index}")
    elif isinstance(value, dict):
        yield from _walk(value.get(key), rest, f"{prefix}.{key}" if prefix else key)


def as_list(value: Any) -> list[Any]:
    """A list-or-scalar field as a list (None: empty)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _strings(value: Any) -> list[str]:
    # A reference stays a Ref object in the IR; its text form is fine for comparisons.
    return [str(item) for item in as_list(value)]


def _principals(value: Any) -> list[str]:
    """`"*"`, `{"AWS": "*"}` and `{"Service": [...]}` flattened to the principal strings."""
    if isinstance(value, dict):
        return [p for kind in value.values() for p in _strings(kind)]
    return _strings(value)
