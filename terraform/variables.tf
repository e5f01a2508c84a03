variable "region" {
  description = "AWS region for every resource (CloudFront's WAF is global and lives in us-east-1)."
  type        = string
  default     = "us-east-1"
}

variable "environment" {
  description = "Name of this deployment, used in resource names and tags (e.g. prod, staging)."
  type        = string
  default     = "prod"
}

variable "vpc_cidr" {
  description = "CIDR of the VPC; three private and three public subnets are cut from it."
  type        = string
  default     = "10.40.0.0/16"
}

variable "domain" {
  description = "The public domain: ingest.<domain>, api.<domain>, app.<domain>; SES sends from alerts@<domain>."
  type        = string
}

variable "acm_certificate_arn" {
  description = "ACM certificate (us-east-1) for CloudFront covering the three host names."
  type        = string
}

variable "alb_origin_domain" {
  description = "DNS name of the ALB the aws-load-balancer-controller makes for k8s/overlays/aws's Ingress (known after the first apply of the overlay)."
  type        = string
}

variable "admin_ip_allowlist" {
  description = "CIDRs allowed to reach the dashboard's admin paths and the EKS public API endpoint (empty: EKS API private only)."
  type        = list(string)
  default     = []
}

variable "waf_rate_limit_per_5min" {
  description = "Requests per 5 minutes per client IP before WAF blocks it (LogAi's own per-org limits apply behind it)."
  type        = number
  default     = 20000
}

variable "raw_retention_days" {
  description = "S3 lifecycle backstop for raw archives and uploads: the longest plan retention (Team: 90 days). LogAi's retention job deletes per plan before."
  type        = number
  default     = 90
}

variable "db_instance_class" {
  description = "RDS instance class (docs/operations.md, Scale)."
  type        = string
  default     = "db.r6g.large"
}

variable "msk_broker_instance_type" {
  description = "MSK broker size; 3 brokers, one per AZ."
  type        = string
  default     = "kafka.m7g.large"
}

variable "msk_broker_storage_gb" {
  description = "EBS per broker: 7 days of raw lines x replication 3 / 3 brokers at the planned volume, plus headroom."
  type        = number
  default     = 1000
}

variable "eks_node_instance_types" {
  description = "Instance types of the EKS managed node group."
  type        = list(string)
  default     = ["m7g.xlarge"]
}

variable "eks_node_count" {
  description = "min, desired and max nodes of the managed node group."
  type        = object({ min = number, desired = number, max = number })
  default     = { min = 3, desired = 3, max = 12 }
}
