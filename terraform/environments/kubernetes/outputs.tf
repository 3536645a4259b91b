output "url" {
  description = "Where shoppers reach the shop."
  value       = module.shop.url
}

output "hpa_replicas" {
  description = "The HPA's replica range."
  value       = module.shop.hpa_replicas
}

output "release" {
  description = "The image running now (the delivery pipeline rolls back to it)."
  value       = var.image
}

output "namespace" {
  description = "Namespace holding the shop."
  value       = module.shop.namespace
}
