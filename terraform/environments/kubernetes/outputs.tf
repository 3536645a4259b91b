output "url" {
  description = "Where shoppers reach the shop."
  value       = module.shop.url
}

output "hpa_replicas" {
  description = "The HPA's replica range."
  value       = module.shop.hpa_replicas
}
