"""Building blocks the serverless blueprints share: a Lambda function with its own role
(least privilege: only the actions it needs, only on the resources created beside it),
its log group, its dead-letter queue, and warm instances when latency asks for them."""

from __future__ import annotations

from typing import Any

from purser.generate.design import Context, Design
from purser.generate.handler import HANDLER, ZIP_FILE
from purser.generate.hcl import Block, Expr, Json, Template, Value, ref

LOG_KB_PER_INVOCATION = 1.0  # assumed log volume per invocation (stated in the decisions)
PROVISIONED_MIN_REQUESTS = 1_000_000  # below this warm instances cost more than cold starts
EXPECTED_REQUESTS_TAG = "purser.dev/expected-monthly-requests"
XRAY_POLICY = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"


def statement(actions: list[str], *resources: Value) -> dict[str, Value]:
    return {"Effect": "Allow", "Action": actions, "Resource": list(resources)}


def encrypted_queue(design: Design, ctx: Context, name: str, *,
                    dead_letter: str | None = None, visibility_s: int | None = None,
                    usage: dict[str, Any] | None = None) -> Block:
    body: list[Any] = [("name", ctx.name(name.replace("_", "-"))),
                       ("sqs_managed_sse_enabled", True),
                       ("message_retention_seconds", 1_209_600 if dead_letter is None else 345_600)]
    if visibility_s:
        body.append(("visibility_timeout_seconds", visibility_s))
    if dead_letter:
        body.append(("redrive_policy", Json({"deadLetterTargetArn": ref("aws_sqs_queue",
                                                                          dead_letter, "arn"),
                                             "maxReceiveCount": 5})))
    body.append(("tags", ctx.classification()))
    design.usage[f"aws_sqs_queue.{name}"] = usage or {"monthly_requests": 0}
    return design.add(Block("resource", ("aws_sqs_queue", name), body))


def function(design: Design, ctx: Context, *, invocations: int, duration_ms: int,
             statements: list[dict[str, Value]], environment: dict[str, Value],
             timeout_s: int = 10, comment: str = "") -> None:
    """`aws_lambda_function.fn` with role `fn`, log group `fn` and dead-letter queue `dlq`."""
    sizing = ctx.sizing
    encrypted_queue(design, ctx, "dlq", usage={"monthly_requests": 1000})
    log_name = Template(("/aws/lambda/", Expr("local.name"), "-fn"))
    design.add(Block("resource", ("aws_cloudwatch_log_group", "fn"), [
        ("name", log_name), ("retention_in_days", sizing.log_retention_days),
        ("tags", ctx.tags())]))
    ingested = invocations * LOG_KB_PER_INVOCATION / 1024 / 1024
    design.usage["aws_cloudwatch_log_group.fn"] = {
        "monthly_data_ingested_gb": round(ingested, 4),
        "storage_gb": round(ingested * sizing.log_retention_days / 30, 4)}
    _role(design, ctx, statements)
    warm = sizing.provisioned_concurrency > 0
    tags = ctx.tags(**{EXPECTED_REQUESTS_TAG: str(invocations)}) if warm else ctx.tags()
    design.add(Block("resource", ("aws_lambda_function", "fn"), [
        ("function_name", ctx.name("fn")), ("role", ref("aws_iam_role.fn.arn")),
        ("filename", Template((Expr("path.module"), f"/{ZIP_FILE}"))),
        ("handler", HANDLER), ("runtime", ctx.conventions.runtime),
        ("memory_size", sizing.memory_mb), ("timeout", timeout_s),
        ("architectures", [sizing.architecture]),
        ("reserved_concurrent_executions", reserved_concurrency(invocations, duration_ms)),
        ("publish", warm),
        Block("environment", (), [("variables", environment)]),
        Block("tracing_config", (), [("mode", "Active")]),
        Block("dead_letter_config", (), [("target_arn", ref("aws_sqs_queue.dlq.arn"))]),
        ("tags", tags),
        ("depends_on", [Expr("aws_cloudwatch_log_group.fn")]),
    ], comment=comment))
    design.usage["aws_lambda_function.fn"] = {"monthly_requests": invocations,
                                              "request_duration_ms": duration_ms}
    if warm:
        design.add(Block("resource", ("aws_lambda_alias", "live"), [
            ("name", "live"), ("function_name", ref("aws_lambda_function.fn.function_name")),
            ("function_version", ref("aws_lambda_function.fn.version"))]))
        design.add(Block("resource", ("aws_lambda_provisioned_concurrency_config", "fn"), [
            ("function_name", ref("aws_lambda_function.fn.function_name")),
            ("qualifier", ref("aws_lambda_alias.live.name")),
            ("provisioned_concurrent_executions", sizing.provisioned_concurrency)]))
        design.usage["aws_lambda_provisioned_concurrency_config.fn"] = {
            "monthly_requests": invocations, "request_duration_ms": duration_ms}
    design.outputs.append(Block("output", ("function_name",), [
        ("description", "The Lambda function's name."),
        ("value", ref("aws_lambda_function.fn.function_name"))]))


def invoke_arn(ctx: Context) -> Expr:
    """What an integration calls: the warm alias when there is one."""
    if ctx.sizing.provisioned_concurrency > 0:
        return ref("aws_lambda_alias.live.invoke_arn")
    return ref("aws_lambda_function.fn.invoke_arn")


def permission(design: Design, ctx: Context, name: str, principal: str, source_arn: Value) -> None:
    """Only `principal`, only from `source_arn`, may invoke the function."""
    body: list[Any] = [("statement_id", f"Allow{name.title().replace('_', '')}"),
                       ("action", "lambda:InvokeFunction"),
                       ("function_name", ref("aws_lambda_function.fn.function_name")),
                       ("principal", principal), ("source_arn", source_arn)]
    if ctx.sizing.provisioned_concurrency > 0:
        body.append(("qualifier", ref("aws_lambda_alias.live.name")))
    design.add(Block("resource", ("aws_lambda_permission", name), body))


def reserved_concurrency(invocations: int, duration_ms: int) -> int:
    """A ceiling of ten times the average concurrency (at least 10): a runaway caller cannot
    take the account's whole concurrency, a burst still fits."""
    average = invocations / (730 * 3600) * duration_ms / 1000
    return max(10, min(1000, round(average * 10)))


def _role(design: Design, ctx: Context, statements: list[dict[str, Value]]) -> None:
    design.add(Block("resource", ("aws_iam_role", "fn"), [
        ("name", ctx.name("fn")),
        ("assume_role_policy", Json({"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": "sts:AssumeRole",
            "Principal": {"Service": "lambda.amazonaws.com"}}]})),
        ("tags", ctx.tags())]))
    own = [statement(["logs:CreateLogStream", "logs:PutLogEvents"],
                     Template((Expr("aws_cloudwatch_log_group.fn.arn"), ":*"))),
           statement(["sqs:SendMessage"], ref("aws_sqs_queue.dlq.arn"))]
    design.add(Block("resource", ("aws_iam_role_policy", "fn"), [
        ("name", "least-privilege"), ("role", ref("aws_iam_role.fn.id")),
        ("policy", Json({"Version": "2012-10-17", "Statement": own + statements}))],
        comment="Least privilege: only the actions the function needs, only on the "
                "resources created here."))
    design.add(Block("resource", ("aws_iam_role_policy_attachment", "xray"), [
        ("role", ref("aws_iam_role.fn.name")), ("policy_arn", XRAY_POLICY)],
        comment="X-Ray accepts trace segments on no narrower resource than the account."))
