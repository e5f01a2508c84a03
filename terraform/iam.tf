# IAM roles for service accounts, least privilege: each workload may do only what its code does.
locals {
  oidc = module.eks.oidc_provider
  msk_cluster = "arn:aws:kafka:${var.region}:${data.aws_caller_identity.current.account_id}:cluster/logai-${var.environment}/*"
  msk_topic   = "arn:aws:kafka:${var.region}:${data.aws_caller_identity.current.account_id}:topic/logai-${var.environment}/*"
  msk_group   = "arn:aws:kafka:${var.region}:${data.aws_caller_identity.current.account_id}:group/logai-${var.environment}/*"
  workloads = {
    "logai-ingest-gateway" = data.aws_iam_policy_document.gateway.json
    "logai-query-api"      = data.aws_iam_policy_document.query_api.json
    "logai-flink"          = data.aws_iam_policy_document.flink.json
  }
}

data "aws_iam_policy_document" "assume" {
  for_each = local.workloads
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [module.eks.oidc_provider_arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc}:sub"
      values   = ["system:serviceaccount:logai:${each.key}"]
    }
    condition {
      test     = "StringEquals"
      variable = "${local.oidc}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

# The gateway: writes raw batches and upload events to Kafka, pre-signs PUTs and HEADs uploads.
data "aws_iam_policy_document" "gateway" {
  statement {
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [aws_msk_cluster.logai.arn]
  }
  statement {
    actions   = ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic"]
    resources = [local.msk_topic]
  }
  statement {
    actions   = ["s3:PutObject", "s3:GetObject"]
    resources = ["${aws_s3_bucket.logai["raw"].arn}/*"]
  }
  statement {
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [aws_kms_key.data.arn]
  }
}

# The query API: publishes alert rules and anomaly settings (creates the compacted topics), reads and deletes archive
# objects for retention and org deletion, reads the secrets for External Secrets.
data "aws_iam_policy_document" "query_api" {
  statement {
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [aws_msk_cluster.logai.arn]
  }
  statement {
    actions   = ["kafka-cluster:WriteData", "kafka-cluster:DescribeTopic", "kafka-cluster:CreateTopic"]
    resources = [local.msk_topic]
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.logai["raw"].arn]
  }
  statement {
    actions   = ["s3:GetObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.logai["raw"].arn}/*"]
  }
  statement {
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [for s in aws_secretsmanager_secret.logai : s.arn]
  }
  statement {
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.data.arn, aws_kms_key.secrets.arn]
  }
}

# The pipeline: reads and writes its topics as a consumer group, writes the archive and its state.
data "aws_iam_policy_document" "flink" {
  statement {
    actions   = ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"]
    resources = [aws_msk_cluster.logai.arn]
  }
  statement {
    actions   = ["kafka-cluster:ReadData", "kafka-cluster:WriteData", "kafka-cluster:DescribeTopic", "kafka-cluster:CreateTopic"]
    resources = [local.msk_topic]
  }
  statement {
    actions   = ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"]
    resources = [local.msk_group]
  }
  statement {
    actions   = ["kafka-cluster:DescribeTransactionalId", "kafka-cluster:AlterTransactionalId"]
    resources = ["arn:aws:kafka:${var.region}:${data.aws_caller_identity.current.account_id}:transactional-id/logai-${var.environment}/*"]
  }
  statement {
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.logai["raw"].arn, aws_s3_bucket.logai["state"].arn]
  }
  statement {
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.logai["raw"].arn}/*", "${aws_s3_bucket.logai["state"].arn}/*"]
  }
  statement {
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [aws_kms_key.data.arn]
  }
}

resource "aws_iam_role" "workload" {
  for_each           = local.workloads
  name               = "${each.key}-${var.environment}"
  assume_role_policy = data.aws_iam_policy_document.assume[each.key].json
}

resource "aws_iam_role_policy" "workload" {
  for_each = local.workloads
  name     = each.key
  role     = aws_iam_role.workload[each.key].id
  policy   = each.value
}
