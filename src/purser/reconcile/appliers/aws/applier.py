"""The AWS applier: desired resources to boto3 calls, one handler per kind.

Live state is found by the ownership tags alone: the Resource Groups Tagging API lists
what carries `purser:application = <app>` (handlers of kinds it does not cover list
their own), and each hit is read back by its handler. A resource whose tags do not name
this application is never returned, so it can never be updated or deleted.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from purser.config import Application, Config
from purser.model import Resource
from purser.reconcile.appliers import Desired, Live, Unsupported
from purser.reconcile.appliers.aws.client import Aws, reading, with_retries
from purser.reconcile.appliers.aws.handler import (
    DEFAULT_DELETE_RANK,
    Handler,
    Tagged,
    handlers,
)
from purser.reconcile.ownership import APP_TAG, owner
from purser.tree import Tree

READERS = 16  # concurrent reads when discovering live state


class AwsApplier:
    def __init__(self, application: Application, config: Config,
                 tree: Tree | None = None) -> None:
        region = application.target.region or config.defaults.region
        self.application = application.name
        self.aws = Aws(region, application.target.endpoint)
        self._handlers: dict[str, Handler] = {
            kind: cls(self.aws, application.name, tree) for kind, cls in handlers.items()}

    def handler(self, kind: str) -> Handler:
        found = self._handlers.get(kind)
        if found is None:
            raise Unsupported(f"purser cannot apply {kind or 'this type'} yet")
        return found

    def desired(self, resource: Resource) -> Desired:
        if resource.kind not in self._handlers:
            raise Unsupported(f"purser cannot apply {resource.type} yet")
        return self.handler(resource.kind).desired(resource)

    def normalise(self, desired: Desired) -> Desired:
        fields = self.handler(desired.kind).normalise(desired.fields)
        return Desired(desired.address, desired.kind, desired.name, fields, desired.depends_on)

    def identity(self, desired: Desired) -> str:
        return self.handler(desired.kind).identity(desired)

    def delete_rank(self, kind: str) -> int:
        handler = self._handlers.get(kind)
        return handler.delete_rank if handler is not None else DEFAULT_DELETE_RANK

    def replaced_by(self, kind: str) -> frozenset[str]:
        return self.handler(kind).replace_on

    def discover(self, application: str) -> list[Live]:
        with reading(f"reading what {application} owns"):
            return self._discover(application)

    def _discover(self, application: str) -> list[Live]:
        found: dict[str, list[Tagged]] = {}
        listed = [h for h in self._handlers.values() if h.tagging_type]
        if listed:
            for arn, tags in self._tagged(application, [h.tagging_type or "" for h in listed]):
                handler = next((h for h in listed if h.owns_arn(arn)), None)
                if handler is not None:
                    found.setdefault(handler.kind, []).append((arn, tags))
        for handler in self._handlers.values():
            if not handler.tagging_type:
                found[handler.kind] = [(handle, None) for handle in handler.discover()]
        with ThreadPoolExecutor(READERS) as pool:
            lives = [live for kind, items in sorted(found.items())
                     for live in self._handlers[kind].read_many(items, pool)]
        return [live for live in lives if live is not None and _owned_by(live, application)]

    def _tagged(self, application: str, types: list[str]) -> list[Tagged]:
        """(ARN, tags) of everything the tagging API lists as the application's."""
        tagging = self.aws.client("resourcegroupstaggingapi")
        found: list[Tagged] = []
        token = ""

        def page_after(after: str) -> dict[str, Any]:
            return with_retries(lambda: tagging.get_resources(
                TagFilters=[{"Key": APP_TAG, "Values": [application]}],
                ResourceTypeFilters=types, PaginationToken=after),
                what="listing owned resources")

        while True:
            page = page_after(token)
            found.extend((item["ResourceARN"], {t["Key"]: t["Value"] for t in item["Tags"]})
                         for item in page.get("ResourceTagMappingList", []))
            token = page.get("PaginationToken", "")
            if not token:
                return found

    def find(self, desired: Desired) -> Live | None:
        with reading(f"looking {desired.name} up"):
            return self.handler(desired.kind).find(desired.name, desired.address)

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        return self.handler(desired.kind).create(desired, tags)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        return self.handler(live.kind).update(live, desired, changed, tags)

    def delete(self, live: Live) -> None:
        self.handler(live.kind).delete(live)

    def writer_of(self, live: Live, field_name: str) -> str | None:
        """The last non-purser caller CloudTrail names for this resource, if any."""
        try:
            events = self.aws.client("cloudtrail").lookup_events(
                LookupAttributes=[{"AttributeKey": "ResourceName", "AttributeValue": live.name}],
                MaxResults=10).get("Events", [])
        except Exception:  # no CloudTrail (or no permission to read it): the writer is unknown
            return None
        names = [event.get("Username") for event in events if event.get("Username")]
        return names[0] if names else None


def _owned_by(live: Live, application: str) -> bool:
    """True (and the address set from the tags) when `live` belongs to `application`."""
    owned = owner(live.tags)
    if owned is not None and owned[0] == application:
        live.address = owned[1]
        return True
    if live.identity and live.tags.get(APP_TAG) == application:
        live.address = ""  # a tagless child of an owned parent: matched by identity
        return True
    return False
