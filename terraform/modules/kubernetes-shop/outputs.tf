output "namespace" {
  description = "Namespace holding the shop."
  value       = kubernetes_namespace_v1.shop.metadata[0].name
}

output "url" {
  description = "Where shoppers reach the shop."
  value       = "https://${var.host}"
}

output "hpa_replicas" {
  description = "The HPA's replica range, from the policy file."
  value       = "${local.policy.hpa_min_replicas}-${local.policy.hpa_max_replicas}"
}
