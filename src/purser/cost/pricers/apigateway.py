"""Amazon API Gateway: HTTP APIs, REST APIs (volume tiers) and WebSocket APIs."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, chunks, scaled

HTTP_METERED_KB = 512  # HTTP API requests are metered in 512 KB increments
WEBSOCKET_METERED_KB = 32  # WebSocket messages in 32 KB increments


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
