# Production on AWS (ap-south-1 by default): the shop's Auto Scaling group, load balancer and
# database from ../../modules/aws-shop.
#
#   cp terraform.tfvars.example terraform.tfvars   # then edit
#   terraform init && terraform apply
#
# Versions come from versions.tf (a link to ../../versions.tf). Keep state remote and locked:
# a backend.tf here with backend "s3" { key = "cloudscale/aws.tfstate", encrypt = true,
# use_lockfile = true, ... } inside a terraform block.

provider "aws" {
  region = var.region
  default_tags {
    tags = { Environment = var.environment }
  }
}

module "shop" {
  source = "../../modules/aws-shop"

  name                = "cloudscale-${var.environment}"
  availability_zones  = var.availability_zones
  image_tag           = var.image_tag
  instance_type       = var.instance_type
  certificate_arn     = var.certificate_arn
  public_origin       = var.public_origin
  scaling_policy      = var.scaling_policy
  alarm_email         = var.alarm_email
  db_instance_class   = var.db_instance_class
  deletion_protection = var.deletion_protection
}

# Optional: CloudFront in front of the load balancer, with /pkg/ from S3 (../../modules/static-cdn).
module "cdn" {
  source = "../../modules/static-cdn"
  count  = var.cdn == null ? 0 : 1

  name               = "cloudscale-${var.environment}"
  host               = trimprefix(var.public_origin, "https://")
  origin_domain_name = var.cdn.origin_domain_name
  certificate_arn    = var.cdn.certificate_arn
  log_bucket         = var.cdn.log_bucket
  web_acl_arn        = var.cdn.web_acl_arn
}
