output "eks_cluster_name" {
  description = "aws eks update-kubeconfig --name <this>"
  value       = module.eks.cluster_name
}

output "msk_bootstrap_brokers_iam" {
  description = "LOGAI_KAFKA_BOOTSTRAP in k8s/overlays/aws/config.yaml (IAM auth, port 9098)"
  value       = aws_msk_cluster.logai.bootstrap_brokers_sasl_iam
}

output "rds_endpoint" {
  description = "Host:port of Postgres for LOGAI_DB_URL (sslmode=verify-full)"
  value       = aws_db_instance.logai.endpoint
}

output "rds_master_secret_arn" {
  description = "Secrets Manager entry of the RDS owner (logai_owner) password, managed by RDS"
  value       = aws_db_instance.logai.master_user_secret[0].secret_arn
}

output "raw_bucket" {
  description = "LOGAI_S3_BUCKET"
  value       = aws_s3_bucket.logai["raw"].bucket
}

output "flink_state_bucket" {
  description = "The bucket of the FlinkDeployment's checkpoints, savepoints and HA metadata"
  value       = aws_s3_bucket.logai["state"].bucket
}

output "irsa_role_arns" {
  description = "eks.amazonaws.com/role-arn of each service account in k8s/overlays/aws/irsa/"
  value       = { for k, r in aws_iam_role.workload : k => r.arn }
}

output "cloudfront_domain" {
  description = "Point ingest., api. and app.<domain> here (CNAME or alias)"
  value       = aws_cloudfront_distribution.logai.domain_name
}
