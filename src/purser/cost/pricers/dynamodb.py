"""Amazon DynamoDB: on-demand or provisioned capacity, storage, backups and restores, streams,
and the replicated writes of a global table.

Provisioned capacity that an Application Auto Scaling target in the repository scales
(named by a reference or as `table/<name>`) is billed, as Infracost does, at the `capacity`
a usage file gives the target, else at the target's `min_capacity` (a lower bound, said on
the line). Every `replica` block of a global table pays, in its own region, the writes
replicated to it: on demand, the table's `monthly_write_request_units` as replicated write
request units; provisioned, the table's write capacity as replicated write capacity units.
Infracost's usage keys read here: `monthly_write_request_units`,
`monthly_read_request_units`, `storage_gb`, `pitr_backup_storage_gb`,
`on_demand_backup_storage_gb`, `monthly_data_restored_gb`,
`monthly_streams_read_request_units` (priced when the stream is enabled or when the usage
file gives reads: the file says they happen).
"""

from __future__ import annotations

from typing import Any

from purser import kinds
from purser.cost.catalog import Price, PriceNotFound
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    DEFAULT,
    FIXED,
    HOURS_PER_MONTH,
    PricingContext,
    Unpriceable,
    scaled,
)
from purser.cost.pricers.scaling import capacity, floor
from purser.cost.usage import Quantity
from purser.model import Resource, number

MAX_REPLICAS = 64  # more regions than AWS has: a bound on hostile input
WRITES = "dynamodb:table:WriteCapacityUnits"
READS = "dynamodb:table:ReadCapacityUnits"
SIMPLE_TABLE = "AWS::Serverless::SimpleTable"


@prices(*kinds.types("aws.dynamodb.table"))
def dynamodb_table(ctx: PricingContext) -> None:
    table = ctx.resource
    mode = str(table.get("billing_mode") or _default_billing_mode(table)).upper()
    if mode == "PAY_PER_REQUEST":
        writes = scaled(ctx.used("monthly_write_request_units"), 1 / 1e6)
        ctx.add("Write request units", ctx.prices("dynamodb", meter="write_request_units"),
                writes)
        ctx.add("Read request units", ctx.prices("dynamodb", meter="read_request_units"),
                scaled(ctx.used("monthly_read_request_units"), 1 / 1e6))
        _replicas(ctx, "replicated write request units", "replicated_write_request_units",
                  writes)
    else:
        writes_per_hour = _capacity(ctx, "write_capacity", WRITES, "Write", "WCU")
        _capacity(ctx, "read_capacity", READS, "Read", "RCU")
        _replicas(ctx, "replicated write capacity units", "replicated_write_capacity",
                  scaled(writes_per_hour, HOURS_PER_MONTH))
    ctx.add("Storage", ctx.prices("dynamodb", meter="storage"), ctx.used("storage_gb"))
    pitr = table.get("point_in_time_recovery.enabled")
    if pitr is True or str(pitr).lower() == "true":
        ctx.add("Point-in-time recovery backups", ctx.prices("dynamodb", meter="pitr_storage"),
                ctx.used("pitr_backup_storage_gb"))
    ctx.add("On-demand backup storage",
            ctx.prices("dynamodb", meter="on_demand_backup_storage"),
            ctx.used("on_demand_backup_storage_gb"))
    ctx.add("Table data restored", ctx.prices("dynamodb", meter="restore"),
            ctx.used("monthly_data_restored_gb"))
    stream_reads = ctx.used("monthly_streams_read_request_units")
    if _streams_enabled(ctx) or stream_reads is not None:
        ctx.add("Streams read request units",
                ctx.prices("dynamodb", meter="streams_read_request_units"),
                scaled(stream_reads, 1 / 1e6))


def _default_billing_mode(table: Resource) -> str:
    """Terraform's and CloudFormation's default is PROVISIONED; SAM's SimpleTable is on
    demand unless it sets ProvisionedThroughput."""
    if table.type == SIMPLE_TABLE and table.get("read_capacity") is None \
            and table.get("write_capacity") is None:
        return "PAY_PER_REQUEST"
    return "PROVISIONED"


def _capacity(ctx: PricingContext, attribute: str, dimension: str, name: str,
              unit: str) -> Quantity:
    """Provisioned units per hour: when a target scales them, the `capacity` a usage file
    gives the target, else its minimum; else the written figure (0 when absent, as AWS
    refuses a provisioned table without)."""
    table = ctx.resource
    names = [f"table/{table.get('name')}"]
    used = capacity(ctx, dimension, table, names)
    minimum = floor(ctx, dimension, table, names)
    if used is not None:
        units = used
        label = f"{name} capacity ({used.value:g} {unit}, Auto Scaling)"
    elif minimum is not None:
        units = Quantity(minimum, DEFAULT)
        label = f"{name} capacity ({minimum:g} {unit}, Auto Scaling minimum, a lower bound)"
    else:
        units = Quantity(number(table.get(attribute), 0) or 0.0, FIXED)
        label = f"{name} capacity ({units.value:g} {unit})"
    ctx.add(label, ctx.prices("dynamodb", meter=attribute), scaled(units, HOURS_PER_MONTH))
    return units


def _replicas(ctx: PricingContext, what: str, meter: str, quantity: Quantity | None) -> None:
    for region in _replica_regions(ctx):
        ctx.add(f"Global table replica ({region}): {what}",
                _replica_prices(ctx, region, meter), quantity)


def _replica_regions(ctx: PricingContext) -> list[str]:
    if ctx.resource.is_unknown("replica"):
        raise Unpriceable("global table replicas not known statically")
    blocks: Any = ctx.resource.get("replica") or []
    if not isinstance(blocks, list):
        blocks = [blocks]
    if len(blocks) > MAX_REPLICAS:
        raise Unpriceable(f"more than {MAX_REPLICAS} global table replicas")
    regions = []
    for block in blocks:
        region = block.get("region_name") if isinstance(block, dict) else None
        if not isinstance(region, str) or not region:
            raise Unpriceable("a global table replica's region_name not known statically")
        regions.append(region[:40])
    return regions


def _replica_prices(ctx: PricingContext, region: str, meter: str) -> list[Price]:
    try:
        return ctx.catalog.tiers(ctx.provider, "dynamodb", region, meter=meter)
    except PriceNotFound:
        raise Unpriceable(f"no DynamoDB {meter.replace('_', ' ')} price for replica region "
                          f"{region!r} in the catalog") from None


def _streams_enabled(ctx: PricingContext) -> bool:
    # Terraform turns streams on with stream_enabled; CloudFormation by naming a view type.
    table = ctx.resource
    streams = table.get("stream_enabled")
    if streams is None and not table.is_unknown("stream_enabled"):
        streams = table.get("stream_view_type")
    return streams not in (None, False, "false")
