output "arn" {
  description = "The key's ARN"
  value       = aws_kms_key.this.arn
}

output "id" {
  description = "The key's id"
  value       = aws_kms_key.this.key_id
}
