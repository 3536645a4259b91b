# The roles of the cluster: the control plane's, the nodes', and the cluster autoscaler's, which
# its service account assumes through the OIDC provider (irsa.tf holds its trust and policy).

module "cluster_role" {
  source           = "../service-role"
  name             = "${var.name}-eks-cluster"
  trusted_services = ["eks.amazonaws.com"]
  assume_actions   = ["sts:AssumeRole", "sts:TagSession"]
  managed_policies = ["AmazonEKSClusterPolicy"]
  tags             = local.tags
}

module "node_role" {
  source           = "../service-role"
  name             = "${var.name}-eks-node"
  trusted_services = ["ec2.amazonaws.com"]
  managed_policies = ["AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy", "AmazonEC2ContainerRegistryReadOnly"]
  tags             = local.tags
}

module "autoscaler_role" {
  source          = "../service-role"
  name            = "${var.name}-cluster-autoscaler"
  trust_policy    = data.aws_iam_policy_document.autoscaler_assume.json
  inline_policies = { "resize-node-groups" = data.aws_iam_policy_document.autoscaler.json }
  tags            = local.tags
}
