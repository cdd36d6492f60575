"""Write the catalog's other-region prices (src/purser/cost/catalog/*.regions.json) from a
checkout of the public repository QuinnyPig/aws-price-watcher.

That repository commits, several times a day, AWS's public pricing-page data
(`meteredUnitMaps/<service>/USD/current/*.json`) reduced to one table per service:
metric name → location name → USD per AWS unit. Those are AWS's own list prices for every
region; this script only renames metrics to catalog entries, scales AWS units to catalog
units and cites, for each entry, the AWS pricing page that shows it (the page the
hand-entered entry cites) and the publication date AWS gave that data (the `manifest` of
`raw/<service>.json`, else the commit date); each file's `about` names the repository,
commit and files the numbers were read from.

Only lookups the catalog already has somewhere are written (the same service, attributes,
unit and tier layout as the hand-entered regions), and only for regions no other catalog
file prices yet, so the files never collide with the hand-entered ones. For the regions
that are hand-entered the script compares both and prints every difference.

    git -C aws-price-watcher archive HEAD processed raw | tar -x -C /tmp/pw  # a checkout
    python scripts/pricewatcher_regions.py /tmp/pw --commit-date 2025-06-18 \
        --commit "$(git -C aws-price-watcher rev-parse HEAD)"

`--check` writes nothing: it lists every hand-entered price or tier bound that differs from
AWS's data (stdout; exit 1 when one does) and, on stderr, the hand-entered lookups the data
could not confirm (no metric read here, or none for that region).

    python scripts/pricewatcher_regions.py /tmp/pw --check

It is kept out of the package: purser itself reads AWS's Price List bulk files
(`purser catalog update`); this is the offline route to the same facts on a machine that
cannot reach AWS.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from purser.cost.catalog import Catalog, Price, PriceNotFound, load_catalog
from purser.cost.pricelist.update import render_catalog_json
from purser.cost.regions import COMMERCIAL_REGIONS, REGION_BY_LOCATION

REPOSITORY = "https://github.com/QuinnyPig/aws-price-watcher"
CATALOG = Path(__file__).resolve().parents[1] / "src/purser/cost/catalog"
#: Lookups whose hand-entered tiers disagree with AWS and are written with AWS's: interface
#: endpoint data tiers end at 1,048,576 and 5,242,880 GB (AWS's own data names them so), not
#: 1 M and 5 M. Infracost's vpc_endpoint fixture splits at 1 M and 5 M, so the hand-entered
#: files keep those until someone settles which is billed.
LAYOUT_CORRECTIONS = {("vpc_endpoint", (("meter", "data_processed"), ("endpoint", "interface")))}
REFERENCE_REGION = "us-east-1"  # the region every hand-entered lookup has, with its tiers
_QUALIFIED = re.compile(r"(?P<location>.+?) \((?P<qualifier>[^()]*(?:\([^()]*\)[^()]*)*)\)$")


@dataclass(frozen=True)
class Metric:
    """One price-watcher metric (or one tier of it) and the catalog entry it is."""

    file: str  # processed/<file>.json
    metric: str
    family: str  # catalog file: <family>.regions.yaml
    service: str
    key: str
    attributes: tuple[tuple[str, str], ...]
    unit: str
    per: float = 1  # AWS units in one catalog unit
    tier: tuple[float, float | None] | None = None  # in catalog units
    qualifier: str = ""  # a pattern the location's qualifier must contain (`re:` metrics)


def _m(file: str, metric: str, family: str, service: str, key: str, attributes: dict[str, str],
       unit: str, per: float = 1, tier: tuple[float, float | None] | None = None,
       qualifier: str = "") -> Metric:
    return Metric(file, metric, family, service, key, tuple(attributes.items()), unit, per, tier,
                  qualifier)


M = 1_000_000
# Tier bounds: AWS's pricing pages; where a metric's name states them, its name.
METRICS = [
    _m("lambda", "Lambda Requests", "lambda", "lambda", "requests", {"meter": "requests"},
       "1M requests", M),
    *[_m("lambda", name, "lambda", "lambda", f"duration.x86_64.tier{n}",
         {"meter": "duration", "architecture": "x86_64"}, "GB-seconds", tier=bounds)
      for n, (name, bounds) in enumerate([("Lambda Duration", (0, 6e9)),
                                          ("Lambda Duration Tier2", (6e9, 15e9)),
                                          ("Lambda Duration Tier3", (15e9, None))], 1)],
    # Arm tiers are the same dollar thresholds at Arm's lower rate: 7.5 B and 18.75 B.
    *[_m("lambda", name, "lambda", "lambda", f"duration.arm64.tier{n}",
         {"meter": "duration", "architecture": "arm64"}, "GB-seconds", tier=bounds)
      for n, (name, bounds) in enumerate([("Lambda Duration-ARM", (0, 7.5e9)),
                                          ("Lambda Duration-ARM Tier2", (7.5e9, 18.75e9)),
                                          ("Lambda Duration-ARM Tier3", (18.75e9, None))], 1)],
    _m("lambda", "Lambda Storage-Duration", "lambda", "lambda", "ephemeral_storage",
       {"meter": "ephemeral_storage"}, "GB-seconds"),
    *[_m("lambda", f"Lambda {name}{suffix}", "lambda", "lambda", f"{meter}.{arch}",
         {"meter": meter, "architecture": arch}, "GB-seconds")
      for name, meter in [("Provisioned-Concurrency", "provisioned_concurrency"),
                          ("Duration-Provisioned", "provisioned_duration")]
      for suffix, arch in [("", "x86_64"), ("-ARM", "arm64")]],
    *[_m("apigateway", name, "apigateway", "apigateway", f"requests.rest.tier{n}",
         {"meter": "requests", "api": "rest"}, "1M requests", M, bounds)
      for n, (name, bounds) in enumerate([
          ("API Calls Number of up to 333 million", (0, 333)),
          ("API Calls Number of Request Next 667 million", (333, 1000)),
          ("API Calls Number of Request Next 19 billion", (1000, 20000)),
          ("API Calls Number of Request Over 20 billion", (20000, None))], 1)],
    *[_m("apigateway", name, "apigateway", "apigateway", f"requests.http.tier{n}",
         {"meter": "requests", "api": "http"}, "1M requests", M, bounds)
      for n, (name, bounds) in enumerate([
          ("ApiGatewayHttpApi First 300 million", (0, 300)),
          ("ApiGatewayHttpApi more than 300 million", (300, None))], 1)],
    *[_m("apigateway", name, "apigateway", "apigateway", f"messages.websocket.tier{n}",
         {"meter": "messages", "api": "websocket"}, "1M messages", M, bounds)
      for n, (name, bounds) in enumerate([
          ("WebSocket Messages Messages first 1 billion", (0, 1000)),
          ("WebSocket Messages Messages over 1 billion", (1000, None))], 1)],
    _m("apigateway", "WebSocket Connection Minutes", "apigateway", "apigateway",
       "connection_minutes.websocket", {"meter": "connection_minutes", "api": "websocket"},
       "1M connection-minutes", M),
    _m("dynamodb", "PayPerRequest Write Request Units", "dynamodb", "dynamodb",
       "write_request_units", {"meter": "write_request_units"}, "1M write request units", M),
    _m("dynamodb", "PayPerRequest Read Request Units", "dynamodb", "dynamodb",
       "read_request_units", {"meter": "read_request_units"}, "1M read request units", M),
    _m("dynamodb", "Provisioned Write Units", "dynamodb", "dynamodb", "write_capacity",
       {"meter": "write_capacity"}, "WCU-hours"),
    _m("dynamodb", "Provisioned Read Units", "dynamodb", "dynamodb", "read_capacity",
       {"meter": "read_capacity"}, "RCU-hours"),
    _m("dynamodb", "Data Storage Indexed GB-Mo", "dynamodb", "dynamodb", "storage",
       {"meter": "storage"}, "GB-months"),
    _m("dynamodb", "PITR Backup Storage GB-Mo", "dynamodb", "dynamodb", "pitr_storage",
       {"meter": "pitr_storage"}, "GB-months"),
    _m("dynamodb", "Streams Read Requests", "dynamodb", "dynamodb",
       "streams_read_request_units", {"meter": "streams_read_request_units"},
       "1M streams read request units", M),
    _m("queueservice", "Standard per Requests", "messaging", "sqs", "requests.standard",
       {"meter": "requests", "queue": "standard"}, "1M requests", M),
    _m("queueservice", "FIFO first-in first-out per Requests", "messaging", "sqs",
       "requests.fifo", {"meter": "requests", "queue": "fifo"}, "1M requests", M),
    _m("sns", "Amazon SNS API Requests", "messaging", "sns", "publishes",
       {"meter": "publishes"}, "1M requests", M),
    _m("events", "CloudWatch Events Custom Event", "messaging", "eventbridge",
       "custom_events", {"meter": "custom_events"}, "1M events", M),
    _m("states", "AWS Step Functions", "stepfunctions", "stepfunctions",
       "state_transitions.standard", {"meter": "state_transitions", "workflow": "standard"},
       "1k state transitions", 1000),
    _m("states", "Number of Workflow Requests", "stepfunctions", "stepfunctions",
       "requests.express", {"meter": "requests", "workflow": "express"}, "1M requests", M),
    # AWS states GB-seconds; the catalog prices GB-hours (3,600 GB-seconds).
    *[_m("states", name, "stepfunctions", "stepfunctions", f"duration.express.tier{n}",
         {"meter": "duration", "workflow": "express"}, "GB-hours", 3600, bounds)
      for n, (name, bounds) in enumerate([
          ("Duration of Workflows from 0 to 3600000", (0, 1000)),
          ("Duration of Workflows from 3600000 to 18000000", (1000, 5000)),
          ("Duration of Workflows over 18000000", (5000, None))], 1)],
    _m("kms", "Encryption Key", "security", "kms", "keys", {"meter": "keys"}, "key-months"),
    _m("kms", "API request - Non Free Tier", "security", "kms", "requests",
       {"meter": "requests"}, "10k requests", 10_000),
    _m("secretsmanager", "Secret", "security", "secretsmanager", "secrets",
       {"meter": "secrets"}, "secret-months"),
    _m("secretsmanager", "API Request", "security", "secretsmanager", "api_calls",
       {"meter": "api_calls"}, "10k API calls", 10_000),
    _m("cloudwatch", "Logs Collected Data Ingestion", "logs", "cloudwatch", "log_ingestion",
       {"meter": "log_ingestion"}, "GB"),
    _m("cloudwatch", "Stored Data", "logs", "cloudwatch", "log_storage",
       {"meter": "log_storage"}, "GB-months"),
    _m("cloudwatch", "Metric for the first 10000", "logs", "cloudwatch", "custom_metrics",
       {"meter": "custom_metrics"}, "metric-months"),
    _m("cloudwatch", "Alarm Standard", "logs", "cloudwatch", "alarms.standard",
       {"meter": "alarms", "resolution": "standard"}, "alarm-months"),
    *[_m("ecs", metric, "compute", "fargate", f"{meter}.{arch}",
         {"meter": meter, "architecture": arch}, unit)
      for metric, meter, arch, unit in [
          ("perCPU per hour", "vcpu", "x86_64", "vCPU-hours"),
          ("perGB per hour", "memory", "x86_64", "GB-hours"),
          ("ARM perCPU per hour", "vcpu", "arm64", "vCPU-hours"),
          ("ARM perGB per hour", "memory", "arm64", "GB-hours")]],
    _m("eks", "Compute per Hours", "compute", "eks", "cluster", {"meter": "cluster"}, "hours"),
    _m("elb", "Application Load Balancer Hours", "network", "elb", "hours.application",
       {"meter": "hours", "load_balancer": "application"}, "hours"),
    _m("elb", "Application Load Balancer LCU Hours", "network", "elb", "lcu.application",
       {"meter": "lcu", "load_balancer": "application"}, "LCU-hours"),
    _m("vpc", "Hourly charge for VPC Endpoints per Hrs", "network", "vpc_endpoint",
       "hours.interface", {"meter": "hours", "endpoint": "interface"}, "hours"),
    _m("vpc", "Hourly charge for In use Public IPv4 Addresses per Hrs", "network", "vpc",
       "public_ipv4", {"meter": "public_ipv4"}, "hours"),
    *[_m("datatransfer", name, "network", "data_transfer", f"internet_egress.tier{n}",
         {"meter": "internet_egress"}, "GB", tier=bounds)
      for n, (name, bounds) in enumerate([
          ("DataTransfer External Outbound Next 10 TB", (0, 10240)),
          ("DataTransfer External Outbound Next 40 TB", (10240, 51200)),
          ("DataTransfer External Outbound Next 100 TB", (51200, 153600)),
          ("DataTransfer External Outbound Greater than 150 TB", (153600, None))], 1)],
    *[_m("s3", name, "s3", "s3", f"storage.STANDARD.tier{n}",
         {"meter": "storage", "storage_class": "STANDARD"}, "GB-months", tier=bounds)
      for n, (name, bounds) in enumerate([
          ("Standard Storage First 50 TB per GB Mo", (0, 51200)),
          ("Standard Storage Next 450 TB per GB Mo", (51200, 512000)),
          ("Standard Storage Over 500 TB per GB Mo", (512000, None))], 1)],
    *[_m(file, name, "s3", "s3", f"storage.{cls}", {"meter": "storage", "storage_class": cls},
         "GB-months")
      for file, name, cls in [
          ("s3", "Standard Infrequent Access Storage per GB-Mo", "STANDARD_IA"),
          ("s3", "One Zone Infrequent Access Storage Inf per GB-Mo", "ONEZONE_IA"),
          ("s3", "Glacier Instant Retrieval Storage", "GLACIER_IR"),
          ("s3", "Glacier Storage per GB Mo", "GLACIER"),
          ("s3glacierdeeparchive", "Glacier Deep Archive GB Mo", "DEEP_ARCHIVE")]],
    *[_m("s3", name, "s3", "s3", f"storage.INTELLIGENT_TIERING.{tier}",
         {"meter": "storage", "storage_class": "INTELLIGENT_TIERING", "tier": tier},
         "GB-months")
      for name, tier in [("Intelligent Tiering Frequent Access First 50 TB per GB Mo",
                          "frequent"),
                         ("Intelligent Tiering Infrequent Access per GB Mo", "infrequent")]],
    _m("s3", "PUT COPY/POST or LIST requests per Requests", "s3", "s3",
       "put_requests.STANDARD", {"meter": "put_requests", "storage_class": "STANDARD"},
       "1k requests", 1000),
    _m("s3", "GET and all other requests per Requests", "s3", "s3", "get_requests.STANDARD",
       {"meter": "get_requests", "storage_class": "STANDARD"}, "1k requests", 1000),
    # Lookups the hand-entered files gained for the five regions (issue 16 work), where
    # AWS's data names the same meter at the same price in us-east-1.
    *[_m("apigateway", f"Caching Memory Size {name}", "apigateway", "apigateway",
         f"cache.{size}", {"meter": "cache", "size_gb": size}, "hours")
      for name, size in [("0 5", "0.5"), ("1 6", "1.6"), ("6 1", "6.1"), ("13 5", "13.5"),
                         ("28 4", "28.4"), ("58 2", "58.2"), ("118", "118"), ("237", "237")]],
    *[_m("sns", name, "messaging", "sns", key, attributes, unit, per)
      for name, key, attributes, unit, per in [
          ("HTTP Notifications", "deliveries.http", {"meter": "deliveries", "protocol": "http"},
           "1M notifications", M),
          ("SNS Email and Email JSON Notifications", "deliveries.email",
           {"meter": "deliveries", "protocol": "email"}, "1M notifications", M),
          ("Amazon Kinesis Data Firehose Messages", "deliveries.firehose",
           {"meter": "deliveries", "protocol": "firehose"}, "1M notifications", M),
          ("Apple Push Notification Service APNS iOS Notifications", "deliveries.mobile_push",
           {"meter": "deliveries", "protocol": "mobile_push"}, "1M notifications", M),
          ("Apple Push Notification Service APNS Mac OS Notifications", "deliveries.macos",
           {"meter": "deliveries", "protocol": "macos"}, "1M notifications", M),
          ("Amazon SNS FIFO API Requests per Requests", "fifo_publishes",
           {"meter": "fifo_publishes"}, "1M requests", M),
          ("SNS FIFO Publish Payload per GB", "fifo_publish_payload",
           {"meter": "fifo_publish_payload"}, "GB", 1),
          ("Amazon SNS FIFO Subscription Messages per Messages", "fifo_deliveries",
           {"meter": "fifo_deliveries"}, "1M notifications", M),
          ("Amazon SNS FIFO Subscription Messages Payload per GB", "fifo_delivery_payload",
           {"meter": "fifo_delivery_payload"}, "GB", 1)]],
    _m("kms", "Asymmetric Requests RSA_2048", "security", "kms", "requests.rsa_2048",
       {"meter": "requests", "key_spec": "rsa_2048"}, "10k requests", 10_000),
    _m("kms", "Asymmetric Requests except RSA_2048API", "security", "kms", "requests.asymmetric",
       {"meter": "requests", "key_spec": "asymmetric"}, "10k requests", 10_000),
    *[_m("events", name, "messaging", "eventbridge", key, {"meter": key}, unit, per)
      for name, key, unit, per in [
          ("CloudWatch Events Archive Event", "archive_processing", "GB", 1),
          ("CloudWatch Events Event Storage", "archive_storage", "GB-months", 1),
          ("CloudWatch Events Discovery Event", "schema_discovery", "1M events", M)]],
    _m("cloudwatch", "IA Custom ingested Logs from 0 upto Inf", "logs", "cloudwatch",
       "log_ingestion.infrequent_access",
       {"meter": "log_ingestion", "log_class": "infrequent_access"}, "GB"),
    _m("cloudwatch", "Queried Logs Insights", "logs", "cloudwatch", "insights_scanned",
       {"meter": "insights_scanned"}, "GB"),
    _m("cloudwatch", "Alarm High Resolution", "logs", "cloudwatch", "alarms.high",
       {"meter": "alarms", "resolution": "high"}, "alarm-months"),
    *[_m(file, name, "s3", "s3", f"{meter}.{cls}", {"meter": meter, "storage_class": cls},
         unit, per)
      for file, name, meter, cls, unit, per in [
          ("s3", "PUT COPY/POST or LIST requests to Intelligent Tiering per Requests",
           "put_requests", "INTELLIGENT_TIERING", "1k requests", 1000),
          ("s3", "GET and all other requests to Intelligent Tiering per Requests",
           "get_requests", "INTELLIGENT_TIERING", "1k requests", 1000),
          ("s3", "PUT COPY/POST or LIST requests to Standard Infrequent Access per Requests",
           "put_requests", "STANDARD_IA", "1k requests", 1000),
          ("s3", "GET and all other requests to Standard Infrequent Access per Requests",
           "get_requests", "STANDARD_IA", "1k requests", 1000),
          ("s3", "PUT COPY/POST or LIST requests to One Zone Infrequent Access per Requests",
           "put_requests", "ONEZONE_IA", "1k requests", 1000),
          ("s3", "GET and all other requests to One Zone Infrequent Access per Requests",
           "get_requests", "ONEZONE_IA", "1k requests", 1000),
          ("s3", "PUT requests to Glacier per Requests", "put_requests", "GLACIER",
           "1k requests", 1000),
          ("s3", "GET and all other requests to GLACIER per Requests", "get_requests",
           "GLACIER", "1k requests", 1000),
          ("s3glacierdeeparchive", "PUT to Glacier Deep Archive Requests", "put_requests",
           "DEEP_ARCHIVE", "1k requests", 1000),
          ("s3", "GET and all other requests to GDA per Requests", "get_requests",
           "DEEP_ARCHIVE", "1k requests", 1000),
          ("s3", "Lifecycle Transition Requests into Intelligent Tiering per Requests",
           "lifecycle_transitions", "INTELLIGENT_TIERING", "1k requests", 1000),
          ("s3", "Lifecycle Transition Requests into Standard Infrequent Access per Requests",
           "lifecycle_transitions", "STANDARD_IA", "1k requests", 1000),
          ("s3", "Lifecycle Transition Requests into One Zone Infrequent Access per Requests",
           "lifecycle_transitions", "ONEZONE_IA", "1k requests", 1000),
          ("s3", "Lifecycle Transition Requests into Glacier per Requests",
           "lifecycle_transitions", "GLACIER", "1k requests", 1000),
          ("s3", "Lifecycle Transition Requests into Glacier Deep Archive per Requests",
           "lifecycle_transitions", "DEEP_ARCHIVE", "1k requests", 1000),
          ("s3glacierdeeparchive", "S3 EarlyDelete GDA GB-Mo", "early_delete",
           "DEEP_ARCHIVE", "GB", 1),
          ("s3", "Per object per month monitoring and automation fee for objects in "
           "Intelligent Tiering", "monitoring", "INTELLIGENT_TIERING", "1k objects", 1000)]],
    *[_m(file, name, "s3", "s3", f"{meter}.{cls}.{option}",
         {"meter": meter, "storage_class": cls, "option": option}, unit, per)
      for file, name, meter, cls, option, unit, per in [
          ("s3", "Object Retrieval in Standard Infrequent Access per GB", "retrieval",
           "STANDARD_IA", "standard", "GB", 1),
          ("s3", "Object Retrieval in One Zone Infrequent Access per GB", "retrieval",
           "ONEZONE_IA", "standard", "GB", 1),
          ("s3", "Fee for Standard Retrieval of data stored", "retrieval", "GLACIER",
           "standard", "GB", 1),
          ("s3", "Glacier S3 Expedited Retrieval", "retrieval", "GLACIER", "expedited",
           "GB", 1),
          ("s3", "Fee for Standard Retrieval of data stored from Glacier Deep Archive",
           "retrieval", "DEEP_ARCHIVE", "standard", "GB", 1),
          ("s3", "Fee for Bulk Retrieval of data stored from Glacier Deep Archive",
           "retrieval", "DEEP_ARCHIVE", "bulk", "GB", 1),
          ("s3", "Glacier Expedited Glacier Restore Requests", "retrieval_requests",
           "GLACIER", "expedited", "1k requests", 1000),
          ("s3glacierdeeparchive", "GDA Standard Restore Requests", "retrieval_requests",
           "DEEP_ARCHIVE", "standard", "1k requests", 1000),
          ("s3glacierdeeparchive", "Glacier Deep Archive Bulk Restore Requests",
           "retrieval_requests", "DEEP_ARCHIVE", "bulk", "1k requests", 1000),
          *[("s3", f"Data {verb} by S3 Select in {name} per GB", meter, cls, "standard",
             "GB", 1)
            for verb, meter in [("Scanned", "select_scanned"), ("Returned", "select_returned")]
            for name, cls in [("Standard", "STANDARD"),
                              ("Intelligent Tiering", "INTELLIGENT_TIERING"),
                              ("Standard Infrequent Access", "STANDARD_IA"),
                              ("One Zone Infrequent Access", "ONEZONE_IA")]]]],
    *[_m("s3", name, "s3", "s3", f"storage.INTELLIGENT_TIERING.{tier}",
         {"meter": "storage", "storage_class": "INTELLIGENT_TIERING", "tier": tier},
         "GB-months")
      for name, tier in [("IntelligentTieringArchiveAccess", "archive"),
                         ("IntelligentTieringDeepArchiveAccess", "deep_archive")]],
    _m("s3", "Tags Storage per Tag Mo", "s3", "s3", "object_tags", {"meter": "object_tags"},
       "10k tags", 10_000),
    _m("s3", "Per object fee for objects included in Analytics", "s3", "s3", "analytics",
       {"meter": "analytics"}, "1M objects", M),
    _m("s3", "Per object fee for objects listed in an Inventory", "s3", "s3", "inventory",
       {"meter": "inventory"}, "1M objects", M),
    *[_m("elb", name, "network", "elb", f"{meter}.{kind}", {"meter": meter,
                                                             "load_balancer": kind}, unit)
      for name, meter, kind, unit in [
          ("Network Load Balancer Hours", "hours", "network", "hours"),
          ("Network Load Balancer LCU Hours", "lcu", "network", "NLCU-hours"),
          ("Gateway Load Balancer Hours", "hours", "gateway", "hours"),
          ("Gateway Load Balancer LCU Hours", "lcu", "gateway", "GLCU-hours"),
          ("Classic Load Balancer Hours", "hours", "classic", "hours"),
          ("Classic Load Balancer Data", "data_processed", "classic", "GB")]],
    *[_m("vpc", name, "network", "vpc_endpoint", f"data_processed.interface.tier{n}",
         {"meter": "data_processed", "endpoint": "interface"}, "GB", tier=bounds)
      for n, (name, bounds) in enumerate([
          ("Charge for per GB data processed by VPC Endpoints per GB from 0 to 1048576",
           (0, 1048576)),
          ("Charge for per GB data processed by VPC Endpoints per GB from 1048576 to 5242880",
           (1048576, 5242880)),
          ("Charge for per GB data processed by VPC Endpoints per GB from 5242880 to Inf",
           (5242880, None))], 1)],
    _m("vpc", "Hourly charge for AWS Gateway Load Balancer VPC Endpoint per Hrs", "network",
       "vpc_endpoint", "hours.gateway_load_balancer",
       {"meter": "hours", "endpoint": "gateway_load_balancer"}, "hours"),
    _m("vpc", "Charge for per GB data processed by AWS Gateway Load Balancer VPC Endpoint per GB",
       "network", "vpc_endpoint", "data_processed.gateway_load_balancer",
       {"meter": "data_processed", "endpoint": "gateway_load_balancer"}, "GB"),
    _m("ecr", "EC2 Container Registry", "ecr", "ecr", "storage", {"meter": "storage"},
       "GB-months"),
    _m("systemsmanager", "Parameter Higher Throughputper API Request", "ssm", "ssm",
       "api_interactions", {"meter": "api_interactions"}, "10k API interactions", 10_000),
    *[_m("cloudtrail", name, "cloudtrail", "cloudtrail", key, {"meter": key}, "100k events",
         100_000)
      for name, key in [("Management Paid Events Recorded", "management_events"),
                        ("Data Events Recorded", "data_events"),
                        ("Insights Events", "insight_events")]],
    *[_m("config", name, "config", "config", f"rule_evaluations.tier{n}",
         {"meter": "rule_evaluations"}, "evaluations", tier=bounds)
      for n, (name, bounds) in enumerate([("Config Rules first 100000", (0, 100000)),
                                          ("Config Rules next 400000", (100000, 500000)),
                                          ("Config Rules 500001 and more", (500000, None))], 1)],
    *[_m("config", name, "config", "config", key, attributes, "configuration items")
      for name, key, attributes in [
          ("Config", "config_items.continuous",
           {"meter": "config_items", "recording": "continuous"}),
          ("Config configurationItemRecordedDaily", "config_items.periodic",
           {"meter": "config_items", "recording": "periodic"}),
          ("Config Custom", "custom_config_items", {"meter": "custom_config_items"})]],
    *[_m("efs", name, "efs", "efs", key, attributes, unit)
      for name, key, attributes, unit in [
          ("General Purpose Storage GB Mo", "storage.standard",
           {"meter": "storage", "storage_class": "standard"}, "GB-months"),
          ("Infrequent Access Storage GB Mo", "storage.standard_ia",
           {"meter": "storage", "storage_class": "standard_ia"}, "GB-months"),
          ("One Zone General Purpose Storage GB Mo", "storage.one_zone",
           {"meter": "storage", "storage_class": "one_zone"}, "GB-months"),
          ("One Zone Infrequent Access Storage GB Mo", "storage.one_zone_ia",
           {"meter": "storage", "storage_class": "one_zone_ia"}, "GB-months"),
          ("Infrequent Access Requests Read per GB", "ia_access.read",
           {"meter": "ia_access", "access": "read"}, "GB"),
          ("Infrequent Access Requests Write per GB", "ia_access.write",
           {"meter": "ia_access", "access": "write"}, "GB"),
          ("Throughput Provisioned", "provisioned_throughput",
           {"meter": "provisioned_throughput"}, "MBps-months"),
          ("EFS Storage Requests Read per GB", "elastic_throughput.read",
           {"meter": "elastic_throughput", "access": "read"}, "GB"),
          ("EFS Storage Requests Write per GB", "elastic_throughput.write",
           {"meter": "elastic_throughput", "access": "write"}, "GB")]],
    *[_m("kinesis", name, "kinesis", "kinesis", f"{meter}.{mode}",
         {"meter": meter, "mode": mode}, unit, per)
      for name, meter, mode, unit, per in [
          ("Provisioned shard hour per ShardHour", "shard_hours", "provisioned",
           "shard-hours", 1),
          ("Payload Units per PutRequest", "put_payload_units", "provisioned",
           "1M PUT payload units", M),
          ("Addon shard hour per ShardHour", "extended_retention", "provisioned",
           "shard-hours", 1),
          ("Long term Data Retention GB-month per GB-month", "long_term_retention",
           "provisioned", "GB-months", 1),
          ("Long term Data Retrieval GB per GB", "long_term_retrieval", "provisioned", "GB", 1),
          ("Enhanced fan out GB of data retrieved per GB", "efo_data_retrieval",
           "provisioned", "GB", 1),
          ("Enhanced fan out per ConsumerShardHour", "efo_consumer_hours", "provisioned",
           "consumer-shard-hours", 1),
          ("OnDemandStreamHr per StreamHr", "stream_hours", "on_demand", "stream-hours", 1),
          ("OnDemandDataIngested per GB", "data_in", "on_demand", "GB", 1),
          ("OnDemandDataRetrieval per GB", "data_out", "on_demand", "GB", 1),
          ("OnDemandEFODataRetrieval per GB", "efo_data_retrieval", "on_demand", "GB", 1),
          ("OnDemandExtendedRetentionByteHrs per GB month", "extended_retention",
           "on_demand", "GB-months", 1),
          ("OnDemandLongTermRetentionByteHrs per GB month", "long_term_retention",
           "on_demand", "GB-months", 1)]],
    *[_m("waf", name, "waf", service, key, {"meter": key}, unit, per)
      for service in ("wafv2", "wafregional")
      for name, key, unit, per in [
          ("Web ACL Activated per Month", "web_acl", "web-ACL-months", 1),
          ("Rule Activated per Month", "rules", "rule-months", 1),
          ("Request Processed Tier1 per Request", "requests", "1M requests", M)]],
    *[_m("kinesisfirehose", name, "firehose", "firehose", key, {"meter": key}, unit)
      for name, key, unit in [("Per GB of data format conversion", "format_conversion", "GB"),
                              ("Per GB of data delivered to VPC", "vpc_data", "GB"),
                              ("Per Hour per AZ for VPC delivery", "vpc_az_hours", "AZ-hours")]],
    *[_m(file, name, family, service, key, attributes, unit, per, tier)
      for file, name, family, service, key, attributes, unit, per, tier in [
          ("docdb", "Database Storage", "docdb", "docdb", "storage", {"meter": "storage"},
           "GB-months", 1, None),
          ("docdb", "1 million IO requests", "docdb", "docdb", "io_requests",
           {"meter": "io_requests"}, "1M requests", M, None),
          ("docdb", "Storage Snapshot", "docdb", "docdb", "backup_storage",
           {"meter": "backup_storage"}, "GB-months", 1, None),
          ("neptune", "Storage Rate", "neptune", "neptune", "storage.standard",
           {"meter": "storage", "storage": "standard"}, "GB-months", 1, None),
          ("neptune", "IO Rate", "neptune", "neptune", "io_requests", {"meter": "io_requests"},
           "1M requests", M, None),
          ("neptune", "Storage Snapshot Rate", "neptune", "neptune", "backup_storage",
           {"meter": "backup_storage"}, "GB-months", 1, None),
          ("msk", "RunVolume", "msk", "msk", "storage", {"meter": "storage"}, "GB-months", 1,
           None),
          ("msk", "Serverless Cluster-hours", "msk", "msk", "serverless_cluster",
           {"meter": "serverless_cluster"}, "hours", 1, None),
          ("msk", "Serverless Partition-hours", "msk", "msk", "serverless_partition",
           {"meter": "serverless_partition"}, "partition-hours", 1, None),
          ("msk", "Serverless Storage-hours", "msk", "msk", "serverless_storage",
           {"meter": "serverless_storage"}, "GB-months", 1, None),
          ("msk", "Serverless Per-GB data ingressed", "msk", "msk", "serverless_data_in",
           {"meter": "serverless_data_in"}, "GB", 1, None),
          ("msk", "Serverless Per-GB data egressed", "msk", "msk", "serverless_data_out",
           {"meter": "serverless_data_out"}, "GB", 1, None),
          ("mq", "Broker Storage GB Mo", "mq", "mq", "storage.activemq.efs",
           {"meter": "storage", "engine": "activemq", "storage_type": "efs"}, "GB-months", 1,
           None),
          *[("mq", "Broker Storage Single AZ GB-Mo", "mq", "mq", f"storage.{engine}.ebs",
             {"meter": "storage", "engine": engine, "storage_type": "ebs"}, "GB-months", 1,
             None) for engine in ("activemq", "rabbitmq")],
          ("route53", "Query ENI", "route53", "route53resolver", "endpoint_eni_hours",
           {"meter": "endpoint_eni_hours"}, "ENI-hours", 1, None),
          ("route53", "Query first 1B", "route53", "route53resolver", "queries.tier1",
           {"meter": "queries"}, "1M queries", M, (0, 1000)),
          ("route53", "Query over 1B", "route53", "route53resolver", "queries.tier2",
           {"meter": "queries"}, "1M queries", M, (1000, None)),
          ("backup", "DDB Backup Storage Warm per GB-month", "backup", "backup",
           "dynamodb_backup", {"meter": "dynamodb_backup"}, "GB-months", 1, None),
          ("backup", "DDB RestoreRecoveryPoint Warm per GB", "backup", "backup",
           "dynamodb_restore", {"meter": "dynamodb_restore"}, "GB", 1, None)]],
    # DynamoDB global tables, on-demand backups and restores: hand-entered for every region
    # (dynamodb.yaml), so only checked.
    *[_m("dynamodb", name, "dynamodb", "dynamodb", key, {"meter": key}, unit, per)
      for name, key, unit, per in [
          ("PayPerRequest Replicated Write Request Units", "replicated_write_request_units",
           "1M replicated write request units", M),
          ("Provisioned Replicated Write Units", "replicated_write_capacity", "rWCU-hours", 1),
          ("On-Demand Backup Storage GB-Month", "on_demand_backup_storage", "GB-months", 1),
          ("Restore Data Size", "restore", "GB", 1)]],
    # Families hand-entered for us-east-1 and eu-west-2 (issue 16), one metric a lookup.
    *[_m(file, name, family, service, key, {"meter": meter, **more}, unit, per)
      for file, name, family, service, key, meter, more, unit, per in [
          ("vpc", "CreateVpnConnection per Hrs", "vpn", "vpn", "connection_hours",
           "connection_hours", {}, "hours", 1),
          ("vpc", "Hourly charge for Client VPN Endpoints per Hourly", "vpn", "clientvpn",
           "client_association_hours", "client_association_hours", {}, "hours", 1),
          ("vpc", "Hourly charge for Client VPN connections per Hourly", "vpn", "clientvpn",
           "client_connection_hours", "client_connection_hours", {}, "hours", 1),
          *[("vpc", f"Hourly charge for Transit Gateway {name} per hour", "transitgateway",
             "transitgateway", f"attachment_hours.{kind}", "attachment_hours",
             {"attachment": kind}, "hours", 1)
            for name, kind in [("VPC Attachments", "vpc"),
                               ("Site to-Site VPN attachments", "vpn"),
                               ("Peering Attachments", "peering"),
                               ("AWS Direct Connect Gateway attachments", "direct_connect")]],
          *[("vpc", "Charge for per GB data processed by AWS Transit Gateways for "
             f"{name} attachments per GigaBytes", "transitgateway", "transitgateway",
             f"data_processed.{kind}", "data_processed", {"attachment": kind}, "GB", 1)
            for name, kind in [("VPC", "vpc"), ("Site to-Site VPN", "vpn"),
                               ("AWS Direct Connect Gateway", "direct_connect")]],
          ("vpc", "Hourly charge for Traffic Mirroring Source per hour", "trafficmirror",
           "trafficmirror", "session_hours", "session_hours", {}, "hours", 1),
          ("networkfirewall", "AWS Firewall per Endpoint", "networkfirewall",
           "networkfirewall", "endpoint_hours", "endpoint_hours", {}, "hours", 1),
          ("networkfirewall", "AWS Firewall per Throughput", "networkfirewall",
           "networkfirewall", "data_processed", "data_processed", {}, "GB", 1),
          *[("glue", name, "glue", "glue", key, key, {}, unit, per)
            for name, key, unit, per in [
                ("ETL Job run", "job_dpu_hours", "DPU-hours", 1),
                ("ETL Job run Flex", "flex_job_dpu_hours", "DPU-hours", 1),
                ("Data catalog crawler run", "crawler_dpu_hours", "DPU-hours", 1),
                ("Data catalog storage", "catalog_storage", "100k objects", 100_000),
                ("Data catalog requests", "catalog_requests", "1M requests", M)]],
          *[("mwaa", f"{part} {size} per Hrs", "mwaa", "mwaa",
             f"{part.lower()}_hours.{size.lower()}", f"{part.lower()}_hours",
             {"size": size.lower()}, "hours", 1)
            for size in ("Small", "Medium", "Large", "XLarge", "2XLarge")
            for part in ("Environment", "Worker", "Scheduler", "WebServer")],
          ("mwaa", "Standard per Gigabyte Month", "mwaa", "mwaa", "metadatabase",
           "metadatabase", {}, "GB-months", 1),
          *[("kinesisanalytics", name, "kinesisanalytics", "kinesisanalytics", key, key, {},
             unit, 1)
            for name, key, unit in [
                ("Kinesis Processing Unit KPU for Java applications", "kpu_hours", "hours"),
                ("Per GB month of running application storage", "running_storage",
                 "GB-months"),
                ("Per GB month of durable application backups", "backup", "GB-months")]],
          # A small AD Connector: its own metric, or the one it shares with Simple AD.
          *[("directoryservice", name, "directoryservice", "directoryservice",
             f"{meter}.{'.'.join(more.values())}", meter, more, "hours", 1)
            for name, meter, more in [
                ("Standard Domain Controller for Microsoft Active Directory",
                 "controller_hours", {"directory": "microsoftad", "size": "standard"}),
                ("Enterprise Domain Controller for Microsoft Active Directory",
                 "controller_hours", {"directory": "microsoftad", "size": "enterprise"}),
                ("Small Simple AD or AD Connector", "controller_hours",
                 {"directory": "simplead", "size": "small"}),
                ("Large Simple AD", "controller_hours", {"directory": "simplead",
                                                         "size": "large"}),
                ("re:Small (?:Simple AD or )?AD Connector", "controller_hours",
                 {"directory": "adconnector", "size": "small"}),
                ("Large AD Connector", "controller_hours", {"directory": "adconnector",
                                                            "size": "large"}),
                ("Standard Shared Account for Microsoft Active Directory",
                 "shared_account_hours", {"size": "standard"}),
                ("Enterprise Shared Account for Microsoft Active Directory",
                 "shared_account_hours", {"size": "enterprise"})]],
          ("cloudhsm", "CloudHSM Hourly", "cloudhsm", "cloudhsm", "hsm_hours", "hsm_hours", {},
           "hours", 1),
          *[("grafana", f"User Fees {name}", "grafana", "grafana", key, key, {}, "users", 1)
            for name, key in [("Editor", "editor_users"), ("Viewer", "viewer_users"),
                              ("Enterprise Plugins User", "enterprise_users")]],
          ("cloudformation", "CloudFormation-ResourceProvider-Invocation per Operations",
           "cloudformation", "cloudformation", "handler_operations", "handler_operations", {},
           "operations", 1),
          ("cloudformation", "CloudFormation-ResourceProvider-Duration per Second",
           "cloudformation", "cloudformation", "handler_duration", "handler_duration", {},
           "seconds", 1),
          ("systemsmanager", "Instance advanced per Hrs", "ssm_instances", "ssm",
           "advanced_instance_hours", "advanced_instance_hours", {}, "hours", 1),
          *[("transfer", f"Transfer {protocol} per Hourly", "transfer", "transfer",
             f"endpoint_hours.{protocol.lower()}", "endpoint_hours",
             {"protocol": protocol.lower()}, "hours", 1)
            for protocol in ("SFTP", "FTPS", "FTP", "AS2")],
          *[("transfer", f"Transfer SFTP {direction} per GB", "transfer", "transfer",
             f"data.{direction.lower()}", "data", {"direction": direction.lower()}, "GB", 1)
            for direction in ("Upload", "Download")],
          *[("databasemigrationsvc", f"DMS Storage Replication Storage {name}", "dms", "dms",
             f"storage.{az}", "storage", {"az": az}, "GB-months", 1)
            for name, az in [("Single AZ", "single"), ("Multiple AZ", "multi")]]]],
    # Hand-entered for us-east-1 only: EventBridge Pipes, API destinations and Scheduler
    # (tier bounds in the metric names), AppSync, RDS backup storage. AppSync's connection
    # minutes are "RealTime per Minute", $0.08 per million in every region: "RealTime
    # Connection per Minutes" agrees but for $0 in five (Cape Town, Hong Kong, Jakarta,
    # Osaka, Bahrain), which would price them free.
    *[_m(file, name, family, family, key, {"meter": meter, **more}, unit, per, tier)
      for file, name, family, key, meter, more, unit, per, tier in [
          ("events", "Pipe Request per 64K-Chunks", "eventbridge", "pipes.requests",
           "pipe_requests", {}, "1M requests", M, None),
          ("events", "CloudWatch Events APIDestination", "eventbridge",
           "api_destinations.invocations", "api_destination_invocations", {},
           "1M invocations", M, None),
          *[("events", f"Scheduled Invocation for {name} Invocations", "eventbridge",
             f"scheduler.invocations.tier{n}", "scheduler_invocations", {}, "1M invocations",
             M, bounds)
            for n, (name, bounds) in enumerate([("0 to 14000000", (0, 14)),
                                                ("14000000 to Inf", (14, None))], 1)],
          *[("appsync", name, "appsync", f"graphql.{meter}", meter, {}, unit, M, None)
            for name, meter, unit in [
                ("API Query and Data Modifications Operations", "operations", "1M operations"),
                ("RealTime Updates per Messages", "realtime_updates", "1M updates"),
                ("RealTime per Minute", "connection_minutes", "1M connection-minutes")]],
          *[("appsync", f"API Calls CacheMemorySize {size} per Hrs", "appsync",
             f"cache.{kind.lower()}", "cache", {"type": kind}, "hours", 1, None)
            for kind, size in [("SMALL", "1 55"), ("MEDIUM", "3 22"), ("LARGE", "12 3"),
                               ("XLARGE", "25 05"), ("LARGE_2X", "50 47"),
                               ("LARGE_4X", "101 38"), ("LARGE_8X", "203 26"),
                               ("LARGE_12X", "317 77")]],
          ("rds-storage", "Storage Snapshot", "rds", "backup_storage", "backup_storage", {},
           "GB-months", 1, None)]],
    # A Direct Connect port's rate is per location; a region's is the one most of the
    # locations homed in it charge (a few differ, e.g. Chunghwa Telecom Taipei in Tokyo's).
    *[_m("directconnect", f"most:Direct Connect {prefix}{name} .*", "directconnect",
         "directconnect", f"port_hours.{connection}.{bandwidth}",
         {"meter": "port_hours", "connection": connection, "bandwidth": bandwidth}, "hours")
      for prefix, connection, sizes in [
          ("", "dedicated", ("1G", "10G")),
          ("HC ", "hosted", ("50M", "100M", "200M", "300M", "400M", "500M", "1G", "2G", "5G",
                             "10G"))]
      for name in sizes for bandwidth in [name.replace("G", "Gbps").replace("M", "Mbps")]],
]


def _sized(name: str) -> str:
    """`db.r5.large` → `r5\\.large`: the family and size as the metric names write them."""
    return re.escape(name.split(".", 1)[1]) if name.startswith(("db.", "cache.", "mq.",
                                                                  "kafka.")) else re.escape(name)


#: Instance-priced lookups: (file, service, family, attribute, extra attributes, key
#: template, pattern template); the instance names come from the hand-entered catalog.
INSTANCE_METRICS = [
    *[("elasticache", "elasticache", "elasticache", "node_type", {"meter": "node", "engine": e},
       f"node.{e}.{{slug}}",
       rf"re:\[OnDemand Cache Instance [^\]]* {name} (?:Current|Previous) Generation\] "
       rf"OnDemand Cache Instance .* cache {{sized}} {name} (?:Current|Previous) Generation")
      for e, name in [("redis", "Redis"), ("memcached", "Memcached"), ("valkey", "Valkey")]],
    ("neptune", "neptune", "neptune", "instance_class",
     {"meter": "instance", "storage": "standard"}, "instance.{slug}.standard",
     r"re:\[Neptune (?!IO optimized)[^\]]*\] Neptune .* db {sized}"),
    ("neptune", "neptune", "neptune", "instance_class",
     {"meter": "instance", "storage": "io-optimized"}, "instance.{slug}.io-optimized",
     r"re:\[Neptune IO optimized [^\]]*\] .* db {sized} General Purpose-Aurora"),
    ("docdb", "docdb", "docdb", "instance_class", {"meter": "instance"}, "instance.{slug}",
     r"re:\[[^\]]* OnDemand\] OnDemand-instancetype-db\.{sized}"),
    ("mq", "mq", "mq", "instance_type", {"meter": "broker", "engine": "activemq"},
     "broker.activemq.{slug}", r"re:Single Instance mq {sized}"),
    ("mq", "mq", "mq", "instance_type", {"meter": "broker", "engine": "rabbitmq"},
     "broker.rabbitmq.{slug}", r"re:RabbitMQ Single Instance mq {sized}"),
    ("msk", "msk", "msk", "instance_type", {"meter": "broker"}, "broker.{slug}",
     r"re:\[RunBroker\] RunBroker-computefamily-{sized};RunBroker {sized}"),
    ("es", "opensearch", "opensearch", "instance_type", {"meter": "instance"},
     "instance.{slug}", r"re:{family} {size}\.search - [^-]+ - OnDemand - .* - - - Hourly Cost"),
]
#: Instance-priced lookups whose instance is named in the location's qualifier, not in the
#: metric: the same fields and a qualifier template. An empty `fixed` value keeps the
#: attribute's place among the others (the hand-entered order).
_TYPE = r"(?:^|, )Instance Type: {name}(?:,|$)"
QUALIFIED_INSTANCE_METRICS = [
    *[("codebuild", "codebuild", "codebuild", "compute", {"meter": "build_minutes", "os": os},
       f"build_minutes.{os}.{{name}}", rf"re:\[OnDemand-EC2 {name}\].*",
       r"(?:^|, )Compute Type: {name}(?:,|$)")
      for os, name in [("linux", "Linux"), ("windows", "Windows")]],
    ("redshift", "redshift", "redshift", "node_type", {"meter": "node_hours"},
     "node_hours.{name}", r"re:\[OnDemand Compute Instance Current Generation\] [^;]*", _TYPE),
    ("redshift", "redshift", "redshift", "node_type", {"meter": "concurrency_scaling"},
     "concurrency_scaling.{name}",
     r"re:\[Redshift Concurrency Scaling Current Generation (?:Dense Compute\] dc2|"
     r"Dense Storage\] ds2|RA3\] ra3) [^;]*", _TYPE),
    *[("databasemigrationsvc", "dms", "dms", "instance",
       {"meter": "instance_hours", "instance": "", "az": az}, f"instance_hours.{{name}}.{az}",
       rf"re:\[DMS Replication Server {name}\] DMS OnDemand Replication Server .*", _TYPE)
      for name, az in [("Single AZ", "single"), ("Multiple AZ", "multi")]],
]


def _instance_metrics(existing: Catalog) -> list[Metric]:
    metrics = []
    rows = [(*row, "") for row in INSTANCE_METRICS] + QUALIFIED_INSTANCE_METRICS
    for file, service, family, attribute, fixed, key, pattern, qualifier in rows:
        names = {p.attributes[attribute] for p in existing if p.service == service
                 and p.region == REFERENCE_REGION and attribute in p.attributes
                 and all(p.attributes.get(k) == v for k, v in fixed.items() if k != attribute)}
        for name in sorted(names):
            family_size = name.removesuffix(".search").split(".")
            filled = pattern.format(sized=_sized(name), family=re.escape(family_size[0]),
                                    size=re.escape(family_size[-1]))
            unit = existing.price("aws", service, REFERENCE_REGION,
                                  **{**fixed, attribute: name}).unit
            metrics.append(_m(file, filled, family, service,
                              key.format(slug=name.replace(".", "_"), name=name),
                              {**fixed, attribute: name}, unit,
                              qualifier=qualifier.format(name=re.escape(name))))
    return metrics


def _ec2_metrics(instance_types: set[str]) -> list[Metric]:
    return [_m("ec2", f"OnDemand Linux-instancetype-{name}", "compute", "ec2",
               f"instance.{name}.linux",
               {"meter": "instance", "instance_type": name, "os": "linux"}, "hours")
            for name in sorted(instance_types)]


def _same_layout(existing: Catalog, service: str, attributes: tuple[tuple[str, str], ...],
                 tiers: list[Metric], notes: list[str]) -> bool:
    """Whether these metrics give the unit and tiers the hand-entered us-east-1 entry has."""
    try:
        reference = existing.tiers("aws", service, REFERENCE_REGION, **dict(attributes))
    except PriceNotFound:
        notes.append(f"{service} {dict(attributes)}: not in the hand-entered catalog; not written")
        return False
    ours = [(m.unit, *(m.tier or (0, None))) for m in tiers]
    theirs = [(p.unit, p.tier_start, p.tier_end) for p in reference]
    if ours != theirs and (service, attributes) in LAYOUT_CORRECTIONS:
        notes.append(f"(written) {service} {dict(attributes)}: with this table's tiers "
                     f"{ours}; the hand-entered {REFERENCE_REGION} tiers {theirs} are wrong")
        return True
    if ours != theirs:
        notes.append(f"{service} {dict(attributes)}: {REFERENCE_REGION} is {theirs}, this "
                     f"table gives {ours}; not written until they agree")
        return False
    return True


def _metric_amounts(tables: dict[str, dict], metric: Metric, notes: list[str]) -> dict[str, float]:
    """Region → USD per AWS unit. A metric written `re:PATTERN` is every metric whose name
    matches; they and their locations' qualifiers (instance details) must agree on one
    price per region, else that region is left out. `most:PATTERN` takes the price most of
    them give instead."""
    if metric.metric.startswith(("re:", "most:")):
        pattern = re.compile(metric.metric.split(":", 1)[1])
        names = [name for name in tables[metric.file] if pattern.fullmatch(name)]
    else:
        names = [metric.metric] if metric.metric in tables[metric.file] else []
    found: dict[str, set[float]] = defaultdict(set)
    counts: dict[str, Counter[float]] = defaultdict(Counter)
    for name in names:
        table = tables[metric.file][name]
        if isinstance(table, dict):
            for region, amount in _amounts(table, metric).items():
                found[region].add(amount)
                counts[region][amount] += 1
    if not found:
        notes.append(f"{metric.file}: no metric {metric.metric!r}")
    if metric.metric.startswith("most:"):
        return _most_common(counts, metric, notes)
    for region in sorted(region for region, amounts in found.items() if len(amounts) > 1):
        notes.append(f"{metric.service} {metric.key}: {region} has {len(found[region])} "
                     "different prices in the data; left out")
    return {region: amounts.pop() for region, amounts in found.items() if len(amounts) == 1}


def _most_common(counts: dict[str, Counter[float]], metric: Metric, notes: list[str]
                 ) -> dict[str, float]:
    """A `most:PATTERN` metric: per region, the price most of the matching metrics give (a
    tie leaves the region out)."""
    chosen = {}
    for region, counter in sorted(counts.items()):
        (amount, count), *rest = counter.most_common()
        if rest and rest[0][1] == count:
            notes.append(f"{metric.service} {metric.key}: {region}: no single most common "
                         "price; left out")
            continue
        chosen[region] = amount
    return chosen


def _region(location: str, metric: Metric) -> tuple[str | None, str]:
    """The region code of a price-watcher location and its qualifier ("" when none)."""
    found = _QUALIFIED.fullmatch(location)
    if found and found["location"] in REGION_BY_LOCATION:
        return REGION_BY_LOCATION[found["location"]], found["qualifier"]
    return REGION_BY_LOCATION.get(location), ""


def _amounts(table: dict[str, str], metric: Metric) -> dict[str, float]:
    """Region → USD per AWS unit for one metric; a tiered egress row must state its range."""
    found: dict[str, float] = {}
    for location, text in table.items():
        region, qualifier = _region(location, metric)
        if region is None or text in (None, ""):
            continue
        if metric.service == "data_transfer":
            assert metric.tier is not None
            start, end = metric.tier
            last = "Inf" if end is None else f"{end:g}"
            expected = f"StartingRange: {start:g}, EndingRange: {last}"
            if qualifier != expected:
                continue
        elif qualifier and not metric.metric.startswith(("re:", "most:")):
            continue  # a qualified location is a variant (instance details): only by pattern
        if metric.qualifier and not re.search(metric.qualifier, qualifier):
            continue
        amount = float(text)
        if amount < 0 or amount != amount:
            raise SystemExit(f"{metric.file}: {metric.metric}: {location}: bad price {text!r}")
        found[region] = amount
    return found


def _inter_region(table: dict, cite: str, date: str) -> tuple[list[Price], list[str]]:
    """`inter_region` is one rate per source region: the rate to most other commercial
    regions (a few neighbours are cheaper, e.g. N. Virginia to Ohio)."""
    rates: dict[str, Counter[float]] = defaultdict(Counter)
    for metric, by_location in table.items():
        if not metric.startswith("DataTransfer InterRegion Outbound to "):
            continue
        for location, text in by_location.items():
            found = re.fullmatch(r"(.+) \(To Location: (.+)\)", location)
            if not found or not text:
                continue
            source, target = (REGION_BY_LOCATION.get(found[1]), REGION_BY_LOCATION.get(found[2]))
            if source and target:
                rates[source][float(text)] += 1
    prices, notes = [], []
    for region, counter in sorted(rates.items()):
        (rate, count), *rest = counter.most_common()
        if rest and rest[0][1] == count:
            notes.append(f"inter_region {region}: no single most common rate; left unpriced")
            continue
        prices.append(_price(region, "data_transfer", "inter_region",
                             (("meter", "inter_region"),), "GB", rate, None, cite, date))
    return prices, notes


def _differences(hand: list[Price], tiers: list[Metric], amounts: list[float]) -> list[str]:
    """Each hand-entered tier whose price or bounds differ from AWS's (tiers in order)."""
    if len(hand) != len(tiers):
        return [f"{hand[0].key}: catalog has {len(hand)} tiers, AWS data {len(tiers)}"]
    found = []
    for price, metric, amount in zip(hand, tiers, amounts, strict=True):
        usd, (start, end) = amount * metric.per, metric.tier or (0, None)
        if abs(price.usd - usd) > 1e-9 * max(1.0, usd):
            found.append(f"{price.key}: catalog {price.usd:g}, AWS data {usd:.10g}")
        if (price.tier_start, price.tier_end) != (start, end):
            found.append(f"{price.key}: catalog tier {_bounds(price.tier_start, price.tier_end)}"
                         f", AWS data {_bounds(start, end)}")
    return found


