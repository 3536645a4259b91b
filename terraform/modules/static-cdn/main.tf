# CloudFront in front of the shop: fingerprinted files under /pkg/ come from a private S3 bucket
# (origin access control, never public) with a year's cache, and everything else — pages,
# server functions, the API, uploads — passes through to the load balancer uncached, with the
# shopper's cookies, headers and query string. TLS to viewers (TLS 1.2+) and to the origin.
# The delivery pipeline uploads target/site/pkg to the bucket before it rolls out the image
# that refers to those files.

locals {
  tags             = merge({ Application = "cloudscale-commerce", ManagedBy = "terraform" }, var.tags)
  static_origin_id = "static"
  shop_origin_id   = "shop"
}

# AWS-managed policies: no caching for pages, every viewer header/cookie/query to the origin.
data "aws_cloudfront_cache_policy" "disabled" {
  name = "Managed-CachingDisabled"
}

data "aws_cloudfront_origin_request_policy" "all_viewer" {
  name = "Managed-AllViewer"
}

# CloudFront reads the encrypted objects through the origin access control.
data "aws_iam_policy_document" "cloudfront_decrypts" {
  statement {
    sid       = "CloudFrontDecrypts"
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this.arn]
    }
  }
}

module "key" {
  source                 = "../kms-key"
  alias                  = "${var.name}-static"
  description            = "${var.name}: static files"
  extra_policy_documents = [data.aws_iam_policy_document.cloudfront_decrypts.json]
  tags                   = local.tags
}

resource "aws_s3_bucket" "static" {
  #checkov:skip=CKV_AWS_144:The bucket holds build output the pipeline can upload again in any region; replicating it buys nothing.
  #checkov:skip=CKV2_AWS_62:Nothing reacts to uploads: the pipeline that writes the files also deploys the image.
  bucket_prefix = "${var.name}-static-"
  tags          = local.tags
}

resource "aws_s3_bucket_public_access_block" "static" {
  bucket                  = aws_s3_bucket.static.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "static" {
  bucket = aws_s3_bucket.static.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "static" {
  bucket = aws_s3_bucket.static.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "static" {
  bucket = aws_s3_bucket.static.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.key.arn
    }
    bucket_key_enabled = true
  }
}

# Old builds' files stay long enough for pages still cached in browsers, then go.
resource "aws_s3_bucket_lifecycle_configuration" "static" {
  bucket = aws_s3_bucket.static.id
  rule {
    id     = "expire-old-builds"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 30
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }
}

resource "aws_s3_bucket_logging" "static" {
  bucket        = aws_s3_bucket.static.id
  target_bucket = var.log_bucket
  target_prefix = "s3/${var.name}-static/"
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "CloudFrontReads"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.static.arn}/*"]
    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }
    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this.arn]
    }
  }
  statement {
    sid       = "TlsOnly"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.static.arn, "${aws_s3_bucket.static.arn}/*"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "static" {
  bucket     = aws_s3_bucket.static.id
  policy     = data.aws_iam_policy_document.bucket.json
  depends_on = [aws_s3_bucket_public_access_block.static]
}

resource "aws_cloudfront_origin_access_control" "static" {
  name                              = "${var.name}-static"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# A fingerprinted file never changes: cache it for a year, at the edge and in browsers.
resource "aws_cloudfront_cache_policy" "fingerprinted" {
  name        = "${var.name}-fingerprinted"
  min_ttl     = 31536000
  default_ttl = 31536000
  max_ttl     = 31536000
  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_brotli = true
    enable_accept_encoding_gzip   = true
    cookies_config {
      cookie_behavior = "none"
    }
    headers_config {
      header_behavior = "none"
    }
    query_strings_config {
      query_string_behavior = "none"
    }
  }
}

resource "aws_cloudfront_response_headers_policy" "static" {
  #checkov:skip=CKV_AWS_259:HSTS here repeats the shop's own header (two years, subdomains); preload commits the whole domain to browsers' lists, the domain owner's decision.
  name = "${var.name}-static"
  custom_headers_config {
    items {
      header   = "Cache-Control"
      value    = "public, max-age=31536000, immutable"
      override = true
    }
  }
  security_headers_config {
    content_type_options {
      override = true
    }
    strict_transport_security {
      access_control_max_age_sec = 63072000
      include_subdomains         = true
      override                   = true
    }
  }
}

resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_310:The shop has one origin per path; failing over pages to the bucket would serve nothing.
  #checkov:skip=CKV_AWS_374:A shop sells where its operator ships; geo restriction is the operator's choice (var.geo_restriction_locations).
  #checkov:skip=CKV_AWS_305:The shop's own server answers / (the home page); there is no index object.
  #checkov:skip=CKV2_AWS_47:The WAF web ACL is var.web_acl_arn, which checkov cannot resolve; its managed rule groups (Log4j included) are the operator's.
  comment         = "${var.name}: pages through to the shop, /pkg/ from S3"
  enabled         = true
  is_ipv6_enabled = true
  http_version    = "http2and3"
  price_class     = var.price_class
  aliases         = [var.host]
  web_acl_id      = var.web_acl_arn

  origin {
    origin_id   = local.shop_origin_id
    domain_name = var.origin_domain_name
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  origin {
    origin_id                = local.static_origin_id
    domain_name              = aws_s3_bucket.static.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.static.id
  }

  default_cache_behavior {
    target_origin_id         = local.shop_origin_id
    viewer_protocol_policy   = "redirect-to-https"
    allowed_methods          = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = data.aws_cloudfront_cache_policy.disabled.id
    origin_request_policy_id = data.aws_cloudfront_origin_request_policy.all_viewer.id
    compress                 = false
  }

  ordered_cache_behavior {
    path_pattern               = "/pkg/*"
    target_origin_id           = local.static_origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    cache_policy_id            = aws_cloudfront_cache_policy.fingerprinted.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.static.id
    compress                   = true
  }

  restrictions {
    geo_restriction {
      restriction_type = length(var.geo_restriction_locations) > 0 ? "whitelist" : "none"
      locations        = var.geo_restriction_locations
    }
  }

  viewer_certificate {
    acm_certificate_arn      = var.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  logging_config {
    bucket          = "${var.log_bucket}.s3.amazonaws.com"
    prefix          = "cloudfront/${var.name}/"
    include_cookies = false
  }

  tags = local.tags
}
