"""AWS KMS customer managed keys and AWS Secrets Manager secrets."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, scaled


@prices(*kinds.types("aws.kms.key"))
def kms_key(ctx: PricingContext) -> None:
    ctx.fixed("Customer managed key", ctx.prices("kms", meter="keys"), 1)
    ctx.add("Requests", ctx.prices("kms", meter="requests"),
            scaled(ctx.used("monthly_requests"), 1 / 1e4))


@prices(*kinds.types("aws.secretsmanager.secret"))
def secret(ctx: PricingContext) -> None:
    ctx.fixed("Secret", ctx.prices("secretsmanager", meter="secrets"), 1)
    ctx.add("API calls", ctx.prices("secretsmanager", meter="api_calls"),
            scaled(ctx.used("monthly_requests"), 1 / 1e4))
