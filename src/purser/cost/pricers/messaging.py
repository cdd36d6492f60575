"""Amazon SQS, Amazon SNS and Amazon EventBridge: priced per million requests or events."""

from __future__ import annotations

from purser.cost.pricers import prices
from purser.cost.pricers.context import PricingContext, attr, chunks, scaled

BILLED_CHUNK_KB = 64  # SQS and SNS bill every 64 KB of a payload as one request


@prices("aws_sqs_queue", "AWS::SQS::Queue")
def sqs_queue(ctx: PricingContext) -> None:
    fifo = attr(ctx.resource, "fifo_queue", "FifoQueue", default=False)
    queue = "fifo" if fifo is True or str(fifo).lower() == "true" else "standard"
    per_request = chunks(ctx.used("request_size_kb"), BILLED_CHUNK_KB)
    ctx.add(f"Requests ({'FIFO' if queue == 'fifo' else 'standard'})",
            ctx.prices("sqs", meter="requests", queue=queue),
            scaled(ctx.used("monthly_requests"), per_request / 1e6))


@prices("aws_sns_topic", "AWS::SNS::Topic")
def sns_topic(ctx: PricingContext) -> None:
    per_request = chunks(ctx.used("request_size_kb"), BILLED_CHUNK_KB)
    ctx.add("Publish requests", ctx.prices("sns", meter="publishes"),
            scaled(ctx.used("monthly_requests"), per_request / 1e6))


@prices("aws_cloudwatch_event_bus", "AWS::Events::EventBus")
def event_bus(ctx: PricingContext) -> None:
    ctx.add("Custom events", ctx.prices("eventbridge", meter="custom_events"),
            scaled(ctx.used("monthly_custom_events"), 1 / 1e6))
