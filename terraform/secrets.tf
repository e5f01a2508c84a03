# Secrets Manager entries the External Secrets Operator copies into the cluster (k8s/base/external-secrets.yaml).
# Values are set outside Terraform (aws secretsmanager put-secret-value), so they never land in state;
# the RDS owner password is managed by RDS itself (manage_master_user_password).
locals {
  secrets = ["db-app", "db-admin", "secret-key", "llm-api-key", "ses-smtp", "dashboard-session"]
}

resource "aws_secretsmanager_secret" "logai" {
  for_each                = toset(local.secrets)
  name                    = "logai/${each.value}"
  kms_key_id              = aws_kms_key.secrets.arn
  recovery_window_in_days = 7
}
