variable "namespace" {
  description = "Namespace created for the shop."
  type        = string
  default     = "cloudscale"
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace)) && var.namespace != "default"
    error_message = "namespace must be a DNS label other than default."
  }
}

variable "image" {
  description = "The shop image by digest (registry/repository@sha256:...), so every pod runs the same bytes."
  type        = string
  validation {
    condition     = can(regex("^[^\\s@]+@sha256:[0-9a-f]{64}$", var.image))
    error_message = "image must be pinned by digest: registry/repository@sha256:<64 hex digits>."
  }
}

variable "host" {
  description = "Host name the ingress serves, such as shop.example.com."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", var.host))
    error_message = "host must be a lowercase DNS name."
  }
}

variable "tls_secret_name" {
  description = "Existing TLS secret in the namespace for the host (for example issued by cert-manager)."
  type        = string
}

variable "ingress_class_name" {
  description = "Ingress class of the cluster's ingress controller."
  type        = string
  default     = "nginx"
}

variable "ingress_namespace" {
  description = "Namespace of the ingress controller: the only one whose pods may reach the shop's pods."
  type        = string
  default     = "ingress-nginx"
}

variable "database_url" {
  description = "postgres:// URL of the shared database (kept in a Secret; SQLite serves one replica only)."
  type        = string
  sensitive   = true
  validation {
    condition     = can(regex("^postgres(ql)?://", var.database_url))
    error_message = "database_url must be a postgres:// URL: replicas share one PostgreSQL database."
  }
}

variable "trusted_proxies" {
  description = "CIDR blocks of the ingress controller pods, whose X-Forwarded-For the shop believes."
  type        = list(string)
  default     = ["10.0.0.0/8"]
  validation {
    condition     = alltrue([for cidr in var.trusted_proxies : can(cidrnetmask(cidr))])
    error_message = "trusted_proxies must be IPv4 CIDR blocks."
  }
}

variable "cpu_request" {
  description = "CPU each pod requests; the HPA's CPU target is a percentage of this."
  type        = string
  default     = "250m"
}

variable "cpu_limit" {
  description = "CPU limit of each pod."
  type        = string
  default     = "1"
}

variable "memory_request" {
  description = "Memory each pod requests; the HPA's memory target is a percentage of this."
  type        = string
  default     = "256Mi"
}

variable "memory_limit" {
  description = "Memory limit of each pod."
  type        = string
  default     = "512Mi"
}

variable "shutdown_drain_seconds" {
  description = "Seconds a terminating pod keeps serving while /readyz answers 503 (SHUTDOWN_DRAIN_SECS)."
  type        = number
  default     = 10
  validation {
    condition     = var.shutdown_drain_seconds >= 0 && var.shutdown_drain_seconds <= 300
    error_message = "shutdown_drain_seconds must be from 0 to 300."
  }
}

variable "shutdown_grace_seconds" {
  description = "Seconds in-flight requests get once the drain is over (SHUTDOWN_GRACE_SECS)."
  type        = number
  default     = 30
  validation {
    condition     = var.shutdown_grace_seconds >= 1 && var.shutdown_grace_seconds <= 3600
    error_message = "shutdown_grace_seconds must be from 1 to 3600."
  }
}

variable "labels" {
  description = "Labels added to every object."
  type        = map(string)
  default     = {}
}

variable "metrics_token" {
  description = "Bearer token for /metrics (METRICS_TOKEN); the scraper presents it from the cloudscale-metrics Secret."
  type        = string
  sensitive   = true
  validation {
    condition     = length(var.metrics_token) >= 32
    error_message = "metrics_token must be at least 32 characters (openssl rand -hex 32)."
  }
}

variable "prometheus_operator" {
  description = "Create a ServiceMonitor and PrometheusRule (the cluster runs the Prometheus operator); otherwise a ConfigMap with a plain scrape job and the rules."
  type        = bool
  default     = true
}

variable "prometheus_selector_labels" {
  description = "Labels the operator's Prometheus selects ServiceMonitors and rules by (kube-prometheus-stack: release = its release name)."
  type        = map(string)
  default     = { release = "kube-prometheus-stack" }
}

variable "monitoring_namespace" {
  description = "Namespace of Prometheus, Grafana and AlertManager: it may scrape the pods, and holds the dashboards and AlertManager configuration."
  type        = string
  default     = "monitoring"
}

variable "grafana_dashboard_label" {
  description = "Label Grafana's dashboard sidecar looks for (kube-prometheus-stack: grafana_dashboard)."
  type        = string
  default     = "grafana_dashboard"
}

variable "alertmanager_pagerduty_routing_key" {
  description = "PagerDuty Events v2 routing key for severity=page alerts."
  type        = string
  sensitive   = true
  default     = ""
}

variable "alertmanager_slack_webhook_url" {
  description = "Slack incoming-webhook URL for the team channel (every alert)."
  type        = string
  sensitive   = true
  default     = ""
}
