"""Amazon CloudWatch: log ingestion and storage, custom metrics, standard alarms."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext


@prices(*kinds.types("aws.logs.log_group"))
def log_group(ctx: PricingContext) -> None:
    ctx.add("Data ingested", ctx.prices("cloudwatch", meter="log_ingestion"),
            ctx.used("monthly_data_ingested_gb"))
    ctx.add("Storage", ctx.prices("cloudwatch", meter="log_storage"), ctx.used("storage_gb"))


@prices(*kinds.types("aws.logs.metric_filter"))
def metric_filter(ctx: PricingContext) -> None:
    """Each metric transformation publishes one custom metric (first-tier price)."""
    transformations = ctx.resource.get("metric_transformation")
    count = len(transformations) if isinstance(transformations, list) else 1
    ctx.fixed("Custom metrics", ctx.prices("cloudwatch", meter="custom_metrics"), count)


@prices(*kinds.types("aws.cloudwatch.alarm"))
def metric_alarm(ctx: PricingContext) -> None:
    ctx.fixed("Standard-resolution alarm",
              ctx.prices("cloudwatch", meter="alarms", resolution="standard"), 1)
