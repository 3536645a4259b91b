# The cluster the shop runs on, on EKS: its own VPC over two or more zones (../../modules/network),
# the cluster with an on-demand base and spot capacity (../../modules/eks-cluster), the cluster
# autoscaler with a scale-down delay, and kube-prometheus-stack (Prometheus, AlertManager,
# Grafana) and ingress-nginx from Helm. The shop itself goes on with ../kubernetes, whose defaults
# match what this environment installs (ingress class, namespaces, the Prometheus release label,
# trusted proxies covering the default vpc_cidr; set its trusted_proxies to a vpc_cidr outside
# 10.0.0.0/8, and its monitoring_namespace to this one's if you change it):
#
#   cp terraform.tfvars.example terraform.tfvars   # then edit
#   terraform init && terraform apply
#   aws eks update-kubeconfig --name "$(terraform output -raw cluster_name)" --region <region>
#   cd ../kubernetes && terraform init && terraform apply
#
# Two states, because a Kubernetes provider must not be configured from a cluster created in the
# same apply (the provider's own guidance), the shop's ServiceMonitor needs the operator's CRDs
# at plan time, and a shop release should never plan changes to its cluster.
#
# Versions come from versions.tf (a link to ../../versions.tf). Keep state remote and locked:
# a backend.tf here with backend "s3" { key = "cloudscale/eks.tfstate", encrypt = true,
# use_lockfile = true, ... } inside a terraform block.

provider "aws" {
  region = var.region
  default_tags {
    tags = { Environment = var.environment }
  }
}

# Helm authenticates with a short-lived token from the AWS CLI.
provider "helm" {
  kubernetes {
    host                   = module.cluster.endpoint
    cluster_ca_certificate = base64decode(module.cluster.certificate_authority)
    exec {
      api_version = "client.authentication.k8s.io/v1beta1"
      command     = "aws"
      args        = ["eks", "get-token", "--cluster-name", module.cluster.cluster_name, "--region", var.region]
    }
  }
}

module "network" {
  source = "../../modules/network"

  name               = var.name
  vpc_cidr           = var.vpc_cidr
  availability_zones = var.availability_zones
  kms_key_arn        = module.cluster.kms_key_arn
  log_retention_days = var.log_retention_days
  # Where the AWS cloud controller puts internet-facing and internal load balancers.
  public_subnet_tags = { "kubernetes.io/role/elb" = "1" }
  app_subnet_tags    = { "kubernetes.io/role/internal-elb" = "1" }
}

module "cluster" {
  source = "../../modules/eks-cluster"

  name                = var.name
  kubernetes_version  = var.kubernetes_version
  private_subnet_ids  = module.network.app_subnet_ids
  public_access_cidrs = var.api_public_access_cidrs
  log_retention_days  = var.log_retention_days
}

# Adds spot nodes when pods are pending and removes a node only after it has been unneeded for
# the scale-down delay (and not sooner than that after a scale-out), so a short lull does not
# take away capacity the HPA is about to use again.
resource "helm_release" "cluster_autoscaler" {
  name       = "cluster-autoscaler"
  namespace  = "kube-system"
  repository = "https://kubernetes.github.io/autoscaler"
  chart      = "cluster-autoscaler"
  version    = "9.43.2"

  values = [yamlencode({
    cloudProvider = "aws"
    awsRegion     = var.region
    autoDiscovery = { clusterName = module.cluster.cluster_name }
    rbac = {
      serviceAccount = {
        name        = "cluster-autoscaler"
        annotations = { "eks.amazonaws.com/role-arn" = module.cluster.autoscaler_role_arn }
      }
    }
    extraArgs = {
      "scale-down-delay-after-add"  = var.scale_down_delay
      "scale-down-unneeded-time"    = var.scale_down_delay
      "balance-similar-node-groups" = true
      "skip-nodes-with-system-pods" = false
      "expander"                    = "least-waste"
    }
  })]
}

# Prometheus (with the operator the shop's ServiceMonitor and PrometheusRule need), AlertManager
# configured from the shop's Secret (which ../kubernetes creates; AlertManager waits for it), and
# Grafana loading the shop's dashboard ConfigMaps.
resource "helm_release" "monitoring" {
  name             = "kube-prometheus-stack"
  namespace        = var.monitoring_namespace
  create_namespace = true
  repository       = "https://prometheus-community.github.io/helm-charts"
  chart            = "kube-prometheus-stack"
  version          = "65.5.0"

  values = [yamlencode({
    alertmanager = {
      alertmanagerSpec = {
        configSecret = "cloudscale-alertmanager"
        secrets      = ["cloudscale-alertmanager"]
      }
    }
    grafana = {
      sidecar = { dashboards = { enabled = true, label = "grafana_dashboard", searchNamespace = "ALL" } }
    }
    prometheus = {
      prometheusSpec = {
        retention = "15d"
        # Rules and monitors from every namespace whose labels carry the release name.
        ruleSelectorNilUsesHelmValues           = true
        serviceMonitorSelectorNilUsesHelmValues = true
      }
    }
  })]
  depends_on = [module.cluster]
}

# An internet-facing NLB in front of ingress-nginx, spread over the public subnets.
resource "helm_release" "ingress" {
  name             = "ingress-nginx"
  namespace        = "ingress-nginx"
  create_namespace = true
  repository       = "https://kubernetes.github.io/ingress-nginx"
  chart            = "ingress-nginx"
  version          = "4.11.3"

  values = [yamlencode({
    controller = {
      replicaCount = 2
      service = {
        annotations = {
          "service.beta.kubernetes.io/aws-load-balancer-type"   = "nlb"
          "service.beta.kubernetes.io/aws-load-balancer-scheme" = "internet-facing"
        }
      }
      topologySpreadConstraints = [{
        maxSkew           = 1
        topologyKey       = "topology.kubernetes.io/zone"
        whenUnsatisfiable = "ScheduleAnyway"
        labelSelector     = { matchLabels = { "app.kubernetes.io/name" = "ingress-nginx" } }
      }]
    }
  })]
  depends_on = [module.cluster]
}
