output "cluster_name" {
  description = "The EKS cluster."
  value       = aws_eks_cluster.this.name
}

output "endpoint" {
  description = "The Kubernetes API."
  value       = aws_eks_cluster.this.endpoint
}

output "certificate_authority" {
  description = "Base64 certificate of the cluster's CA."
  value       = aws_eks_cluster.this.certificate_authority[0].data
}

output "oidc_provider_arn" {
  description = "The IAM OIDC provider for IRSA roles."
  value       = aws_iam_openid_connect_provider.cluster.arn
}

output "autoscaler_role_arn" {
  description = "IAM role the cluster autoscaler's service account assumes."
  value       = module.autoscaler_role.arn
}

output "node_groups" {
  description = "The on-demand and spot node groups."
  value       = { on_demand = aws_eks_node_group.on_demand.node_group_name, spot = aws_eks_node_group.spot.node_group_name }
}

output "kms_key_arn" {
  description = "The cluster's KMS key (secrets, logs, node volumes); the environment's flow logs use it too."
  value       = module.key.arn
}
