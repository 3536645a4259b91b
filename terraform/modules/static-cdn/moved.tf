# Where resources of earlier versions of this module live now, so that applying this version
# to an existing state moves them instead of replacing them (a replaced key would lose data).

moved {
  from = aws_kms_key.static
  to   = module.key.aws_kms_key.this
}
