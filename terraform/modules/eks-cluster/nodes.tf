# Managed node groups in the private subnets of every zone: an on-demand base that always runs
# (at least one node per zone for the shop's zone spread) and spot capacity that the cluster
# autoscaler adds under load and removes after the scale-down delay. EKS tags both groups'
# Auto Scaling groups for the autoscaler's auto-discovery.

# IMDSv2 only, one hop: pods cannot borrow the node's role (they get their own through IRSA).
resource "aws_launch_template" "node" {
  name_prefix = "${var.name}-eks-node-"
  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }
  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = var.node_disk_gib
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = module.key.arn
      delete_on_termination = true
    }
  }
  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, { Name = "${var.name}-eks-node" })
  }
  tags = local.tags
}

resource "aws_eks_node_group" "on_demand" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "${var.name}-on-demand"
  node_role_arn   = module.node_role.arn
  subnet_ids      = var.private_subnet_ids
  capacity_type   = "ON_DEMAND"
  instance_types  = var.on_demand_instance_types

  scaling_config {
    min_size     = local.policy.min_size
    desired_size = local.policy.desired_capacity
    max_size     = var.on_demand_max_nodes
  }
  update_config {
    max_unavailable = 1
  }
  launch_template {
    id      = aws_launch_template.node.id
    version = aws_launch_template.node.latest_version
  }
  labels = { "cloudscale.io/capacity" = "on-demand" }
  tags   = local.tags

  # The autoscaler owns the size once the group exists.
  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }
  depends_on = [module.node_role]
}

resource "aws_eks_node_group" "spot" {
  cluster_name    = aws_eks_cluster.this.name
  node_group_name = "${var.name}-spot"
  node_role_arn   = module.node_role.arn
  subnet_ids      = var.private_subnet_ids
  capacity_type   = "SPOT"
  # Several similar types, so one type's spot shortage does not stop a scale-out.
  instance_types = var.spot_instance_types

  scaling_config {
    min_size     = 0
    desired_size = 0
    max_size     = local.policy.max_size
  }
  update_config {
    max_unavailable = 1
  }
  launch_template {
    id      = aws_launch_template.node.id
    version = aws_launch_template.node.latest_version
  }
  labels = { "cloudscale.io/capacity" = "spot" }
  tags   = local.tags

  lifecycle {
    ignore_changes = [scaling_config[0].desired_size]
  }
  depends_on = [module.node_role]
}
