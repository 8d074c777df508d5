mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  vpc_id                        = "vpc-1234"
  private_subnet_ids            = ["subnet-aaaa", "subnet-bbbb"]
  cluster_security_group_ids    = ["sg-nodes"]
  opensearch_security_group_ids = ["sg-search"]
  eks_oidc_provider_arn         = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
  eks_oidc_issuer_url           = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
  opensearch_admin_role_arn     = "arn:aws:iam::123456789012:role/search-admin"
}

run "dev_is_small_and_disposable" {
  command = plan

  assert {
    condition     = !module.postgres.safety_settings.deletion_protection && !module.postgres.safety_settings.multi_az
    error_message = "dev runs a single-AZ database without deletion protection."
  }

  assert {
    condition     = module.opensearch.cluster_settings.instance_count == 1 && !module.opensearch.cluster_settings.zone_awareness_enabled
    error_message = "dev runs a single-node search domain."
  }
}

run "dev_still_encrypts_and_stays_private" {
  command = plan

  assert {
    condition     = module.postgres.safety_settings.storage_encrypted && !module.postgres.safety_settings.publicly_accessible
    error_message = "Even dev must encrypt the database and keep it private."
  }

  assert {
    condition     = module.opensearch.cluster_settings.encrypt_at_rest && module.opensearch.cluster_settings.node_to_node_encryption && module.opensearch.cluster_settings.enforce_https
    error_message = "Even dev must encrypt the search domain and enforce HTTPS."
  }

  assert {
    condition     = module.opensearch.cluster_settings.inside_vpc
    error_message = "The search domain must sit in the VPC."
  }
}
