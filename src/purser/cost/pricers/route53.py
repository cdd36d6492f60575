"""Amazon Route 53: hosted zones, DNS queries, health checks and Resolver endpoints.

A health check costs more when its endpoint is outside AWS, which the configuration does
not say: Infracost's usage word `endpoint_type: aws|non_aws` tells, and without it the AWS
rate is assumed and said so. Each optional feature (HTTPS, string matching, the 10-second
interval, latency measurement) costs a further monthly rate of the same kind.

Queries are priced on the record that answers them, by its routing policy (Infracost's
keys `monthly_standard_queries`, `monthly_latency_based_queries`, `monthly_geo_queries`;
every key the usage gives is priced). Alias records answer for free, as AWS does not
charge alias queries to AWS resources. A Resolver endpoint pays for each of its IP
addresses (one network interface each) by the hour and for the queries it forwards.
"""

from __future__ import annotations

from typing import Any

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import amount, flag, word
from purser.cost.pricers.context import (
    DEFAULT,
    FIXED,
    HOURS_PER_MONTH,
    PricingContext,
    Unpriceable,
    scaled,
)
from purser.cost.pricers.global_services import global_prices
from purser.cost.usage import Quantity
from purser.model import Resource

PER_MILLION = 1 / 1e6

# Routing → (usage key, label). Geoproximity queries are billed as geolocation ones.
QUERIES: dict[str, tuple[str, str]] = {
    "standard": ("monthly_standard_queries", "Standard queries"),
    "latency": ("monthly_latency_based_queries", "Latency-based routing queries"),
    "geo": ("monthly_geo_queries", "Geo DNS queries"),
}
POLICIES = (("latency_routing_policy", "latency"), ("geolocation_routing_policy", "geo"),
            ("geoproximity_routing_policy", "geo"))
UNPRICED_POLICIES = ("cidr_routing_policy",)  # IP-based routing: no price in the catalog

ENDPOINTS = ("aws", "non_aws")
ENDPOINTLESS = ("calculated", "cloudwatch_metric", "recovery_control")
STANDARD_INTERVAL_S = 30  # a 10-second interval is the "fast interval" feature


@prices(*kinds.types("aws.route53.zone"))
def hosted_zone(ctx: PricingContext) -> None:
    ctx.fixed("Hosted zone", global_prices(ctx, "route53", meter="hosted_zone"), 1)


@prices(*kinds.types("aws.route53.record"))
def record(ctx: PricingContext) -> None:
    if _present(ctx.resource, "alias"):
        return  # alias queries to AWS resources are free
    for policy in UNPRICED_POLICIES:
        if _present(ctx.resource, policy):
            raise Unpriceable("IP-based routing queries have no price in the catalog")
    given = [routing for routing, (key, _) in QUERIES.items() if ctx.used(key) is not None]
    for routing in given or [_routing(ctx.resource)]:
        key, label = QUERIES[routing]
        ctx.add(label, global_prices(ctx, "route53", meter="queries", routing=routing),
                scaled(ctx.used(key), PER_MILLION))


@prices(*kinds.types("aws.route53.health_check"))
def health_check(ctx: PricingContext) -> None:
    check_type = word(ctx, "type")
    endpoint = ctx.text("endpoint_type", allowed=ENDPOINTS)
    if check_type in ENDPOINTLESS:
        endpoint = "aws"  # a check of other checks or of an alarm: the basic AWS rate
    origin = FIXED if endpoint else DEFAULT
    endpoint = (endpoint or "aws").lower()
    said = "AWS endpoint" if endpoint == "aws" else "non-AWS endpoint"
    ctx.add(f"Health check ({said}{'' if origin == FIXED else ', assumed'})",
            global_prices(ctx, "route53", meter="health_check", endpoint=endpoint),
            Quantity(1, origin))
    features = _features(ctx, check_type)
    if features is None or features:
        ctx.add(f"Optional features ({', '.join(features or ['not known'])})",
                global_prices(ctx, "route53", meter="health_check_feature", endpoint=endpoint),
                None if features is None else Quantity(len(features), origin))


def _features(ctx: PricingContext, check_type: str | None) -> list[str] | None:
    """The optional features the check uses; None when its settings are not known."""
    interval = amount(ctx, "request_interval", default=STANDARD_INTERVAL_S)
    latency = flag(ctx, "measure_latency")
    if check_type is None or interval is None or latency is None:
        return None
    features = []
    if check_type.startswith("https"):
        features.append("HTTPS")
    if check_type.endswith("_str_match"):
        features.append("string matching")
    if interval.value < STANDARD_INTERVAL_S:
        features.append("fast interval")
    if latency:
        features.append("latency measurement")
    return features


@prices(*kinds.types("aws.route53resolver.endpoint"))
def resolver_endpoint(ctx: PricingContext) -> None:
    addresses: Any = ctx.resource.get("ip_address")
    if ctx.resource.is_unknown("ip_address") or not isinstance(addresses, list):
        interfaces = None
    else:
        interfaces = Quantity(len(addresses) * HOURS_PER_MONTH, FIXED)
    ctx.add("Resolver endpoint IP addresses", ctx.prices("route53resolver",
                                                         meter="endpoint_eni_hours"),
            interfaces)
    ctx.add("DNS queries", ctx.prices("route53resolver", meter="queries"),
            scaled(ctx.used("monthly_queries"), PER_MILLION))


def _routing(resource: Resource) -> str:
    for block, routing in POLICIES:
        if _present(resource, block):
            return routing
    return "standard"


def _present(resource: Resource, block: str) -> bool:
    return resource.get(block) not in (None, [], {}, "") or resource.is_unknown(block)
