"""Per-resource time series: one row per (timestamp, resource, metric) with its value.

A source of metrics (these files, Prometheus `query_range` and CloudWatch `GetMetricData`,
each its own module) only has to produce rows of this shape; the ingest validates and stores
them the same way whatever their origin. One row is kept per KEY: a later ingest of the same
timestamp, resource and metric (a fetch whose window overlaps an earlier one) replaces it.
"""

from __future__ import annotations

from purser.warehouse.dataset import Dataset

# Metric name -> how a day of it is summarised: counts add up, gauges average.
AGGREGATES = {
    "invocations": "SUM",
    "request_count": "SUM",
    "errors": "SUM",
    "duration": "AVG",
    "latency": "AVG",
    "memory_used": "AVG",
    "cpu": "AVG",
}
NAMES = tuple(AGGREGATES)
KEY = ("timestamp", "resource_id", "metric")

METRICS = Dataset(
    name="metrics",
    columns={
        "timestamp": "TIMESTAMP",
        "resource_id": "VARCHAR",
        "metric": "ENUM(" + ", ".join(f"'{name}'" for name in NAMES) + ")",
        "value": "DOUBLE",
        "unit": "VARCHAR",
    },
    # Kept as the ENUM it is read as (Parquet stores its text): a cast back to VARCHAR in
    # the same query lets DuckDB 2.0.1 skip the ENUM check and keep unknown names.
    required=frozenset({"timestamp", "resource_id", "metric", "value"}),
    not_null=frozenset({"timestamp", "metric", "value"}),
    month_of="timestamp",
)
