# Postgres: multi-AZ, encrypted with the data CMK, TLS enforced by the server (rds.force_ssl), never
# public, in the private subnets; reachable from the EKS nodes only.
resource "aws_db_subnet_group" "logai" {
  name       = "logai-${var.environment}"
  subnet_ids = module.vpc.private_subnets
}

resource "aws_security_group" "rds" {
  name_prefix = "logai-rds-"
  description = "Postgres from the EKS nodes"
  vpc_id      = module.vpc.vpc_id
  ingress {
    description     = "Postgres from the EKS nodes"
    from_port       = 5432
    to_port         = 5432
    protocol        = "tcp"
    security_groups = [module.eks.node_security_group_id]
  }
}

resource "aws_db_parameter_group" "logai" {
  name   = "logai-${var.environment}-pg17"
  family = "postgres17"
  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }
  parameter {
    name  = "ssl_min_protocol_version"
    value = "TLSv1.2"
  }
}

resource "aws_db_instance" "logai" {
  identifier     = "logai-${var.environment}"
  engine         = "postgres"
  engine_version = "17"
  instance_class = var.db_instance_class

  allocated_storage     = 200
  max_allocated_storage = 2000
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = aws_kms_key.data.arn

  db_name                     = "logai"
  username                    = "logai_owner"
  manage_master_user_password = true
  master_user_secret_kms_key_id = aws_kms_key.secrets.arn

  multi_az               = true
  publicly_accessible    = false
  db_subnet_group_name   = aws_db_subnet_group.logai.name
  vpc_security_group_ids = [aws_security_group.rds.id]
  parameter_group_name   = aws_db_parameter_group.logai.name

  backup_retention_period   = 14
  copy_tags_to_snapshot     = true
  deletion_protection       = true
  skip_final_snapshot       = false
  final_snapshot_identifier = "logai-${var.environment}-final"
  performance_insights_enabled    = true
  performance_insights_kms_key_id = aws_kms_key.data.arn
  auto_minor_version_upgrade      = true
}
