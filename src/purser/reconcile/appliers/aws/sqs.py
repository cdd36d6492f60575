"""SQS queues: attributes, redrive policy and tags."""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from purser.reconcile.appliers import Desired, Live
from purser.reconcile.appliers.aws.client import is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import (
    Handler,
    Normaliser,
    Tagged,
    boolean,
    handlers,
    integer,
    json_document,
)
from purser.reconcile.ownership import ADDRESS_TAG, APP_TAG

# Canonical attribute → SQS attribute name.
ATTRIBUTES = {
    "visibility_timeout_seconds": "VisibilityTimeout",
    "message_retention_seconds": "MessageRetentionPeriod",
    "delay_seconds": "DelaySeconds",
    "max_message_size": "MaximumMessageSize",
    "receive_wait_time_seconds": "ReceiveMessageWaitTimeSeconds",
    "fifo_queue": "FifoQueue",
    "content_based_deduplication": "ContentBasedDeduplication",
    "kms_master_key_id": "KmsMasterKeyId",
    "sqs_managed_sse_enabled": "SqsManagedSseEnabled",
    "redrive_policy": "RedrivePolicy",
    "policy": "Policy",
}
_TYPED: dict[str, Normaliser] = {"fifo_queue": boolean, "content_based_deduplication": boolean,
          "sqs_managed_sse_enabled": boolean, "redrive_policy": json_document,
          "policy": json_document, "kms_master_key_id": str}


@handlers.register("aws.sqs.queue")
class Queue(Handler):
    kind = "aws.sqs.queue"
    name_field = "name"
    name_limit = 80
    fields = {name: _TYPED.get(name, integer) for name in ["name", *ATTRIBUTES]}
    replace_on = frozenset({"fifo_queue"})
    tagging_type = "sqs"

    @property
    def sqs(self) -> Any:
        return self.aws.client("sqs")

    def owns_arn(self, arn: str) -> bool:
        return arn.split(":")[2:3] == ["sqs"]

    def read(self, handle: str, address: str) -> Live | None:
        url = handle if handle.startswith("http") else self._url_of_arn(handle)
        return None if url is None else self._read(url, None, address)

    def read_many(self, found: list[Tagged], pool: Executor) -> list[Live | None]:
        """Every queue's URL from a few pages of ListQueues, then one call per queue: its
        tags came with what was found."""
        urls = {url.rsplit("/", 1)[-1]: url for page in self.sqs.get_paginator(
            "list_queues").paginate(PaginationConfig={"PageSize": 1000})
            for url in page.get("QueueUrls", [])}

        def read(item: Tagged) -> Live | None:
            url = urls.get(item[0].rsplit(":", 1)[-1])
            return None if url is None else self._read(url, item[1], "")

        return list(pool.map(read, found))

    def _read(self, url: str, tags: dict[str, str] | None, address: str) -> Live | None:
        try:
            attributes = self.sqs.get_queue_attributes(QueueUrl=url,
                                                       AttributeNames=["All"])["Attributes"]
            if tags is None:
                tags = self.sqs.list_queue_tags(QueueUrl=url).get("Tags", {})
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        fields = {name: _TYPED.get(name, integer)(attributes[key])
                  for name, key in ATTRIBUTES.items() if key in attributes}
        fields["tags"] = {k: v for k, v in tags.items() if k not in (APP_TAG, ADDRESS_TAG)}
        arn = attributes.get("QueueArn", "")
        return Live(address=address, kind=self.kind, name=arn.rsplit(":", 1)[-1],
                    fields=fields, handle=url, tags=tags,
                    outputs={"arn": arn, "id": url, "url": url,
                             "name": arn.rsplit(":", 1)[-1]})

    def _url_of_arn(self, arn: str) -> str | None:
        parts = arn.split(":")
        try:
            return str(self.sqs.get_queue_url(QueueName=parts[5],
                                              QueueOwnerAWSAccountId=parts[4])["QueueUrl"])
        except Exception as error:
            if is_not_found(error):
                return None
            raise

    def find(self, name: str, address: str) -> Live | None:
        try:
            url = self.sqs.get_queue_url(QueueName=name)["QueueUrl"]
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        return self.read(url, address)

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        attributes = _attributes(desired.fields, set(ATTRIBUTES))
        url = with_retries(lambda: self.sqs.create_queue(
            QueueName=desired.name, Attributes=attributes,
            tags={**desired.fields.get("tags", {}), **tags})["QueueUrl"],
            what=f"creating queue {desired.name}")
        return self.written(self.read(url, desired.address), url)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        attributes = _attributes(desired.fields, changed)
        if attributes:
            with_retries(lambda: self.sqs.set_queue_attributes(QueueUrl=live.handle,
                                                               Attributes=attributes),
                         what=f"updating queue {live.name}")
        if "tags" in changed:
            wanted = {**desired.fields.get("tags", {}), **tags}
            stale = [key for key in live.tags if key not in wanted]
            if stale:
                with_retries(lambda: self.sqs.untag_queue(QueueUrl=live.handle, TagKeys=stale),
                             what=f"untagging queue {live.name}")
            with_retries(lambda: self.sqs.tag_queue(QueueUrl=live.handle, Tags=wanted),
                         what=f"tagging queue {live.name}")
        return self.written(self.read(live.handle, live.address), live.handle)

    def delete(self, live: Live) -> None:
        with_retries(lambda: self.sqs.delete_queue(QueueUrl=live.handle),
                     what=f"deleting queue {live.name}")



def _attributes(fields: dict[str, Any], names: set[str]) -> dict[str, str]:
    """SQS takes every attribute as text; policies as JSON text."""
    out = {}
    for name in names & fields.keys() & ATTRIBUTES.keys():
        value = fields[name]
        out[ATTRIBUTES[name]] = (value if isinstance(value, str) else
                                 str(value).lower() if isinstance(value, bool) else
                                 _json(value) if isinstance(value, dict | list) else str(value))
    return out


def _json(value: Any) -> str:
    import json

    return json.dumps(value, separators=(",", ":"))
