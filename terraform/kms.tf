# Customer-managed keys, rotated yearly by AWS: one for data at rest (RDS, S3, MSK, EBS), one for secrets.
resource "aws_kms_key" "data" {
  description             = "LogAi data at rest (RDS, S3 archive, MSK, Flink state)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "data" {
  name          = "alias/logai-${var.environment}-data"
  target_key_id = aws_kms_key.data.key_id
}

resource "aws_kms_key" "secrets" {
  description             = "LogAi secrets (Secrets Manager)"
  enable_key_rotation     = true
  deletion_window_in_days = 30
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/logai-${var.environment}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}
