"""The shape of one kind's handler: metadata next to four short calls.

A handler names its kind (from the type table, so Terraform and CloudFormation/SAM
declarations apply alike), the attribute that holds the physical name, the fields it
manages with how each is normalised for comparison, and those whose change needs a new
resource. It reads, creates, updates and deletes through boto3. A new kind is one module
in this folder registering its handler class in `handlers`.

Only the fields a declaration sets are managed: a field git does not mention is left as
the cloud has it, so a provider default never shows as drift.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any, ClassVar

from purser.model import Resource
from purser.reconcile.appliers import Desired, Live, Unsupported
from purser.reconcile.appliers.aws.client import Aws
from purser.reconcile.ownership import physical_name
from purser.registry import Registry
from purser.tree import Tree

Normaliser = Callable[[Any], Any]
Tagged = tuple[str, dict[str, str] | None]
DEFAULT_DELETE_RANK = 50  # a handle (an ARN) and its tags, when known
# `${data.aws_caller_identity.current.account_id}` (under a folder `${dir//data....}`, in a
# module `${module.m["k"].data....}`): a data source purser does not read, which would
# otherwise be written out as that text.
_DATA_SOURCE = re.compile(
    r"\$\{((?:[^{}]*//)?(?:module\.[\w-]+(?:\[[^\]]*\])?\.)*data\.[^{}]*)\}")


def same(value: Any) -> Any:
    return value


def integer(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def boolean(value: Any) -> Any:
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def json_document(value: Any) -> Any:
    """A policy or other JSON written as text or as a value: compared as a value."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class Handler:
    kind: ClassVar[str]
    name_field: ClassVar[str]
    name_limit: ClassVar[int] = 64
    name_chars: ClassVar[str] = r"[A-Za-z0-9_-]"
    name_lower: ClassVar[bool] = False
    fields: ClassVar[dict[str, Normaliser]] = {}
    replace_on: ClassVar[frozenset[str]] = frozenset()
    # Prune order, lowest first: a kind that refers to others is deleted before them.
    delete_rank: ClassVar[int] = DEFAULT_DELETE_RANK
    # Resource Groups Tagging API type ("sqs", "logs:log-group"); None: `discover` lists.
    tagging_type: ClassVar[str | None] = None
    taggable: ClassVar[bool] = True
    # Fields the cloud cannot create the resource without, and why one can be missing.
    required: ClassVar[dict[str, str]] = {}

    def __init__(self, aws: Aws, application: str, tree: Tree | None = None) -> None:
        self.aws = aws
        self.application = application
        self.tree = tree  # where a resource's files are read (a function's code)

    # ---------------------------------------------------------------- desired
    def desired(self, resource: Resource) -> Desired:
        fields: dict[str, Any] = {}
        for name in self.fields:
            if resource.is_unknown(name):
                raise Unsupported(f"{name} is not known before apply (a value purser cannot "
                                  "evaluate statically)")
            value = resource.get(name)
            if value not in (None, [], {}):
                fields[name] = value
            read = _data_source(value)
            if read:
                raise Unsupported(f"{name} refers to {read}, a data source purser does not "
                                  "read")
        for name, why in self.required.items():
            if name not in fields:
                raise Unsupported(f"no {name}: {why}")
        if self.taggable:
            fields["tags"] = dict(resource.tags)
        given = fields.pop(self.name_field, None)
        if given is not None and (not isinstance(given, str) or "${" in given):
            raise Unsupported(f"its name ({self.name_field}) is computed from another resource; "
                              "purser applies only names written in the repository")
        name = given if isinstance(given, str) and given else physical_name(
            self.application, resource.address, limit=self.name_limit,
            allowed=self.name_chars, lower=self.name_lower)
        return Desired(address=resource.address, kind=self.kind, name=name, fields=fields,
                       depends_on=tuple(resource.depends_on))

    def identity(self, desired: Desired) -> str:
        """For a kind that takes no tags (owned through its parent): what the live one is
        known by, from the resolved declaration. "" for kinds matched by ownership tags."""
        return ""

    def normalise(self, fields: dict[str, Any]) -> dict[str, Any]:
        return {name: self.fields.get(name, same)(value) for name, value in fields.items()}

    # ---------------------------------------------------------------- live
    def discover(self) -> list[str]:
        """Handles of the resources this application owns, for kinds the tagging API
        does not list (`tagging_type` None)."""
        return []

    def owns_arn(self, arn: str) -> bool:
        """True when a tagging API ARN is of this handler's kind."""
        return False

    def read(self, handle: str, address: str) -> Live | None:
        raise NotImplementedError

    def read_many(self, found: list[Tagged], pool: Executor) -> list[Live | None]:
        """Read every handle found, side by side. The tagging API already said each one's
        tags (None for kinds that list themselves): a handler that can list its kind in a
        few calls, or that needs no call for tags, overrides this."""
        return list(pool.map(lambda item: self.read(item[0], ""), found))

    def find(self, name: str, address: str) -> Live | None:
        """The resource with this physical name, owned or not."""
        raise NotImplementedError

    def written(self, live: Live | None, handle: str) -> Live:
        """`live`, read back right after a write; LookupError when it is gone already."""
        if live is None:
            raise LookupError(f"{self.kind} {handle} vanished right after it was written")
        return live

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        raise NotImplementedError

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        raise NotImplementedError

    def delete(self, live: Live) -> None:
        raise NotImplementedError


def _data_source(value: Any) -> str:
    """The first data source a value's text refers to ("" for none)."""
    if isinstance(value, str):
        found = _DATA_SOURCE.search(value)
        return found.group(1) if found else ""
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) \
        else ()
    return next((read for read in map(_data_source, items) if read), "")


handlers: Registry[type[Handler]] = Registry("AWS resource handler", "purser.appliers.aws",
                                             package="purser.reconcile.appliers.aws")
