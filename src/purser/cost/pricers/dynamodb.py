"""Amazon DynamoDB: on-demand or provisioned capacity, storage, PITR backups, streams."""

from __future__ import annotations

from purser import kinds
from purser.cost.pricers import prices
from purser.cost.pricers.context import HOURS_PER_MONTH, PricingContext, scaled
from purser.model import number


@prices(*kinds.types("aws.dynamodb.table"))
def dynamodb_table(ctx: PricingContext) -> None:
    table = ctx.resource
    # Terraform's default billing mode is PROVISIONED; CloudFormation's too.
    mode = str(table.get("billing_mode") or "PROVISIONED").upper()
    if mode == "PAY_PER_REQUEST":
        ctx.add("Write request units", ctx.prices("dynamodb", meter="write_request_units"),
                scaled(ctx.used("monthly_write_request_units"), 1 / 1e6))
        ctx.add("Read request units", ctx.prices("dynamodb", meter="read_request_units"),
                scaled(ctx.used("monthly_read_request_units"), 1 / 1e6))
    else:
        writes = number(table.get("write_capacity"), 0) or 0.0
        reads = number(table.get("read_capacity"), 0) or 0.0
        ctx.fixed(f"Write capacity ({writes:g} WCU)",
                  ctx.prices("dynamodb", meter="write_capacity"), writes * HOURS_PER_MONTH)
        ctx.fixed(f"Read capacity ({reads:g} RCU)",
                  ctx.prices("dynamodb", meter="read_capacity"), reads * HOURS_PER_MONTH)
    ctx.add("Storage", ctx.prices("dynamodb", meter="storage"), ctx.used("storage_gb"))
    pitr = table.get("point_in_time_recovery.enabled")
    if pitr is True or str(pitr).lower() == "true":
        ctx.add("Point-in-time recovery backups", ctx.prices("dynamodb", meter="pitr_storage"),
                ctx.used("pitr_backup_storage_gb"))
    # Terraform turns streams on with stream_enabled; CloudFormation by naming a view type.
    streams = table.get("stream_enabled")
    if streams is None and not table.is_unknown("stream_enabled"):
        streams = table.get("stream_view_type")
    if streams not in (None, False, "false"):
        ctx.add("Streams read request units",
                ctx.prices("dynamodb", meter="streams_read_request_units"),
                scaled(ctx.used("monthly_streams_read_request_units"), 1 / 1e6))
