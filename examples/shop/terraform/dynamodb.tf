resource "aws_dynamodb_table" "orders" {
  name         = "${local.name}-orders"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "order_id"

  attribute {
    name = "order_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  tags = merge(local.common_tags, { "data-classification" = "confidential" })
}

# Deliberate violation: personal data kept in us-east-1, outside the EU regions
# that purser.yaml allows for it.
resource "aws_dynamodb_table" "customers" {
  name         = "${local.name}-customers"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "customer_id"

  attribute {
    name = "customer_id"
    type = "S"
  }

  point_in_time_recovery {
    enabled = true
  }

  server_side_encryption {
    enabled = true
  }

  tags = merge(local.common_tags, { "data-classification" = "personal" })
}

# Deliberate violations: provisioned capacity with no autoscaling, no point-in-time
# recovery, no data-classification tag.
resource "aws_dynamodb_table" "carts" {
  name           = "${local.name}-carts"
  billing_mode   = "PROVISIONED"
  read_capacity  = 50
  write_capacity = 20
  hash_key       = "cart_id"

  attribute {
    name = "cart_id"
    type = "S"
  }

  server_side_encryption {
    enabled = true
  }

  tags = local.common_tags
}
