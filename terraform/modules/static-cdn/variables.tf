variable "name" {
  description = "Name prefix of the bucket, policies and distribution."
  type        = string
}

variable "host" {
  description = "The shop's host name, served by the distribution (point its DNS at distribution_domain_name)."
  type        = string
}

variable "origin_domain_name" {
  description = "Host name of the load balancer's listener with a certificate of its own (for example origin.shop.example.com)."
  type        = string
}

variable "certificate_arn" {
  description = "ACM certificate for host, in us-east-1 (CloudFront's region for certificates)."
  type        = string
  validation {
    condition     = can(regex("^arn:aws:acm:us-east-1:", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate in us-east-1."
  }
}

variable "log_bucket" {
  description = "Name of the S3 bucket that receives the distribution's and the static bucket's access logs."
  type        = string
}

variable "web_acl_arn" {
  description = "ARN of a WAFv2 web ACL (CLOUDFRONT scope) in front of the shop."
  type        = string
}

variable "price_class" {
  description = "CloudFront price class: which edge locations serve the shop."
  type        = string
  default     = "PriceClass_200"
}

variable "geo_restriction_locations" {
  description = "Countries (ISO 3166-1 alpha-2) allowed to reach the shop; empty allows every country."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags on every resource."
  type        = map(string)
  default     = {}
}
