"""Amazon API Gateway: HTTP APIs, REST APIs (volume tiers), WebSocket APIs, REST API caches.

A REST stage with its cache enabled pays the cache's size by the hour, all month; AWS's
default size is 0.5 GB. A SAM `AWS::Serverless::Api` deploys its own stage, so its cache
settings are priced on the API itself.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable, chunks, scaled
from purser.model import Resource, number

HTTP_METERED_KB = 512  # HTTP API requests are metered in 512 KB increments
WEBSOCKET_METERED_KB = 32  # WebSocket messages in 32 KB increments
CACHE_SIZES_GB = (0.5, 1.6, 6.1, 13.5, 28.4, 58.2, 118, 237)  # the sizes AWS offers
DEFAULT_CACHE_GB = 0.5


@prices(*kinds.types("aws.apigatewayv2.api"))
def v2_api(ctx: PricingContext) -> None:
    protocol = str(ctx.resource.get("protocol_type") or "HTTP").upper()
    if protocol == "WEBSOCKET":
        websocket_api(ctx)
    else:
        http_api(ctx)


def http_api(ctx: PricingContext) -> None:
    per_request = chunks(ctx.used("request_size_kb"), HTTP_METERED_KB)
    ctx.add("Requests", ctx.prices("apigateway", meter="requests", api="http"),
            scaled(ctx.used("monthly_requests"), per_request / 1e6))


def websocket_api(ctx: PricingContext) -> None:
    per_message = chunks(ctx.used("message_size_kb"), WEBSOCKET_METERED_KB)
    ctx.add("Messages", ctx.prices("apigateway", meter="messages", api="websocket"),
            scaled(ctx.used("monthly_messages"), per_message / 1e6))
    ctx.add("Connection minutes",
            ctx.prices("apigateway", meter="connection_minutes", api="websocket"),
            scaled(ctx.used("monthly_connection_mins"), 1 / 1e6))


@prices(*kinds.types("aws.apigateway.rest_api"))
def rest_api(ctx: PricingContext) -> None:
    ctx.add("Requests", ctx.prices("apigateway", meter="requests", api="rest"),
            scaled(ctx.used("monthly_requests"), 1 / 1e6))
    stage_cache(ctx)


@prices(*kinds.types("aws.apigateway.stage"))
def stage_cache(ctx: PricingContext) -> None:
    """Cache memory for 730 hours when the cache is enabled; a stage without one is free."""
    if not _cache_enabled(ctx.resource):
        return
    size = _cache_size_gb(ctx.resource)
    default = " (the default size)" if ctx.resource.get("cache_cluster_size") is None else ""
    ctx.fixed(f"Cache memory ({size:g} GB){default}",
              ctx.prices("apigateway", meter="cache", size_gb=f"{size:g}"), HOURS_PER_MONTH)


def _cache_enabled(resource: Resource) -> bool:
    if resource.is_unknown("cache_cluster_enabled"):
        raise Unpriceable("cache_cluster_enabled is not known statically")
    value = resource.get("cache_cluster_enabled")
    if value is None or isinstance(value, bool):
        return bool(value)
    if str(value).strip().lower() in ("true", "false"):
        return str(value).strip().lower() == "true"
    raise Unpriceable(f"cache_cluster_enabled = {str(value)[:40]!r} is not true or false")


def _cache_size_gb(resource: Resource) -> float:
    value = resource.get("cache_cluster_size")
    if resource.is_unknown("cache_cluster_size"):
        raise Unpriceable("cache_cluster_size is not known statically")
    if value is None:
        return DEFAULT_CACHE_GB
    size = number(value)
    if size not in CACHE_SIZES_GB:
        raise Unpriceable(f"cache_cluster_size = {str(value)[:40]!r} is not a cache size "
                          f"API Gateway offers ({', '.join(f'{s:g}' for s in CACHE_SIZES_GB)} GB)")
    return float(size)
