# An IAM role that one or more AWS services (or, given a trust policy, a federated identity)
# assume, with the AWS-managed policies it needs and its own inline policies. Every role in the
# other modules is one of these, so trust, tagging and policy attachment are written once.

data "aws_partition" "current" {}

data "aws_iam_policy_document" "trust" {
  dynamic "statement" {
    for_each = length(var.trusted_services) > 0 ? [var.trusted_services] : []
    content {
      actions = var.assume_actions
      principals {
        type        = "Service"
        identifiers = statement.value
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  assume_role_policy = coalesce(var.trust_policy, data.aws_iam_policy_document.trust.json)
  tags               = var.tags

  lifecycle {
    precondition {
      condition     = (var.trust_policy == null) != (length(var.trusted_services) == 0)
      error_message = "Give the role either trusted_services or a trust_policy, not both and not neither."
    }
  }
}

resource "aws_iam_role_policy_attachment" "managed" {
  for_each   = toset(var.managed_policies)
  role       = aws_iam_role.this.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/${each.value}"
}

resource "aws_iam_role_policy" "inline" {
  for_each = var.inline_policies
  name     = each.key
  role     = aws_iam_role.this.id
  policy   = each.value
}
