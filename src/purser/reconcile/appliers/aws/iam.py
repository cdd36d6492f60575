"""IAM roles: trust policy, inline and managed policies, description, session length, tags.

IAM is not in the Resource Groups Tagging API, so `discover` lists the account's roles and
keeps those whose own tags name this application. Inline policies are compared as
{name, policy} in name order and managed policies as a sorted list of ARNs; an update
writes only the policies that differ and removes those git no longer declares. A role is
deleted after its policies: IAM refuses to delete a role that still has any.
"""

from __future__ import annotations

import json
from typing import Any

from purser.reconcile.appliers import Desired, Live
from purser.reconcile.appliers.aws.client import is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import Handler, handlers, integer, json_document
from purser.reconcile.appliers.aws.tags import (
    as_list,
    from_list,
    stale_keys,
    user_tags,
    wanted_tags,
)
from purser.reconcile.ownership import APP_TAG


def inline_policies(value: Any) -> Any:
    """[{name, policy}] in name order, each policy as a JSON value."""
    if not isinstance(value, list):
        return value
    return sorted(({"name": item.get("name"), "policy": json_document(item.get("policy"))}
                   for item in value if isinstance(item, dict)),
                  key=lambda item: str(item["name"]))


def arn_list(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


@handlers.register("aws.iam.role")
class Role(Handler):
    kind = "aws.iam.role"
    delete_rank = 90
    name_field = "name"
    name_chars = r"[A-Za-z0-9+=,.@_-]"
    fields = {"name": str, "assume_role_policy": json_document,
              "inline_policy": inline_policies, "managed_policy_arns": arn_list,
              "description": str, "max_session_duration": integer}
    tagging_type = None  # IAM is not in the tagging API

    @property
    def iam(self) -> Any:
        return self.aws.client("iam")

    def discover(self) -> list[str]:
        names = [role["RoleName"] for page in self.iam.get_paginator("list_roles").paginate()
                 for role in page["Roles"]]
        return [name for name in names if self._tags(name).get(APP_TAG) == self.application]

    def _tags(self, name: str) -> dict[str, str]:
        try:
            return from_list([tag for page in self.iam.get_paginator("list_role_tags")
                              .paginate(RoleName=name) for tag in page["Tags"]])
        except Exception as error:
            if is_not_found(error):  # deleted since it was listed
                return {}
            raise

    def read(self, handle: str, address: str) -> Live | None:
        return self.find(handle, address)

    def find(self, name: str, address: str) -> Live | None:
        try:
            role = self.iam.get_role(RoleName=name)["Role"]
            inline = [{"name": policy, "policy": self.iam.get_role_policy(
                RoleName=name, PolicyName=policy)["PolicyDocument"]}
                for policy in self._pages("list_role_policies", name, "PolicyNames")]
            managed = [p["PolicyArn"] for p in
                       self._pages("list_attached_role_policies", name, "AttachedPolicies")]
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        tags = self._tags(name)
        fields: dict[str, Any] = {
            "assume_role_policy": json_document(role.get("AssumeRolePolicyDocument")),
            "inline_policy": inline_policies(inline), "managed_policy_arns": sorted(managed),
            "max_session_duration": role.get("MaxSessionDuration", 3600),
            "tags": user_tags(tags)}
        if role.get("Description"):
            fields["description"] = role["Description"]
        return Live(address=address, kind=self.kind, name=name, fields=fields, handle=name,
                    tags=tags, outputs={"arn": role["Arn"], "id": name, "name": name,
                                        "unique_id": role["RoleId"], "ref": name})

    def _pages(self, operation: str, name: str, key: str) -> list[Any]:
        pages = self.iam.get_paginator(operation).paginate(RoleName=name)
        return [item for page in pages for item in page[key]]

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        fields, name = desired.fields, desired.name
        options: dict[str, Any] = {}
        if "description" in fields:
            options["Description"] = fields["description"]
        if "max_session_duration" in fields:
            options["MaxSessionDuration"] = int(fields["max_session_duration"])
        with_retries(lambda: self.iam.create_role(
            RoleName=name, AssumeRolePolicyDocument=_json(fields.get("assume_role_policy")),
            Tags=as_list(wanted_tags(fields, tags)), **options),
            what=f"creating role {name}")
        self._policies(name, fields, [], [])
        return self.written(self.find(name, desired.address), name)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        fields, name = desired.fields, live.name
        if "assume_role_policy" in changed:
            with_retries(lambda: self.iam.update_assume_role_policy(
                RoleName=name, PolicyDocument=_json(fields["assume_role_policy"])),
                what=f"updating the trust policy of role {name}")
        options = {key: fields[field] for field, key in (
            ("description", "Description"), ("max_session_duration", "MaxSessionDuration"))
            if field in changed}
        if options:
            with_retries(lambda: self.iam.update_role(RoleName=name, **options),
                         what=f"updating role {name}")
        self._policies(name, {k: v for k, v in fields.items() if k in changed},
                       live.fields.get("inline_policy", []),
                       live.fields.get("managed_policy_arns", []))
        if "tags" in changed:
            wanted = wanted_tags(fields, tags)
            stale = stale_keys(live.tags, wanted)
            if stale:
                with_retries(lambda: self.iam.untag_role(RoleName=name, TagKeys=stale),
                             what=f"untagging role {name}")
            with_retries(lambda: self.iam.tag_role(RoleName=name, Tags=as_list(wanted)),
                         what=f"tagging role {name}")
        return self.written(self.find(name, live.address), name)

    def _policies(self, name: str, fields: dict[str, Any], inline: list[dict[str, Any]],
                  managed: list[str]) -> None:
        """Make the role's policies those in `fields` (a field absent: left alone)."""
        if "inline_policy" in fields:
            wanted = {p["name"]: p["policy"] for p in fields["inline_policy"]}
            have = {p["name"]: p["policy"] for p in inline}
            for policy, document in wanted.items():
                if have.get(policy) != document:
                    self._put_inline(name, policy, document)
            for policy in have.keys() - wanted.keys():
                self._delete_inline(name, policy)
        if "managed_policy_arns" in fields:
            arns = set(fields["managed_policy_arns"])
            for arn in sorted(arns - set(managed)):
                self._attach(name, arn)
            for arn in sorted(set(managed) - arns):
                self._detach(name, arn)

    def delete(self, live: Live) -> None:
        name = live.name
        for policy in self._pages("list_role_policies", name, "PolicyNames"):
            self._delete_inline(name, policy)
        for attached in self._pages("list_attached_role_policies", name, "AttachedPolicies"):
            self._detach(name, attached["PolicyArn"])
        with_retries(lambda: self.iam.delete_role(RoleName=name), what=f"deleting role {name}")

    def _put_inline(self, name: str, policy: str, document: Any) -> None:
        with_retries(lambda: self.iam.put_role_policy(
            RoleName=name, PolicyName=policy, PolicyDocument=_json(document)),
            what=f"writing inline policy {policy} of role {name}")

    def _delete_inline(self, name: str, policy: str) -> None:
        with_retries(lambda: self.iam.delete_role_policy(RoleName=name, PolicyName=policy),
                     what=f"deleting inline policy {policy} of role {name}")

    def _attach(self, name: str, arn: str) -> None:
        with_retries(lambda: self.iam.attach_role_policy(RoleName=name, PolicyArn=arn),
                     what=f"attaching {arn} to role {name}")

    def _detach(self, name: str, arn: str) -> None:
        with_retries(lambda: self.iam.detach_role_policy(RoleName=name, PolicyArn=arn),
                     what=f"detaching {arn} from role {name}")



def _json(document: Any) -> str:
    return document if isinstance(document, str) else json.dumps(document)
