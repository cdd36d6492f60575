"""Components whose price the catalog holds in some regions only.

A price confirmed for one region (S3 Select, SNS deliveries, an API cache size) is not
guessed for the others. Where the catalog lacks it, a component without usage is left out
(there is nothing to price and no unit price to show), one with a zero quantity costs
nothing, and one with usage makes the resource unpriced, naming the missing price: never a
silent zero.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

from purser.cost.catalog import Catalog, Price, PriceNotFound
from purser.cost.pricers.context import PricingContext, Unpriceable
from purser.cost.usage import Quantity

# Lookups known to miss, per catalog: a miss raises (and formats) PriceNotFound, which
# costs more than the lookup, and an estimate asks the same few questions thousands of times.
_MISSES: WeakKeyDictionary[Catalog, set[tuple[str, ...]]] = WeakKeyDictionary()


def regional_prices(ctx: PricingContext, service: str, **attributes: str) -> list[Price] | None:
    """The tiers of a price in the resource's region, None when the catalog has none there."""
    misses = _MISSES.setdefault(ctx.catalog, set())
    call = (ctx.provider, service, ctx.region, *attributes, *attributes.values())
    if call in misses:
        return None
    try:
        return ctx.catalog.tiers(ctx.provider, service, ctx.region, **attributes)
    except PriceNotFound:
        misses.add(call)
        return None


def add_where_priced(ctx: PricingContext, component: str, service: str,
                     quantity: Quantity | None, **attributes: str) -> None:
    """`ctx.add` for a price that may be missing in this region (see the module's note)."""
    tiers = regional_prices(ctx, service, **attributes)
    if tiers is not None:
        ctx.add(component, tiers, quantity)
    elif quantity is not None and quantity.value > 0:
        described = ", ".join(f"{k}={v}" for k, v in sorted(attributes.items()))
        raise Unpriceable(f"{component}: no {ctx.provider} {service} price in {ctx.region} "
                          f"for {described} in the catalog")
