# EKS with a managed node group in the private subnets; IRSA (OIDC provider) for the workloads' roles.
module "eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "~> 20.31"

  cluster_name    = "logai-${var.environment}"
  cluster_version = "1.32"

  vpc_id     = module.vpc.vpc_id
  subnet_ids = module.vpc.private_subnets

  cluster_endpoint_public_access       = length(var.admin_ip_allowlist) > 0
  cluster_endpoint_public_access_cidrs = var.admin_ip_allowlist
  cluster_endpoint_private_access      = true
  enable_irsa                          = true

  cluster_encryption_config = { resources = ["secrets"], provider_key_arn = aws_kms_key.secrets.arn }

  eks_managed_node_groups = {
    default = {
      ami_type       = "AL2023_ARM_64_STANDARD"
      instance_types = var.eks_node_instance_types
      min_size       = var.eks_node_count.min
      desired_size   = var.eks_node_count.desired
      max_size       = var.eks_node_count.max
      block_device_mappings = {
        xvda = { device_name = "/dev/xvda", ebs = { volume_size = 100, encrypted = true, kms_key_id = aws_kms_key.data.arn } }
      }
    }
  }
}
