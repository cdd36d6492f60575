"""AWS Transit Gateway attachments: hours, and the data the gateway processes from them.

Every attachment is billed by the hour; VPC, VPN and Direct Connect gateway attachments
also per GB the gateway processes from them (Infracost's `monthly_data_processed_gb`).
Peering attachments are not billed for data processing. VPN connections and Direct
Connect gateway associations make their attachment themselves and price it here too.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext

PROCESSES_DATA = ("vpc", "vpn", "direct_connect")


def attachment(ctx: PricingContext, kind: str) -> None:
    """The lines of one transit gateway attachment of `kind` (the catalog's `attachment`)."""
    ctx.fixed("Transit gateway attachment",
              ctx.prices("transitgateway", meter="attachment_hours", attachment=kind),
              HOURS_PER_MONTH)
    if kind in PROCESSES_DATA:
        ctx.add("Data processed",
                ctx.prices("transitgateway", meter="data_processed", attachment=kind),
                ctx.used("monthly_data_processed_gb"))


@prices(*kinds.types("aws.ec2.transit_gateway_vpc_attachment"))
def vpc_attachment(ctx: PricingContext) -> None:
    attachment(ctx, "vpc")


@prices(*kinds.types("aws.ec2.transit_gateway_peering_attachment"))
def peering_attachment(ctx: PricingContext) -> None:
    attachment(ctx, "peering")
