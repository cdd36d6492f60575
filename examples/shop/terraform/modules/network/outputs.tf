output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.main.id
}

output "private_subnet_ids" {
  description = "IDs of the private subnets, where the Lambda functions run."
  value       = aws_subnet.private[*].id
}
