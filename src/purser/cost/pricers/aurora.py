"""Amazon Aurora: clusters (storage, I/O, backups, Backtrack, snapshot export, Serverless v1
ACUs) and their instances (provisioned hours or Serverless v2 ACUs, with database.py's
add-ons).

A cluster whose `storage_type` is `aurora-iopt1` uses the I/O-Optimized configuration:
dearer instances, ACUs and storage, and no I/O charges. An instance takes its engine and
configuration from its cluster when it is in the estimate.

Infracost's usage keys: on the cluster `capacity_units_per_hr` (Serverless v1),
`storage_gb`, `write_requests_per_sec`, `read_requests_per_sec`, `backup_snapshot_size_gb`,
`average_statements_per_hr`, `change_records_per_statement`, `backtrack_window_hrs`,
`snapshot_export_size_gb`; on an instance `capacity_units_per_hr` (Serverless v2) and those
of database.py.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import amount, word
from purser.cost.pricers.context import (
    HOURS_PER_MONTH,
    SECONDS_PER_HOUR,
    PricingContext,
    Unpriceable,
    combined,
    scaled,
)
from purser.cost.pricers.database import (
    SERVERLESS_CLASS,
    cpu_credits,
    engine_label,
    extended_support,
    performance_insights,
    pricing_engine,
    storage_configuration,
)
from purser.cost.pricers.reservation import bill_reservation, on_demand_note, reservation
from purser.model import Resource

IO_OPTIMIZED = "aurora-iopt1"
SECONDS_PER_MONTH = HOURS_PER_MONTH * SECONDS_PER_HOUR


def _cluster_of(ctx: PricingContext) -> Resource | None:
    """The instance's cluster, when it is in this estimate."""
    for path in ("cluster_identifier", "db_cluster_identifier"):
        value = ctx.resource.get(path)
        if value not in (None, ""):
            return (ctx.index.referenced(value)
                    or ctx.index.find("aws_rds_cluster", "cluster_identifier", value))
    return None


@prices(*kinds.types("aws.rds.cluster_instance"))
def cluster_instance(ctx: PricingContext) -> None:
    """Provisioned hours (or Serverless v2 ACU-hours), then the database add-ons."""
    cluster = _cluster_of(ctx)
    engine_name = word(ctx, "engine") or (word(ctx, "engine", resource=cluster)
                                          if cluster is not None else None)
    if not engine_name:
        raise Unpriceable("database engine not known statically")
    engine = pricing_engine(engine_name)
    if not engine.startswith("aurora"):
        raise Unpriceable(f"no price model for {engine_name} cluster instances")
    instance_class = word(ctx, "instance_class")
    if not instance_class:
        raise Unpriceable("instance class not known statically")
    configuration = storage_configuration(ctx, cluster, IO_OPTIMIZED)
    suffix = ", I/O-Optimized" if configuration == "io-optimized" else ""
    if instance_class == SERVERLESS_CLASS:
        ctx.add(f"Aurora Serverless v2 ({engine_label(engine)}{suffix})",
                ctx.prices("aurora", meter="serverless_v2", storage=configuration),
                scaled(ctx.used("capacity_units_per_hr"), HOURS_PER_MONTH))
    else:
        _instance_hours(ctx, engine, instance_class, configuration)
    performance_insights(ctx, instance_class)
    cpu_credits(ctx, "aurora", instance_class)
    extended_support(ctx, engine, instance_class)


def _instance_hours(ctx: PricingContext, engine: str, instance_class: str,
                    configuration: str) -> None:
    """Reserved (reservation.py) when the usage file says so and the catalog can, else
    on-demand."""
    suffix = ", I/O-Optimized" if configuration == "io-optimized" else ""
    attributes = {"meter": "instance", "engine": engine, "instance_class": instance_class,
                  "storage": configuration}
    terms = reservation(ctx)
    why = None
    if terms is not None:
        why = bill_reservation(ctx, f"Database instance ({instance_class}, "
                               f"{engine_label(engine)}{suffix})", "aurora", attributes, terms)
        if why is None:
            return
    try:
        hourly = ctx.prices("aurora", **attributes)
    except Unpriceable:
        raise Unpriceable(f"no {engine_label(engine)} price for {instance_class}"
                          f"{suffix} in {ctx.region}") from None
    ctx.fixed(f"Database instance (on-demand, {instance_class}, "
              f"{engine_label(engine)}{suffix}{on_demand_note(why)})", hourly,
              HOURS_PER_MONTH)


@prices(*kinds.types("aws.rds.cluster"))
def rds_cluster(ctx: PricingContext) -> None:
    engine_name = word(ctx, "engine", "aurora")
    if engine_name is None:
        raise Unpriceable("database engine not known statically")
    engine = pricing_engine(engine_name)
    if not engine.startswith("aurora"):
        raise Unpriceable(f"no price model for Multi-AZ DB clusters ({engine_name})")
    configuration = storage_configuration(ctx, ctx.resource, IO_OPTIMIZED)
    mode = word(ctx, "engine_mode", "provisioned")
    if mode == "serverless":
        ctx.add(f"Aurora Serverless v1 ({engine_label(engine)})",
                ctx.prices("aurora", meter="serverless_v1"),
                scaled(ctx.used("capacity_units_per_hr"), HOURS_PER_MONTH))
    io_optimized = configuration == "io-optimized"
    ctx.add("Storage (I/O-Optimized)" if io_optimized else "Storage",
            ctx.prices("aurora", meter="storage", storage=configuration), ctx.used("storage_gb"))
    if not io_optimized:
        requests = combined(ctx.used("write_requests_per_sec"), ctx.used("read_requests_per_sec"),
                            formula=lambda w, r: (w + r) * SECONDS_PER_MONTH / 1e6)
        ctx.add("I/O requests", ctx.prices("aurora", meter="io_requests"), requests)
    _backups(ctx)
    if engine == "aurora-mysql" and mode != "serverless":
        _backtrack(ctx)
    ctx.add("Snapshot export", ctx.prices("aurora", meter="snapshot_export"),
            ctx.used("snapshot_export_size_gb"))


def _backups(ctx: PricingContext) -> None:
    """One snapshot's worth is free; each further retained day is a snapshot's size."""
    retention = amount(ctx, "backup_retention_period", 1)
    if retention is not None and retention.value <= 1:
        return
    stored = None
    snapshot = ctx.used("backup_snapshot_size_gb")
    if retention is not None and snapshot is not None:
        stored = scaled(snapshot, retention.value - 1)
    ctx.add("Backup storage", ctx.prices("aurora", meter="backup_storage"), stored)


def _backtrack(ctx: PricingContext) -> None:
    """Change records kept for the backtrack window, stored every hour of the month."""
    window = ctx.used("backtrack_window_hrs")
    if window is None:
        seconds = amount(ctx, "backtrack_window", 0)
        if seconds is not None and seconds.value == 0:
            return  # Backtrack is off
        window = scaled(seconds, 1 / SECONDS_PER_HOUR)
    records = combined(ctx.used("average_statements_per_hr"),
                       ctx.used("change_records_per_statement"), window,
                       formula=lambda per_hour, per_statement, hours:
                       per_hour * per_statement * hours * HOURS_PER_MONTH / 1e6)
    ctx.add("Backtrack", ctx.prices("aurora", meter="backtrack"), records)