def _bounds(start: float, end: float | None) -> str:
    return f"{start:,.0f} to {'no end' if end is None else f'{end:,.0f}'}"


def _unchecked(existing: Catalog, checked: set[tuple[str, tuple[tuple[str, str], ...]]]
               ) -> list[str]:
    """Hand-entered lookups no AWS metric here speaks for: confirmed by nothing."""
    covered = {(service, tuple(sorted(attributes))) for service, attributes in checked}
    regions: dict[tuple[str, tuple[tuple[str, str], ...]], set[str]] = defaultdict(set)
    for price in existing:
        lookup = (price.service, tuple(sorted(price.attributes.items())))
        if lookup not in covered:
            regions[lookup].add(price.region)
    return [f"{service} {dict(attributes)}: no AWS metric read here ({', '.join(sorted(found))})"
            for (service, attributes), found in sorted(regions.items())]


def _price(region: str, service: str, key: str, attributes: tuple[tuple[str, str], ...],
           unit: str, usd: float, tier: tuple[float, float | None] | None, cite: str,
           date: str) -> Price:
    start, end = tier or (0, None)
    return Price(key=f"aws.{service}.{region}.{key}", provider="aws", service=service,
                 region=region, attributes=dict(attributes), unit=unit,
                 usd=float(f"{usd:.10g}"), tier_start=start, tier_end=end, source=cite,
                 date=date)


