"""Event source mappings (`aws_lambda_event_source_mapping`,
`AWS::Lambda::EventSourceMapping`): a queue or stream feeding a function.

A mapping takes tags, so it carries purser's ownership tags itself, unlike a function's
permissions: it is matched by address and may feed a function purser does not own. The
tagging API does not list mappings (nor does moto's), so `discover` pages through the
region's mappings and reads each one's tags. A mapping has no name; its UUID, assigned on
create, is the handle. A new event source or starting position needs a new mapping.
"""

from __future__ import annotations

import json
from typing import Any

from purser.model import Resource
from purser.reconcile.appliers import ApplyError, Desired, Live
from purser.reconcile.appliers.aws.client import is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import Handler, boolean, handlers, integer
from purser.reconcile.appliers.aws.lambda_permission import function_name
from purser.reconcile.appliers.aws.tags import stale_keys, user_tags, wanted_tags
from purser.reconcile.ownership import APP_TAG

FILTERS = "filter_criteria.filter"
# Settings the API nests: canonical field → its path in the API's objects.
NESTED = {"scaling_config.maximum_concurrency": ("ScalingConfig", "MaximumConcurrency"),
          "destination_config.on_failure.destination_arn":
              ("DestinationConfig", "OnFailure", "Destination")}
# Canonical field → the parameter CreateEventSourceMapping / UpdateEventSourceMapping take.
SETTINGS = {"function_name": "FunctionName", "batch_size": "BatchSize",
            "maximum_batching_window_in_seconds": "MaximumBatchingWindowInSeconds",
            "maximum_retry_attempts": "MaximumRetryAttempts",
            "maximum_record_age_in_seconds": "MaximumRecordAgeInSeconds",
            "bisect_batch_on_function_error": "BisectBatchOnFunctionError",
            "parallelization_factor": "ParallelizationFactor",
            "tumbling_window_in_seconds": "TumblingWindowInSeconds",
            "function_response_types": "FunctionResponseTypes"}
CREATE_ONLY = {"event_source_arn": "EventSourceArn", "starting_position": "StartingPosition"}


def patterns(value: Any) -> Any:
    """Filters (`[{pattern: json}]`; a single Terraform block: that filter alone) as the list of
    their patterns, each a JSON value."""
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, list):
        return value
    return [json.loads(item["pattern"]) if isinstance(item.get("pattern"), str)
            else item.get("pattern") for item in value if isinstance(item, dict)]


def sorted_list(value: Any) -> Any:
    return sorted(value) if isinstance(value, list) else value


