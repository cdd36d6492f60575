"""IAM policy documents: where resources keep them, and their statements in one shape.

A document arrives as a JSON string (Terraform `jsonencode`, heredocs) or a dict
(CloudFormation `PolicyDocument`). AWS lets `Statement`, `Action`, `Resource` and
`Principal` be a single value or a list; `statements()` hands rules lists only, so a
rule compares values and never checks shapes.
"""

from __future__ import annotations

import json
import re
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
    "aws_ssoadmin_permission_set_inline_policy": ("inline_policy",),
    "AWS::SSO::PermissionSet": ("inline_policy",),
}
PERMISSION_POLICY_TYPES: tuple[str, ...] = tuple(PERMISSION_POLICY_PATHS)

# Kind → canonical attribute holding a resource-based policy: who, outside the account's
# own identities, may use the resource. Some kinds carry it inline and in a resource of its
# own (`aws_s3_bucket.policy` and `aws_s3_bucket_policy`).
RESOURCE_POLICY_PATHS: dict[str, str] = {
    "aws.s3.bucket": "policy",
    "aws.s3.bucket_policy": "policy",
    "aws.sqs.queue": "policy",
    "aws.sqs.queue_policy": "policy",
    "aws.sns.topic": "policy",
    "aws.sns.topic_policy": "policy",
    "aws.kms.key": "policy",
    "aws.ecr.repository": "policy",
    "aws.ecr.repository_policy": "policy",
    "aws.secretsmanager.secret": "policy",
    "aws.secretsmanager.secret_policy": "policy",
    "aws.opensearch.domain": "access_policies",
    "aws.opensearch.domain_policy": "access_policies",
}

# Condition keys that name who may use a grant (the caller, its account or organisation,
# the network or service it comes through): a condition on one of them narrows Principal "*".
IDENTITY_CONDITION_KEYS = frozenset(key.lower() for key in (
    "aws:PrincipalArn", "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalOrgPaths",
    "aws:PrincipalServiceName", "aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID",
    "aws:SourceOrgPaths", "aws:SourceOwner", "aws:SourceVpc", "aws:SourceVpce", "aws:SourceIp",
    "aws:VpcSourceIp", "aws:userid", "aws:username", "aws:CalledVia", "kms:CallerAccount",
    "kms:ViaService", "lambda:FunctionArn", "s3:DataAccessPointAccount",
    "sts:ExternalId", "cloudfront:SourceArn"))

# Actions that take no resource-level permission: AWS accepts only Resource "*" for them,
# so "*" there is not a scoping mistake (telemetry, network interfaces of a Lambda in a VPC).
NO_RESOURCE_LEVEL = ("xray:put*", "xray:get*", "xray:*", "cloudwatch:putmetricdata",
                     "ec2:createnetworkinterface", "ec2:deletenetworkinterface",
                     "ec2:assignprivateipaddresses", "ec2:unassignprivateipaddresses",
                     "ec2:describe*", "logs:describe*", "kms:createkey",
                     "ecr:getauthorizationtoken", "sts:getcalleridentity",
                     # Vended log delivery (Step Functions, API Gateway, MSK logging).
                     "logs:createlogdelivery", "logs:getlogdelivery", "logs:updatelogdelivery",
                     "logs:deletelogdelivery", "logs:listlogdeliveries",
                     "logs:putresourcepolicy")

# Writes that only add log data: AWS's own AWSLambdaBasicExecutionRole grants them on "*".
# Worth scoping to the function's log group, not a block.
LOG_WRITES = frozenset({"logs:createloggroup", "logs:createlogstream", "logs:putlogevents"})

# Actions that let a principal grant itself more (Rhino Security Labs' IAM escalation
# methods): alone, or together with iam:PassRole on a role the new compute will run as.
ESCALATION_ACTIONS = (
    "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:AttachUserPolicy",
    "iam:AttachGroupPolicy", "iam:AttachRolePolicy", "iam:PutUserPolicy", "iam:PutGroupPolicy",
    "iam:PutRolePolicy", "iam:CreateAccessKey", "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile", "iam:AddUserToGroup", "iam:UpdateAssumeRolePolicy",
    "lambda:UpdateFunctionCode", "glue:UpdateDevEndpoint")
WITH_PASS_ROLE = ("lambda:CreateFunction", "ec2:RunInstances", "glue:CreateDevEndpoint",
                  "cloudformation:CreateStack", "datapipeline:CreatePipeline",
                  "ecs:RunTask", "sagemaker:CreateNotebookInstance")
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

    @property
    def anyone(self) -> bool:
        """True when the statement names every principal (`"*"`, `{"AWS": "*"}`, an ARN
        with a wildcard account)."""
        return any(p == "*" or WILDCARD_ACCOUNT_ARN.match(p) for p in self.principals)

    def restricts_caller(self) -> bool:
        """True when a Condition really narrows who may use the grant: a caller key with a
        value that is not itself a wildcard (`arn:aws:iam::*` restricts nothing), under an
        operator that does not let a request without the key through (`...IfExists`)."""
        return any(key.lower() in IDENTITY_CONDITION_KEYS and _narrowing(values)
                   for operator, key, values in self.conditions()
                   if not operator.endswith("IfExists") and operator != "Null")

    def scoped_by_condition(self) -> bool:
        """True when any Condition narrows the grant (a tag, a service it is passed to, a
        caller): the statement is not unrestricted even with Resource "*"."""
        return any(_narrowing(values) for operator, _, values in self.conditions()
                   if not operator.endswith("IfExists") and operator != "Null")

    def conditions(self) -> Iterator[tuple[str, str, list[str]]]:
        """(operator, key, values) for every test of the Condition block."""
        for operator, tests in self.condition.items():
            if isinstance(tests, dict):
                for key, values in tests.items():
                    yield str(operator), str(key), _strings(values)

    def needs_resource_scope(self, action: str) -> bool:
        """False for an action AWS grants only on Resource "*"."""
        return not any(fnmatchcase(action.lower(), pattern) for pattern in NO_RESOURCE_LEVEL)


def _narrowing(values: list[str]) -> bool:
    """True when some value is not a bare wildcard (`*`, `arn:aws:iam::*`, `0.0.0.0/0`)."""
    return any(v not in ("*", "0.0.0.0/0", "::/0") and not WILDCARD_ACCOUNT_ARN.match(v)
               for v in values)


# An ARN whose account is "*" (`arn:aws:iam::*:root`, `arn:aws:iam::*`): any account.
WILDCARD_ACCOUNT_ARN = re.compile(r"arn:aws[\w-]*:[\w-]*:[\w-]*:\*(:|$)")


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


def resource_statements(resource: Resource) -> Iterator[Statement]:
    """The statements of the resource-based policy `resource` carries, if its kind has one."""
    path = RESOURCE_POLICY_PATHS.get(resource.kind)
    return statements(resource.get(path)) if path else iter(())


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
