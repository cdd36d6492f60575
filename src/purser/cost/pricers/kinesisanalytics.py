"""Amazon Managed Service for Apache Flink (Kinesis Data Analytics) applications.

An application pays its Kinesis Processing Units by the hour (Infracost's
`kinesis_processing_units`, the month's average). A Flink or Studio application also pays
one more KPU for orchestration all month and 50 GB of running storage per KPU, and its
durable backups per GB-month (`durable_application_backup_gb`); a SQL application pays
only its KPUs. A snapshot pays its backup storage.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import word
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, scaled

RUNNING_STORAGE_GB_PER_KPU = 50
ORCHESTRATION_KPUS = 1
SQL_RUNTIME_PREFIX = "sql"


@prices(*kinds.types("aws.kinesisanalyticsv2.application"))
def application(ctx: PricingContext) -> None:
    runtime = word(ctx, "runtime_environment", "flink")
    _processing(ctx)
    if runtime is not None and runtime.startswith(SQL_RUNTIME_PREFIX):
        return
    ctx.fixed("Processing (orchestration)", ctx.prices("kinesisanalytics", meter="kpu_hours"),
              ORCHESTRATION_KPUS * HOURS_PER_MONTH)
    ctx.add("Running storage (50 GB per KPU)",
            ctx.prices("kinesisanalytics", meter="running_storage"),
            scaled(ctx.used("kinesis_processing_units"), RUNNING_STORAGE_GB_PER_KPU))
    _backup(ctx)


@prices(*kinds.types("aws.kinesisanalytics.application"))
def sql_application(ctx: PricingContext) -> None:
    _processing(ctx)


@prices(*kinds.types("aws.kinesisanalyticsv2.application_snapshot"))
def snapshot(ctx: PricingContext) -> None:
    _backup(ctx)


def _processing(ctx: PricingContext) -> None:
    ctx.add("Processing (stream)", ctx.prices("kinesisanalytics", meter="kpu_hours"),
            scaled(ctx.used("kinesis_processing_units"), HOURS_PER_MONTH))


def _backup(ctx: PricingContext) -> None:
    ctx.add("Backup", ctx.prices("kinesisanalytics", meter="backup"),
            ctx.used("durable_application_backup_gb"))
