# The VPC, from ../network: public subnets hold the load balancer and NAT gateways; instances and
# the database live in private subnets of their own, one per zone.

module "network" {
  source = "../network"

  name               = var.name
  vpc_cidr           = var.vpc_cidr
  availability_zones = local.azs
  kms_key_arn        = module.key.arn
  log_retention_days = var.log_retention_days
  tags               = local.tags
}

# The network was once part of this module: these keep existing deployments' resources in place.
