variable "name" {
  description = "The role's name"
  type        = string
}

variable "trusted_services" {
  description = "Service principals that may assume the role (ec2.amazonaws.com, ...); ignored when trust_policy is given"
  type        = list(string)
  default     = []
}

variable "assume_actions" {
  description = "What the trusted services may do with the role"
  type        = list(string)
  default     = ["sts:AssumeRole"]
}

variable "trust_policy" {
  description = "A whole trust policy (JSON), for principals other than services; null for trusted_services"
  type        = string
  default     = null
}

variable "managed_policies" {
  description = "AWS-managed policies to attach, by their path after arn:<partition>:iam::aws:policy/"
  type        = list(string)
  default     = []
}

variable "inline_policies" {
  description = "Inline policies of the role: name to policy JSON"
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags for the role"
  type        = map(string)
  default     = {}
}
