"""`data "aws_iam_policy_document"` → the JSON policy text Terraform would render.

IAM rules read policies as JSON strings; a policy written with this data source (instead
of `jsonencode`) would otherwise reach them as a bare reference. A document with any
unknown part, or one that merges other documents, stays unknown.
"""

from __future__ import annotations

import json
from typing import Any

from purser.sources.hcl import parse as ast
from purser.sources.hcl.body import evaluate_body
from purser.sources.hcl.evaluate import Scope
from purser.sources.hcl.values import UNKNOWN

_LISTS = (("actions", "Action"), ("not_actions", "NotAction"),
          ("resources", "Resource"), ("not_resources", "NotResource"))
_MERGING = ("source_policy_documents", "override_policy_documents", "source_json",
            "override_json")


def policy_document_json(body: ast.Body, scope: Scope) -> Any:
    unknown: list[str] = []
    attrs = evaluate_body(body, scope, "", unknown, top=True)
    if unknown or any(name in attrs for name in _MERGING):
        return UNKNOWN
    document: dict[str, Any] = {"Version": attrs.get("version") or "2012-10-17"}
    if attrs.get("policy_id"):
        document["Id"] = attrs["policy_id"]
    document["Statement"] = [_statement(s) for s in attrs.get("statement", [])]
    return json.dumps(document, separators=(",", ":"), default=str)


def _statement(block: dict[str, Any]) -> dict[str, Any]:
    statement: dict[str, Any] = {}
    if block.get("sid"):
        statement["Sid"] = block["sid"]
    statement["Effect"] = block.get("effect") or "Allow"
    for argument, key in _LISTS:
        if block.get(argument):
            statement[key] = _one_or_list(block[argument])
    for argument, key in (("principals", "Principal"), ("not_principals", "NotPrincipal")):
        if block.get(argument):
            statement[key] = _principals(block[argument])
    if block.get("condition"):
        conditions: dict[str, dict[str, Any]] = {}
        for condition in block["condition"]:
            by_variable = conditions.setdefault(str(condition.get("test")), {})
            by_variable[str(condition.get("variable"))] = _one_or_list(condition.get("values"))
        statement["Condition"] = conditions
    return statement


def _principals(blocks: list[dict[str, Any]]) -> Any:
    if len(blocks) == 1 and blocks[0].get("type") == "*":
        return "*"
    # Blocks of the same type add up (a fixed block plus dynamic ones is common).
    principals: dict[str, list[Any]] = {}
    for block in blocks:
        identifiers = block.get("identifiers") or []
        if not isinstance(identifiers, list):
            identifiers = [identifiers]
        principals.setdefault(str(block.get("type")), []).extend(identifiers)
    return {kind: _one_or_list(identifiers) for kind, identifiers in principals.items()}


def _one_or_list(values: Any) -> Any:
    """Terraform writes a one-element list as a plain string."""
    if isinstance(values, list) and len(values) == 1:
        return values[0]
    return values
