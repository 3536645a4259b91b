# Notifications, the CPU alarms that drive step scaling, health alarms and a dashboard.

resource "aws_sns_topic" "alerts" {
  name              = "${var.name}-scaling-and-alarms"
  kms_master_key_id = module.key.id
  tags              = local.tags
}

resource "aws_sns_topic_subscription" "email" {
  count     = var.alarm_email == "" ? 0 : 1
  topic_arn = aws_sns_topic.alerts.arn
  protocol  = "email"
  endpoint  = var.alarm_email
}

# The same event names the metrics page's simulated alerts use.
resource "aws_autoscaling_notification" "shop" {
  group_names = [aws_autoscaling_group.shop.name]
  topic_arn   = aws_sns_topic.alerts.arn
  notifications = [
    "autoscaling:EC2_INSTANCE_LAUNCH",
    "autoscaling:EC2_INSTANCE_LAUNCH_ERROR",
    "autoscaling:EC2_INSTANCE_TERMINATE",
    "autoscaling:EC2_INSTANCE_TERMINATE_ERROR",
  ]
}

resource "aws_cloudwatch_metric_alarm" "cpu_high" {
  alarm_name          = "${var.name}-cpu-high"
  alarm_description   = "Average CPU of the group above the scale-out threshold"
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  dimensions          = { AutoScalingGroupName = aws_autoscaling_group.shop.name }
  comparison_operator = "GreaterThanThreshold"
  threshold           = local.policy.scale_out_cpu_percent
  period              = local.policy.alarm_period_seconds
  evaluation_periods  = local.policy.alarm_evaluation_periods
  treat_missing_data  = "missing"
  alarm_actions       = concat([aws_sns_topic.alerts.arn], aws_autoscaling_policy.scale_out[*].arn)
  ok_actions          = [aws_sns_topic.alerts.arn]
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "cpu_low" {
  alarm_name          = "${var.name}-cpu-low"
  alarm_description   = "Average CPU of the group below the scale-in threshold"
  namespace           = "AWS/EC2"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  dimensions          = { AutoScalingGroupName = aws_autoscaling_group.shop.name }
  comparison_operator = "LessThanThreshold"
  threshold           = local.policy.scale_in_cpu_percent
  period              = local.policy.alarm_period_seconds
  evaluation_periods  = local.policy.alarm_evaluation_periods
  treat_missing_data  = "missing"
  alarm_actions       = concat([aws_sns_topic.alerts.arn], aws_autoscaling_policy.scale_in[*].arn)
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "unhealthy_hosts" {
  alarm_name          = "${var.name}-unhealthy-hosts"
  alarm_description   = "A shop instance fails its /readyz health check"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "UnHealthyHostCount"
  statistic           = "Maximum"
  dimensions          = { LoadBalancer = aws_lb.this.arn_suffix, TargetGroup = aws_lb_target_group.app.arn_suffix }
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  period              = 60
  evaluation_periods  = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "server_errors" {
  alarm_name          = "${var.name}-5xx"
  alarm_description   = "The shop answers 5xx to more than 1 % of requests"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 1
  evaluation_periods  = 3
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]

  metric_query {
    id          = "error_rate"
    expression  = "100 * errors / MAX([errors, requests])"
    label       = "5xx %"
    return_data = true
  }
  metric_query {
    id = "errors"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "HTTPCode_Target_5XX_Count"
      dimensions  = { LoadBalancer = aws_lb.this.arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }
  metric_query {
    id = "requests"
    metric {
      namespace   = "AWS/ApplicationELB"
      metric_name = "RequestCount"
      dimensions  = { LoadBalancer = aws_lb.this.arn_suffix }
      period      = 60
      stat        = "Sum"
    }
  }
  tags = local.tags
}

resource "aws_cloudwatch_metric_alarm" "p95_latency" {
  alarm_name          = "${var.name}-p95-latency"
  alarm_description   = "p95 response time above 500 ms"
  namespace           = "AWS/ApplicationELB"
  metric_name         = "TargetResponseTime"
  extended_statistic  = "p95"
  dimensions          = { LoadBalancer = aws_lb.this.arn_suffix }
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0.5
  period              = 60
  evaluation_periods  = 5
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
  tags                = local.tags
}

resource "aws_cloudwatch_metric_alarm" "db_cpu" {
  alarm_name          = "${var.name}-db-cpu"
  alarm_description   = "Database CPU above 80 %: more shop instances will not help"
  namespace           = "AWS/RDS"
  metric_name         = "CPUUtilization"
  statistic           = "Average"
  dimensions          = { DBInstanceIdentifier = aws_db_instance.shop.identifier }
  comparison_operator = "GreaterThanThreshold"
  threshold           = 80
  period              = 60
  evaluation_periods  = 5
  alarm_actions       = [aws_sns_topic.alerts.arn]
  ok_actions          = [aws_sns_topic.alerts.arn]
  tags                = local.tags
}

resource "aws_cloudwatch_dashboard" "shop" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title   = "Group CPU (scale out above ${local.policy.scale_out_cpu_percent} %, in below ${local.policy.scale_in_cpu_percent} %)"
          region  = data.aws_region.current.name
          metrics = [["AWS/EC2", "CPUUtilization", "AutoScalingGroupName", aws_autoscaling_group.shop.name]]
          stat    = "Average", period = 60
          annotations = { horizontal = [
            { value = local.policy.scale_out_cpu_percent, label = "scale out" },
            { value = local.policy.scale_in_cpu_percent, label = "scale in" },
          ] }
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "Instances"
          region = data.aws_region.current.name
          metrics = [
            ["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", aws_autoscaling_group.shop.name],
            [".", "GroupDesiredCapacity", ".", "."],
            [".", "GroupPendingInstances", ".", "."],
          ]
          stat = "Maximum", period = 60
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title   = "Requests per minute"
          region  = data.aws_region.current.name
          metrics = [["AWS/ApplicationELB", "RequestCount", "LoadBalancer", aws_lb.this.arn_suffix]]
          stat    = "Sum", period = 60
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title   = "Response time p95 (seconds)"
          region  = data.aws_region.current.name
          metrics = [["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", aws_lb.this.arn_suffix, { stat = "p95" }]]
          period  = 60
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title  = "Healthy and unhealthy targets"
          region = data.aws_region.current.name
          metrics = [
            ["AWS/ApplicationELB", "HealthyHostCount", "TargetGroup", aws_lb_target_group.app.arn_suffix, "LoadBalancer", aws_lb.this.arn_suffix],
            [".", "UnHealthyHostCount", ".", ".", ".", "."],
          ]
          stat = "Maximum", period = 60
        }
      },
      {
        type = "metric", x = 12, y = 12, width = 12, height = 6
        properties = {
          title   = "Database CPU and connections"
          region  = data.aws_region.current.name
          metrics = [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", aws_db_instance.shop.identifier], [".", "DatabaseConnections", ".", ".", { yAxis = "right" }]]
          stat    = "Average", period = 60
        }
      },
    ]
  })
}
