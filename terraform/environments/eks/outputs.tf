output "cluster_name" {
  description = "The EKS cluster (aws eks update-kubeconfig --name <this>), where ../kubernetes deploys the shop."
  value       = module.cluster.cluster_name
}
