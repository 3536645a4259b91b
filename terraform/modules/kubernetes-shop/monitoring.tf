# Monitoring for the shop, from the files in terraform/monitoring: Prometheus scrapes every pod's
# /metrics with the bearer token from a Secret, the alerting rules and the AlertManager routing,
# and the Grafana dashboards.
#
# With the Prometheus operator (kube-prometheus-stack), a ServiceMonitor and a PrometheusRule;
# without it, a ConfigMap holding a plain scrape job and the rule file for a Prometheus you run.
# Either way the dashboards are ConfigMaps labelled for Grafana's dashboard sidecar, and the
# AlertManager configuration is a Secret with its receivers' credentials beside it.

locals {
  monitoring_files = "${path.module}/../../monitoring"
  alert_rules      = yamldecode(file("${local.monitoring_files}/prometheus/rules.yml"))
  dashboards       = fileset("${local.monitoring_files}/grafana", "*.json")
  metrics_path     = "/metrics"
}

# The token the shop accepts on /metrics (METRICS_TOKEN) and the scraper presents.
resource "kubernetes_secret_v1" "metrics_token" {
  metadata {
    name      = "cloudscale-metrics"
    namespace = kubernetes_namespace_v1.shop.metadata[0].name
    labels    = local.labels
  }
  data = {
    token = var.metrics_token
  }
}

resource "kubernetes_manifest" "service_monitor" {
  count = var.prometheus_operator ? 1 : 0
  manifest = {
    apiVersion = "monitoring.coreos.com/v1"
    kind       = "ServiceMonitor"
    metadata = {
      name      = "cloudscale"
      namespace = kubernetes_namespace_v1.shop.metadata[0].name
      labels    = merge(local.labels, var.prometheus_selector_labels)
    }
    spec = {
      selector = { matchLabels = local.selector }
      endpoints = [{
        port     = "http"
        path     = local.metrics_path
        interval = "30s"
        authorization = {
          type        = "Bearer"
          credentials = { name = kubernetes_secret_v1.metrics_token.metadata[0].name, key = "token" }
        }
      }]
    }
  }
}

resource "kubernetes_manifest" "prometheus_rule" {
  count = var.prometheus_operator ? 1 : 0
  manifest = {
    apiVersion = "monitoring.coreos.com/v1"
    kind       = "PrometheusRule"
    metadata = {
      name      = "cloudscale"
      namespace = kubernetes_namespace_v1.shop.metadata[0].name
      labels    = merge(local.labels, var.prometheus_selector_labels)
    }
    spec = local.alert_rules
  }
}

# For a Prometheus without the operator: add scrape.yml to its scrape_configs, rules.yml to its
# rule_files, and mount the cloudscale-metrics Secret at /etc/prometheus/secrets/cloudscale-metrics.
resource "kubernetes_config_map_v1" "prometheus" {
  count = var.prometheus_operator ? 0 : 1
  metadata {
    name      = "cloudscale-prometheus"
    namespace = var.monitoring_namespace
    labels    = local.labels
  }
  data = {
    "scrape.yml" = yamlencode({
      scrape_configs = [{
        job_name        = "cloudscale"
        metrics_path    = local.metrics_path
        scrape_interval = "30s"
        authorization   = { type = "Bearer", credentials_file = "/etc/prometheus/secrets/cloudscale-metrics/token" }
        kubernetes_sd_configs = [{
          role       = "endpoints"
          namespaces = { names = [kubernetes_namespace_v1.shop.metadata[0].name] }
        }]
        relabel_configs = [
          { source_labels = ["__meta_kubernetes_service_name"], regex = kubernetes_service_v1.shop.metadata[0].name, action = "keep" },
          { source_labels = ["__meta_kubernetes_endpoint_port_name"], regex = "http", action = "keep" },
          { source_labels = ["__meta_kubernetes_pod_name"], target_label = "pod" },
          { source_labels = ["__meta_kubernetes_namespace"], target_label = "namespace" },
        ]
      }]
    })
    "rules.yml" = file("${local.monitoring_files}/prometheus/rules.yml")
  }
}

resource "kubernetes_config_map_v1" "dashboards" {
  for_each = local.dashboards
  metadata {
    name      = "cloudscale-dashboard-${trimsuffix(each.value, ".json")}"
    namespace = var.monitoring_namespace
    labels    = merge(local.labels, { (var.grafana_dashboard_label) = "1" })
  }
  data = {
    (each.value) = file("${local.monitoring_files}/grafana/${each.value}")
  }
}

# AlertManager's configuration and its receivers' credentials. With the operator
# (kube-prometheus-stack): alertmanagerSpec.configSecret = cloudscale-alertmanager reads
# alertmanager.yaml, and alertmanagerSpec.secrets = [cloudscale-alertmanager] mounts the
# credentials at /etc/alertmanager/secrets/cloudscale-alertmanager/, where the file looks for
# them; a plain AlertManager mounts this Secret at that path.
resource "kubernetes_secret_v1" "alertmanager" {
  metadata {
    name      = "cloudscale-alertmanager"
    namespace = var.monitoring_namespace
    labels    = local.labels
  }
  data = {
    "alertmanager.yaml"     = file("${local.monitoring_files}/alertmanager/alertmanager.yml")
    "pagerduty-routing-key" = var.alertmanager_pagerduty_routing_key
    "slack-webhook-url"     = var.alertmanager_slack_webhook_url
  }
}
