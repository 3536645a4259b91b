# Where resources of earlier versions of this module live now, so that applying this version
# to an existing state moves them instead of replacing them (a replaced key would lose data).

moved {
  from = aws_iam_role.autoscaler
  to   = module.autoscaler_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy.autoscaler
  to   = module.autoscaler_role.aws_iam_role_policy.inline["resize-node-groups"]
}

moved {
  from = aws_kms_key.cluster
  to   = module.key.aws_kms_key.this
}

moved {
  from = aws_kms_alias.cluster
  to   = module.key.aws_kms_alias.this
}

moved {
  from = aws_iam_role.cluster
  to   = module.cluster_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy_attachment.cluster
  to   = module.cluster_role.aws_iam_role_policy_attachment.managed["AmazonEKSClusterPolicy"]
}

moved {
  from = aws_iam_role.node
  to   = module.node_role.aws_iam_role.this
}

moved {
  from = aws_iam_role_policy_attachment.node
  to   = module.node_role.aws_iam_role_policy_attachment.managed
}
