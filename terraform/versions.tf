# The one place Terraform and provider versions are pinned. Every module's and environment's
# versions.tf is a link to this file, so a provider upgrade is one edit and no two modules can
# disagree. A module that uses fewer providers only has them installed, never configured.
terraform {
  required_version = ">= 1.6"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = "~> 2.35"
    }
    helm = {
      source  = "hashicorp/helm"
      version = "~> 2.17"
    }
    tls = {
      source  = "hashicorp/tls"
      version = "~> 4.0"
    }
  }
}
