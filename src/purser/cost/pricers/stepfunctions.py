"""AWS Step Functions: standard workflows per state transition, express per request and GB-hour.

Express duration is billed per execution rounded up to the next 100 ms, at the memory used
rounded up to the next 64 MB (64 MB at least, which is also what purser assumes, marked
`default`, when the usage does not give `memory_mb`), in volume tiers of GB-hours per month.
"""

from __future__ import annotations

import math

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    DEFAULT,
    SECONDS_PER_HOUR,
    PricingContext,
    combined,
    scaled,
)
from purser.cost.usage import Quantity

EXPRESS_MEMORY_STEP_MB = 64
EXPRESS_DURATION_STEP_MS = 100
MB_PER_GB = 1024


@prices(*kinds.types("aws.sfn.state_machine"))
def state_machine(ctx: PricingContext) -> None:
    kind = str(ctx.resource.get("type") or "STANDARD").upper()
    if kind != "EXPRESS":
        ctx.add("State transitions",
                ctx.prices("stepfunctions", meter="state_transitions", workflow="standard"),
                scaled(ctx.used("monthly_transitions"), 1 / 1e3))
        return
    requests = ctx.used("monthly_requests")
    ctx.add("Requests", ctx.prices("stepfunctions", meter="requests", workflow="express"),
            scaled(requests, 1 / 1e6))
    memory = ctx.used("memory_mb") or Quantity(EXPRESS_MEMORY_STEP_MB, DEFAULT)
    memory_mb = billed_memory_mb(memory.value)
    ctx.add(f"Duration ({memory_mb} MB)",
            ctx.prices("stepfunctions", meter="duration", workflow="express"),
            combined(requests, ctx.used("workflow_duration_ms"), memory,
                     formula=lambda n, ms, _: express_gb_hours(n, ms, memory_mb)))


def billed_memory_mb(memory_mb: float) -> int:
    """Memory rounded up to the next 64 MB step, one step at least."""
    return EXPRESS_MEMORY_STEP_MB * max(1, math.ceil(memory_mb / EXPRESS_MEMORY_STEP_MB))


def express_gb_hours(executions: float, duration_ms: float, memory_mb: int) -> float:
    """GB-hours of `executions` runs of `duration_ms` each, billed in 100 ms steps."""
    billed_ms = EXPRESS_DURATION_STEP_MS * max(1, math.ceil(duration_ms /
                                                            EXPRESS_DURATION_STEP_MS))
    return executions * billed_ms / 1000 * memory_mb / MB_PER_GB / SECONDS_PER_HOUR
