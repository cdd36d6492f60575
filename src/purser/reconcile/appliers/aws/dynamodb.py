"""DynamoDB tables: key schema, billing mode, capacity, point-in-time recovery and tags.

The key schema (`hash_key`, `range_key` and the `attribute` definitions) cannot change in
place: a change replaces the table. CloudFormation writes the keys as `KeySchema`, whose
elements the type table can rename but not pick by `KeyType`, so `desired` turns them into
`hash_key` and `range_key` here.
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from purser.model import Resource
from purser.reconcile.appliers import Desired, Live
from purser.reconcile.appliers.aws.client import is_not_found, with_retries
from purser.reconcile.appliers.aws.handler import Handler, Tagged, boolean, handlers, integer
from purser.reconcile.appliers.aws.tags import (
    as_list,
    from_list,
    stale_keys,
    user_tags,
    wanted_tags,
)

PITR = "point_in_time_recovery.enabled"
KEY_TYPES = {"HASH": "hash_key", "RANGE": "range_key"}


def attributes(value: Any) -> Any:
    """Attribute definitions as [{name, type}] in name order (AWS keeps its own order)."""
    if not isinstance(value, list):
        return value
    return sorted(({"name": item.get("name"), "type": item.get("type")} for item in value
                   if isinstance(item, dict)), key=lambda item: str(item["name"]))


def upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


@handlers.register("aws.dynamodb.table")
class Table(Handler):
    kind = "aws.dynamodb.table"
    name_field = "name"
    name_limit = 255
    name_chars = r"[A-Za-z0-9_.-]"
    fields = {"name": str, "hash_key": str, "range_key": str, "attribute": attributes,
              "billing_mode": upper, "read_capacity": integer, "write_capacity": integer,
              PITR: boolean}
    replace_on = frozenset({"hash_key", "range_key", "attribute"})
    tagging_type = "dynamodb:table"

    @property
    def dynamodb(self) -> Any:
        return self.aws.client("dynamodb")

    def desired(self, resource: Resource) -> Desired:
        desired = super().desired(resource)
        keys = {KEY_TYPES[k["key_type"]]: k["attribute_name"]
                for k in resource.get("key_schema") or []
                if isinstance(k, dict) and k.get("key_type") in KEY_TYPES}
        return Desired(desired.address, desired.kind, desired.name,
                       {**desired.fields, **keys}, desired.depends_on)

    def owns_arn(self, arn: str) -> bool:
        resource = arn.split(":", 5)[5:6]
        return arn.split(":")[2:3] == ["dynamodb"] and bool(resource) \
            and resource[0].startswith("table/") and resource[0].count("/") == 1

    def read(self, handle: str, address: str) -> Live | None:
        return self.find(handle.rsplit("table/", 1)[-1], address)

    def read_many(self, found: list[Tagged], pool: Executor) -> list[Live | None]:
        """The tags came with what was found: two calls per table instead of three."""
        return list(pool.map(lambda item: self._read(item[0].rsplit("table/", 1)[-1],
                                                     item[1], ""), found))

    def find(self, name: str, address: str) -> Live | None:
        return self._read(name, None, address)

    def _read(self, name: str, tags: dict[str, str] | None, address: str) -> Live | None:
        try:
            table = self.dynamodb.describe_table(TableName=name)["Table"]
            arn = table["TableArn"]
            if tags is None:
                tags = from_list(self.dynamodb.list_tags_of_resource(ResourceArn=arn)
                                 .get("Tags"))
            backups = self.dynamodb.describe_continuous_backups(TableName=name)
        except Exception as error:
            if is_not_found(error):
                return None
            raise
        recovery = backups["ContinuousBackupsDescription"].get(
            "PointInTimeRecoveryDescription", {}).get("PointInTimeRecoveryStatus")
        throughput = table.get("ProvisionedThroughput", {})
        fields: dict[str, Any] = {
            KEY_TYPES[k["KeyType"]]: k["AttributeName"] for k in table["KeySchema"]}
        fields.update({
            "attribute": attributes([{"name": a["AttributeName"], "type": a["AttributeType"]}
                                     for a in table.get("AttributeDefinitions", [])]),
            # A table made without a billing mode reports none: it is provisioned.
            "billing_mode": table.get("BillingModeSummary", {}).get("BillingMode",
                                                                    "PROVISIONED"),
            PITR: recovery == "ENABLED", "tags": user_tags(tags)})
        if fields["billing_mode"] == "PROVISIONED":
            fields["read_capacity"] = throughput.get("ReadCapacityUnits")
            fields["write_capacity"] = throughput.get("WriteCapacityUnits")
        outputs = {"arn": arn, "id": name, "name": name, "ref": name}
        if table.get("LatestStreamArn"):
            outputs["stream_arn"] = table["LatestStreamArn"]
        return Live(address=address, kind=self.kind, name=name, fields=fields, handle=name,
                    tags=tags, outputs=outputs)

    def create(self, desired: Desired, tags: dict[str, str]) -> Live:
        fields = desired.fields
        keys = [{"AttributeName": fields[field], "KeyType": key_type}
                for key_type, field in KEY_TYPES.items() if field in fields]
        options = {"BillingMode": fields["billing_mode"]} if "billing_mode" in fields else {}
        options.update(_throughput(fields, set(fields)))
        with_retries(lambda: self.dynamodb.create_table(
            TableName=desired.name, KeySchema=keys,
            AttributeDefinitions=[{"AttributeName": a["name"], "AttributeType": a["type"]}
                                  for a in fields.get("attribute", [])],
            Tags=as_list(wanted_tags(fields, tags)), **options),
            what=f"creating table {desired.name}")
        self._wait(desired.name)
        if fields.get(PITR):
            self._recovery(desired.name, True)
        return self.written(self.find(desired.name, desired.address), desired.name)

    def update(self, live: Live, desired: Desired, changed: set[str],
               tags: dict[str, str]) -> Live:
        name, fields = live.name, desired.fields
        options = {"BillingMode": fields["billing_mode"]} if "billing_mode" in changed else {}
        options.update(_throughput(fields, changed))
        if options:
            with_retries(lambda: self.dynamodb.update_table(TableName=name, **options),
                         what=f"updating table {name}")
            self._wait(name)
        if PITR in changed:
            self._recovery(name, bool(fields[PITR]))
        if "tags" in changed:
            arn = live.outputs["arn"]
            wanted = wanted_tags(fields, tags)
            stale = stale_keys(live.tags, wanted)
            if stale:
                with_retries(lambda: self.dynamodb.untag_resource(ResourceArn=arn,
                                                                  TagKeys=stale),
                             what=f"untagging table {name}")
            with_retries(lambda: self.dynamodb.tag_resource(ResourceArn=arn,
                                                            Tags=as_list(wanted)),
                         what=f"tagging table {name}")
        return self.written(self.find(name, live.address), name)

    def delete(self, live: Live) -> None:
        with_retries(lambda: self.dynamodb.delete_table(TableName=live.name),
                     what=f"deleting table {live.name}")

    def _recovery(self, name: str, enabled: bool) -> None:
        with_retries(lambda: self.dynamodb.update_continuous_backups(
            TableName=name,
            PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": enabled}),
            what=f"setting point-in-time recovery of table {name}")

    def _wait(self, name: str) -> None:
        """Until the table is ACTIVE: AWS refuses other changes while it is not."""
        self.dynamodb.get_waiter("table_exists").wait(
            TableName=name, WaiterConfig={"Delay": 2, "MaxAttempts": 150})



def _throughput(fields: dict[str, Any], names: set[str]) -> dict[str, Any]:
    """ProvisionedThroughput when a capacity is among `names`; both values are sent."""
    if not names & {"read_capacity", "write_capacity"} \
            or fields.get("billing_mode") == "PAY_PER_REQUEST":
        return {}
    return {"ProvisionedThroughput": {"ReadCapacityUnits": int(fields.get("read_capacity", 1)),
                                      "WriteCapacityUnits": int(fields.get("write_capacity", 1))}}