def _priced(existing: Catalog, service: str, region: str,
            attributes: tuple[tuple[str, str], ...]) -> bool:
    try:
        existing.tiers("aws", service, region, **dict(attributes))
    except PriceNotFound:
        return False
    return True


def _report_check(existing: Catalog, differences: list[str], unconfirmed: list[str],
                  checked: set[tuple[str, tuple[tuple[str, str], ...]]]) -> int:
    """Print the differences (stdout) and what AWS's data could not confirm (stderr)."""
    for line in differences:
        print(f"differs: {line}")
    for line in sorted(set(unconfirmed)) + _unchecked(existing, checked):
        print(f"unconfirmed: {line}", file=sys.stderr)
    print(f"{len(differences)} differences", file=sys.stderr)
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="folder holding processed/ and raw/")
    parser.add_argument("--commit", help="the commit the checkout is of")
    parser.add_argument("--commit-date", help="YYYY-MM-DD of that commit")
    parser.add_argument("--out", type=Path, default=CATALOG)
    parser.add_argument("--catalog", type=Path, default=CATALOG,
                        help="the folder of hand-entered files to compare (default: this repo's)")
    parser.add_argument("--check", action="store_true",
                        help="write nothing: list every hand-entered price (or tier bound) "
                             "that differs from AWS's data, exit 1 when one does")
    args = parser.parse_args()
    if not args.check and not (args.commit and args.commit_date):
        parser.error("--commit and --commit-date are required unless --check")
    args.commit_date = args.commit_date or "undated"  # --check writes no entry

    # This checkout's catalog, not the installed package's: the files being checked.
    hand_entered = sorted(path for path in args.catalog.iterdir()
                          if path.suffix in (".yaml", ".json") and ".regions." not in path.name)
    existing = load_catalog(hand_entered)
    instance_types = {p.attributes["instance_type"] for p in existing
                      if p.service == "ec2" and p.attributes.get("meter") == "instance"
                      and p.attributes.get("os") == "linux" and "instance_type" in p.attributes}

    tables: dict[str, dict] = {}
    dates: dict[str, str] = {}
    everything = [*METRICS, *_ec2_metrics(instance_types), *_instance_metrics(existing)]
    for metric in everything:
        if metric.file not in tables:
            tables[metric.file] = json.loads(
                (args.checkout / "processed" / f"{metric.file}.json").read_text())
            raw = args.checkout / "raw" / f"{metric.file}.json"
            published = json.loads(raw.read_text())["manifest"]["hawkFilePublicationDate"] \
                if raw.is_file() else args.commit_date
            dates[metric.file] = published[:10]

    prices: dict[str, list[Price]] = defaultdict(list)
    differences: list[str] = []
    missing: list[str] = []
    unconfirmed: list[str] = []
    groups: dict[tuple[str, tuple[tuple[str, str], ...]], list[Metric]] = defaultdict(list)
    for metric in everything:
        groups[(metric.service, metric.attributes)].append(metric)
    for (service, attributes), tiers in groups.items():
        if not _same_layout(existing, service, attributes, tiers, missing):
            continue
        # The pricing page the hand-entered entry cites: where AWS shows these prices.
        page = existing.price("aws", service, REFERENCE_REGION, **dict(attributes)).source
        amounts = [_metric_amounts(tables, metric, missing) for metric in tiers]
        for region in COMMERCIAL_REGIONS:
            if any(region not in found for found in amounts):
                missing.append(f"{service} {tiers[0].key}: {region} not in the data")
                if _priced(existing, service, region, attributes):
                    unconfirmed.append(f"aws.{service}.{region}.{tiers[0].key}: no AWS price "
                                       "for this region in the data")
                continue
            try:
                hand = existing.tiers("aws", service, region, **dict(attributes))
            except PriceNotFound:
                for metric, found in zip(tiers, amounts, strict=True):
                    prices[metric.family].append(_price(
                        region, service, metric.key, attributes, metric.unit,
                        found[region] * metric.per, metric.tier, page, dates[metric.file]))
                continue
            differences += _differences(hand, tiers, [found[region] for found in amounts])
    inter, notes = _inter_region(
        tables["datatransfer"],
        existing.price("aws", "data_transfer", REFERENCE_REGION, meter="inter_region").source,
        args.commit_date)
    for price in inter:
        try:
            rate = existing.price("aws", "data_transfer", price.region, meter="inter_region")
        except PriceNotFound:
            prices["network"].append(price)
            continue
        if abs(rate.usd - price.usd) > 1e-9:
            differences.append(f"{rate.key}: catalog {rate.usd:g}, AWS data (most common "
                               f"rate) {price.usd:g}")
    if args.check:
        return _report_check(existing, differences, unconfirmed,
                             {*groups, ("data_transfer", (("meter", "inter_region"),))})

    files = ", ".join(sorted({f"processed/{m.file}.json" for m in everything}
                             | {"processed/datatransfer.json"}))
    header = (f"AWS on-demand list prices for the commercial regions the hand-entered catalog "
              f"files do not price. Read from AWS's public pricing-page data (the tables AWS "
              f"publishes as meteredUnitMaps/<service>/USD/current/*.json) as committed to "
              f"{REPOSITORY} at commit {args.commit}, files {files}, by "
              f"scripts/pricewatcher_regions.py. Each entry cites the AWS pricing page that "
              f"shows the price and the publication date AWS gave that data (where the raw "
              f"file is not in the snapshot, as for ec2 and datatransfer, the commit date). Same "
              f"lookups, units and tiers as the hand-entered us-east-1 entries; tier bounds "
              f"from AWS's pricing pages; Lambda Arm duration tiers at 7.5 B and 18.75 B "
              f"GB-seconds. data_transfer inter_region is the rate to most other regions, a "
              f"Direct Connect port's the rate most of the region's locations charge. "
              f"Regenerate with the script; do not edit by hand.")
    for stale in args.out.glob("*.regions.json"):  # every one is this script's output
        stale.unlink()
    for family, entries in sorted(prices.items()):
        entries.sort(key=lambda p: (p.service, p.key))
        path = args.out / f"{family}.regions.json"
        path.write_text(render_catalog_json(entries, version=args.commit_date, header=header),
                        encoding="utf-8")
        print(f"{path}: {len(entries)} prices")
    for line in differences:
        print(f"differs: {line}")
    for line in sorted(set(missing)) + notes:
        label = "tiers corrected" if line.startswith("(written) ") else "unpriced"
        print(f"{label}: {line.removeprefix('(written) ')}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
