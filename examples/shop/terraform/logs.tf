resource "aws_cloudwatch_log_group" "fn" {
  for_each = local.functions

  name              = "/aws/lambda/${local.name}-${each.key}"
  retention_in_days = 30
  tags              = local.common_tags
}

# Deliberate violation: API access logs are never expired.
resource "aws_cloudwatch_log_group" "api_access" {
  name = "/aws/apigateway/${local.name}-payments"
  tags = local.common_tags
}

# purser:ignore PUR-FIN-004 payment audit trail is kept ten years (PCI DSS and tax law)
resource "aws_cloudwatch_log_group" "audit" {
  name              = "/shop/${var.env}/payments-audit"
  retention_in_days = 3653
  tags              = local.common_tags
}
