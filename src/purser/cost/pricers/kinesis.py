"""Amazon Kinesis Data Streams (provisioned and on-demand) and Amazon Data Firehose.

A provisioned stream pays for its shards by the hour and for PUT payload units (25 KB
each); retention past 24 hours costs a further rate per shard-hour (AWS bills it per
shard-hour, so it follows `retention_period`, and Infracost's per-GB key
`monthly_provisioned_extended_retention_gb` is not read); past 7 days, the data kept and read
back costs per GB. An on-demand stream pays per stream-hour and per GB written, read and kept.
Usage keys are Infracost's (`monthly_provisioned_put_units`, `monthly_on_demand_data_in_gb`, ...).

A Firehose stream pays per GB ingested (tiered), again per GB when it converts the record
format, and, when it delivers into a VPC, per GB and per hour in each subnet's zone.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.catalog import Price
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    FIXED,
    HOURS_PER_MONTH,
    PricingContext,
    Unpriceable,
    scaled,
)
from purser.cost.usage import Quantity
from purser.model import Resource, number

STANDARD_RETENTION_HOURS = 24  # included in the shard or stream price
EXTENDED_RETENTION_HOURS = 7 * 24  # beyond it, long-term retention per GB
PER_MILLION = 1 / 1e6


@prices(*kinds.types("aws.kinesis.stream"))
def stream(ctx: PricingContext) -> None:
    if ctx.resource.is_unknown("stream_mode_details.stream_mode"):
        raise Unpriceable("the stream mode (provisioned or on-demand) is not known statically")
    mode = str(ctx.resource.get("stream_mode_details.stream_mode") or "PROVISIONED").upper()
    if mode == "ON_DEMAND":
        _on_demand(ctx, _retention_hours(ctx.resource))
    elif mode == "PROVISIONED":
        _provisioned(ctx, _retention_hours(ctx.resource))
    else:
        raise Unpriceable(f"unknown stream mode {mode[:40]!r}")


def _provisioned(ctx: PricingContext, retention: float | None) -> None:
    def price(meter: str) -> list[Price]:
        return ctx.prices("kinesis", meter=meter, mode="provisioned")

    shards = number(ctx.resource.get("shard_count"))
    shard_hours = None if shards is None else Quantity(shards * HOURS_PER_MONTH, FIXED)
    ctx.add("Shard hours", price("shard_hours"), shard_hours)
    ctx.add("PUT payload units", price("put_payload_units"),
            scaled(ctx.used("monthly_provisioned_put_units"), PER_MILLION))
    if retention is None or retention > STANDARD_RETENTION_HOURS:
        ctx.add("Extended retention (24 hours to 7 days)", price("extended_retention"),
                shard_hours if retention is not None else None)
    if _long_term(ctx, retention, "monthly_provisioned_long_term_"):
        ctx.add("Long-term retention (over 7 days)", price("long_term_retention"),
                ctx.used("monthly_provisioned_long_term_retention_gb"))
        ctx.add("Long-term retention retrieval", price("long_term_retrieval"),
                ctx.used("monthly_provisioned_long_term_retrieval_gb"))
    ctx.add("Enhanced fan-out data retrieval", price("efo_data_retrieval"),
            ctx.used("monthly_provisioned_efo_data_out_gb"))
    ctx.add("Enhanced fan-out consumer-shard hours", price("efo_consumer_hours"),
            ctx.used("monthly_provisioned_efo_consumer_hours"))


def _on_demand(ctx: PricingContext, retention: float | None) -> None:
    def price(meter: str) -> list[Price]:
        return ctx.prices("kinesis", meter=meter, mode="on_demand")

    ctx.fixed("Stream hours (on-demand)", price("stream_hours"), HOURS_PER_MONTH)
    ctx.add("Data ingested", price("data_in"), ctx.used("monthly_on_demand_data_in_gb"))
    ctx.add("Data retrieved", price("data_out"), ctx.used("monthly_on_demand_data_out_gb"))
    ctx.add("Enhanced fan-out data retrieval", price("efo_data_retrieval"),
            ctx.used("monthly_on_demand_efo_data_out_gb"))
    if retention is None or retention > STANDARD_RETENTION_HOURS \
            or ctx.used("monthly_on_demand_extended_retention_gb"):
        ctx.add("Extended retention (24 hours to 7 days)", price("extended_retention"),
                ctx.used("monthly_on_demand_extended_retention_gb"))
    if _long_term(ctx, retention, "monthly_on_demand_long_term_"):
        ctx.add("Long-term retention (over 7 days)", price("long_term_retention"),
                ctx.used("monthly_on_demand_long_term_retention_gb"))


def _retention_hours(resource: Resource) -> float | None:
    """Hours the stream keeps its records (24 when not set); None when not known."""
    if resource.is_unknown("retention_period"):
        return None
    value = resource.get("retention_period")
    return float(STANDARD_RETENTION_HOURS) if value is None else number(value)


def _long_term(ctx: PricingContext, retention: float | None, usage_prefix: str) -> bool:
    return retention is None or retention > EXTENDED_RETENTION_HOURS \
        or ctx.has_usage(usage_prefix)


@prices(*kinds.types("aws.firehose.delivery_stream"))
def delivery_stream(ctx: PricingContext) -> None:
    ingested = ctx.used("monthly_data_ingested_gb")
    ctx.add("Data ingested", ctx.prices("firehose", meter="ingestion"), ingested)
    if _converts_format(ctx.resource):
        ctx.add("Format conversion", ctx.prices("firehose", meter="format_conversion"),
                ingested)
    zones = _vpc_zones(ctx.resource)
    if zones != 0:
        ctx.add("VPC data delivered", ctx.prices("firehose", meter="vpc_data"), ingested)
        ctx.add("VPC delivery" + (f" ({zones} AZ{'s' if zones > 1 else ''})" if zones else ""),
                ctx.prices("firehose", meter="vpc_az_hours"),
                None if zones is None else Quantity(zones * HOURS_PER_MONTH, FIXED))


def _converts_format(resource: Resource) -> bool:
    """Whether records are converted (an output format is set and not switched off)."""
    path = "extended_s3_configuration.data_format_conversion_configuration"
    output = f"{path}.output_format_configuration"
    configured = resource.get(output) not in (None, [], {}) or resource.is_unknown(output)
    return configured and resource.get(f"{path}.enabled") is not False


VPC_CONFIGS = ("elasticsearch_configuration.vpc_config",
               "opensearch_configuration.vpc_config")


def _vpc_zones(resource: Resource) -> int | None:
    """How many zones the stream delivers into a VPC from (one per subnet): 0 when it does
    not deliver into a VPC, None when its subnets are not known statically."""
    for path in VPC_CONFIGS:
        if resource.is_unknown(f"{path}.subnet_ids"):
            return None
        subnets = resource.get(f"{path}.subnet_ids")
        if isinstance(subnets, list) and subnets:
            return len(set(map(str, subnets)))
        if resource.get(path) is not None:
            return None  # a VPC configuration without readable subnets
    return 0
