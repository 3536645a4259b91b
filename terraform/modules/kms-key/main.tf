# A customer-managed key with yearly rotation and a 30-day deletion window, administered by the
# account (AWS's default key policy) and usable by the listed services; a caller adds statements
# of its own (CloudFront decrypting for one distribution, say) as extra policy documents.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_iam_policy_document" "this" {
  #checkov:skip=CKV_AWS_111:A key policy's Resource "*" is this key alone; the account statement is AWS's default key policy, without which the key cannot be administered.
  #checkov:skip=CKV_AWS_356:A key policy's Resource "*" is this key alone, not every resource.
  #checkov:skip=CKV_AWS_109:The account-root statement is AWS's default key policy; IAM policies in the account still decide who may use it.
  source_policy_documents = var.extra_policy_documents
  statement {
    sid       = "AccountAdministers"
    actions   = ["kms:*"]
    resources = ["*"]
    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
  dynamic "statement" {
    for_each = length(var.encrypting_services) > 0 ? [var.encrypting_services] : []
    content {
      sid       = "ServicesEncrypt"
      actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
      resources = ["*"]
      principals {
        type        = "Service"
        identifiers = statement.value
      }
    }
  }
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.this.json
  tags                    = var.tags
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
