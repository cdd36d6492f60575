"""AWS Database Migration Service replication instances.

An instance pays its class by the hour, at the single- or multi-AZ rate, and its gp2
storage beyond the allowance AWS includes (50 GB for T2 and T3 classes, 100 GB for the
others) per GB-month, at the same AZ rate. Storage is 50 GB when not written (AWS's default).
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import amount, flag, word
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable
from purser.cost.usage import Quantity

CLASS_PREFIX = "dms."
BURSTABLE_FAMILIES = ("t2.", "t3.")
INCLUDED_GB_BURSTABLE = 50
INCLUDED_GB = 100
DEFAULT_STORAGE_GB = 50


@prices(*kinds.types("aws.dms.replication_instance"))
def replication_instance(ctx: PricingContext) -> None:
    written = word(ctx, "replication_instance_class")
    multi_az = flag(ctx, "multi_az")
    if not written or multi_az is None:
        raise Unpriceable("instance class or multi-AZ setting not known statically")
    instance = written.removeprefix(CLASS_PREFIX)
    az = "multi" if multi_az else "single"
    ctx.fixed(f"Instance ({instance}{', multi-AZ' if multi_az else ''})",
              ctx.prices("dms", meter="instance_hours", instance=instance, az=az),
              HOURS_PER_MONTH)
    included = INCLUDED_GB_BURSTABLE if instance.startswith(BURSTABLE_FAMILIES) else INCLUDED_GB
    storage = amount(ctx, "allocated_storage", DEFAULT_STORAGE_GB)
    if storage is None or storage.value > included:
        ctx.add(f"Storage (gp2, beyond {included} GB included)",
                ctx.prices("dms", meter="storage", az=az),
                None if storage is None else Quantity(storage.value - included, storage.origin))
