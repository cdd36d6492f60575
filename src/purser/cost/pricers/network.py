"""NAT gateways, public IPv4 addresses, VPC interface endpoints and data transfer.

`aws_data_transfer` is Infracost's usage-only pseudo resource (keys
`monthly_outbound_internet_gb`, `monthly_outbound_other_regions_gb`,
`monthly_intra_region_gb`); cross-AZ traffic is billed on both sides, so each GB counts twice.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, scaled


@prices(*kinds.types("aws.ec2.nat_gateway"))
def nat_gateway(ctx: PricingContext) -> None:
    ctx.fixed("NAT gateway", ctx.prices("nat", meter="hours"), HOURS_PER_MONTH)
    ctx.add("Data processed", ctx.prices("nat", meter="data_processed"),
            ctx.used("monthly_data_processed_gb"))


@prices(*kinds.types("aws.ec2.eip"))
def elastic_ip(ctx: PricingContext) -> None:
    """Every public IPv4 address is billed per hour, attached or not."""
    ctx.fixed("Public IPv4 address", ctx.prices("vpc", meter="public_ipv4"), HOURS_PER_MONTH)


@prices(*kinds.types("aws.ec2.vpc_endpoint"))
def vpc_endpoint(ctx: PricingContext) -> None:
    """Interface endpoints cost per AZ (one per subnet) and per GB; gateway endpoints are free."""
    kind = str(ctx.resource.get("vpc_endpoint_type") or "Gateway").lower()
    if kind != "interface":
        return
    subnets = ctx.resource.get("subnet_ids")
    zones = len(subnets) if isinstance(subnets, list) and subnets else 1
    ctx.fixed(f"Interface endpoint ({zones} AZ{'s' if zones > 1 else ''})",
              ctx.prices("vpc_endpoint", meter="hours", endpoint="interface"),
              zones * HOURS_PER_MONTH)
    ctx.add("Data processed",
            ctx.prices("vpc_endpoint", meter="data_processed", endpoint="interface"),
            ctx.used("monthly_data_processed_gb"))


@prices("aws_data_transfer")
def data_transfer(ctx: PricingContext) -> None:
    ctx.add("Internet egress", ctx.prices("data_transfer", meter="internet_egress"),
            ctx.used("monthly_outbound_internet_gb"))
    ctx.add("Inter-region transfer", ctx.prices("data_transfer", meter="inter_region"),
            ctx.used("monthly_outbound_other_regions_gb"))
    ctx.add("Cross-AZ transfer (billed in and out)",
            ctx.prices("data_transfer", meter="cross_az"),
            scaled(ctx.used("monthly_intra_region_gb"), 2))
