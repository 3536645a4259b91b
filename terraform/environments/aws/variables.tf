variable "region" {
  description = "AWS region to deploy into."
  type        = string
  default     = "ap-south-1"
  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as ap-south-1."
  }
}

variable "environment" {
  description = "Environment name, part of every resource name (prod, staging, ...)."
  type        = string
  default     = "prod"
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.environment))
    error_message = "environment must be 2-10 lowercase letters or digits."
  }
}

variable "availability_zones" {
  description = "Two or more zones of the region."
  type        = list(string)
  default     = ["ap-south-1a", "ap-south-1b"]
}

variable "image_tag" {
  description = "Tag of the image pushed to the module's ECR repository."
  type        = string
}

variable "instance_type" {
  description = "EC2 instance type of the shop instances."
  type        = string
  default     = "t3.small"
}

variable "certificate_arn" {
  description = "ACM certificate ARN for the shop's host name."
  type        = string
}

variable "public_origin" {
  description = "https://host shoppers use."
  type        = string
}

variable "scaling_policy" {
  description = "step or target-tracking."
  type        = string
  default     = "step"
}

variable "alarm_email" {
  description = "E-mail address for scaling events and alarms; empty for none."
  type        = string
  default     = ""
}

variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
  default     = "db.t4g.medium"
}

variable "deletion_protection" {
  description = "Protect the load balancer and database from deletion."
  type        = bool
  default     = true
}

variable "cdn" {
  description = "Serve the shop through CloudFront with /pkg/ from S3: the load balancer's own host name, a us-east-1 certificate for the shop's host, a log bucket and a WAF web ACL. null (the default) serves straight from the load balancer."
  type = object({
    origin_domain_name = string
    certificate_arn    = string
    log_bucket         = string
    web_acl_arn        = string
  })
  default = null
}
