"""Amazon DocumentDB: cluster instances (hours, and the storage, I/O and CPU credits that
Infracost's usage file gives them), cluster backups and manual snapshots.

Infracost's usage keys: on an instance `data_storage_gb`, `monthly_io_requests` and
`monthly_cpu_credit_hrs` (already in vCPU-hours, t3/t4g only); on a cluster or a snapshot
`backup_storage_gb` (beyond the free allowance of the cluster's size). Clusters with
I/O-Optimized storage (storage_type iopt1) are unpriced until their prices are entered.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import word
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable, scaled
from purser.cost.pricers.database import BURSTABLE_FAMILIES, instance_family

IO_OPTIMIZED = "iopt1"


@prices(*kinds.types("aws.docdb.cluster_instance"))
def docdb_instance(ctx: PricingContext) -> None:
    instance_class = word(ctx, "instance_class")
    if not instance_class:
        raise Unpriceable("instance class not known statically")
    cluster = ctx.index.referenced(ctx.resource.get("cluster_identifier"))
    if cluster is not None and word(ctx, "storage_type", resource=cluster) == IO_OPTIMIZED:
        raise Unpriceable("no price model for DocumentDB I/O-Optimized clusters")
    try:
        hourly = ctx.prices("docdb", meter="instance", instance_class=instance_class)
    except Unpriceable:
        raise Unpriceable(f"no DocumentDB price for {instance_class} in {ctx.region}") from None
    ctx.fixed(f"Database instance (on-demand, {instance_class})", hourly, HOURS_PER_MONTH)
    ctx.add("Storage", ctx.prices("docdb", meter="storage"), ctx.used("data_storage_gb"))
    ctx.add("I/O requests", ctx.prices("docdb", meter="io_requests"),
            scaled(ctx.used("monthly_io_requests"), 1 / 1e6))
    if instance_family(instance_class) in BURSTABLE_FAMILIES:
        ctx.add("CPU credits", ctx.prices("docdb", meter="cpu_credits"),
                ctx.used("monthly_cpu_credit_hrs"))


@prices(*kinds.types("aws.docdb.cluster", "aws.docdb.cluster_snapshot"))
def docdb_backups(ctx: PricingContext) -> None:
    ctx.add("Backup storage", ctx.prices("docdb", meter="backup_storage"),
            ctx.used("backup_storage_gb"))
