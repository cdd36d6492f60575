"""Event-driven pipeline: an EventBridge bus and rule buffer events in SQS; a Lambda
processor writes them in batches to an encrypted, private S3 bucket with a lifecycle (and,
with `dynamodb`, each event's item to a table of its own, granted only that)."""

from __future__ import annotations

from typing import ClassVar

from purser.generate.blueprints import blueprint, serverless, storage, stores
from purser.generate.design import Context, Design
from purser.generate.hcl import Block, Expr, Json, Template, ref

DEFAULT_EVENTS = 1_000_000
DEFAULT_DURATION_MS = 300  # per batch
BATCH = 10
EVENT_KB = 1.0


@blueprint
class EventPipeline:
    pattern: ClassVar[str] = "event-pipeline"
    components: ClassVar[frozenset[str]] = frozenset({"eventbridge", "sqs", "lambda", "s3",
                                                      "dynamodb"})
    summary: ClassVar[str] = "EventBridge bus → SQS buffer → Lambda → S3"

    def design(self, ctx: Context) -> Design:
        design = Design()
        events = ctx.spec.traffic.monthly_requests or DEFAULT_EVENTS
        duration = ctx.spec.traffic.request_duration_ms or DEFAULT_DURATION_MS
        design.add(Block("resource", ("aws_cloudwatch_event_bus", "events"), [
            ("name", ctx.name("bus")), ("tags", ctx.tags())]))
        design.usage["aws_cloudwatch_event_bus.events"] = {"monthly_custom_events": events}
        design.add(Block("resource", ("aws_cloudwatch_event_rule", "all"), [
            ("name", ctx.name("all")),
            ("event_bus_name", ref("aws_cloudwatch_event_bus.events.name")),
            ("event_pattern", Json({"account": [
                Expr("data.aws_caller_identity.current.account_id")]})),
            ("tags", ctx.tags())]))
        design.add(Block("data", ("aws_caller_identity", "current"), []))
        serverless.encrypted_queue(design, ctx, "buffer", dead_letter="dlq", visibility_s=60,
                                   usage={"monthly_requests": events * 3, "request_size_kb": 1})
        design.add(Block("resource", ("aws_sqs_queue_policy", "buffer"), [
            ("queue_url", ref("aws_sqs_queue.buffer.id")),
            ("policy", Json({"Version": "2012-10-17", "Statement": [{
                "Sid": "EventBridgeSends", "Effect": "Allow",
                "Principal": {"Service": "events.amazonaws.com"}, "Action": "sqs:SendMessage",
                "Resource": ref("aws_sqs_queue.buffer.arn"),
                "Condition": {"ArnEquals": {"aws:SourceArn": ref(
                    "aws_cloudwatch_event_rule.all.arn")}}}]}))]))
        design.add(Block("resource", ("aws_cloudwatch_event_target", "buffer"), [
            ("rule", ref("aws_cloudwatch_event_rule.all.name")),
            ("event_bus_name", ref("aws_cloudwatch_event_bus.events.name")),
            ("arn", ref("aws_sqs_queue.buffer.arn"))]))
        stored_gb = events * EVENT_KB / 1024 / 1024
        batches = max(1, events // BATCH)
        storage.private_bucket(design, ctx, "output", standard_gb=stored_gb * 12,
                               puts=batches, gets=0, expire_days=365)
        grants = ([stores.table(design, ctx, scans=0, writes=events, read_only=False)]
                  if "dynamodb" in ctx.spec.components else [])
        serverless.function(
            design, ctx, invocations=batches, duration_ms=duration, timeout_s=30,
            statements=[*(statement for statement, _ in grants),
                serverless.statement(["sqs:ReceiveMessage", "sqs:DeleteMessage",
                                      "sqs:GetQueueAttributes"], ref("aws_sqs_queue.buffer.arn")),
                serverless.statement(["s3:PutObject"], Template(
                    (Expr("aws_s3_bucket.output.arn"), "/*")))],
            environment={"OUTPUT_BUCKET": ref("aws_s3_bucket.output.bucket"),
                         **{k: v for _, environment in grants for k, v in environment.items()}})
        design.add(Block("resource", ("aws_lambda_event_source_mapping", "buffer"), [
            ("event_source_arn", ref("aws_sqs_queue.buffer.arn")),
            ("function_name", ref("aws_lambda_function.fn.arn")), ("batch_size", BATCH),
            ("function_response_types", ["ReportBatchItemFailures"])]))
        design.outputs.append(Block("output", ("event_bus_name",), [
            ("description", "Where producers put events."),
            ("value", ref("aws_cloudwatch_event_bus.events.name"))]))
        design.decide("events buffered in SQS before processing",
                      f"{events:,} events a month in batches of {BATCH}: a slow or failing "
                      "processor never loses events (five tries, then the DLQ)")
        design.decide(f"output kept 365 days: {stored_gb * 12:,.2f} GB held once a year of "
                      "output has accumulated", f"{EVENT_KB:g} KB per event assumed", "assumed")
        return design
