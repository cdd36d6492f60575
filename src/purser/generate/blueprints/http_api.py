"""HTTP API + function + table: API Gateway (HTTP API, JWT or IAM authorised routes) →
Lambda → DynamoDB (on demand, point-in-time recovery, encrypted)."""

from __future__ import annotations

from typing import Any, ClassVar

from purser.generate.blueprints import blueprint, serverless, stores
from purser.generate.design import Context, Design
from purser.generate.hcl import Block, Expr, Json, Template, ref

DEFAULT_REQUESTS = 1_000_000
DEFAULT_DURATION_MS = 120
WRITE_SHARE = 0.25  # assumed: one request in four writes an item
ITEM_GB_PER_MILLION_WRITES = 1.0  # assumed: 1 KB items


@blueprint
class HttpApi:
    pattern: ClassVar[str] = "http-api"
    components: ClassVar[frozenset[str]] = frozenset({"api-gateway", "lambda", "dynamodb"})
    summary: ClassVar[str] = "HTTP API (API Gateway) → Lambda → DynamoDB table"

    def design(self, ctx: Context) -> Design:
        design = Design()
        spec = ctx.spec
        requests = spec.traffic.monthly_requests or DEFAULT_REQUESTS
        duration = spec.traffic.request_duration_ms or DEFAULT_DURATION_MS
        writes = round(requests * WRITE_SHARE)
        design.add(stores.table_block(ctx, "items"))
        stored = max(1.0, writes / 1e6 * ITEM_GB_PER_MILLION_WRITES)
        design.usage["aws_dynamodb_table.items"] = {
            "monthly_read_request_units": requests, "monthly_write_request_units": writes,
            "storage_gb": round(stored, 3), "pitr_backup_storage_gb": round(stored, 3),
            **stores.NO_ON_DEMAND_BACKUPS}
        table = ref("aws_dynamodb_table.items.arn")
        serverless.function(
            design, ctx, invocations=requests, duration_ms=duration,
            statements=[serverless.statement(
                ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                 "dynamodb:DeleteItem", "dynamodb:Query"], table)],
            environment={"TABLE_NAME": ref("aws_dynamodb_table.items.name")})
        _api(design, ctx, requests)
        design.decide("one table, on demand (PAY_PER_REQUEST), with point-in-time recovery",
                      f"{writes:,} writes and {requests:,} reads a month are assumed "
                      f"({WRITE_SHARE:.0%} of requests write); on demand bills only what is used")
        return design


def _api(design: Design, ctx: Context, requests: int) -> None:
    spec = ctx.spec
    design.add(Block("resource", ("aws_apigatewayv2_api", "http"), [
        ("name", ctx.name("api")), ("protocol_type", "HTTP"), ("tags", ctx.tags())]))
    design.usage["aws_apigatewayv2_api.http"] = {"monthly_requests": requests,
                                                 "request_size_kb": 2}
    design.add(Block("resource", ("aws_cloudwatch_log_group", "api"), [
        ("name", Template(("/aws/apigateway/", Expr("local.name")))),
        ("retention_in_days", ctx.sizing.log_retention_days), ("tags", ctx.tags())]))
    ingested = requests * 0.5 / 1024 / 1024
    design.usage["aws_cloudwatch_log_group.api"] = {
        "monthly_data_ingested_gb": round(ingested, 4),
        "storage_gb": round(ingested * ctx.sizing.log_retention_days / 30, 4)}
    design.add(Block("resource", ("aws_apigatewayv2_integration", "fn"), [
        ("api_id", ref("aws_apigatewayv2_api.http.id")), ("integration_type", "AWS_PROXY"),
        ("integration_uri", serverless.invoke_arn(ctx)), ("payload_format_version", "2.0")]))
    route: list[Any] = [("api_id", ref("aws_apigatewayv2_api.http.id")),
                        ("route_key", "ANY /{proxy+}"),
             ("target", Template(("integrations/", Expr("aws_apigatewayv2_integration.fn.id"))))]
    if spec.authentication == "jwt":
        design.variables += [
            Block("variable", ("jwt_issuer",), [
                ("description", "OIDC issuer whose tokens the API accepts."),
                ("type", Expr("string"))]),
            Block("variable", ("jwt_audience",), [
                ("description", "Audience the API's tokens are issued for."),
                ("type", Expr("string"))])]
        design.add(Block("resource", ("aws_apigatewayv2_authorizer", "jwt"), [
            ("api_id", ref("aws_apigatewayv2_api.http.id")), ("name", "jwt"),
            ("authorizer_type", "JWT"), ("identity_sources", ["$request.header.Authorization"]),
            Block("jwt_configuration", (), [("issuer", Expr("var.jwt_issuer")),
                                            ("audience", [Expr("var.jwt_audience")])])]))
        route += [("authorization_type", "JWT"),
                  ("authorizer_id", ref("aws_apigatewayv2_authorizer.jwt.id"))]
        design.decide("routes authorised by a JWT authorizer",
                      "the intent asks for JWT/OIDC" if "authentication" in spec.model_fields_set
                      else "no authentication named: JWT (OIDC) is assumed; an API without "
                           "authorization would not pass the gate", "intent" if
                      "authentication" in spec.model_fields_set else "assumed")
    elif spec.authentication == "iam":
        route.append(("authorization_type", "AWS_IAM"))
        design.decide("routes authorised by AWS IAM (SigV4)", "the intent asks for IAM", "intent")
    else:
        route.append(("authorization_type", "NONE"))
        design.decide("routes without authorization", "the intent asks for a public API; "
                      "the gate judges whether that may merge", "intent")
    design.add(Block("resource", ("aws_apigatewayv2_route", "proxy"), route))
    design.add(Block("resource", ("aws_apigatewayv2_stage", "default"), [
        ("api_id", ref("aws_apigatewayv2_api.http.id")), ("name", "$default"),
        ("auto_deploy", True),
        Block("default_route_settings", (), [("throttling_burst_limit", 200),
                                             ("throttling_rate_limit", 100)]),
        Block("access_log_settings", (), [
            ("destination_arn", ref("aws_cloudwatch_log_group.api.arn")),
            ("format", Json({"requestId": "$context.requestId", "route": "$context.routeKey",
                             "status": "$context.status"}))]),
        ("tags", ctx.tags())]))
    serverless.permission(design, ctx, "api", "apigateway.amazonaws.com",
                          Template((Expr("aws_apigatewayv2_api.http.execution_arn"), "/*/*")))
    design.outputs.append(Block("output", ("api_endpoint",), [
        ("description", "The HTTP API's invoke URL."),
        ("value", ref("aws_apigatewayv2_api.http.api_endpoint"))]))
