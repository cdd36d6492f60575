"""AWS AppSync GraphQL APIs and their caches.

An API pays per query and mutation operation (usage key `monthly_operations`), per
real-time update delivered to subscribers (`monthly_realtime_updates`) and per minute a
client stays connected (`monthly_connection_minutes`). A cache (an `aws_appsync_api_cache`,
or SAM's `Cache` block on the API) pays per hour by its type, all month; the older type
names (T2_SMALL, R4_LARGE, ...) are the sizes AWS renamed.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    HOURS_PER_MONTH,
    PricingContext,
    Unpriceable,
    scaled,
)

PER_MILLION = 1 / 1e6
CACHE_TYPES = ("SMALL", "MEDIUM", "LARGE", "XLARGE", "LARGE_2X", "LARGE_4X", "LARGE_8X",
               "LARGE_12X")
RENAMED_CACHE_TYPES = {"T2_SMALL": "SMALL", "T2_MEDIUM": "MEDIUM", "R4_LARGE": "LARGE",
                       "R4_XLARGE": "XLARGE", "R4_2XLARGE": "LARGE_2X",
                       "R4_4XLARGE": "LARGE_4X", "R4_8XLARGE": "LARGE_8X"}


@prices(*kinds.types("aws.appsync.graphql_api"))
def graphql_api(ctx: PricingContext) -> None:
    for component, meter, key in (
            ("Query and mutation operations", "operations", "monthly_operations"),
            ("Real-time updates", "realtime_updates", "monthly_realtime_updates"),
            ("Real-time connection minutes", "connection_minutes",
             "monthly_connection_minutes")):
        ctx.add(component, ctx.prices("appsync", meter=meter),
                scaled(ctx.used(key), PER_MILLION))
    if ctx.resource.get("cache.type") is not None or ctx.resource.is_unknown("cache.type"):
        _cache(ctx, "cache.type")


@prices(*kinds.types("aws.appsync.api_cache"))
def api_cache(ctx: PricingContext) -> None:
    _cache(ctx, "type")


def _cache(ctx: PricingContext, attribute: str) -> None:
    if ctx.resource.is_unknown(attribute):
        raise Unpriceable("the cache type is not known statically")
    written = str(ctx.resource.get(attribute) or "").upper()
    cache_type = RENAMED_CACHE_TYPES.get(written, written)
    if cache_type not in CACHE_TYPES:
        raise Unpriceable(f"unknown AppSync cache type {written[:40]!r}")
    ctx.fixed(f"Cache ({cache_type})", ctx.prices("appsync", meter="cache", type=cache_type),
              HOURS_PER_MONTH)
