"""Metrics from CloudWatch's `GetMetricData` through boto3 (which honours AWS_ENDPOINT_URL):
every series of one namespace and metric name (narrowed by dimension filters) becomes rows of
the purser metric it measures, named by the resource's ARN as the bill names it."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from purser.warehouse.errors import WarehouseError
from purser.warehouse.metrics import AGGREGATES
from purser.warehouse.sources import MetricRow

# CloudWatch (namespace, metric name) -> purser's metric and the unit CloudWatch measures in.
METRICS = {
    ("AWS/Lambda", "Invocations"): ("invocations", "Count"),
    ("AWS/Lambda", "Duration"): ("duration", "Milliseconds"),
    ("AWS/Lambda", "Errors"): ("errors", "Count"),
    ("AWS/ApiGateway", "Count"): ("request_count", "Count"),
    ("AWS/ApiGateway", "Latency"): ("latency", "Milliseconds"),
    ("AWS/ApiGateway", "5XXError"): ("errors", "Count"),
    ("AWS/ApplicationELB", "RequestCount"): ("request_count", "Count"),
    ("AWS/ApplicationELB", "TargetResponseTime"): ("latency", "Seconds"),
    ("AWS/EC2", "CPUUtilization"): ("cpu", "Percent"),
    ("AWS/ECS", "CPUUtilization"): ("cpu", "Percent"),
}
# Namespace -> (the dimension naming a resource, its ARN with {partition} {region} {account}
# {value}); a namespace not here needs --resource-dimension and keeps the value as the id.
RESOURCES = {
    "AWS/Lambda": ("FunctionName", "arn:{partition}:lambda:{region}:{account}:function:{value}"),
    "AWS/DynamoDB": ("TableName", "arn:{partition}:dynamodb:{region}:{account}:table/{value}"),
    "AWS/SQS": ("QueueName", "arn:{partition}:sqs:{region}:{account}:{value}"),
    "AWS/EC2": ("InstanceId", "arn:{partition}:ec2:{region}:{account}:instance/{value}"),
    "AWS/ApiGateway": ("ApiName", "{value}"),
    "AWS/ApplicationELB": ("LoadBalancer", "{value}"),
    "AWS/ECS": ("ServiceName", "{value}"),
}
STATISTICS = {"SUM": "Sum", "AVG": "Average"}  # how purser summarises a day -> CloudWatch stat
BATCH = 500  # GetMetricData's limit of queries per call


class CloudWatchError(WarehouseError):
    """The request cannot be made or answered: one line, nothing ingested."""


@dataclass(frozen=True)
class Query:
    namespace: str
    metric: str  # CloudWatch's metric name, e.g. Invocations
    dimensions: dict[str, str] = field(default_factory=dict)  # filters, e.g. FunctionName=x
    period: int = 3600  # seconds
    stat: str | None = None  # default: Sum for counts, Average for gauges
    resource_dimension: str | None = None  # default: the namespace's (RESOURCES)

    @property
    def measures(self) -> tuple[str, str]:
        """purser's metric name and its unit."""
        try:
            return METRICS[self.namespace, self.metric]
        except KeyError:
            known = ", ".join(f"{n} {m}" for n, m in METRICS)
            raise CloudWatchError(f"no purser metric for {self.namespace} {self.metric}: "
                                  f"known are {known}") from None

    @property
    def statistic(self) -> str:
        return self.stat or STATISTICS[AGGREGATES[self.measures[0]]]

    @property
    def resource(self) -> tuple[str, str]:
        """The dimension naming a resource, and the template of its id."""
        dimension, template = RESOURCES.get(self.namespace, ("", "{value}"))
        if self.resource_dimension not in (None, dimension):
            return self.resource_dimension, "{value}"
        if not dimension:
            raise CloudWatchError(f"which dimension names a resource in {self.namespace}? "
                                  "give it with --resource-dimension")
        return dimension, template


def fetch(query: Query, *, start: datetime.datetime, end: datetime.datetime,
          region: str | None = None) -> list[MetricRow]:
    """Rows of every series of `query` with data between `start` and `end`."""
    import boto3
    import botocore.exceptions

    dimension, template = query.resource  # before any call: a usage error costs nothing
    measures = query.measures
    try:
        session = boto3.session.Session(region_name=region)
        cloudwatch = session.client("cloudwatch")
        names = _resources(cloudwatch, query, dimension)
        ids = _ids(session, template, names)
        return list(_rows(cloudwatch, query, dimension, ids, measures, start, end))
    except (botocore.exceptions.BotoCoreError, botocore.exceptions.ClientError) as exc:
        raise CloudWatchError(f"CloudWatch: {str(exc).splitlines()[0]}") from None


def _resources(cloudwatch: Any, query: Query, dimension: str) -> list[str]:
    """The resources with this metric: series whose dimensions are exactly the resource's and
    the filters' (not the aggregates over all functions or by version)."""
    filters = [{"Name": k, "Value": v} for k, v in query.dimensions.items()]
    wanted = {dimension, *query.dimensions}
    found = set()
    for page in cloudwatch.get_paginator("list_metrics").paginate(
            Namespace=query.namespace, MetricName=query.metric, Dimensions=filters):
        for series in page["Metrics"]:
            dims = {d["Name"]: d["Value"] for d in series.get("Dimensions", [])}
            if set(dims) == wanted:
                found.add(dims[dimension])
    return sorted(found)


def _ids(session: Any, template: str, names: list[str]) -> dict[str, str]:
    """Each resource name -> the id the bill uses (an ARN where the namespace has one)."""
    if not names or "{account}" not in template:
        return {name: template.format(value=name) for name in names}
    caller = session.client("sts").get_caller_identity()
    partition, account = caller["Arn"].split(":")[1], caller["Account"]
    return {name: template.format(partition=partition, region=session.region_name,
                                  account=account, value=name) for name in names}


def _rows(cloudwatch: Any, query: Query, dimension: str, ids: dict[str, str],
          measures: tuple[str, str], start: datetime.datetime,
          end: datetime.datetime) -> Iterator[MetricRow]:
    metric, unit = measures
    names = list(ids)
    for first in range(0, len(names), BATCH):
        batch = names[first:first + BATCH]
        queries = [_data_query(query, dimension, name, f"m{index}")
                   for index, name in enumerate(batch)]
        pages = cloudwatch.get_paginator("get_metric_data").paginate(
            MetricDataQueries=queries, StartTime=start, EndTime=end)
        for page in pages:
            for result in page["MetricDataResults"]:
                resource = ids[batch[int(result["Id"][1:])]]
                for stamp, value in zip(result["Timestamps"], result["Values"], strict=True):
                    yield MetricRow(stamp, resource, metric, float(value), unit)


def _data_query(query: Query, dimension: str, name: str, ident: str) -> dict[str, Any]:
    values = {**query.dimensions, dimension: name}  # a filter may name the resource itself
    dims = [{"Name": key, "Value": value} for key, value in values.items()]
    return {"Id": ident, "ReturnData": True, "MetricStat": {
        "Metric": {"Namespace": query.namespace, "MetricName": query.metric, "Dimensions": dims},
        "Period": query.period, "Stat": query.statistic}}

