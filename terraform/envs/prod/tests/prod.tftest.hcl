mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  vpc_id                        = "vpc-1234"
  private_subnet_ids            = ["subnet-aaaa", "subnet-bbbb", "subnet-cccc"]
  cluster_security_group_ids    = ["sg-nodes"]
  opensearch_security_group_ids = ["sg-search"]
  eks_oidc_provider_arn         = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
  eks_oidc_issuer_url           = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
  opensearch_admin_role_arn     = "arn:aws:iam::123456789012:role/search-admin"
}

run "prod_protects_the_database" {
  command = plan

  assert {
    condition     = module.postgres.safety_settings.deletion_protection
    error_message = "prod must enable deletion protection on the database."
  }

  assert {
    condition     = module.postgres.safety_settings.multi_az
    error_message = "prod must run a multi-AZ database."
  }

  assert {
    condition     = module.postgres.safety_settings.backup_retention_days >= 7
    error_message = "prod must keep at least a week of backups."
  }

  assert {
    condition     = module.postgres.safety_settings.storage_encrypted && !module.postgres.safety_settings.publicly_accessible
    error_message = "prod must encrypt the database and keep it private."
  }
}

run "prod_spreads_search_over_zones" {
  command = plan

  assert {
    condition     = module.opensearch.cluster_settings.zone_awareness_enabled && module.opensearch.cluster_settings.instance_count >= 3
    error_message = "prod must run a zone-aware search domain with at least three nodes."
  }

  assert {
    condition     = module.opensearch.cluster_settings.dedicated_master_enabled
    error_message = "prod must run dedicated master nodes."
  }

  assert {
    condition     = module.opensearch.cluster_settings.encrypt_at_rest && module.opensearch.cluster_settings.node_to_node_encryption && module.opensearch.cluster_settings.enforce_https
    error_message = "prod must encrypt the search domain and enforce HTTPS."
  }
}
