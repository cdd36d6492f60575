"""Amazon Cognito user pools: monthly active users (MAUs) by feature plan.

The plan is the pool's `user_pool_tier` (LITE, ESSENTIALS or PLUS); a pool that does not say
is on ESSENTIALS, AWS's default for new pools since November 2024, and the line says it was
assumed. MAUs come from the usage key `monthly_active_users`. Lite and Essentials start with
their free tier as AWS states it (the first 10,000 MAUs a month at $0, counted per pool
though the tier is account-wide); Plus has none. Identity pools, clients and domains are free.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, Unpriceable
from purser.cost.pricers.free_tier import past_free_tier

PLANS = ("LITE", "ESSENTIALS", "PLUS")
DEFAULT_PLAN = "ESSENTIALS"


@prices(*kinds.types("aws.cognito.user_pool"))
def user_pool(ctx: PricingContext) -> None:
    if ctx.resource.is_unknown("user_pool_tier"):
        raise Unpriceable("the user pool's feature plan is not known statically")
    written = ctx.resource.get("user_pool_tier")
    plan = str(written or DEFAULT_PLAN).upper()
    if plan not in PLANS:
        raise Unpriceable(f"unknown user pool feature plan {plan[:40]!r}")
    label = plan.title() if written else f"{plan.title()}, assumed"
    users = ctx.used("monthly_active_users")
    tiers = ctx.prices("cognito", meter="monthly_active_users", tier=plan.lower())
    ctx.add(*past_free_tier(f"Monthly active users ({label})", tiers, users), users)
