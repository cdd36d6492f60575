"""Prices of AWS's global services (CloudFront, Route 53 hosted zones and queries, WAF Classic).

A global service has one price list wherever the resource is declared, so the catalog
files its prices under the region `global`, not under the provider region of the file.
"""

from __future__ import annotations

from purser.cost.catalog import Price, PriceNotFound
from purser.cost.pricers.context import PricingContext, Unpriceable

GLOBAL_REGION = "global"


def global_prices(ctx: PricingContext, service: str, **attributes: str) -> list[Price]:
    """The tiers of a global service's price, whatever region the resource is in."""
    try:
        return ctx.catalog.tiers(ctx.provider, service, GLOBAL_REGION, **attributes)
    except PriceNotFound as exc:
        raise Unpriceable(str(exc)) from None
