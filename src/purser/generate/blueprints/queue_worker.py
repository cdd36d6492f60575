"""Queue worker with a dead-letter queue: SQS (encrypted, redrive after five receives) →
Lambda through an event source mapping that reports partial batch failures; with `s3` and/or
`dynamodb` the worker writes each message's result to a private bucket or a table of its
own, granted only that."""

from __future__ import annotations

from typing import ClassVar

from purser.generate.blueprints import blueprint, serverless, stores
from purser.generate.design import Context, Design
from purser.generate.hcl import Block, ref

DEFAULT_MESSAGES = 1_000_000
DEFAULT_DURATION_MS = 200
BATCH = 10
RESULT_KB = 4  # assumed size of one message's result in the bucket
SQS_REQUESTS_PER_MESSAGE = 3  # send, receive, delete


@blueprint
class QueueWorker:
    pattern: ClassVar[str] = "queue-worker"
    components: ClassVar[frozenset[str]] = frozenset({"sqs", "lambda", "s3", "dynamodb"})
    summary: ClassVar[str] = ("SQS queue with a dead-letter queue → Lambda worker (→ S3 "
                              "bucket, DynamoDB table)")

    def design(self, ctx: Context) -> Design:
        design = Design()
        messages = ctx.spec.traffic.monthly_requests or DEFAULT_MESSAGES
        duration = ctx.spec.traffic.request_duration_ms or DEFAULT_DURATION_MS
        timeout = max(10, min(900, duration * BATCH // 1000 + 5))
        serverless.encrypted_queue(design, ctx, "jobs", dead_letter="dlq",
                                   visibility_s=min(43_200, timeout * 6),
                                   usage={"monthly_requests": messages * SQS_REQUESTS_PER_MESSAGE,
                                          "request_size_kb": 4})
        invocations = max(1, messages // BATCH)
        grants = []
        if "dynamodb" in ctx.spec.components:
            grants.append(stores.table(design, ctx, scans=0, writes=messages, read_only=False))
        if "s3" in ctx.spec.components:
            grants.append(stores.bucket(
                design, ctx, puts=messages, monthly_gb=messages * RESULT_KB / 1024 / 1024,
                origin=f"{RESULT_KB} KB a message, assumed"))
        serverless.function(
            design, ctx, invocations=invocations, duration_ms=duration * BATCH,
            timeout_s=timeout,
            statements=[serverless.statement(
                ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
                 "sqs:ChangeMessageVisibility"], ref("aws_sqs_queue.jobs.arn")),
                *(statement for statement, _ in grants)],
            environment={"QUEUE_URL": ref("aws_sqs_queue.jobs.url"),
                         **{k: v for _, environment in grants for k, v in environment.items()}})
        design.add(Block("resource", ("aws_lambda_event_source_mapping", "jobs"), [
            ("event_source_arn", ref("aws_sqs_queue.jobs.arn")),
            ("function_name", ref("aws_lambda_function.fn.arn")), ("batch_size", BATCH),
            ("function_response_types", ["ReportBatchItemFailures"])]))
        design.outputs.append(Block("output", ("queue_url",), [
            ("description", "Where producers send jobs."),
            ("value", ref("aws_sqs_queue.jobs.url"))]))
        design.decide(f"batches of {BATCH} messages, partial batch failures reported",
                      f"{messages:,} messages a month → {invocations:,} invocations of "
                      f"{duration * BATCH} ms; a message failing five times moves to the DLQ")
        return design
