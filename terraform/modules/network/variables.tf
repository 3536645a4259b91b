variable "name" {
  description = "Name prefix for every resource."
  type        = string
}

variable "vpc_cidr" {
  description = "Address block of the VPC; split into public, app and db subnets per zone (/20 or larger)."
  type        = string
  validation {
    condition     = can(cidrnetmask(var.vpc_cidr)) && tonumber(split("/", var.vpc_cidr)[1]) <= 20
    error_message = "vpc_cidr must be an IPv4 CIDR block of /20 or larger."
  }
}

variable "availability_zones" {
  description = "The zones the subnets and NAT gateways span, named so the set never changes by itself."
  type        = list(string)
  validation {
    condition     = length(var.availability_zones) >= 2 && length(var.availability_zones) <= 4 && length(distinct(var.availability_zones)) == length(var.availability_zones)
    error_message = "availability_zones must name 2 to 4 different zones."
  }
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the flow log group."
  type        = string
}

variable "log_retention_days" {
  description = "Days the flow logs are kept."
  type        = number
}

variable "public_subnet_tags" {
  description = "Extra tags on the public subnets (EKS: kubernetes.io/role/elb = 1)."
  type        = map(string)
  default     = {}
}

variable "app_subnet_tags" {
  description = "Extra tags on the app subnets (EKS: kubernetes.io/role/internal-elb = 1)."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
