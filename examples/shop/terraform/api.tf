resource "aws_apigatewayv2_api" "http" {
  name          = "${local.name}-payments"
  protocol_type = "HTTP"
  tags          = local.common_tags
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.http.id
  name             = "shop-auth"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = [var.jwt_audience]
  }
}

resource "aws_apigatewayv2_integration" "checkout" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.fn["checkout"].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_integration" "refunds" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.fn["refunds"].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "checkout" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /checkout"
  target             = "integrations/${aws_apigatewayv2_integration.checkout.id}"
  authorization_type = "JWT"
  authorizer_id      = aws_apigatewayv2_authorizer.jwt.id
}

# Deliberate violation: refunds can be requested without a token.
resource "aws_apigatewayv2_route" "refunds" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /refunds"
  target             = "integrations/${aws_apigatewayv2_integration.refunds.id}"
  authorization_type = "NONE"
}

# Health checks are public on purpose.
resource "aws_apigatewayv2_route" "health" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /health"
  target             = "integrations/${aws_apigatewayv2_integration.checkout.id}"
  authorization_type = "NONE"
}

resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 200
    throttling_rate_limit  = 100
  }

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.api_access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      route     = "$context.routeKey"
      status    = "$context.status"
    })
  }

  tags = local.common_tags
}
