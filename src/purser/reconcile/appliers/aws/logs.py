"""CloudWatch Logs log groups: retention, KMS key and tags."""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from purser.reconcile.appliers import Desired, Live
from purser.reconcile.appliers.aws.client import is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import Handler, Tagged, handlers, integer
from purser.reconcile.appliers.aws.tags import stale_keys, user_tags, wanted_tags


@handlers.register("aws.logs.log_group")
class LogGroup(Handler):
    kind = "aws.logs.log_group"
    name_field = "name"
    name_limit = 512
    name_chars = r"[A-Za-z0-9_./#-]"
    fields = {"name": str, "retention_in_days": integer, "kms_key_id": str}
    # moto lists log groups as "logs:loggroup", AWS as "logs:log-group": the service
    # filter matches both, and `owns_arn` keeps the log groups.
    tagging_type = "logs"

    @property
    def logs(self) -> Any:
        return self.aws.client("logs")

    def owns_arn(self, arn: str) -> bool:
        parts = arn.split(":")
        return parts[2:3] == ["logs"] and parts[5:6] == ["log-group"]

    def read(self, handle: str, address: str) -> Live | None:
        return self.find(_name_of(handle), address)

    def find(self, name: str, address: str) -> Live | None:
        pages = self.logs.get_paginator("describe_log_groups").paginate(
            logGroupNamePrefix=name)
        group = next((g for page in pages for g in page.get("logGroups", [])
                      if g["logGroupName"] == name), None)
        if group is None:
            return None
        arn = group["arn"].removesuffix(":*")
        try:
            tags = self.logs.list_tags_for_resource(resourceArn=arn).get("tags", {})
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        return self._live(group, tags, address)

    def read_many(self, found: list[Tagged], pool: Executor) -> list[Live | None]:
        """All log groups in a few pages of 50, instead of a search per group; the tags
        come with what was found."""
        groups = {g["logGroupName"]: g for page in self.logs.get_paginator(
            "describe_log_groups").paginate() for g in page.get("logGroups", [])}
        lives: list[Live | None] = []
        for handle, tags in found:
            group = groups.get(_name_of(handle))
            if group is None:
                lives.append(None)  # deleted since the tagging API listed it
            elif tags is None:
                lives.append(self.read(handle, ""))
            else:
                lives.append(self._live(group, tags, ""))
        return lives

    def _live(self, group: dict[str, Any], tags: dict[str, str], address: str) -> Live:
        name, arn = group["logGroupName"], group["arn"].removesuffix(":*")
        fields: dict[str, Any] = {"tags": user_tags(tags)}
        if "retentionInDays" in group:
            fields["retention_in_days"] = group["retentionInDays"]
        if group.get("kmsKeyId"):
            fields["kms_key_id"] = group["kmsKeyId"]
        return Live(address=address, kind=self.kind, name=name, fields=fields, handle=name,
                    tags=tags, outputs={"arn": arn, "id": name, "name": name, "ref": name})

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        options = {"kmsKeyId": desired.fields["kms_key_id"]} \
            if "kms_key_id" in desired.fields else {}
        with_retries(lambda: self.logs.create_log_group(
            logGroupName=desired.name, tags=wanted_tags(desired.fields, tags), **options),
            what=f"creating log group {desired.name}")
        if "retention_in_days" in desired.fields:
            self._retain(desired.name, desired.fields["retention_in_days"])
        return self.written(self.find(desired.name, desired.address), desired.name)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        name = live.name
        if "retention_in_days" in changed:
            self._retain(name, desired.fields["retention_in_days"])
        if "kms_key_id" in changed:
            key = desired.fields["kms_key_id"]
            with_retries(lambda: self.logs.associate_kms_key(logGroupName=name, kmsKeyId=key),
                         what=f"setting the KMS key of log group {name}")
        if "tags" in changed:
            arn = live.outputs["arn"]
            wanted = wanted_tags(desired.fields, tags)
            stale = stale_keys(live.tags, wanted)
            if stale:
                with_retries(lambda: self.logs.untag_resource(resourceArn=arn, tagKeys=stale),
                             what=f"untagging log group {name}")
            with_retries(lambda: self.logs.tag_resource(resourceArn=arn, tags=wanted),
                         what=f"tagging log group {name}")
        return self.written(self.find(name, live.address), name)

    def delete(self, live: Live) -> None:
        with_retries(lambda: self.logs.delete_log_group(logGroupName=live.name),
                     what=f"deleting log group {live.name}")

    def _retain(self, name: str, days: Any) -> None:
        with_retries(lambda: self.logs.put_retention_policy(logGroupName=name,
                                                            retentionInDays=int(days)),
                     what=f"setting the retention of log group {name}")



def _name_of(handle: str) -> str:
    """The log group's name, from its ARN (with or without the `:*` suffix) or as given."""
    return handle.split(":log-group:", 1)[1].removesuffix(":*") \
        if ":log-group:" in handle else handle
