"""Scheduled job: an EventBridge schedule invokes a Lambda function; failed runs land in
its dead-letter queue."""

from __future__ import annotations

import re
from typing import ClassVar

from purser.generate.blueprints import blueprint, serverless
from purser.generate.design import Context, Design
from purser.generate.hcl import Block, ref

DEFAULT_SCHEDULE = "rate(1 day)"
DEFAULT_DURATION_MS = 60_000
_RUNS_A_MONTH = {"minute": 730 * 60, "hour": 730, "day": 30.4}


def runs_a_month(schedule: str) -> int:
    match = re.fullmatch(r"rate\((\d+) (minute|hour|day)s?\)", schedule)
    if match is None:
        return 30
    return max(1, round(_RUNS_A_MONTH[match.group(2)] / int(match.group(1))))


@blueprint
class ScheduledJob:
    pattern: ClassVar[str] = "scheduled-job"
    components: ClassVar[frozenset[str]] = frozenset({"eventbridge", "lambda"})
    summary: ClassVar[str] = "EventBridge schedule → Lambda job"

    def design(self, ctx: Context) -> Design:
        design = Design()
        schedule = ctx.spec.schedule or DEFAULT_SCHEDULE
        if ctx.spec.schedule is None:
            design.decide(f"schedule {DEFAULT_SCHEDULE}", "the intent names no schedule",
                          "assumed")
        duration = ctx.spec.traffic.request_duration_ms or DEFAULT_DURATION_MS
        runs = runs_a_month(schedule)
        serverless.function(design, ctx, invocations=runs, duration_ms=duration,
                            timeout_s=max(10, min(900, duration // 1000 * 2 + 5)),
                            statements=[], environment={"SCHEDULE": schedule})
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
