locals {
  # One entry per function of the payments API.
  functions = {
    checkout = {
      handler = "checkout.handler", runtime = "python3.12", memory_size = 512
      architecture = "arm64", tracing = "Active", environment = { ORDERS_TABLE = "shop-prod-orders" }
    }
    refunds = {
      handler = "refunds.handler", runtime = "nodejs20.x", memory_size = 256
      architecture = "arm64", tracing = "Active", environment = { ORDERS_TABLE = "shop-prod-orders" }
    }
    # Deliberate violations: x86_64, 3008 MB without a justification tag, no active tracing.
    reports = {
      handler = "reports.handler", runtime = "python3.12", memory_size = 3008
      architecture = "x86_64", tracing = "PassThrough", environment = { EXPORT_BUCKET = "shop-prod-exports" }
    }
    # Deliberate violation: a live payment-provider secret in a plain environment variable.
    webhooks = {
      handler = "webhooks.handler", runtime = "python3.12", memory_size = 256
      architecture = "arm64", tracing = "Active"
      environment = { STRIPE_SECRET_KEY = "sk_live_51Hb3xQ2eZvKYlo2CfakeExampleKey00" }
    }
  }
}

resource "aws_lambda_function" "fn" {
  for_each = local.functions

  function_name = "${local.name}-${each.key}"
  role          = aws_iam_role.lambda.arn
  filename      = "${path.module}/build/${each.key}.zip"
  handler       = each.value.handler
  runtime       = each.value.runtime
  memory_size   = each.value.memory_size
  timeout       = 15
  architectures = [each.value.architecture]

  reserved_concurrent_executions = 50

  environment {
    variables = merge({ LOG_LEVEL = "info" }, each.value.environment)
  }

  tracing_config {
    mode = each.value.tracing
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dlq.arn
  }

  vpc_config {
    subnet_ids         = module.network.private_subnet_ids
    security_group_ids = [aws_security_group.lambda.id]
  }

  tags = local.common_tags
}

resource "aws_lambda_permission" "api" {
  for_each = toset(["checkout", "refunds"])

  statement_id  = "AllowApiGateway"
  action        = "lambda:InvokeFunction"
  function_name = "${local.name}-${each.key}"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*"
}
