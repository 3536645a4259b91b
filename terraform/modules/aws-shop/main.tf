# CloudScale Commerce on EC2 Auto Scaling: an ALB across two zones in front of a group of
# instances that run the shop's container, one multi-AZ PostgreSQL, alarms and notifications.

locals {
  # The scaling numbers the metrics page's simulator uses: one file, read by both.
  policy = jsondecode(file("${path.module}/../../../simulator/policy/autoscaling.json"))

  azs = var.availability_zones

  tags = merge({ Application = "cloudscale-commerce", ManagedBy = "terraform" }, var.tags)
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_partition" "current" {}
