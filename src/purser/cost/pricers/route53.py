"""Amazon Route 53: hosted zones, DNS queries, health checks and Resolver endpoints.

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
from purser.cost.pricers.context import (
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
