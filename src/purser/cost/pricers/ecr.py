"""Amazon ECR repositories: the images they store (Infracost's `storage_gb`)."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext


@prices(*kinds.types("aws.ecr.repository"))
def repository(ctx: PricingContext) -> None:
    ctx.add("Image storage", ctx.prices("ecr", meter="storage"), ctx.used("storage_gb"))
