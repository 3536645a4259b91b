# The VPC, from ../network: public subnets hold the load balancer and NAT gateways; instances and
# the database live in private subnets of their own, one per zone.

module "network" {
  source = "../network"

  name               = var.name
  vpc_cidr           = var.vpc_cidr
  availability_zones = local.azs
  kms_key_arn        = aws_kms_key.this.arn
  log_retention_days = var.log_retention_days
  tags               = local.tags
}

# The network was once part of this module: these keep existing deployments' resources in place.
moved {
  from = aws_vpc.this
  to   = module.network.aws_vpc.this
}
moved {
  from = aws_default_security_group.this
  to   = module.network.aws_default_security_group.this
}
moved {
  from = aws_subnet.public
  to   = module.network.aws_subnet.public
}
moved {
  from = aws_subnet.app
  to   = module.network.aws_subnet.app
}
moved {
  from = aws_subnet.db
  to   = module.network.aws_subnet.db
}
moved {
  from = aws_internet_gateway.this
  to   = module.network.aws_internet_gateway.this
}
moved {
  from = aws_route_table.public
  to   = module.network.aws_route_table.public
}
moved {
  from = aws_route_table_association.public
  to   = module.network.aws_route_table_association.public
}
moved {
  from = aws_eip.nat
  to   = module.network.aws_eip.nat
}
moved {
  from = aws_nat_gateway.this
  to   = module.network.aws_nat_gateway.this
}
moved {
  from = aws_route_table.private
  to   = module.network.aws_route_table.private
}
moved {
  from = aws_route_table_association.app
  to   = module.network.aws_route_table_association.app
}
moved {
  from = aws_route_table_association.db
  to   = module.network.aws_route_table_association.db
}
moved {
  from = aws_cloudwatch_log_group.flow_logs
  to   = module.network.aws_cloudwatch_log_group.flow_logs
}
moved {
  from = aws_flow_log.this
  to   = module.network.aws_flow_log.this
}
moved {
  from = aws_iam_role.flow_logs
  to   = module.network.aws_iam_role.flow_logs
}
moved {
  from = aws_iam_role_policy.flow_logs
  to   = module.network.aws_iam_role_policy.flow_logs
}
