# The shop on an existing Kubernetes cluster (with metrics-server for the HPA and an ingress
# controller), from ../../modules/kubernetes-shop. The database is an existing PostgreSQL.
#
#   cp terraform.tfvars.example terraform.tfvars   # then edit
#   terraform init && terraform apply

provider "kubernetes" {
  config_path    = var.kubeconfig_path
  config_context = var.kubeconfig_context
}

module "shop" {
  source = "../../modules/kubernetes-shop"

  namespace          = var.namespace
  image              = var.image
  host               = var.host
  tls_secret_name    = var.tls_secret_name
  ingress_class_name = var.ingress_class_name
  ingress_namespace  = var.ingress_namespace
  database_url       = var.database_url
  trusted_proxies    = var.trusted_proxies

  metrics_token                      = var.metrics_token
  prometheus_operator                = var.prometheus_operator
  monitoring_namespace               = var.monitoring_namespace
  alertmanager_pagerduty_routing_key = var.alertmanager_pagerduty_routing_key
  alertmanager_slack_webhook_url     = var.alertmanager_slack_webhook_url
}
