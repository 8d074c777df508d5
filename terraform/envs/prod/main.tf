provider "aws" {
  region = var.region

  default_tags {
    tags = merge({ Project = "sre-orchestrator", Environment = "prod" }, var.tags)
  }
}

data "aws_partition" "current" {}

locals {
  bedrock_model_arns = [for id in var.bedrock_model_ids : "arn:${data.aws_partition.current.partition}:bedrock:${var.region}::foundation-model/${id}"]
}

module "opensearch" {
  source = "../../modules/opensearch"

  domain_name                    = var.name_prefix
  instance_type                  = "r6g.large.search"
  instance_count                 = 3
  zone_awareness_enabled         = true
  availability_zone_count        = 3
  dedicated_master_type          = "m6g.large.search"
  dedicated_master_count         = 3
  ebs_volume_size                = 100
  master_user_arn                = var.opensearch_admin_role_arn
  allowed_principal_arns         = [module.identity.role_arn]
  vpc_subnet_ids                 = slice(var.private_subnet_ids, 0, 3)
  vpc_security_group_ids         = var.opensearch_security_group_ids
  application_log_retention_days = 90
  log_index                      = { name = "sreo-logs", shards = 3, replicas = 1, retention_days = 30 }
  runbook_index                  = { name = "sreo-runbooks", shards = 1, replicas = 2 }
}

module "postgres" {
  source = "../../modules/postgres"

  identifier                 = var.name_prefix
  instance_class             = "db.r6g.large"
  allocated_storage          = 100
  max_allocated_storage      = 500
  multi_az                   = true
  deletion_protection        = true
  skip_final_snapshot        = false
  backup_retention_days      = 14
  vpc_id                     = var.vpc_id
  subnet_ids                 = var.private_subnet_ids
  allowed_security_group_ids = var.cluster_security_group_ids
}

module "identity" {
  source = "../../modules/identity"

  role_name                 = "${var.name_prefix}-functions"
  oidc_provider_arn         = var.eks_oidc_provider_arn
  oidc_issuer_url           = var.eks_oidc_issuer_url
  service_account_namespace = var.kubernetes_namespace
  service_account_names     = var.service_account_names
  bedrock_model_arns        = local.bedrock_model_arns
  secret_arns               = concat([module.postgres.master_user_secret_arn], var.extra_secret_arns)
  opensearch_domain_arn     = module.opensearch.domain_arn
}
