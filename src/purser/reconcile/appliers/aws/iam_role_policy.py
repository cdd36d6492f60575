"""A role's inline policy declared as a resource of its own (`aws_iam_role_policy`,
CloudFormation's `AWS::IAM::RolePolicy`, or `AWS::IAM::Policy` naming one role).

IAM policies take no tags: they are owned through their role, whose ownership tags name
the application. `discover` lists the policies of the roles tagged with this application;
each is known by `role-policy <role> <policy name>`, the same text `identity` makes from a
resolved declaration. A new role or policy name is therefore a new policy and the old
one's prune, never an update; a new document is an update (PutRolePolicy again).

`RoleChild` is what this and the managed-policy attachment share. A role that declares no
`inline_policy` and no `managed_policy_arns` leaves both alone (`iam.Role`); one that does
manages all of its policies. So that the policies a role declares itself are never taken
for undeclared separate ones (and pruned), only the children of roles marked with
`SEPARATE_CHILDREN_TAG` are discovered: the mark is set when a separate child is created.
Declaring policies both on a role and as separate resources makes the two fight, as in
Terraform.
"""

from __future__ import annotations

import json
from typing import Any

from purser.model import Resource
from purser.reconcile.appliers import ApplyError, Desired, Live, Unsupported
from purser.reconcile.appliers.aws.client import is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import Handler, handlers, json_document
from purser.reconcile.appliers.aws.tags import SEPARATE_CHILDREN_TAG, from_list
from purser.reconcile.ownership import APP_TAG


