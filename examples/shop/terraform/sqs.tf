resource "aws_sqs_queue" "dlq" {
  name                      = "${local.name}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = merge(local.common_tags, { "data-classification" = "internal" })
}

# Deliberate violations: payment events queued without encryption at rest, and tags
# written by hand that miss env and cost-center.
resource "aws_sqs_queue" "events" {
  name                    = "${local.name}-payment-events"
  sqs_managed_sse_enabled = false
  tags                    = { team = "payments", "data-classification" = "confidential" }
}
