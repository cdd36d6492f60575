variable "name" {
  description = "Name prefix of the network resources."
  type        = string
}

variable "cidr" {
  description = "CIDR block of the VPC."
  type        = string
}

variable "azs" {
  description = "Availability zones, one public and one private subnet each."
  type        = list(string)
}

variable "tags" {
  description = "Tags added to every network resource."
  type        = map(string)
  default     = {}
}
