"""AWS Step Functions: standard workflows per state transition, express per request and GB-s.

Express duration uses the first duration tier only (the first 1,000 GB-hours a month);
memory is billed in 64 MB steps and taken as 64 MB when the usage does not say.
"""

from __future__ import annotations

import math

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, combined, scaled

EXPRESS_MEMORY_STEP_MB = 64


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
    memory = ctx.used("memory_mb")
    memory_mb = EXPRESS_MEMORY_STEP_MB * max(
        1, math.ceil((memory.value if memory else 0) / EXPRESS_MEMORY_STEP_MB))
    ctx.add(f"Duration ({memory_mb} MB)",
            ctx.prices("stepfunctions", meter="duration", workflow="express"),
            combined(requests, ctx.used("workflow_duration_ms"),
                     formula=lambda n, ms: n * ms / 1000 * memory_mb / 1024))
