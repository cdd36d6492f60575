locals {
  name = "shop-${var.env}"

  # Cost-allocation tags required by purser.yaml (defaults.required_tags).
  common_tags = merge(
    {
      team          = var.team
      env           = var.env
      "cost-center" = var.cost_center
    },
    { service = "payments-api" },
  )
}
