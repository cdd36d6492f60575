"""Scheduled job: an EventBridge schedule invokes a Lambda function; failed runs land in
its dead-letter queue. With `s3` it writes its results to a private bucket of its own; with
`dynamodb` it reads a table (exported to the bucket when there is one) or keeps items in it."""

from __future__ import annotations

import re
from typing import ClassVar

from purser.generate.blueprints import blueprint, serverless, stores
from purser.generate.design import Context, Design
from purser.generate.hcl import Block, Value, ref

DEFAULT_SCHEDULE = "rate(1 day)"
DEFAULT_DURATION_MS = 60_000
DEFAULT_RUN_GB = 0.05  # assumed written to the bucket per run when the intent states no size
_RUNS_A_MONTH = {"minute": 730 * 60, "hour": 730, "day": 30.4}


def runs_a_month(schedule: str) -> int:
    match = re.fullmatch(r"rate\((\d+) (minute|hour|day)s?\)", schedule)
    if match is None:
        return 30
    return max(1, round(_RUNS_A_MONTH[match.group(2)] / int(match.group(1))))


@blueprint
class ScheduledJob:
    pattern: ClassVar[str] = "scheduled-job"
    components: ClassVar[frozenset[str]] = frozenset({"eventbridge", "lambda", "s3",
                                                      "dynamodb"})
    summary: ClassVar[str] = "EventBridge schedule → Lambda job (→ S3 bucket, DynamoDB table)"

    def design(self, ctx: Context) -> Design:
        design = Design()
        schedule = ctx.spec.schedule or DEFAULT_SCHEDULE
        if ctx.spec.schedule is None:
            design.decide(f"schedule {DEFAULT_SCHEDULE}", "the intent names no schedule",
                          "assumed")
        duration = ctx.spec.traffic.request_duration_ms or DEFAULT_DURATION_MS
        runs = runs_a_month(schedule)
        statements, environment = _stores(design, ctx, runs)
        serverless.function(design, ctx, invocations=runs, duration_ms=duration,
                            timeout_s=max(10, min(900, duration // 1000 * 2 + 5)),
                            statements=statements,
                            environment={"SCHEDULE": schedule, **environment})
        design.add(Block("resource", ("aws_cloudwatch_event_rule", "schedule"), [
            ("name", ctx.name("schedule")), ("schedule_expression", schedule),
            ("tags", ctx.tags())]))
        design.add(Block("resource", ("aws_cloudwatch_event_target", "fn"), [
            ("rule", ref("aws_cloudwatch_event_rule.schedule.name")),
            ("arn", ref("aws_lambda_function.fn.arn")),
            Block("retry_policy", (), [("maximum_retry_attempts", 2),
                                       ("maximum_event_age_in_seconds", 3600)])]))
        serverless.permission(design, ctx, "schedule", "events.amazonaws.com",
                              ref("aws_cloudwatch_event_rule.schedule.arn"))
        design.decide(f"{runs:,} runs a month of {duration:,} ms",
                      f"from the schedule {schedule}")
        return design


def _stores(design: Design, ctx: Context, runs: int
            ) -> tuple[list[dict[str, Value]], dict[str, Value]]:
    """The bucket and table the intent names, and the function's grants on them."""
    components = ctx.spec.components
    grants = []
    if "dynamodb" in components:
        grants.append(stores.table(design, ctx, scans=runs, writes=runs,
                                   read_only="s3" in components))
    if "s3" in components:
        stated = ctx.spec.traffic.storage_gb
        if stated and ctx.spec.traffic.storage_per_month:
            monthly, origin = stated, "from the intent"
        elif stated:
            monthly, origin = stated * runs, f"{stated:,.3g} GB a run, from the intent"
        elif "dynamodb" in components:
            monthly = stores.DEFAULT_TABLE_GB * runs
            origin = f"a full export of the {stores.DEFAULT_TABLE_GB:g} GB table a run, assumed"
        else:
            monthly, origin = DEFAULT_RUN_GB * runs, f"{DEFAULT_RUN_GB:g} GB a run, assumed"
        grants.append(stores.bucket(design, ctx, puts=runs, monthly_gb=monthly, origin=origin))
    return ([statement for statement, _ in grants],
            {key: value for _, environment in grants for key, value in environment.items()})
