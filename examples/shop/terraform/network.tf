module "network" {
  source = "./modules/network"

  name = local.name
  cidr = "10.20.0.0/16"
  azs  = var.azs
  tags = local.common_tags
}

resource "aws_security_group" "lambda" {
  name        = "${local.name}-lambda"
  description = "Payments Lambda functions: egress only"
  vpc_id      = module.network.vpc_id

  egress {
    description = "HTTPS to AWS APIs and the payment provider"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }

  tags = local.common_tags
}

# Operations access; rules come from var.admin_ingress (see terraform.tfvars).
resource "aws_security_group" "ops" {
  name        = "${local.name}-ops"
  description = "Operations access to the payments VPC"
  vpc_id      = module.network.vpc_id

  dynamic "ingress" {
    for_each = var.admin_ingress
    content {
      description = ingress.value.description
      from_port   = ingress.value.port
      to_port     = ingress.value.port
      protocol    = "tcp"
      cidr_blocks = [ingress.value.cidr]
    }
  }

  tags = local.common_tags
}
