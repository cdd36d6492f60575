"""Amazon VPC Traffic Mirroring: each mirror session by the hour (AWS bills the session's
source network interface)."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext


@prices(*kinds.types("aws.ec2.traffic_mirror_session"))
def session(ctx: PricingContext) -> None:
    ctx.fixed("Traffic mirror session", ctx.prices("trafficmirror", meter="session_hours"),
              HOURS_PER_MONTH)
