# CloudScale Commerce on Kubernetes: a Deployment with probes on the shop's own endpoints, a
# Service and Ingress, an HPA with the policy file's numbers, and a PodDisruptionBudget.
# monitoring.tf adds the scrape, the alerting rules and the dashboards.

locals {
  # The scaling numbers the metrics page's simulator uses: one file, read by both.
  policy = jsondecode(file("${path.module}/../../../simulator/policy/autoscaling.json"))

  selector = { "app.kubernetes.io/name" = "cloudscale", "app.kubernetes.io/component" = "shop" }
  labels   = merge(var.labels, local.selector, { "app.kubernetes.io/managed-by" = "terraform" })
}

resource "kubernetes_namespace_v1" "shop" {
  metadata {
    name   = var.namespace
    labels = local.labels
  }
}

resource "kubernetes_service_account_v1" "shop" {
  metadata {
    name      = "cloudscale"
    namespace = kubernetes_namespace_v1.shop.metadata[0].name
    labels    = local.labels
  }
  # The shop never calls the Kubernetes API.
  automount_service_account_token = false
}

resource "kubernetes_config_map_v1" "shop" {
  metadata {
    name      = "cloudscale"
    namespace = kubernetes_namespace_v1.shop.metadata[0].name
    labels    = local.labels
  }
  data = {
    APP_ENV             = "prod"
    PUBLIC_ORIGIN       = "https://${var.host}"
    TRUSTED_PROXIES     = join(",", var.trusted_proxies)
    SHUTDOWN_DRAIN_SECS = tostring(var.shutdown_drain_seconds)
    SHUTDOWN_GRACE_SECS = tostring(var.shutdown_grace_seconds)
    MAIL_DIR            = "/app/data/mail"
  }
}

resource "kubernetes_secret_v1" "shop" {
  metadata {
    name      = "cloudscale"
    namespace = kubernetes_namespace_v1.shop.metadata[0].name
    labels    = local.labels
  }
  data = {
    DATABASE_URL  = var.database_url
    METRICS_TOKEN = var.metrics_token
  }
}

