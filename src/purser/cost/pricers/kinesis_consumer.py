"""Kinesis Data Streams enhanced fan-out consumers.

A consumer of a provisioned stream pays per consumer-shard-hour (one per shard of its
stream, all month) and per GB it retrieves (usage key `monthly_data_retrieved_gb`); one of
an on-demand stream pays per GB retrieved only. The stream, found through `stream_arn`,
gives the mode and the shard count; a consumer whose stream is not in the repository is
unpriced, since neither is known.
"""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import FIXED, HOURS_PER_MONTH, PricingContext, Unpriceable
from purser.cost.usage import Quantity
from purser.model import number


@prices(*kinds.types("aws.kinesis.stream_consumer"))
def stream_consumer(ctx: PricingContext) -> None:
    stream = ctx.index.referenced(ctx.resource.get("stream_arn"))
    if stream is None or stream.is_unknown("stream_mode_details.stream_mode"):
        raise Unpriceable("its stream's mode and shard count are not known: the stream is "
                          "not in the repository or not known statically")
    mode = str(stream.get("stream_mode_details.stream_mode") or "PROVISIONED").upper()
    if mode == "PROVISIONED":
        shards = number(stream.get("shard_count"))
        ctx.add("Consumer-shard hours",
                ctx.prices("kinesis", meter="efo_consumer_hours", mode="provisioned"),
                None if shards is None else Quantity(shards * HOURS_PER_MONTH, FIXED))
    elif mode != "ON_DEMAND":
        raise Unpriceable(f"unknown stream mode {mode[:40]!r}")
    ctx.add("Data retrieved",
            ctx.prices("kinesis", meter="efo_data_retrieval", mode=mode.lower()),
            ctx.used("monthly_data_retrieved_gb"))
