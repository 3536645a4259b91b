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
