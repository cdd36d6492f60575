"""AWS Lambda: requests, duration by architecture, ephemeral storage, provisioned concurrency."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    HOURS_PER_MONTH,
    SECONDS_PER_HOUR,
    PricingContext,
    combined,
    scaled,
)
from purser.model import Resource, number

DEFAULT_MEMORY_MB = 128
FREE_EPHEMERAL_MB = 512


def memory_mb(function: Resource) -> float:
    return number(function.get("memory_size"), DEFAULT_MEMORY_MB) or 0.0


def architecture(function: Resource) -> str:
    value = function.get("architectures")
    first = value[0] if isinstance(value, list) and value else value
    return "arm64" if first == "arm64" else "x86_64"


@prices(*kinds.types("aws.lambda.function"))
def lambda_function(ctx: PricingContext) -> None:
    """Requests × price; GB-seconds = requests × duration_ms/1000 × memory_mb/1024."""
    function = ctx.resource
    memory = memory_mb(function)
    requests = ctx.used("monthly_requests")
    duration_ms = ctx.used("request_duration_ms")
    ctx.add("Requests", ctx.prices("lambda", meter="requests"), scaled(requests, 1 / 1e6))
    gb_seconds = combined(requests, duration_ms,
                          formula=lambda n, ms: n * ms / 1000 * memory / 1024)
    ctx.add(f"Duration ({architecture(function)}, {memory:g} MB)",
            ctx.prices("lambda", meter="duration", architecture=architecture(function)),
            gb_seconds)
    ephemeral = number(function.get("ephemeral_storage.size"),
                       FREE_EPHEMERAL_MB) or FREE_EPHEMERAL_MB
    if ephemeral > FREE_EPHEMERAL_MB:
        extra_gb = (ephemeral - FREE_EPHEMERAL_MB) / 1024
        ctx.add(f"Ephemeral storage ({ephemeral:g} MB, {FREE_EPHEMERAL_MB} MB included)",
                ctx.prices("lambda", meter="ephemeral_storage"),
                combined(requests, duration_ms, formula=lambda n, ms: n * ms / 1000 * extra_gb))
    # SAM: a function with AutoPublishAlias may carry its provisioned concurrency itself.
    concurrency = number(function.get(
        "provisioned_concurrency_config.provisioned_concurrent_executions"))
    if concurrency:
        _provisioned(ctx, function, concurrency, with_duration=False)


@prices(*kinds.types("aws.lambda.provisioned_concurrency"))
def provisioned_concurrency(ctx: PricingContext) -> None:
    """Concurrency × memory × 730 h × 3600 s; the memory is the function's (128 MB if unknown)."""
    target = ctx.resource.get("function_name")
    function = (ctx.index.referenced(target)
                or ctx.index.find("aws_lambda_function", "function_name", target)
                or ctx.resource)
    concurrency = number(ctx.resource.get("provisioned_concurrent_executions"), 0) or 0.0
    _provisioned(ctx, function, concurrency, with_duration=True)


def _provisioned(ctx: PricingContext, function: Resource, concurrency: float, *,
                 with_duration: bool) -> None:
    memory = memory_mb(function)
    arch = architecture(function)
    gb_seconds = concurrency * memory / 1024 * HOURS_PER_MONTH * SECONDS_PER_HOUR
    ctx.fixed(f"Provisioned concurrency ({concurrency:g} × {memory:g} MB, {arch})",
              ctx.prices("lambda", meter="provisioned_concurrency", architecture=arch),
              gb_seconds)
    if with_duration:
        # Invocations served by provisioned capacity pay this lower duration price.
        served = combined(ctx.used("monthly_requests"), ctx.used("request_duration_ms"),
                          formula=lambda n, ms: n * ms / 1000 * memory / 1024)
        ctx.add("Duration on provisioned concurrency",
                ctx.prices("lambda", meter="provisioned_duration", architecture=arch), served)
