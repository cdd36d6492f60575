data "aws_caller_identity" "current" {}

# Customer managed key for the log groups; CloudWatch Logs may use it in this region.
resource "aws_kms_key" "logs" {
  description         = "${local.name} log groups"
  enable_key_rotation = true
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Sid       = "AccountAdministers"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" }
        Action    = "kms:*"
        Resource  = "*"
      },
      {
        Sid       = "CloudWatchLogsEncrypts"
        Effect    = "Allow"
        Principal = { Service = "logs.${var.region}.amazonaws.com" }
        Action    = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
        Resource  = "*"
      },
    ]
  })
  tags = local.common_tags
}

resource "aws_cloudwatch_log_group" "fn" {
  for_each = local.functions

  name              = "/aws/lambda/${local.name}-${each.key}"
  retention_in_days = 30
  kms_key_id        = aws_kms_key.logs.arn
  tags              = local.common_tags
}

# Deliberate violation: API access logs are never expired.
resource "aws_cloudwatch_log_group" "api_access" {
  name       = "/aws/apigateway/${local.name}-payments"
  kms_key_id = aws_kms_key.logs.arn
  tags       = local.common_tags
}

# purser:ignore PUR-FIN-004 payment audit trail is kept ten years (PCI DSS and tax law)
resource "aws_cloudwatch_log_group" "audit" {
  name              = "/shop/${var.env}/payments-audit"
  retention_in_days = 3653
  kms_key_id        = aws_kms_key.logs.arn
  tags              = local.common_tags
}
