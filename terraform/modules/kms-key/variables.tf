variable "alias" {
  description = "The key's alias, without the alias/ prefix"
  type        = string
}

variable "description" {
  description = "What the key encrypts"
  type        = string
}

variable "encrypting_services" {
  description = "Service principals that may encrypt and decrypt with the key (logs.<region>.amazonaws.com, ...)"
  type        = list(string)
  default     = []
}

variable "extra_policy_documents" {
  description = "Further key policy documents (JSON) merged into the key's policy"
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Tags for the key"
  type        = map(string)
  default     = {}
}
