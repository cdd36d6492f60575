resource "aws_sqs_queue" "dlq" {
  name                      = "${local.name}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = merge(local.common_tags, { "data-classification" = "internal" })
}

# Deliberate violation: payment events queued without encryption at rest.
resource "aws_sqs_queue" "events" {
  name                    = "${local.name}-payment-events"
  sqs_managed_sse_enabled = false
  tags                    = merge(local.common_tags, { "data-classification" = "confidential" })
}
