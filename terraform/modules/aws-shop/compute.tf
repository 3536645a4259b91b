# The image repository, the instances' role, the launch template and the Auto Scaling group.

resource "aws_ecr_repository" "shop" {
  name                 = var.name
  image_tag_mutability = "IMMUTABLE"
  image_scanning_configuration {
    scan_on_push = true
  }
  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = module.key.arn
  }
  tags = local.tags
}

resource "aws_ecr_lifecycle_policy" "shop" {
  repository = aws_ecr_repository.shop.name
  policy = jsonencode({
    rules = [{
      rulePriority = 1
      description  = "Keep the 30 most recent images"
      selection    = { tagStatus = "any", countType = "imageCountMoreThan", countNumber = 30 }
      action       = { type = "expire" }
    }]
  })
}

resource "aws_cloudwatch_log_group" "app" {
  name              = "/${var.name}/app"
  retention_in_days = var.log_retention_days
  kms_key_id        = module.key.arn
  tags              = local.tags
}

data "aws_iam_policy_document" "instance" {
  statement {
    sid       = "PullTheShopImage"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.shop.arn]
  }
  statement {
    sid       = "LogInToEcr"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }
  statement {
    sid       = "ReadTheDatabasePassword"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_db_instance.shop.master_user_secret[0].secret_arn]
  }
  statement {
    sid       = "DecryptWithTheShopKey"
    actions   = ["kms:Decrypt"]
    resources = [module.key.arn]
  }
  statement {
    sid       = "WriteContainerLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.app.arn}:*"]
  }
}

resource "aws_iam_instance_profile" "instance" {
  name = "${var.name}-instance"
  role = module.instance_role.name
  tags = local.tags
}

data "aws_ssm_parameter" "al2023_ami" {
  name = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"
}

resource "aws_launch_template" "shop" {
  name_prefix   = "${var.name}-"
  image_id      = data.aws_ssm_parameter.al2023_ami.value
  instance_type = var.instance_type
  user_data = base64encode(templatefile("${path.module}/user_data.sh.tftpl", {
    region         = data.aws_region.current.name
    registry       = split("/", aws_ecr_repository.shop.repository_url)[0]
    image          = "${aws_ecr_repository.shop.repository_url}:${var.image_tag}"
    db_secret_arn  = aws_db_instance.shop.master_user_secret[0].secret_arn
    db_address     = aws_db_instance.shop.address
    db_port        = aws_db_instance.shop.port
    db_name        = aws_db_instance.shop.db_name
    public_origin  = var.public_origin
    vpc_cidr       = var.vpc_cidr
    scaling_policy = var.scaling_policy
    log_group      = aws_cloudwatch_log_group.app.name
  }))

  iam_instance_profile {
    arn = aws_iam_instance_profile.instance.arn
  }
  vpc_security_group_ids = [aws_security_group.app.id]
  ebs_optimized          = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    # One hop: only the host (Docker's awslogs driver, the AWS CLI) talks to the metadata
    # service; the shop's container never does.
    http_put_response_hop_limit = 1
  }

  monitoring {
    enabled = true
  }

  block_device_mappings {
    device_name = "/dev/xvda"
    ebs {
      volume_size           = 20
      volume_type           = "gp3"
      encrypted             = true
      kms_key_id            = module.key.arn
      delete_on_termination = true
    }
  }

  tag_specifications {
    resource_type = "instance"
    tags          = merge(local.tags, { Name = "${var.name}-app" })
  }
  tag_specifications {
    resource_type = "volume"
    tags          = local.tags
  }
  tags = local.tags
}

resource "aws_autoscaling_group" "shop" {
  name                      = "${var.name}-app"
  min_size                  = local.policy.min_size
  max_size                  = local.policy.max_size
  desired_capacity          = local.policy.desired_capacity
  vpc_zone_identifier       = module.network.app_subnet_ids
  target_group_arns         = [aws_lb_target_group.app.arn]
  health_check_type         = "ELB"
  health_check_grace_period = local.policy.health_check_grace_period_seconds
  default_instance_warmup   = local.policy.instance_warmup_seconds
  termination_policies      = ["OldestLaunchTemplate", "Default"]
  enabled_metrics = [
    "GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances",
    "GroupPendingInstances", "GroupTerminatingInstances", "GroupTotalInstances",
  ]

  launch_template {
    id      = aws_launch_template.shop.id
    version = aws_launch_template.shop.latest_version
  }

  # A new launch template version (a new image tag) replaces instances a few at a time.
  instance_refresh {
    strategy = "Rolling"
    preferences {
      min_healthy_percentage = 90
      instance_warmup        = local.policy.instance_warmup_seconds
      auto_rollback          = true
    }
  }

  dynamic "tag" {
    for_each = merge(local.tags, { Name = "${var.name}-app" })
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  # desired_capacity belongs to the scaling policies once the group exists.
  lifecycle {
    ignore_changes = [desired_capacity]
  }
}

# Step scaling on the CPU alarms (monitoring.tf), with the simulator's steps: the bounds are
# percentage points above the alarm threshold.
resource "aws_autoscaling_policy" "scale_out" {
  count                     = var.scaling_policy == "step" ? 1 : 0
  name                      = "${var.name}-cpu-scale-out"
  autoscaling_group_name    = aws_autoscaling_group.shop.name
  policy_type               = "StepScaling"
  adjustment_type           = "ChangeInCapacity"
  estimated_instance_warmup = local.policy.instance_warmup_seconds

  dynamic "step_adjustment" {
    for_each = local.policy.scale_out_steps
    content {
      metric_interval_lower_bound = step_adjustment.value.lower_bound_above_threshold
      metric_interval_upper_bound = step_adjustment.value.upper_bound_above_threshold
      scaling_adjustment          = step_adjustment.value.change_in_capacity
    }
  }
}

resource "aws_autoscaling_policy" "scale_in" {
  count                  = var.scaling_policy == "step" ? 1 : 0
  name                   = "${var.name}-cpu-scale-in"
  autoscaling_group_name = aws_autoscaling_group.shop.name
  policy_type            = "StepScaling"
  adjustment_type        = "ChangeInCapacity"

  step_adjustment {
    metric_interval_upper_bound = 0
    scaling_adjustment          = local.policy.scale_in_change_in_capacity
  }
}

# Target tracking: AWS creates and owns the alarms.
resource "aws_autoscaling_policy" "target_cpu" {
  count                     = var.scaling_policy == "target-tracking" ? 1 : 0
  name                      = "${var.name}-cpu-target"
  autoscaling_group_name    = aws_autoscaling_group.shop.name
  policy_type               = "TargetTrackingScaling"
  estimated_instance_warmup = local.policy.instance_warmup_seconds

  target_tracking_configuration {
    predefined_metric_specification {
      predefined_metric_type = "ASGAverageCPUUtilization"
    }
    target_value = local.policy.target_cpu_percent
  }
}
