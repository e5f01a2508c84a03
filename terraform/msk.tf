# Kafka: MSK with IAM authentication only (TLS in transit, port 9098), encrypted with the data CMK.
# Without MSK, use k8s/overlays/strimzi instead and leave this file out.
resource "aws_security_group" "msk" {
  name_prefix = "logai-msk-"
  description = "Kafka (IAM, TLS) from the EKS nodes"
  vpc_id      = module.vpc.vpc_id
  ingress {
    description     = "Kafka IAM/TLS from the EKS nodes"
    from_port       = 9098
    to_port         = 9098
    protocol        = "tcp"
    security_groups = [module.eks.node_security_group_id]
  }
}

resource "aws_msk_configuration" "logai" {
  name           = "logai-${var.environment}"
  kafka_versions = ["3.9.x"]
  server_properties = <<-PROPS
    default.replication.factor=3
    min.insync.replicas=2
    auto.create.topics.enable=false
    message.max.bytes=10485760
  PROPS
}

resource "aws_msk_cluster" "logai" {
  cluster_name           = "logai-${var.environment}"
  kafka_version          = "3.9.x"
  number_of_broker_nodes = 3

  broker_node_group_info {
    instance_type   = var.msk_broker_instance_type
    client_subnets  = module.vpc.private_subnets
    security_groups = [aws_security_group.msk.id]
    storage_info {
      ebs_storage_info {
        volume_size = var.msk_broker_storage_gb
      }
    }
  }

  client_authentication {
    unauthenticated = false
    sasl {
      iam = true
    }
  }

  encryption_info {
    encryption_at_rest_kms_key_arn = aws_kms_key.data.arn
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }

  configuration_info {
    arn      = aws_msk_configuration.logai.arn
    revision = aws_msk_configuration.logai.latest_revision
  }
}
