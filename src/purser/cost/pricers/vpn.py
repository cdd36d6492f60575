"""AWS Site-to-Site VPN connections and AWS Client VPN.

A Site-to-Site VPN connection costs by the hour; one that ends on a transit gateway also
makes a VPN attachment there, billed by the hour and per GB the gateway processes from it
(Infracost's `monthly_data_processed_gb`). A Client VPN endpoint is billed per subnet
association hour (each `aws_ec2_client_vpn_network_association`) and per client
connection hour: how many clients connect is not in the configuration, so one client
connected all month is assumed and said, as Infracost does.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import DEFAULT, HOURS_PER_MONTH, PricingContext
from purser.cost.pricers.transit_gateway import attachment
from purser.cost.usage import Quantity


@prices(*kinds.types("aws.ec2.vpn_connection"))
def vpn_connection(ctx: PricingContext) -> None:
    ctx.fixed("VPN connection", ctx.prices("vpn", meter="connection_hours"), HOURS_PER_MONTH)
    if ctx.resource.get("transit_gateway_id") or ctx.resource.is_unknown("transit_gateway_id"):
        attachment(ctx, "vpn")


@prices(*kinds.types("aws.ec2.client_vpn_endpoint"))
def client_vpn_endpoint(ctx: PricingContext) -> None:
    ctx.add("Client connections (1 client all month, assumed)",
            ctx.prices("clientvpn", meter="client_connection_hours"),
            Quantity(HOURS_PER_MONTH, DEFAULT))


@prices(*kinds.types("aws.ec2.client_vpn_network_association"))
def client_vpn_association(ctx: PricingContext) -> None:
    ctx.fixed("Endpoint association", ctx.prices("clientvpn", meter="client_association_hours"),
              HOURS_PER_MONTH)
