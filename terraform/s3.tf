# The raw archive (streamed lines and uploaded files, org_id/source_id/yyyy/mm/dd/) and the Flink
# state bucket (checkpoints, savepoints, HA): SSE-KMS with the data CMK, versioned, never public,
# TLS only; lifecycle expiry as a backstop behind LogAi's per-plan retention job.
locals {
  buckets = {
    raw   = "logai-raw-${data.aws_caller_identity.current.account_id}-${var.environment}"
    state = "logai-flink-state-${data.aws_caller_identity.current.account_id}-${var.environment}"
  }
}

resource "aws_s3_bucket" "logai" {
  for_each = local.buckets
  bucket   = each.value
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logai" {
  for_each = aws_s3_bucket.logai
  bucket   = each.value.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_versioning" "logai" {
  for_each = aws_s3_bucket.logai
  bucket   = each.value.id
  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_public_access_block" "logai" {
  for_each                = aws_s3_bucket.logai
  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "logai" {
  for_each = aws_s3_bucket.logai
  bucket   = each.value.id
  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_policy" "tls_only" {
  for_each = aws_s3_bucket.logai
  bucket   = each.value.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "DenyInsecureTransport"
      Effect    = "Deny"
      Principal = { AWS = "*" }
      Action    = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"]
      Resource  = [each.value.arn, "${each.value.arn}/*"]
      Condition = { Bool = { "aws:SecureTransport" = "false" } }
    }]
  })
}

resource "aws_s3_bucket_lifecycle_configuration" "raw" {
  bucket = aws_s3_bucket.logai["raw"].id
  rule {
    id     = "plan-retention-backstop"
    status = "Enabled"
    filter {}
    expiration {
      days = var.raw_retention_days
    }
    noncurrent_version_expiration {
      noncurrent_days = 7
    }
    abort_incomplete_multipart_upload {
      days_after_initiation = 2
    }
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "state" {
  bucket = aws_s3_bucket.logai["state"].id
  rule {
    id     = "old-checkpoint-versions"
    status = "Enabled"
    filter {}
    noncurrent_version_expiration {
      noncurrent_days = 3
    }
  }
}
