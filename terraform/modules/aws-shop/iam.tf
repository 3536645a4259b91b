# The roles AWS services assume for the shop; their inline policies sit beside what they grant
# access to (compute.tf, rotation.tf).

# The instances: Session Manager instead of SSH (no key pairs, no port 22), and the shop itself.
module "instance_role" {
  source           = "../service-role"
  name             = "${var.name}-instance"
  trusted_services = ["ec2.amazonaws.com"]
  managed_policies = ["AmazonSSMManagedInstanceCore"]
  inline_policies  = { "run-the-shop" = data.aws_iam_policy_document.instance.json }
  tags             = local.tags
}

# Enhanced monitoring of the database.
module "rds_monitoring_role" {
  source           = "../service-role"
  name             = "${var.name}-rds-monitoring"
  trusted_services = ["monitoring.rds.amazonaws.com"]
  managed_policies = ["service-role/AmazonRDSEnhancedMonitoringRole"]
  tags             = local.tags
}

# Runs the instance refresh after a password rotation; its name is spelled in rotation.tf.
module "refresh_role" {
  source           = "../service-role"
  name             = local.refresh_role_name
  trusted_services = ["events.amazonaws.com", "ssm.amazonaws.com"]
  inline_policies  = { "refresh-the-shop-group" = data.aws_iam_policy_document.refresh.json }
  tags             = local.tags
}
