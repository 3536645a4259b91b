# An EKS cluster for the shop: the control plane in the given private subnets (two or more
# zones), secrets encrypted with a key of its own, every control-plane log kept, the API
# reachable privately and, only from listed addresses, publicly. nodes.tf holds the managed node
# groups (on-demand base, spot capacity), irsa.tf the OIDC provider and the roles pods assume.

locals {
  # The fleet numbers the metrics page's simulator uses: the on-demand base never drops below
  # the Auto Scaling group's minimum, and the cluster never grows past its maximum.
  policy = jsondecode(file("${path.module}/../../../simulator/policy/autoscaling.json"))

  tags = merge({ Application = "cloudscale-commerce", ManagedBy = "terraform" }, var.tags)
}

data "aws_region" "current" {}

module "key" {
  source              = "../kms-key"
  alias               = "${var.name}-eks"
  description         = "${var.name}: EKS secrets, control-plane logs and node volumes"
  encrypting_services = ["logs.${data.aws_region.current.name}.amazonaws.com"]
  tags                = local.tags
}

# EKS writes here; created first so retention and encryption are ours, not the defaults.
resource "aws_cloudwatch_log_group" "cluster" {
  name              = "/aws/eks/${var.name}/cluster"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.arn
  tags              = local.tags
}

resource "aws_eks_cluster" "this" {
  name                      = var.name
  version                   = var.kubernetes_version
  role_arn                  = module.cluster_role.arn
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]

  vpc_config {
    subnet_ids              = var.private_subnet_ids
    endpoint_private_access = true
    # Public only for the listed addresses (an operator's network, CI runners); none by default.
    endpoint_public_access = length(var.public_access_cidrs) > 0
    public_access_cidrs    = length(var.public_access_cidrs) > 0 ? var.public_access_cidrs : null
  }

  encryption_config {
    resources = ["secrets"]
    provider {
      key_arn = module.key.arn
    }
  }

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = true
  }

  tags       = local.tags
  depends_on = [module.cluster_role, aws_cloudwatch_log_group.cluster]
}

# The add-ons EKS manages: networking, DNS, kube-proxy, and metrics-server for the HPA.
resource "aws_eks_addon" "this" {
  for_each                    = toset(["vpc-cni", "coredns", "kube-proxy", "metrics-server"])
  cluster_name                = aws_eks_cluster.this.name
  addon_name                  = each.value
  resolve_conflicts_on_update = "OVERWRITE"
  tags                        = local.tags
  # coredns and metrics-server need nodes to run on.
  depends_on = [aws_eks_node_group.on_demand]
}
