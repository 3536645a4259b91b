output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr" {
  description = "The VPC's address block."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "Public subnets, one per zone: load balancers and NAT gateways."
  value       = aws_subnet.public[*].id
}

output "app_subnet_ids" {
  description = "Private subnets, one per zone, routed out through their zone's NAT gateway: instances and nodes."
  value       = aws_subnet.app[*].id
}

output "db_subnet_ids" {
  description = "Private subnets, one per zone: the database."
  value       = aws_subnet.db[*].id
}
