"""Amazon Neptune: clusters (storage, I/O requests, backups), cluster instances (hours by
the cluster's storage configuration, CPU credits) and manual snapshots.

Infracost's usage keys: on a cluster `storage_gb`, `monthly_io_requests`,
`backup_storage_gb` (priced when more than a day of backups is kept); on an instance
`monthly_cpu_credit_hrs`, hours of bursting times the class's vCPUs, as for RDS (Infracost's
own golden multiplies them by 730 hours instead); on a snapshot `backup_storage_gb`.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import amount, word
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable, scaled
from purser.cost.pricers.database import cpu_credits, storage_configuration

IO_OPTIMIZED = "iopt1"


@prices(*kinds.types("aws.neptune.cluster_instance"))
def neptune_instance(ctx: PricingContext) -> None:
    instance_class = word(ctx, "instance_class")
    if not instance_class:
        raise Unpriceable("instance class not known statically")
    configuration = storage_configuration(ctx, ctx.index.referenced(
        ctx.resource.get("cluster_identifier")), IO_OPTIMIZED)
    suffix = ", I/O-Optimized" if configuration == "io-optimized" else ""
    try:
        hourly = ctx.prices("neptune", meter="instance", instance_class=instance_class,
                            storage=configuration)
    except Unpriceable:
        raise Unpriceable(f"no Neptune price for {instance_class}{suffix} "
                          f"in {ctx.region}") from None
    ctx.fixed(f"Database instance (on-demand, {instance_class}{suffix})", hourly,
              HOURS_PER_MONTH)
    cpu_credits(ctx, "neptune", instance_class)


@prices(*kinds.types("aws.neptune.cluster"))
def neptune_cluster(ctx: PricingContext) -> None:
    configuration = storage_configuration(ctx, ctx.resource, IO_OPTIMIZED)
    ctx.add("Storage (I/O-Optimized)" if configuration == "io-optimized" else "Storage",
            ctx.prices("neptune", meter="storage", storage=configuration),
            ctx.used("storage_gb"))
    if configuration == "standard":
        ctx.add("I/O requests", ctx.prices("neptune", meter="io_requests"),
                scaled(ctx.used("monthly_io_requests"), 1 / 1e6))
    retention = amount(ctx, "backup_retention_period", 1)
    if retention is None or retention.value > 1:
        ctx.add("Backup storage", ctx.prices("neptune", meter="backup_storage"),
                ctx.used("backup_storage_gb"))


@prices(*kinds.types("aws.neptune.cluster_snapshot"))
def neptune_snapshot(ctx: PricingContext) -> None:
    ctx.add("Backup storage", ctx.prices("neptune", meter="backup_storage"),
            ctx.used("backup_storage_gb"))
