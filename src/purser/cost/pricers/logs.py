"""Amazon CloudWatch: log ingestion and storage, custom metrics, standard alarms."""

from __future__ import annotations

from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, attr


@prices("aws_cloudwatch_log_group", "AWS::Logs::LogGroup")
def log_group(ctx: PricingContext) -> None:
    ctx.add("Data ingested", ctx.prices("cloudwatch", meter="log_ingestion"),
            ctx.used("monthly_data_ingested_gb"))
    ctx.add("Storage", ctx.prices("cloudwatch", meter="log_storage"), ctx.used("storage_gb"))


@prices("aws_cloudwatch_log_metric_filter", "AWS::Logs::MetricFilter")
def metric_filter(ctx: PricingContext) -> None:
    """Each metric transformation publishes one custom metric (first-tier price)."""
    transformations = attr(ctx.resource, "metric_transformation", "MetricTransformations")
    count = len(transformations) if isinstance(transformations, list) else 1
    ctx.fixed("Custom metrics", ctx.prices("cloudwatch", meter="custom_metrics"), count)


@prices("aws_cloudwatch_metric_alarm", "AWS::CloudWatch::Alarm")
def metric_alarm(ctx: PricingContext) -> None:
    ctx.fixed("Standard-resolution alarm",
              ctx.prices("cloudwatch", meter="alarms", resolution="standard"), 1)
