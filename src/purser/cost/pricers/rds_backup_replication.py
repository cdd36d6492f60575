"""Amazon RDS automated backups replicated to another region.

The copies are kept in the replication's own region and billed there as RDS backup storage
per GB-month (usage key `replicated_backup_storage_gb`); copying them out of the source DB
instance's region is billed there as inter-region data transfer per GB
(`monthly_data_transferred_gb`). The source region is the one in `source_db_instance_arn`,
or that of the DB instance it references; when neither says, the replication is unpriced.
"""

from __future__ import annotations

import re

from purser import kinds
from purser.cost.catalog import PriceNotFound
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, Unpriceable

ARN_REGION = re.compile(r"arn:[\w-]{1,20}:rds:([a-z0-9-]{1,30}):")


@prices(*kinds.types("aws.rds.automated_backups_replication"))
def automated_backups_replication(ctx: PricingContext) -> None:
    source = _source_region(ctx)
    if source is None:
        raise Unpriceable("the source DB instance's region is not known statically")
    ctx.add("Replicated backup storage", ctx.prices("rds", meter="backup_storage"),
            ctx.used("replicated_backup_storage_gb"))
    try:
        transfer = ctx.catalog.tiers(ctx.provider, "data_transfer", source, meter="inter_region")
    except PriceNotFound as exc:
        raise Unpriceable(str(exc)) from None
    ctx.add(f"Inter-region transfer from {source}", transfer,
            ctx.used("monthly_data_transferred_gb"))


def _source_region(ctx: PricingContext) -> str | None:
    arn = ctx.resource.get("source_db_instance_arn")
    referenced = ctx.index.referenced(arn)
    if referenced is not None:
        return referenced.region
    found = ARN_REGION.match(arn[:200]) if isinstance(arn, str) else None
    return found.group(1) if found else None
