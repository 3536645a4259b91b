# Where resources of earlier versions of this module live now, so that applying this version
# to an existing state moves them instead of replacing them (a replaced key would lose data).

moved {
  from = aws_iam_role.flow_logs
  to   = module.flow_logs_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.flow_logs
  to   = module.flow_logs_role.aws_iam_role_policy.inline["write-flow-logs"]
}
