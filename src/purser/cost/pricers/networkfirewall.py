"""AWS Network Firewall: one endpoint per subnet mapping (each AZ) by the hour, and the
traffic the firewall processes per GB (Infracost's `monthly_data_processed_gb`)."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import FIXED, HOURS_PER_MONTH, PricingContext
from purser.cost.usage import Quantity


@prices(*kinds.types("aws.networkfirewall.firewall"))
def firewall(ctx: PricingContext) -> None:
    endpoints = _endpoints(ctx)
    label = "" if endpoints in (None, 1) else f" ({endpoints:g} AZs)"
    ctx.add(f"Firewall endpoint{label}", ctx.prices("networkfirewall", meter="endpoint_hours"),
            None if endpoints is None else Quantity(endpoints * HOURS_PER_MONTH, FIXED))
    ctx.add("Data processed", ctx.prices("networkfirewall", meter="data_processed"),
            ctx.used("monthly_data_processed_gb"))


def _endpoints(ctx: PricingContext) -> float | None:
    """One endpoint per subnet mapping; None when the mappings are not known statically."""
    if ctx.resource.is_unknown("subnet_mapping"):
        return None
    mappings = ctx.resource.get("subnet_mapping")
    if isinstance(mappings, list):
        return float(max(len(mappings), 1))
    return 1.0
