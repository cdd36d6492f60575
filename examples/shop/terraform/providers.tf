provider "aws" {
  region = var.region

  # Tags every resource carries; cost-allocation tags come from local.common_tags.
  default_tags {
    tags = {
      project    = "shop"
      managed-by = "purser"
    }
  }
}
