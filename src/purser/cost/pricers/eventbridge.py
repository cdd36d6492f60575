"""Amazon EventBridge Pipes, Scheduler and API destinations.

A pipe pays per request after its filter, each 64 KB chunk of an event counting as one
(usage keys `monthly_requests`, `request_size_kb`); a stopped pipe pays nothing. An API
destination pays per invocation (`monthly_invocations`). A schedule pays per invocation:
a `rate(...)` expression fixes how many a month, a one-time `at(...)` is one, a `cron(...)`
needs `monthly_invocations`, and a disabled schedule invokes nothing. Scheduler's free tier
is its first price tier as AWS states it: the first 14M invocations a month are at $0,
counted per schedule (the tier is account-wide: more schedules share it).
"""

from __future__ import annotations

import re

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    FIXED,
    HOURS_PER_MONTH,
    PricingContext,
    chunks,
    scaled,
)
from purser.cost.pricers.free_tier import past_free_tier
from purser.cost.usage import Quantity

PIPE_CHUNK_KB = 64
PER_MILLION = 1 / 1e6
MINUTES_PER_MONTH = HOURS_PER_MONTH * 60
RATE = re.compile(r"rate\(\s*(\d{1,9})\s+(minutes?|hours?|days?)\s*\)", re.IGNORECASE)
MINUTES_PER_UNIT = {"minute": 1, "hour": 60, "day": 24 * 60}


@prices(*kinds.types("aws.pipes.pipe"))
def pipe(ctx: PricingContext) -> None:
    requests = ctx.used("monthly_requests")
    if str(ctx.resource.get("desired_state") or "").upper() == "STOPPED":
        requests = Quantity(0, FIXED)
    per_request = chunks(ctx.used("request_size_kb"), PIPE_CHUNK_KB)
    ctx.add("Requests", ctx.prices("eventbridge", meter="pipe_requests"),
            scaled(requests, per_request * PER_MILLION))


@prices(*kinds.types("aws.events.api_destination"))
def api_destination(ctx: PricingContext) -> None:
    ctx.add("Invocations", ctx.prices("eventbridge", meter="api_destination_invocations"),
            scaled(ctx.used("monthly_invocations"), PER_MILLION))


@prices(*kinds.types("aws.scheduler.schedule"))
def schedule(ctx: PricingContext) -> None:
    invocations = scaled(ctx.used("monthly_invocations") or _scheduled_invocations(ctx),
                         PER_MILLION)
    tiers = ctx.prices("eventbridge", meter="scheduler_invocations")
    ctx.add(*past_free_tier("Invocations", tiers, invocations), invocations)


def _scheduled_invocations(ctx: PricingContext) -> Quantity | None:
    """Invocations a month that the schedule's own settings fix; None for a cron."""
    if str(ctx.resource.get("state") or "").upper() == "DISABLED":
        return Quantity(0, FIXED)
    expression = str(ctx.resource.get("schedule_expression") or "")[:200].strip()
    if expression.lower().startswith("at("):
        return Quantity(1, FIXED)
    rate = RATE.fullmatch(expression)
    if rate is None:
        return None
    every = int(rate.group(1)) * MINUTES_PER_UNIT[rate.group(2).lower().rstrip("s")]
    return Quantity(MINUTES_PER_MONTH / every, FIXED) if every else None
