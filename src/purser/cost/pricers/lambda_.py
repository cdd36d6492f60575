"""AWS Lambda: requests, duration by architecture, ephemeral storage, provisioned concurrency.

A memory size that cannot be known (a variable without a value) stays unknown: the lines
that depend on it keep their unit price and have no quantity, never 128 MB. Written
nowhere, it is AWS's default of 128 MB.

A provisioned concurrency config may name a function outside the repository: its memory
and architecture then come from the usage keys Infracost gives it (`memory_mb`,
`architecture`); its `monthly_duration_hrs` is how long the concurrency stays provisioned
(all month, 730 hours, when not given); the `monthly_requests` it serves pay the request
price and the provisioned duration price.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import (
    FIXED,
    HOURS_PER_MONTH,
    SECONDS_PER_HOUR,
    PricingContext,
    combined,
    scaled,
)
from purser.cost.usage import Quantity
from purser.model import Resource, number

DEFAULT_MEMORY_MB = 128
FREE_EPHEMERAL_MB = 512
ARCHITECTURES = ("x86_64", "arm64")
ARCHITECTURE_KEY = "architecture"


def memory_mb(function: Resource) -> float | None:
    """The function's memory in MB; None when written but not known statically."""
    if function.is_unknown("memory_size"):
        return None
    written = function.get("memory_size")
    if written is None:
        return DEFAULT_MEMORY_MB
    return number(written)


def architecture(function: Resource, ctx: PricingContext | None = None) -> str:
    """The function's architecture; when it does not say (or says it only at apply time),
    the usage file's `architecture`, else AWS's default, x86_64."""
    value = None if function.is_unknown("architectures") else function.get("architectures")
    first = value[0] if isinstance(value, list) and value else value
    if first in ARCHITECTURES:
        return str(first)
    said = ctx.text(ARCHITECTURE_KEY, allowed=ARCHITECTURES) if ctx else None
    return said or "x86_64"


@prices(*kinds.types("aws.lambda.function"))
def lambda_function(ctx: PricingContext) -> None:
    """Requests × price; GB-seconds = requests × duration_ms/1000 × memory_mb/1024."""
    function = ctx.resource
    memory = memory_mb(function)
    arch = architecture(function, ctx)
    requests = ctx.used("monthly_requests")
    duration_ms = ctx.used("request_duration_ms")
    ctx.add("Requests", ctx.prices("lambda", meter="requests"), scaled(requests, 1 / 1e6))
    ctx.add(f"Duration ({arch}, {_memory_label(memory)})",
            ctx.prices("lambda", meter="duration", architecture=arch),
            _gb_seconds(requests, duration_ms, memory))
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
        _provisioned(ctx, concurrency, memory, arch, _fixed_hours())


@prices(*kinds.types("aws.lambda.provisioned_concurrency"))
def provisioned_concurrency(ctx: PricingContext) -> None:
    """Concurrency × memory × hours × 3600 s, plus the requests it serves and their
    duration at the provisioned price."""
    target = ctx.resource.get("function_name")
    function = (ctx.index.referenced(target)
                or ctx.index.find("aws_lambda_function", "function_name", target))
    memory = _config_memory(ctx, function)
    arch = architecture(function, ctx) if function else _config_architecture(ctx)
    concurrency = number(ctx.resource.get("provisioned_concurrent_executions"), 0) or 0.0
    hours = ctx.used("monthly_duration_hrs") or _fixed_hours()
    requests = ctx.used("monthly_requests")
    ctx.add("Requests", ctx.prices("lambda", meter="requests"), scaled(requests, 1 / 1e6))
    _provisioned(ctx, concurrency, memory, arch, hours)
    ctx.add("Duration on provisioned concurrency",
            ctx.prices("lambda", meter="provisioned_duration", architecture=arch),
            _gb_seconds(requests, ctx.used("request_duration_ms"), memory))


def _config_memory(ctx: PricingContext, function: Resource | None) -> float | None:
    """The function's memory when the repository holds it, else the usage's `memory_mb`
    (unknown without either: the function may be anything)."""
    if function is not None:
        return memory_mb(function)
    said = ctx.used("memory_mb")
    return said.value if said else None


def _config_architecture(ctx: PricingContext) -> str:
    return ctx.text(ARCHITECTURE_KEY, allowed=ARCHITECTURES) or "x86_64"


def _fixed_hours() -> Quantity:
    return Quantity(HOURS_PER_MONTH, FIXED)


def _provisioned(ctx: PricingContext, concurrency: float, memory: float | None, arch: str,
                 hours: Quantity) -> None:
    gb_seconds = None if memory is None else scaled(
        hours, concurrency * memory / 1024 * SECONDS_PER_HOUR)
    ctx.add(f"Provisioned concurrency ({concurrency:g} × {_memory_label(memory)}, {arch})",
            ctx.prices("lambda", meter="provisioned_concurrency", architecture=arch),
            gb_seconds)


def _gb_seconds(requests: Quantity | None, duration_ms: Quantity | None,
                memory: float | None) -> Quantity | None:
    if memory is None:
        return None
    return combined(requests, duration_ms, formula=lambda n, ms: n * ms / 1000 * memory / 1024)


def _memory_label(memory: float | None) -> str:
    return "memory unknown" if memory is None else f"{memory:g} MB"
