"""Amazon CloudWatch: log ingestion, storage and Insights scans, custom metrics, metric
alarms, dashboards.

An alarm pays per metric it watches (a metric math alarm: each `metric` of its queries),
at the high-resolution price when its period is under a minute; an anomaly detection alarm
(a band comparison) pays three metrics for each (the metric and the band's two bounds), as
AWS and Infracost count it.
"""

from __future__ import annotations

from typing import Any

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, Unpriceable
from purser.cost.pricers.regional import add_where_priced
from purser.model import Resource, number

HIGH_RESOLUTION_BELOW_S = 60
ANOMALY_BAND_OPERATORS = frozenset({
    "LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold",
    "GreaterThanUpperThreshold"})
METRICS_PER_ANOMALY_ALARM = 3
MAX_METRICS = 100  # an alarm's metric math may use at most ten metrics; more is an error


@prices(*kinds.types("aws.logs.log_group"))
def log_group(ctx: PricingContext) -> None:
    if str(ctx.resource.get("log_group_class") or "").upper() == "INFREQUENT_ACCESS":
        ctx.add("Data ingested (Infrequent Access)",
                ctx.prices("cloudwatch", meter="log_ingestion", log_class="infrequent_access"),
                ctx.used("monthly_data_ingested_gb"))
    else:
        ctx.add("Data ingested", ctx.prices("cloudwatch", meter="log_ingestion"),
                ctx.used("monthly_data_ingested_gb"))
    ctx.add("Storage", ctx.prices("cloudwatch", meter="log_storage"), ctx.used("storage_gb"))
    scanned = ctx.used("monthly_data_scanned_gb")
    if scanned is not None:  # Logs Insights queries are optional: none unless the usage says
        add_where_priced(ctx, "Insights queries data scanned", "cloudwatch", scanned,
                         meter="insights_scanned")


@prices(*kinds.types("aws.logs.metric_filter"))
def metric_filter(ctx: PricingContext) -> None:
    """Each metric transformation publishes one custom metric (first-tier price)."""
    transformations = ctx.resource.get("metric_transformation")
    count = len(transformations) if isinstance(transformations, list) else 1
    ctx.fixed("Custom metrics", ctx.prices("cloudwatch", meter="custom_metrics"), count)


@prices(*kinds.types("aws.cloudwatch.alarm"))
def metric_alarm(ctx: PricingContext) -> None:
    alarm = ctx.resource
    metrics, period = _metrics_and_period(alarm)
    high = period is not None and period < HIGH_RESOLUTION_BELOW_S
    resolution = "high" if high else "standard"
    name = "High-resolution alarm metrics" if high else "Standard-resolution alarm metrics"
    if alarm.get("comparison_operator") in ANOMALY_BAND_OPERATORS:
        metrics *= METRICS_PER_ANOMALY_ALARM
        name += " (anomaly detection: 3 per metric)"
    ctx.fixed(name, ctx.prices("cloudwatch", meter="alarms", resolution=resolution), metrics)


def _metrics_and_period(alarm: Resource) -> tuple[int, float | None]:
    """How many metrics the alarm watches, and the period of the first that says one."""
    queries = alarm.get("metric_query")
    if not queries:
        return 1, _period(alarm, "period", alarm.get("period"))
    if not isinstance(queries, list):
        raise Unpriceable("metric_query is not known statically")
    blocks = (_block(query.get("metric")) for query in queries if isinstance(query, dict))
    metrics = [metric for metric in blocks if metric is not None]
    if len(metrics) > MAX_METRICS:
        raise Unpriceable(f"{len(metrics)} metrics in one alarm: more than AWS allows")
    periods = (_period(alarm, "metric_query.metric.period", m.get("period")) for m in metrics)
    return max(1, len(metrics)), next((p for p in periods if p is not None), None)


def _block(value: Any) -> dict[str, Any] | None:
    """A Terraform block (a one-element list) or a mapping, as a mapping."""
    if isinstance(value, list) and value:
        value = value[0]
    return value if isinstance(value, dict) else None


def _period(alarm: Resource, path: str, value: Any) -> float | None:
    if value is None:
        if alarm.is_unknown(path.split(".")[0]):
            raise Unpriceable(f"{path} is not known statically")
        return None
    period = number(value)
    if period is None or period <= 0:
        raise Unpriceable(f"{path} = {str(value)[:40]!r} is not a period in seconds")
    return period


@prices(*kinds.types("aws.cloudwatch.dashboard"))
def dashboard(ctx: PricingContext) -> None:
    ctx.fixed("Dashboard", ctx.prices("cloudwatch", meter="dashboards"), 1)