resource "kubernetes_deployment_v1" "shop" {
  #checkov:skip=CKV_K8S_14:The image is var.image, whose validation accepts only repository@sha256:<digest>; checkov cannot see a variable without a default.
  #checkov:skip=CKV_K8S_43:The image is var.image, whose validation accepts only repository@sha256:<digest>; checkov cannot see a variable without a default.
  metadata {
    name      = "cloudscale"
    namespace = kubernetes_namespace_v1.shop.metadata[0].name
    labels    = local.labels
  }

  spec {
    # The HPA owns the replica count from here on.
    replicas = local.policy.hpa_min_replicas
    selector {
      match_labels = local.selector
    }
    strategy {
      type = "RollingUpdate"
      rolling_update {
        max_unavailable = "0"
        max_surge       = "25%"
      }
    }

    template {
      metadata {
        labels = local.labels
      }
      spec {
        service_account_name             = kubernetes_service_account_v1.shop.metadata[0].name
        automount_service_account_token  = false
        termination_grace_period_seconds = var.shutdown_drain_seconds + var.shutdown_grace_seconds + 5

        security_context {
          run_as_non_root = true
          run_as_user     = 10001
          run_as_group    = 10001
          fs_group        = 10001
          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        topology_spread_constraint {
          max_skew           = 1
          topology_key       = "topology.kubernetes.io/zone"
          when_unsatisfiable = "ScheduleAnyway"
          label_selector {
            match_labels = local.selector
          }
        }

        container {
          name              = "shop"
          image             = var.image
          image_pull_policy = "Always"
          args              = ["serve"]

          port {
            name           = "http"
            container_port = 8080
          }

          env_from {
            config_map_ref {
              name = kubernetes_config_map_v1.shop.metadata[0].name
            }
          }
          env_from {
            secret_ref {
              name = kubernetes_secret_v1.shop.metadata[0].name
            }
          }

          resources {
            requests = { cpu = var.cpu_request, memory = var.memory_request }
            limits   = { cpu = var.cpu_limit, memory = var.memory_limit }
          }

          # Start-up migrates the database; give it up to two minutes before liveness counts.
          startup_probe {
            http_get {
              path = "/healthz"
              port = "http"
            }
            period_seconds    = 2
            failure_threshold = 60
          }
          # /readyz answers 503 when the database is unreachable or the pod is draining.
          readiness_probe {
            http_get {
              path = "/readyz"
              port = "http"
            }
            period_seconds    = 5
            timeout_seconds   = 3
            failure_threshold = 1
          }
          liveness_probe {
            http_get {
              path = "/healthz"
              port = "http"
            }
            period_seconds    = 10
            timeout_seconds   = 3
            failure_threshold = 3
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            privileged                 = false
            run_as_non_root            = true
            run_as_user                = 10001
            capabilities {
              drop = ["ALL"]
            }
          }

          # The root filesystem is read-only; order e-mails (without SMTP) and temp files go here.
          volume_mount {
            name       = "data"
            mount_path = "/app/data"
          }
          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }

        volume {
          name = "data"
          empty_dir {
            size_limit = "256Mi"
          }
        }
        volume {
          name = "tmp"
          empty_dir {
            size_limit = "64Mi"
          }
        }
      }
    }
  }

  lifecycle {
    ignore_changes = [spec[0].replicas]
  }
}

resource "kubernetes_service_v1" "shop" {
  metadata {
    name      = "cloudscale"
    namespace = kubernetes_namespace_v1.shop.metadata[0].name
    labels    = local.labels
  }
  spec {
    type     = "ClusterIP"
    selector = local.selector
    port {
      name        = "http"
      port        = 80
      target_port = "http"
    }
  }
}

resource "kubernetes_ingress_v1" "shop" {
  metadata {
    name      = "cloudscale"
    namespace = kubernetes_namespace_v1.shop.metadata[0].name
    labels    = local.labels
  }
  spec {
    ingress_class_name = var.ingress_class_name
    tls {
      hosts       = [var.host]
      secret_name = var.tls_secret_name
    }
    rule {
      host = var.host
      http {
        path {
          path      = "/"
          path_type = "Prefix"
          backend {
            service {
              name = kubernetes_service_v1.shop.metadata[0].name
              port {
                name = "http"
              }
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_horizontal_pod_autoscaler_v2" "shop" {
  metadata {
    name      = "cloudscale"
    namespace = kubernetes_namespace_v1.shop.metadata[0].name
    labels    = local.labels
  }
  spec {
    min_replicas = local.policy.hpa_min_replicas
    max_replicas = local.policy.hpa_max_replicas
    scale_target_ref {
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = kubernetes_deployment_v1.shop.metadata[0].name
    }
    metric {
      type = "Resource"
      resource {
        name = "cpu"
        target {
          type                = "Utilization"
          average_utilization = local.policy.hpa_cpu_target_percent
        }
      }
    }
    metric {
      type = "Resource"
      resource {
        name = "memory"
        target {
          type                = "Utilization"
          average_utilization = local.policy.hpa_memory_target_percent
        }
      }
    }
    behavior {
      scale_down {
        stabilization_window_seconds = 300
        select_policy                = "Max"
        policy {
          type           = "Pods"
          value          = 1
          period_seconds = 60
        }
      }
      scale_up {
        stabilization_window_seconds = 0
        select_policy                = "Max"
        policy {
          type           = "Percent"
          value          = 100
          period_seconds = 15
        }
        policy {
          type           = "Pods"
          value          = 4
          period_seconds = 15
        }
      }
    }
  }
}

resource "kubernetes_pod_disruption_budget_v1" "shop" {
  metadata {
    name      = "cloudscale"
    namespace = kubernetes_namespace_v1.shop.metadata[0].name
    labels    = local.labels
  }
  spec {
    max_unavailable = "1"
    selector {
      match_labels = local.selector
    }
  }
}

# Only the ingress controller's namespace reaches the pods (outbound traffic is not restricted:
# the database and SMTP hosts are outside the cluster's knowledge).
resource "kubernetes_network_policy_v1" "shop" {
  metadata {
    name      = "cloudscale"
    namespace = kubernetes_namespace_v1.shop.metadata[0].name
    labels    = local.labels
  }
  spec {
    pod_selector {
      match_labels = local.selector
    }
    policy_types = ["Ingress"]
    ingress {
      from {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = var.ingress_namespace }
        }
      }
      ports {
        port     = "8080"
        protocol = "TCP"
      }
    }
    # Prometheus scrapes /metrics on the same port.
    ingress {
      from {
        namespace_selector {
          match_labels = { "kubernetes.io/metadata.name" = var.monitoring_namespace }
        }
      }
      ports {
        port     = "8080"
        protocol = "TCP"
      }
    }
  }
}
