"""SNS topics: display name, FIFO (a change replaces), KMS key, access policy and tags."""

from __future__ import annotations

import json
from typing import Any

from purser.reconcile.appliers import Desired, Live
from purser.reconcile.appliers.aws.client import is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import Handler, boolean, handlers, json_document
from purser.reconcile.appliers.aws.tags import (
    as_list,
    from_list,
    stale_keys,
    user_tags,
    wanted_tags,
)

# Canonical attribute → SNS topic attribute.
ATTRIBUTES = {"display_name": "DisplayName", "fifo_topic": "FifoTopic",
              "kms_master_key_id": "KmsMasterKeyId", "policy": "Policy"}


@handlers.register("aws.sns.topic")
class Topic(Handler):
    kind = "aws.sns.topic"
    name_field = "name"
    name_limit = 256
    fields = {"name": str, "display_name": str, "fifo_topic": boolean,
              "kms_master_key_id": str, "policy": json_document}
    replace_on = frozenset({"fifo_topic"})
    tagging_type = "sns"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._account = ""

    @property
    def sns(self) -> Any:
        return self.aws.client("sns")

    def owns_arn(self, arn: str) -> bool:
        return arn.split(":")[2:3] == ["sns"] and len(arn.split(":")) == 6

    def read(self, handle: str, address: str) -> Live | None:
        try:
            attributes = self.sns.get_topic_attributes(TopicArn=handle)["Attributes"]
            tags = from_list(self.sns.list_tags_for_resource(ResourceArn=handle).get("Tags"))
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        fields: dict[str, Any] = {"fifo_topic": attributes.get("FifoTopic") == "true",
                                  "tags": user_tags(tags)}
        fields.update({field: attributes[key] for field, key in ATTRIBUTES.items()
                       if field != "fifo_topic" and attributes.get(key)})
        if "policy" in fields:
            fields["policy"] = json_document(fields["policy"])
        name = handle.rsplit(":", 1)[-1]
        return Live(address=address, kind=self.kind, name=name, fields=fields, handle=handle,
                    tags=tags, outputs={"arn": handle, "id": handle, "name": name,
                                        "ref": handle})

    def find(self, name: str, address: str) -> Live | None:
        if not self._account:  # the topic's ARN holds the account, which the name does not
            self._account = self.aws.client("sts").get_caller_identity()["Account"]
        partition = "aws-cn" if self.aws.region.startswith("cn-") else \
            "aws-us-gov" if self.aws.region.startswith("us-gov-") else "aws"
        return self.read(f"arn:{partition}:sns:{self.aws.region}:{self._account}:{name}",
                         address)

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        attributes = {ATTRIBUTES[f]: _text(v) for f, v in desired.fields.items()
                      if f in ATTRIBUTES}
        arn = with_retries(lambda: self.sns.create_topic(
            Name=desired.name, Attributes=attributes,
            Tags=as_list(wanted_tags(desired.fields, tags)))["TopicArn"],
            what=f"creating topic {desired.name}")
        return self.written(self.read(arn, desired.address), arn)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        arn = live.handle
        for field in sorted(changed & ATTRIBUTES.keys()):
            self._set(arn, ATTRIBUTES[field], _text(desired.fields[field]))
        if "tags" in changed:
            wanted = wanted_tags(desired.fields, tags)
            stale = stale_keys(live.tags, wanted)
            if stale:
                with_retries(lambda: self.sns.untag_resource(ResourceArn=arn, TagKeys=stale),
                             what=f"untagging topic {live.name}")
            with_retries(lambda: self.sns.tag_resource(ResourceArn=arn, Tags=as_list(wanted)),
                         what=f"tagging topic {live.name}")
        return self.written(self.read(arn, live.address), arn)

    def delete(self, live: Live) -> None:
        with_retries(lambda: self.sns.delete_topic(TopicArn=live.handle),
                     what=f"deleting topic {live.name}")

    def _set(self, arn: str, name: str, value: str) -> None:
        with_retries(lambda: self.sns.set_topic_attributes(
            TopicArn=arn, AttributeName=name, AttributeValue=value),
            what=f"setting {name} of topic {arn}")



def _text(value: Any) -> str:
    """SNS takes every attribute as text; a policy as JSON text."""
    if isinstance(value, bool):
        return str(value).lower()
    return value if isinstance(value, str) else json.dumps(value)
