"""Amazon SQS, Amazon SNS and Amazon EventBridge: priced per million requests or events."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, chunks, scaled

BILLED_CHUNK_KB = 64  # SQS and SNS bill every 64 KB of a payload as one request


@prices(*kinds.types("aws.sqs.queue"))
def sqs_queue(ctx: PricingContext) -> None:
    fifo = ctx.resource.get("fifo_queue")
    queue = "fifo" if fifo is True or str(fifo).lower() == "true" else "standard"
    per_request = chunks(ctx.used("request_size_kb"), BILLED_CHUNK_KB)
    ctx.add(f"Requests ({'FIFO' if queue == 'fifo' else 'standard'})",
            ctx.prices("sqs", meter="requests", queue=queue),
            scaled(ctx.used("monthly_requests"), per_request / 1e6))


@prices(*kinds.types("aws.sns.topic"))
def sns_topic(ctx: PricingContext) -> None:
    per_request = chunks(ctx.used("request_size_kb"), BILLED_CHUNK_KB)
    ctx.add("Publish requests", ctx.prices("sns", meter="publishes"),
            scaled(ctx.used("monthly_requests"), per_request / 1e6))


@prices(*kinds.types("aws.events.bus"))
def event_bus(ctx: PricingContext) -> None:
    ctx.add("Custom events", ctx.prices("eventbridge", meter="custom_events"),
            scaled(ctx.used("monthly_custom_events"), 1 / 1e6))
