"""A managed policy attached to a role (`aws_iam_role_policy_attachment`), owned through
the role like its inline policies (`iam_role_policy.RoleChild`).

An attachment is nothing but its role and policy ARN, both in its identity
(`role-attachment <role> <policy arn>`): it has no name (`Desired.name` is "") and nothing
to update, so a new ARN is a new attachment and the old one's prune.
"""

from __future__ import annotations

from typing import Any

from purser.model import Resource
from purser.reconcile.appliers import Desired, Live
from purser.reconcile.appliers.aws.client import with_retries
from purser.reconcile.appliers.aws.handler import handlers
from purser.reconcile.appliers.aws.iam_role_policy import RoleChild, role_name


@handlers.register("aws.iam.role_policy_attachment")
class RolePolicyAttachment(RoleChild):
    kind = "aws.iam.role_policy_attachment"
    name_field = ""
    fields = {"role": role_name, "policy_arn": str}
    replace_on = frozenset(fields)
    required = {"role": "an attachment belongs to a role",
                "policy_arn": "an attachment needs the policy's ARN"}

    def desired(self, resource: Resource) -> Desired:
        found = super().desired(resource)
        return Desired(found.address, found.kind, "", found.fields, found.depends_on)

    def key(self, role: str, name: str, fields: dict[str, Any]) -> str:
        return f"role-attachment {role} {fields.get('policy_arn', '')}"

    def children(self, role: str) -> list[str]:
        pages = self.iam.get_paginator("list_attached_role_policies").paginate(RoleName=role)
        return [policy["PolicyArn"] for page in pages for policy in page["AttachedPolicies"]]

    def child(self, role: str, key: str) -> tuple[str, dict[str, Any]] | None:
        return ("", {"policy_arn": key}) if key in self.children(role) else None

    def outputs(self, role: str, name: str, fields: dict[str, Any]) -> dict[str, Any]:
        return {"id": f"{role}/{fields['policy_arn']}", "role": role,
                "policy_arn": fields["policy_arn"]}

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        role, arn = desired.fields["role"], desired.fields["policy_arn"]
        self.mark(role)
        with_retries(lambda: self.iam.attach_role_policy(RoleName=role, PolicyArn=arn),
                     what=f"attaching {arn} to role {role}")
        return self.read_back(f"{role}/{arn}", desired.address)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        return live  # both fields replace: nothing is ever updated in place

    def delete(self, live: Live) -> None:
        role, arn = live.fields["role"], live.fields["policy_arn"]
        self.gone_is_done(lambda: self.iam.detach_role_policy(RoleName=role, PolicyArn=arn),
                          f"detaching {arn} from role {role}")