@handlers.register("aws.lambda.event_source_mapping")
class EventSourceMapping(Handler):
    kind = "aws.lambda.event_source_mapping"
    delete_rank = 20  # before its function (30) and its queue or table
    name_field = ""
    fields = {"event_source_arn": str, "function_name": function_name, "enabled": boolean,
              "starting_position": str, "batch_size": integer,
              "maximum_batching_window_in_seconds": integer, "maximum_retry_attempts": integer,
              "maximum_record_age_in_seconds": integer, "parallelization_factor": integer,
              "tumbling_window_in_seconds": integer, "bisect_batch_on_function_error": boolean,
              "function_response_types": sorted_list, FILTERS: patterns,
              "scaling_config.maximum_concurrency": integer,
              "destination_config.on_failure.destination_arn": str}
    replace_on = frozenset(CREATE_ONLY)
    tagging_type = None
    required = {"event_source_arn": "a mapping needs its queue or stream",
                "function_name": "a mapping needs its function"}

    @property
    def awslambda(self) -> Any:
        return self.aws.client("lambda")

    def desired(self, resource: Resource) -> Desired:
        found = super().desired(resource)
        return Desired(found.address, found.kind, "", found.fields, found.depends_on)

    # ---------------------------------------------------------------- live
    def discover(self) -> list[str]:
        pages = self.awslambda.get_paginator("list_event_source_mappings").paginate()
        return [mapping["UUID"] for page in pages for mapping in page["EventSourceMappings"]
                if self._tags(mapping["EventSourceMappingArn"]).get(APP_TAG) == self.application]

    def _tags(self, arn: str) -> dict[str, str]:
        try:
            return dict(self.awslambda.list_tags(Resource=arn).get("Tags", {}))
        except Exception as error:
            if is_not_found(error):  # deleted since it was listed
                return {}
            raise

    def read(self, handle: str, address: str) -> Live | None:
        try:
            mapping = self.awslambda.get_event_source_mapping(UUID=handle)
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        tags = self._tags(mapping["EventSourceMappingArn"])
        return Live(address=address, kind=self.kind, name="", fields=_fields(mapping, tags),
                    handle=handle, tags=tags, outputs=_outputs(mapping))

    def find(self, name: str, address: str) -> Live | None:
        return None  # no name to look up: created with its tags in one call, so `discover`
        # finds one a crash left behind

    # ---------------------------------------------------------------- writes
    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        fields = desired.fields
        params = {**_params(fields, set(fields)), **{key: fields[field] for field, key in
                                                     CREATE_ONLY.items() if field in fields}}
        created = with_retries(lambda: self.awslambda.create_event_source_mapping(
            Tags=wanted_tags(fields, tags), **params),
            what=f"mapping {fields['event_source_arn']} to {fields['function_name']}")
        return self.written(self.read(created["UUID"], desired.address), created["UUID"])

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        params = _params(desired.fields, changed)
        if params:
            with_retries(lambda: self.awslambda.update_event_source_mapping(
                UUID=live.handle, **params), what=f"updating event source mapping {live.handle}")
        if "tags" in changed:
            self._retag(live, wanted_tags(desired.fields, tags))
        return self.written(self.read(live.handle, live.address), live.handle)

    def delete(self, live: Live) -> None:
        try:
            with_retries(lambda: self.awslambda.delete_event_source_mapping(UUID=live.handle),
                         what=f"deleting event source mapping {live.handle}")
        except ApplyError as error:
            if error.__cause__ is None or not is_not_found(error.__cause__):
                raise

    def _retag(self, live: Live, wanted: dict[str, str]) -> None:
        arn = live.outputs["arn"]
        stale = stale_keys(live.tags, wanted)
        if stale:
            with_retries(lambda: self.awslambda.untag_resource(Resource=arn, TagKeys=stale),
                         what=f"untagging event source mapping {live.handle}")
        with_retries(lambda: self.awslambda.tag_resource(Resource=arn, Tags=wanted),
                     what=f"tagging event source mapping {live.handle}")



def _params(fields: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """The API's parameters for the updatable fields in `names`."""
    params = {key: fields[field] for field, key in SETTINGS.items()
              if field in names and field in fields}
    if "enabled" in names and "enabled" in fields:
        params["Enabled"] = fields["enabled"]
    for field, (outer, *inner) in NESTED.items():
        if field in names and field in fields:
            params[outer] = _nest(inner, fields[field])
    if FILTERS in names and FILTERS in fields:
        params["FilterCriteria"] = {"Filters": [{"Pattern": json.dumps(pattern)}
                                                for pattern in fields[FILTERS]]}
    return params


def _nest(path: list[str], value: Any) -> Any:
    """`value` under `path`: (["OnFailure", "Destination"], arn) → {OnFailure: {...}}."""
    return {path[0]: _nest(path[1:], value)} if path else value


def _fields(mapping: dict[str, Any], tags: dict[str, str]) -> dict[str, Any]:
    """The managed fields as the mapping reports them (`enabled` from its state)."""
    fields: dict[str, Any] = {field: mapping[key] for field, key in SETTINGS.items()
                              if field != "function_name" and mapping.get(key) is not None}
    fields.update({"event_source_arn": mapping["EventSourceArn"],
                   "function_name": function_name(mapping["FunctionArn"]),
                   "enabled": mapping.get("State") not in ("Disabled", "Disabling"),
                   "tags": user_tags(tags)})
    if "function_response_types" in fields:
        fields["function_response_types"] = sorted(fields["function_response_types"])
    if mapping.get("StartingPosition"):
        fields["starting_position"] = mapping["StartingPosition"]
    for field, path in NESTED.items():
        value: Any = mapping
        for step in path:
            value = value.get(step) if isinstance(value, dict) else None
        if value is not None:
            fields[field] = value
    filters = (mapping.get("FilterCriteria") or {}).get("Filters")
    if filters:
        fields[FILTERS] = [json.loads(item["Pattern"]) for item in filters]
    return fields


def _outputs(mapping: dict[str, Any]) -> dict[str, Any]:
    uuid = mapping["UUID"]
    return {"id": uuid, "uuid": uuid, "ref": uuid, "arn": mapping["EventSourceMappingArn"],
            "function_arn": mapping["FunctionArn"], "state": mapping.get("State", "")}
