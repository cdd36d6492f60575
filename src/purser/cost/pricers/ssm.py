"""AWS Systems Manager Parameter Store parameters.

A standard parameter costs nothing unless the account raised its API throughput (Infracost's
usage word `api_throughput_limit: advanced|higher`), then its API interactions are billed.
An advanced parameter pays its storage by the month (or for `parameter_storage_hrs` hours)
and every API interaction (`monthly_api_interactions`). An Intelligent-Tiering parameter is
advanced when its value is over 4 KB or it has policies; a value that cannot be read leaves
its tier, and so its price, unknown.
"""

from __future__ import annotations

from typing import Any

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.configured import word
from purser.cost.pricers.context import (
    FIXED,
    HOURS_PER_MONTH,
    PricingContext,
    Unpriceable,
    scaled,
)
from purser.cost.usage import Quantity

STANDARD, ADVANCED = "standard", "advanced"
INTELLIGENT = "intelligent-tiering"
STANDARD_MAX_BYTES = 4096
THROUGHPUTS = ("standard", "advanced", "higher")
PER_10K = 1 / 1e4


@prices(*kinds.types("aws.ssm.parameter"))
def parameter(ctx: PricingContext) -> None:
    tier = _tier(ctx)
    throughput = ctx.text("api_throughput_limit", allowed=THROUGHPUTS)
    if tier != STANDARD:
        hours = ctx.used("parameter_storage_hrs")
        storage = Quantity(1, FIXED) if hours is None else scaled(hours, 1 / HOURS_PER_MONTH)
        ctx.add("Parameter storage (advanced)", ctx.prices("ssm", meter="advanced_parameters"),
                storage if tier == ADVANCED else None)
    if tier != STANDARD or throughput in ("advanced", "higher"):
        ctx.add("API interactions", ctx.prices("ssm", meter="api_interactions"),
                scaled(ctx.used("monthly_api_interactions"), PER_10K))


def _tier(ctx: PricingContext) -> str | None:
    """The parameter's tier, standard or advanced; None when it cannot be told."""
    tier = word(ctx, "tier", default=STANDARD)
    if tier in (STANDARD, ADVANCED, None):
        return tier
    if tier != INTELLIGENT:
        raise Unpriceable(f"unknown parameter tier {tier[:40]!r}")
    if ctx.resource.get("policies") not in (None, "", []):
        return ADVANCED
    size = _value_bytes(ctx)
    return None if size is None else ADVANCED if size > STANDARD_MAX_BYTES else STANDARD


def _value_bytes(ctx: PricingContext) -> int | None:
    for path in ("value", "insecure_value"):
        if ctx.resource.is_unknown(path):
            return None
        value: Any = ctx.resource.get(path)
        if isinstance(value, str) and "${" not in value:
            return len(value.encode("utf-8"))
        if value is not None:
            return None  # a reference or an intrinsic function: its size is not known
    return None
