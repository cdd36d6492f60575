variable "region" {
  description = "AWS region of the payments API."
  type        = string
  default     = "us-east-1"
}

variable "env" {
  description = "Deployment environment."
  type        = string
}

variable "team" {
  description = "Owning team, used for cost allocation."
  type        = string
}

variable "cost_center" {
  description = "Finance cost center the spend is charged to."
  type        = string
}

variable "azs" {
  description = "Availability zones for the VPC subnets."
  type        = list(string)
  default     = ["us-east-1a", "us-east-1b"]
}

variable "jwt_issuer" {
  description = "OIDC issuer that signs the API's access tokens."
  type        = string
}

variable "jwt_audience" {
  description = "Audience the API's access tokens are issued for."
  type        = string
}

variable "admin_ingress" {
  description = "Ingress rules of the operations security group."
  type = list(object({
    description = string
    port        = number
    cidr        = string
  }))
  default = []
}