def role_name(value: Any) -> Any:
    """A role's name from its ARN (`arn:aws:iam::1:role/path/name`) or name; a
    CloudFormation `Roles` list of one role is that role."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    if isinstance(value, str) and value.startswith("arn:"):
        return value.rsplit("/", 1)[-1]
    return value


def role_tags(iam: Any, role: str) -> dict[str, str]:
    pages = iam.get_paginator("list_role_tags").paginate(RoleName=role)
    return from_list([tag for page in pages for tag in page["Tags"]])


def parents(iam: Any, application: str) -> list[str]:
    """The names of the roles whose ownership tags name `application` and that have
    children of their own (IAM is not in the tagging API: every role's tags are read)."""
    names = [role["RoleName"] for page in iam.get_paginator("list_roles").paginate()
             for role in page["Roles"]]
    owned = []
    for name in names:
        try:
            tags = role_tags(iam, name)
            if tags.get(APP_TAG) == application and SEPARATE_CHILDREN_TAG in tags:
                owned.append(name)
        except Exception as error:
            if not is_not_found(error):  # deleted since it was listed: not ours to read
                raise
    return owned


class RoleChild(Handler):
    """Listed through the owned roles; the handle is `<role>/<key>` (a role name has no
    `/`; the key is a policy name or a policy ARN)."""

    taggable = False
    tagging_type = None
    delete_rank = 20  # before the role (90), which IAM will not delete while it has any

    @property
    def iam(self) -> Any:
        return self.aws.client("iam")

    # ---------------------------------------------------------------- per kind
    def key(self, role: str, name: str, fields: dict[str, Any]) -> str:
        """The identity, from the role name, the physical name and the resolved fields."""
        raise NotImplementedError

    def children(self, role: str) -> list[str]:
        """The keys of this kind's children of `role`."""
        raise NotImplementedError

    def child(self, role: str, key: str) -> tuple[str, dict[str, Any]] | None:
        """The physical name and the managed fields of one child; None when it is gone."""
        raise NotImplementedError

    def outputs(self, role: str, name: str, fields: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    # ---------------------------------------------------------------- shared
    def identity(self, desired: Desired) -> str:
        role = desired.fields.get("role")
        if not isinstance(role, str):  # its role is still to be created: nothing to match
            return ""
        return self.key(role, desired.name, desired.fields)

    def discover(self) -> list[str]:
        return [f"{role}/{key}" for role in parents(self.iam, self.application)
                for key in self.children(role)]

    def read(self, handle: str, address: str) -> Live | None:
        role, key = handle.split("/", 1)
        try:
            application = role_tags(self.iam, role).get(APP_TAG)
            found = self.child(role, key)
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        if found is None:
            return None
        name, fields = found
        fields = {"role": role, **fields}
        return Live(address=address, kind=self.kind, name=name, fields=fields, handle=handle,
                    tags={APP_TAG: application} if application else {},
                    outputs=self.outputs(role, name, fields),
                    identity=self.key(role, name, fields))

    def find(self, name: str, address: str) -> Live | None:
        return None  # a child of an owned role is the one `discover` matched already

    def mark(self, role: str) -> None:
        """Mark `role` as having separate children (before the first is written, so a
        crash in between leaves nothing undiscovered)."""
        with_retries(lambda: self.iam.tag_role(RoleName=role, Tags=[
            {"Key": SEPARATE_CHILDREN_TAG, "Value": "separate"}]),
            what=f"marking role {role} as having separate policies")

    def read_back(self, handle: str, address: str) -> Live:
        live = self.read(handle, address)
        if live is None:
            raise LookupError(f"{handle} vanished right after it was written")
        return live

    def gone_is_done(self, call: Any, what: str) -> None:
        """Delete; already gone is done (deleting the role took it along)."""
        try:
            with_retries(call, what=what)
        except ApplyError as error:
            if error.__cause__ is None or not is_not_found(error.__cause__):
                raise


@handlers.register("aws.iam.role_policy")
class RolePolicy(RoleChild):
    kind = "aws.iam.role_policy"
    name_field = "name"
    name_limit = 128
    name_chars = r"[A-Za-z0-9+=,.@_-]"
    fields = {"name": str, "role": role_name, "policy": json_document}
    required = {"role": "an inline policy belongs to a role",
                "policy": "an inline policy needs its document"}

    def desired(self, resource: Resource) -> Desired:
        if resource.get("users") or resource.get("groups"):
            raise Unsupported("a policy of users or groups is not applied yet (only roles)")
        roles = resource.get("role")
        if isinstance(roles, list) and len(roles) != 1:
            raise Unsupported(f"a policy of {len(roles)} roles is not applied yet (one role)")
        return super().desired(resource)

    def key(self, role: str, name: str, fields: dict[str, Any]) -> str:
        return f"role-policy {role} {name}"

    def children(self, role: str) -> list[str]:
        pages = self.iam.get_paginator("list_role_policies").paginate(RoleName=role)
        return [name for page in pages for name in page["PolicyNames"]]

    def child(self, role: str, key: str) -> tuple[str, dict[str, Any]] | None:
        found = self.iam.get_role_policy(RoleName=role, PolicyName=key)
        return key, {"policy": json_document(found["PolicyDocument"])}

    def outputs(self, role: str, name: str, fields: dict[str, Any]) -> dict[str, Any]:
        return {"id": f"{role}:{name}", "name": name, "role": role, "ref": name}

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        self.mark(desired.fields["role"])
        return self._put(desired.fields["role"], desired.name, desired)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        return self._put(live.fields["role"], live.name, desired)

    def _put(self, role: str, name: str, desired: Desired) -> Live:
        document = desired.fields["policy"]
        text = document if isinstance(document, str) else json.dumps(document)
        with_retries(lambda: self.iam.put_role_policy(
            RoleName=role, PolicyName=name, PolicyDocument=text),
            what=f"writing inline policy {name} of role {role}")
        return self.read_back(f"{role}/{name}", desired.address)

    def delete(self, live: Live) -> None:
        role, name = live.fields["role"], live.name
        self.gone_is_done(lambda: self.iam.delete_role_policy(RoleName=role, PolicyName=name),
                          f"deleting inline policy {name} of role {role}")
