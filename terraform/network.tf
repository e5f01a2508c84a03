# VPC: private subnets for everything, public ones only for NAT and the load balancer; egress through
# NAT, and S3 / STS / Secrets Manager / ECR through VPC endpoints (no internet path for them).
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.16"

  name            = "logai-${var.environment}"
  cidr            = var.vpc_cidr
  azs             = slice(data.aws_availability_zones.available.names, 0, 3)
  private_subnets = [for i in range(3) : cidrsubnet(var.vpc_cidr, 4, i)]
  public_subnets  = [for i in range(3) : cidrsubnet(var.vpc_cidr, 8, 200 + i)]

  enable_nat_gateway     = true
  one_nat_gateway_per_az = true
  enable_dns_hostnames   = true

  enable_flow_log                      = true
  create_flow_log_cloudwatch_log_group = true
  create_flow_log_cloudwatch_iam_role  = true

  private_subnet_tags = { "kubernetes.io/role/internal-elb" = 1 }
  public_subnet_tags  = { "kubernetes.io/role/elb" = 1 }
}

resource "aws_security_group" "endpoints" {
  name_prefix = "logai-endpoints-"
  description = "HTTPS from the VPC to the interface endpoints"
  vpc_id      = module.vpc.vpc_id
  ingress {
    description = "HTTPS from the VPC"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
}

module "vpc_endpoints" {
  source  = "terraform-aws-modules/vpc/aws//modules/vpc-endpoints"
  version = "~> 5.16"

  vpc_id             = module.vpc.vpc_id
  security_group_ids = [aws_security_group.endpoints.id]
  endpoints = {
    s3             = { service = "s3", service_type = "Gateway", route_table_ids = module.vpc.private_route_table_ids }
    sts            = { service = "sts", private_dns_enabled = true, subnet_ids = module.vpc.private_subnets }
    secretsmanager = { service = "secretsmanager", private_dns_enabled = true, subnet_ids = module.vpc.private_subnets }
    ecr_api        = { service = "ecr.api", private_dns_enabled = true, subnet_ids = module.vpc.private_subnets }
    ecr_dkr        = { service = "ecr.dkr", private_dns_enabled = true, subnet_ids = module.vpc.private_subnets }
  }
}
