variable "region" {
  description = "AWS region."
  type        = string
  default     = "ap-south-1"
}

variable "environment" {
  description = "Environment tag on every resource."
  type        = string
  default     = "production"
}

variable "name" {
  description = "Name of the cluster and prefix of its resources."
  type        = string
  default     = "cloudscale-eks"
}

variable "vpc_cidr" {
  description = "Address block of the cluster's VPC."
  type        = string
  default     = "10.50.0.0/16"
}

variable "availability_zones" {
  description = "Two or more zones of the region for subnets, NAT gateways and nodes."
  type        = list(string)
  default     = ["ap-south-1a", "ap-south-1b"]
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.31"
}

variable "api_public_access_cidrs" {
  description = "Addresses allowed to reach the Kubernetes API from the internet (operators, CI); empty keeps it private."
  type        = list(string)
  default     = []
}

variable "scale_down_delay" {
  description = "How long a node must be unneeded, and how long after a scale-out, before the cluster autoscaler removes one."
  type        = string
  default     = "10m"
  validation {
    condition     = can(regex("^[0-9]+m$", var.scale_down_delay))
    error_message = "scale_down_delay must be whole minutes, such as 10m."
  }
}

variable "log_retention_days" {
  description = "Days control-plane and flow logs are kept."
  type        = number
  default     = 365
}

variable "monitoring_namespace" {
  description = "Namespace of kube-prometheus-stack."
  type        = string
  default     = "monitoring"
}
