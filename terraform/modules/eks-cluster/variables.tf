variable "name" {
  description = "Cluster name and prefix of its resources (lowercase letters, digits and hyphens)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name))
    error_message = "name must be 2-31 lowercase letters, digits or hyphens, starting with a letter."
  }
}

variable "kubernetes_version" {
  description = "EKS Kubernetes version."
  type        = string
  default     = "1.31"
}

variable "private_subnet_ids" {
  description = "Private subnets (with a NAT route) in two or more zones, for the control plane's interfaces and the nodes."
  type        = list(string)
  validation {
    condition     = length(var.private_subnet_ids) >= 2
    error_message = "private_subnet_ids must span at least two zones."
  }
}

variable "public_access_cidrs" {
  description = "Addresses that may reach the Kubernetes API from the internet; empty keeps it private to the VPC."
  type        = list(string)
  default     = []
  validation {
    condition     = alltrue([for cidr in var.public_access_cidrs : can(cidrnetmask(cidr)) && cidr != "0.0.0.0/0"])
    error_message = "public_access_cidrs must be IPv4 CIDR blocks narrower than the whole internet."
  }
}

variable "on_demand_instance_types" {
  description = "Instance types of the on-demand base."
  type        = list(string)
  default     = ["t3.large"]
}

variable "on_demand_max_nodes" {
  description = "Most on-demand nodes; growth beyond the base comes from spot."
  type        = number
  default     = 4
}

variable "spot_instance_types" {
  description = "Similar instance types for spot capacity (same CPU and memory, so the autoscaler can treat them alike)."
  type        = list(string)
  default     = ["t3.large", "t3a.large", "m5.large", "m5a.large"]
}

variable "node_disk_gib" {
  description = "Root volume size of each node."
  type        = number
  default     = 40
}

variable "autoscaler_namespace" {
  description = "Namespace of the cluster autoscaler's service account."
  type        = string
  default     = "kube-system"
}

variable "autoscaler_service_account" {
  description = "Name of the cluster autoscaler's service account, which assumes its IAM role."
  type        = string
  default     = "cluster-autoscaler"
}

variable "log_retention_days" {
  description = "Days the control-plane logs are kept (a CloudWatch retention of at least a year)."
  type        = number
  default     = 365
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
