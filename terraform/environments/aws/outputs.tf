output "load_balancer_dns_name" {
  description = "Point the shop's host name here."
  value       = module.shop.load_balancer_dns_name
}

output "ecr_repository_url" {
  description = "Push images here."
  value       = module.shop.ecr_repository_url
}

output "autoscaling_group_name" {
  description = "The shop's Auto Scaling group."
  value       = module.shop.autoscaling_group_name
}

output "alerts_topic_arn" {
  description = "SNS topic for scaling events and alarms."
  value       = module.shop.alerts_topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard."
  value       = module.shop.dashboard_name
}

output "release" {
  description = "The image tag running now (the delivery pipeline rolls back to it)."
  value       = var.image_tag
}

output "cdn_domain_name" {
  description = "With the CDN, point the shop's host name here instead of the load balancer."
  value       = one(module.cdn[*].distribution_domain_name)
}

output "static_bucket" {
  description = "With the CDN, the delivery pipeline uploads target/site/pkg here."
  value       = one(module.cdn[*].static_bucket)
}
