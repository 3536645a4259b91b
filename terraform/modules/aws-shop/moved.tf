# Where resources of earlier versions of this module live now, so that applying this version
# to an existing state moves them instead of replacing them (a replaced key would lose data).

moved {
  from = aws_iam_role.instance
  to   = module.instance_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy_attachment.instance_ssm
  to   = module.instance_role.aws_iam_role_policy_attachment.managed["AmazonSSMManagedInstanceCore"]
}

moved {
  from = aws_iam_role_policy.instance
  to   = module.instance_role.aws_iam_role_policy.inline["run-the-shop"]
}

moved {
  from = aws_iam_role.rds_monitoring
  to   = module.rds_monitoring_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy_attachment.rds_monitoring
  to   = module.rds_monitoring_role.aws_iam_role_policy_attachment.managed["service-role/AmazonRDSEnhancedMonitoringRole"]
}

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

moved {
  from = aws_iam_role.refresh_after_rotation
  to   = module.refresh_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.refresh_after_rotation
  to   = module.refresh_role.aws_iam_role_policy.inline["refresh-the-shop-group"]
}

moved {
  from = aws_kms_key.this
  to   = module.key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.this
  to   = module.key.aws_kms_alias.this
}
