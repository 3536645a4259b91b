output "load_balancer_dns_name" {
  description = "DNS name of the load balancer: point the shop's host name at it (CNAME or alias)."
  value       = aws_lb.this.dns_name
}

output "ecr_repository_url" {
  description = "Push the image here, tagged with image_tag."
  value       = aws_ecr_repository.shop.repository_url
}

output "autoscaling_group_name" {
  description = "The Auto Scaling group running the shop."
  value       = aws_autoscaling_group.shop.name
}

output "database_endpoint" {
  description = "PostgreSQL endpoint (host:port), reachable from the shop instances only."
  value       = aws_db_instance.shop.endpoint
}

output "database_secret_arn" {
  description = "Secrets Manager secret with the database user name and password (managed and rotated by RDS)."
  value       = aws_db_instance.shop.master_user_secret[0].secret_arn
}

output "alerts_topic_arn" {
  description = "SNS topic that receives scaling events and alarms."
  value       = aws_sns_topic.alerts.arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard with CPU, instances, requests, latency, target health and database."
  value       = aws_cloudwatch_dashboard.shop.dashboard_name
}
