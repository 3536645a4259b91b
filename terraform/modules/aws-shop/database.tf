# PostgreSQL for every replica: multi-AZ, encrypted, backed up, its password generated and kept
# in Secrets Manager by RDS itself (never in Terraform state or variables).

resource "aws_db_subnet_group" "shop" {
  name       = "${var.name}-db"
  subnet_ids = module.network.db_subnet_ids
  tags       = local.tags
}

resource "aws_db_parameter_group" "shop" {
  name_prefix = "${var.name}-pg16-"
  family      = "postgres16"

  # Slow statements and connection churn in the logs (exported to CloudWatch below).
  parameter {
    name  = "log_min_duration_statement"
    value = "250"
  }
  parameter {
    name  = "log_statement"
    value = "ddl"
  }
  parameter {
    name  = "log_connections"
    value = "1"
  }
  parameter {
    name         = "rds.force_ssl"
    value        = "1"
    apply_method = "pending-reboot"
  }

  tags = local.tags
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "shop" {
  identifier     = "${var.name}-db"
  engine         = "postgres"
  engine_version = "16"
  instance_class = var.db_instance_class
  db_name        = "cloudscale"
  username       = "cloudscale"

  manage_master_user_password   = true
  master_user_secret_kms_key_id = module.key.arn

  multi_az               = true
  db_subnet_group_name   = aws_db_subnet_group.shop.name
  vpc_security_group_ids = [aws_security_group.db.id]
  publicly_accessible    = false
  parameter_group_name   = aws_db_parameter_group.shop.name

  allocated_storage     = var.db_allocated_storage_gb
  max_allocated_storage = var.db_allocated_storage_gb * 4
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = module.key.arn

  backup_retention_period   = var.db_backup_retention_days
  backup_window             = "20:30-21:30"
  maintenance_window        = "sun:22:00-sun:23:00"
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = false
  final_snapshot_identifier = "${var.name}-db-final"

  auto_minor_version_upgrade          = true
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  monitoring_interval                 = 60
  monitoring_role_arn                 = module.rds_monitoring_role.arn
  performance_insights_enabled        = true
  performance_insights_kms_key_id     = module.key.arn

  tags = local.tags
}
