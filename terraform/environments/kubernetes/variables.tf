variable "kubeconfig_path" {
  description = "kubeconfig file of the target cluster."
  type        = string
  default     = "~/.kube/config"
}

variable "kubeconfig_context" {
  description = "Context in the kubeconfig; empty for the current one."
  type        = string
  default     = null
}

variable "namespace" {
  description = "Namespace created for the shop."
  type        = string
  default     = "cloudscale"
}

variable "image" {
  description = "The shop image pinned by digest: registry/repository@sha256:..."
  type        = string
}

variable "host" {
  description = "Host name of the shop."
  type        = string
}

variable "tls_secret_name" {
  description = "TLS secret for the host in the namespace."
  type        = string
}

variable "ingress_class_name" {
  description = "Ingress class of the cluster's controller."
  type        = string
  default     = "nginx"
}

variable "ingress_namespace" {
  description = "Namespace of the ingress controller."
  type        = string
  default     = "ingress-nginx"
}

variable "database_url" {
  description = "postgres:// URL of the shared database."
  type        = string
  sensitive   = true
}

variable "trusted_proxies" {
  description = "Pod CIDR blocks of the ingress controller."
  type        = list(string)
  default     = ["10.0.0.0/8"]
}

variable "metrics_token" {
  description = "Bearer token Prometheus presents on /metrics (openssl rand -hex 32)."
  type        = string
  sensitive   = true
}

variable "prometheus_operator" {
  description = "The cluster runs the Prometheus operator (ServiceMonitor and PrometheusRule); false gives a plain scrape ConfigMap."
  type        = bool
  default     = true
}

variable "monitoring_namespace" {
  description = "Namespace of Prometheus, Grafana and AlertManager."
  type        = string
  default     = "monitoring"
}

variable "alertmanager_pagerduty_routing_key" {
  description = "PagerDuty routing key for paging alerts."
  type        = string
  sensitive   = true
  default     = ""
}

variable "alertmanager_slack_webhook_url" {
  description = "Slack webhook URL for the team channel."
  type        = string
  sensitive   = true
  default     = ""
}
