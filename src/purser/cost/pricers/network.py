"""Load balancers, NAT gateways, public IPv4 addresses, VPC endpoints and data transfer.

Application, network and gateway load balancers cost an hourly rate plus capacity-unit
hours (LCU, NLCU, GLCU). Their usage is read from Infracost's keys as Infracost reads them,
so that one usage file prices the same in both tools: each key is divided by Infracost's
factor (`new_connections` by 100, `active_connections` by 3,000, `processed_bytes_gb` by 1,
`rule_evaluations` by 1,000, the last for application load balancers only) and the largest
quotient is the month's capacity-unit hours: 1,000 GB processed in a month are 1,000
LCU-hours, 1.37 LCUs on average. (These factors are the peer's, not AWS's per-second
definitions of an LCU.) Classic load balancers cost per hour and per GB processed.

VPC endpoints: interface endpoints cost per AZ (one per subnet) and per GB over AWS's
monthly volume tiers; Gateway Load Balancer endpoints per hour and per GB; gateway
endpoints (S3, DynamoDB) nothing.

`aws_data_transfer` is Infracost's usage-only pseudo resource (keys
`monthly_outbound_internet_gb`, `monthly_outbound_other_regions_gb`,
`monthly_intra_region_gb`); cross-AZ traffic is billed on both sides, so each GB counts twice.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    FIXED,
    HOURS_PER_MONTH,
    PricingContext,
    Unpriceable,
    scaled,
)
from purser.cost.usage import Quantity

# Infracost's factors: how much of each usage key makes one capacity-unit hour.
CAPACITY_UNIT_FACTORS = {
    "new_connections": 100,
    "active_connections": 3000,
    "processed_bytes_gb": 1,
    "rule_evaluations": 1000,  # application load balancers only
}
# load_balancer_type → (name on the bill, the usage keys its capacity units count)
LOAD_BALANCERS = {
    "application": ("Application load balancer", tuple(CAPACITY_UNIT_FACTORS)),
    "network": ("Network load balancer",
                ("new_connections", "active_connections", "processed_bytes_gb")),
    "gateway": ("Gateway load balancer",
                ("new_connections", "active_connections", "processed_bytes_gb")),
}
CLASSIC_LOAD_BALANCER_TYPES = ("aws_elb", "AWS::ElasticLoadBalancing::LoadBalancer")


@prices(*kinds.types("aws.elbv2.load_balancer"))
def load_balancer(ctx: PricingContext) -> None:
    """Hours plus capacity-unit hours of the largest dimension the usage gives."""
    if ctx.resource.is_unknown("load_balancer_type"):
        raise Unpriceable("load balancer type not known statically")
    kind = str(ctx.resource.get("load_balancer_type") or "application").lower()
    if kind not in LOAD_BALANCERS:
        raise Unpriceable(f"no price model for {kind} load balancers")
    name, keys = LOAD_BALANCERS[kind]
    ctx.fixed(name, ctx.prices("elb", meter="hours", load_balancer=kind), HOURS_PER_MONTH)
    ctx.add("Load balancer capacity units", ctx.prices("elb", meter="lcu", load_balancer=kind),
            _capacity_unit_hours(ctx, keys))


def _capacity_unit_hours(ctx: PricingContext, keys: tuple[str, ...]) -> Quantity | None:
    """The largest dimension's capacity-unit hours; unknown when no key is given."""
    known = {key: q for key in keys if (q := ctx.used(key)) is not None}
    if not known:
        return None
    hours = max(q.value / CAPACITY_UNIT_FACTORS[key] for key, q in known.items())
    return Quantity(hours, " + ".join(dict.fromkeys(q.origin for q in known.values())))


@prices(*CLASSIC_LOAD_BALANCER_TYPES)
def classic_load_balancer(ctx: PricingContext) -> None:
    ctx.fixed("Classic load balancer",
              ctx.prices("elb", meter="hours", load_balancer="classic"), HOURS_PER_MONTH)
    ctx.add("Data processed", ctx.prices("elb", meter="data_processed", load_balancer="classic"),
            ctx.used("monthly_data_processed_gb"))


@prices(*kinds.types("aws.ec2.nat_gateway"))
def nat_gateway(ctx: PricingContext) -> None:
    ctx.fixed("NAT gateway", ctx.prices("nat", meter="hours"), HOURS_PER_MONTH)
    ctx.add("Data processed", ctx.prices("nat", meter="data_processed"),
            ctx.used("monthly_data_processed_gb"))


@prices(*kinds.types("aws.ec2.eip"))
def elastic_ip(ctx: PricingContext) -> None:
    """Every public IPv4 address is billed per hour, attached or not."""
    ctx.fixed("Public IPv4 address", ctx.prices("vpc", meter="public_ipv4"), HOURS_PER_MONTH)


# vpc_endpoint_type (lower case) → the catalog's `endpoint` attribute
ENDPOINT_TYPES = {"interface": "interface", "gatewayloadbalancer": "gateway_load_balancer"}


@prices(*kinds.types("aws.ec2.vpc_endpoint"))
def vpc_endpoint(ctx: PricingContext) -> None:
    """Interface endpoints cost per AZ (one per subnet) and per GB; Gateway Load Balancer
    endpoints per hour and per GB; gateway endpoints are free."""
    if ctx.resource.is_unknown("vpc_endpoint_type"):
        raise Unpriceable("endpoint type not known statically")
    written = str(ctx.resource.get("vpc_endpoint_type") or "Gateway")
    endpoint = ENDPOINT_TYPES.get(written.lower())
    if endpoint is None:
        return
    zones = _zones(ctx) if endpoint == "interface" else 1
    label = "" if zones is None or zones == 1 else f", {zones:g} AZs"
    ctx.add(f"Endpoint ({written}{label})",
            ctx.prices("vpc_endpoint", meter="hours", endpoint=endpoint),
            None if zones is None else Quantity(zones * HOURS_PER_MONTH, FIXED))
    ctx.add("Data processed",
            ctx.prices("vpc_endpoint", meter="data_processed", endpoint=endpoint),
            ctx.used("monthly_data_processed_gb"))


def _zones(ctx: PricingContext) -> float | None:
    """One endpoint network interface per subnet; None when the subnets are not known."""
    if ctx.resource.is_unknown("subnet_ids"):
        return None
    subnets = ctx.resource.get("subnet_ids")
    return float(len(subnets)) if isinstance(subnets, list) and subnets else 1.0


@prices("aws_data_transfer")
def data_transfer(ctx: PricingContext) -> None:
    ctx.add("Internet egress", ctx.prices("data_transfer", meter="internet_egress"),
            ctx.used("monthly_outbound_internet_gb"))
    ctx.add("Inter-region transfer", ctx.prices("data_transfer", meter="inter_region"),
            ctx.used("monthly_outbound_other_regions_gb"))
    ctx.add("Cross-AZ transfer (billed in and out)",
            ctx.prices("data_transfer", meter="cross_az"),
            scaled(ctx.used("monthly_intra_region_gb"), 2))
