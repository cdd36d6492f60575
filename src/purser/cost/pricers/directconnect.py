"""AWS Direct Connect: connection ports and Direct Connect gateway associations.

A connection is billed per port-hour by its bandwidth and whether it is dedicated or hosted
(Infracost's usage word `dx_connection_type`; dedicated when not given, as a Terraform
`aws_dx_connection` is). Data transfer out to the location is billed by the location's
country, which a location code does not tell purser: a connection whose usage gives such
transfer is unpriced rather than priced without it. A gateway association with a transit
gateway makes a Direct Connect attachment there; one with a virtual private gateway is free.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, Unpriceable
from purser.cost.pricers.transit_gateway import attachment
from purser.model import Ref

CONNECTION_TYPES = ("dedicated", "hosted")
TRANSFER_KEYS = ("monthly_outbound_region_to_dx_location_gb",
                 "monthly_outbound_from_region_to_dx_connection_location")
TRANSIT_GATEWAY_TYPES = ("aws_ec2_transit_gateway", "AWS::EC2::TransitGateway")


@prices(*kinds.types("aws.dx.connection"))
def connection(ctx: PricingContext) -> None:
    if any(ctx.has_usage(key) for key in TRANSFER_KEYS):
        raise Unpriceable("data transfer out to a Direct Connect location is priced by the "
                          "location's country, which purser does not know")
    if ctx.resource.is_unknown("bandwidth"):
        raise Unpriceable("connection bandwidth not known statically")
    bandwidth = str(ctx.resource.get("bandwidth") or "")
    kind = (ctx.text("dx_connection_type", allowed=CONNECTION_TYPES) or "dedicated").lower()
    ctx.fixed(f"DX connection ({kind}, {bandwidth})",
              ctx.prices("directconnect", meter="port_hours", connection=kind,
                         bandwidth=bandwidth), HOURS_PER_MONTH)


@prices(*kinds.types("aws.dx.gateway_association"))
def gateway_association(ctx: PricingContext) -> None:
    gateway = ctx.resource.get("associated_gateway_id")
    if isinstance(gateway, Ref):
        target = ctx.index.get(gateway.address)
        on_transit_gateway = target is not None and target.type in TRANSIT_GATEWAY_TYPES
    elif isinstance(gateway, str) and gateway:
        on_transit_gateway = gateway.startswith("tgw-")
    else:
        raise Unpriceable("associated gateway not known statically")
    if on_transit_gateway:
        attachment(ctx, "direct_connect")
