"""AWS CloudHSM: each HSM by the hour, all month unless Infracost's `monthly_hrs` says less."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import FIXED, HOURS_PER_MONTH, PricingContext
from purser.cost.usage import Quantity


@prices(*kinds.types("aws.cloudhsm.hsm"))
def hsm(ctx: PricingContext) -> None:
    hours = ctx.used("monthly_hrs") or Quantity(HOURS_PER_MONTH, FIXED)
    ctx.add("HSM usage", ctx.prices("cloudhsm", meter="hsm_hours"), hours)
