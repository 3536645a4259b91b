output "cluster_name" {
  description = "The EKS cluster (aws eks update-kubeconfig --name <this>)."
  value       = module.cluster.cluster_name
}

output "namespace" {
  description = "Namespace holding the shop."
  value       = module.shop.namespace
}

output "url" {
  description = "Where shoppers reach the shop."
  value       = module.shop.url
}

output "hpa_replicas" {
  description = "The HPA's replica range, from the policy file."
  value       = module.shop.hpa_replicas
}

output "release" {
  description = "The image running now (the delivery pipeline rolls back to it)."
  value       = var.image
}
