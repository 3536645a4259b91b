output "distribution_domain_name" {
  description = "Point the shop's host name here (CNAME or alias)."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "distribution_id" {
  description = "The CloudFront distribution."
  value       = aws_cloudfront_distribution.this.id
}

output "static_bucket" {
  description = "Upload target/site/pkg to s3://<this>/pkg/ before deploying the image that refers to it."
  value       = aws_s3_bucket.static.bucket
}
