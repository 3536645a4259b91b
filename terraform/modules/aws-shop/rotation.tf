# RDS rotates the database password it keeps in Secrets Manager (every 7 days by default). The
# instances read it when they boot, so each successful rotation starts a rolling instance
# refresh: new instances read the new password, the old ones drain (the ALB's /readyz checks)
# and go. Connections the old instances already hold stay valid meanwhile.

locals {
  refresh_role_name = "${var.name}-refresh-after-rotation"
  # The role's policy lets it pass itself, so its ARN is spelled from the name (no cycle).
  refresh_role_arn = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${local.refresh_role_name}"
}

resource "aws_ssm_document" "refresh_after_rotation" {
  name            = "${var.name}-refresh-after-rotation"
  document_type   = "Automation"
  document_format = "YAML"
  content = yamlencode({
    schemaVersion = "0.3"
    description   = "Start a rolling instance refresh of the shop's Auto Scaling group."
    assumeRole    = module.refresh_role.arn
    mainSteps = [{
      name   = "StartInstanceRefresh"
      action = "aws:executeAwsApi"
      inputs = {
        Service              = "autoscaling"
        Api                  = "StartInstanceRefresh"
        AutoScalingGroupName = aws_autoscaling_group.shop.name
        Strategy             = "Rolling"
        Preferences = {
          MinHealthyPercentage = 90
          InstanceWarmup       = local.policy.instance_warmup_seconds
        }
      }
    }]
  })
  tags = local.tags
}

resource "aws_cloudwatch_event_rule" "password_rotated" {
  name        = "${var.name}-db-password-rotated"
  description = "The database password was rotated: refresh the shop's instances"
  event_pattern = jsonencode({
    source        = ["aws.secretsmanager"]
    "detail-type" = ["AWS Service Event via CloudTrail"]
    detail = {
      eventName           = ["RotationSucceeded"]
      additionalEventData = { SecretId = [aws_db_instance.shop.master_user_secret[0].secret_arn] }
    }
  })
  tags = local.tags
}

resource "aws_cloudwatch_event_target" "password_rotated" {
  rule     = aws_cloudwatch_event_rule.password_rotated.name
  arn      = "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:automation-definition/${aws_ssm_document.refresh_after_rotation.name}:$DEFAULT"
  role_arn = module.refresh_role.arn
}

data "aws_iam_policy_document" "refresh" {
  statement {
    sid       = "RunTheAutomation"
    actions   = ["ssm:StartAutomationExecution"]
    resources = ["arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:automation-definition/${aws_ssm_document.refresh_after_rotation.name}:*"]
  }
  statement {
    sid       = "PassItsRole"
    actions   = ["iam:PassRole"]
    resources = [local.refresh_role_arn]
  }
  statement {
    sid       = "RefreshTheShopGroup"
    actions   = ["autoscaling:StartInstanceRefresh"]
    resources = [aws_autoscaling_group.shop.arn]
  }
}
