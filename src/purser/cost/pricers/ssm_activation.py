"""AWS Systems Manager hybrid activations: on-premises servers and VMs registered with it.

Instances in the advanced tier pay per instance-hour; the standard tier is free. The tier is
Infracost's usage word `instance_tier`; without it, an activation allowing more than 1,000
registrations is advanced (the standard tier stops there). The instances come from
Infracost's `instances` (the month's average), each running all month.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import amount
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, scaled

TIERS = ("standard", "advanced")
STANDARD_TIER_LIMIT = 1000


@prices(*kinds.types("aws.ssm.activation"))
def activation(ctx: PricingContext) -> None:
    tier = ctx.text("instance_tier", allowed=TIERS)
    if tier is None:
        limit = amount(ctx, "registration_limit")
        tier = "advanced" if limit is not None and limit.value > STANDARD_TIER_LIMIT else None
    if tier is not None and tier.lower() == "standard":
        return  # the standard tier is free
    ctx.add("On-prem managed instances (advanced)" + ("" if tier else ", if advanced"),
            ctx.prices("ssm", meter="advanced_instance_hours"),
            scaled(ctx.used("instances"), HOURS_PER_MONTH))
