# Resource attributes are checked against a mocked provider. Policy documents
# are rendered by the real provider offline: no credentials, no API calls.
mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

provider "aws" {
  alias                       = "offline"
  region                      = "eu-west-1"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

variables {
  domain_name            = "sreo-test"
  master_user_arn        = "arn:aws:iam::123456789012:role/search-admin"
  allowed_principal_arns = ["arn:aws:iam::123456789012:role/sreo-functions"]
}

run "encrypts_and_enforces_tls" {
  command = plan

  assert {
    condition     = aws_opensearch_domain.this[0].encrypt_at_rest[0].enabled
    error_message = "Encryption at rest must be enabled."
  }

  assert {
    condition     = aws_opensearch_domain.this[0].node_to_node_encryption[0].enabled
    error_message = "Node-to-node encryption must be enabled."
  }

  assert {
    condition     = aws_opensearch_domain.this[0].domain_endpoint_options[0].enforce_https
    error_message = "The endpoint must enforce HTTPS."
  }

  assert {
    condition     = strcontains(aws_opensearch_domain.this[0].domain_endpoint_options[0].tls_security_policy, "TLS-1-2")
    error_message = "The endpoint must require TLS 1.2 or later."
  }
}

run "uses_fine_grained_access_control_without_anonymous_access" {
  command = plan

  assert {
    condition     = aws_opensearch_domain.this[0].advanced_security_options[0].enabled
    error_message = "Fine-grained access control must be enabled."
  }

  assert {
    condition     = !aws_opensearch_domain.this[0].advanced_security_options[0].anonymous_auth_enabled
    error_message = "Anonymous access must be off."
  }

  assert {
    condition     = !aws_opensearch_domain.this[0].advanced_security_options[0].internal_user_database_enabled
    error_message = "Users must come from IAM, not an internal user database."
  }
}

run "places_domain_in_vpc_when_subnets_are_given" {
  command = plan

  variables {
    vpc_subnet_ids         = ["subnet-aaaa", "subnet-bbbb"]
    vpc_security_group_ids = ["sg-search"]
  }

  assert {
    condition     = length(aws_opensearch_domain.this[0].vpc_options) == 1
    error_message = "The domain must be placed in the VPC."
  }
}

run "rejects_tls_policies_below_1_2" {
  command = plan

  variables {
    tls_security_policy = "Policy-Min-TLS-1-0-2019-07"
  }

  expect_failures = [var.tls_security_policy]
}

run "access_policy_names_principals_and_domain_only" {
  command   = plan
  providers = { aws = aws.offline }

  assert {
    condition = alltrue([
      for statement in jsondecode(output.access_policy_json).Statement :
      alltrue([for resource in flatten([statement.Resource]) : resource == "arn:aws:es:eu-west-1:123456789012:domain/sreo-test/*"])
    ])
    error_message = "Every statement must be scoped to the domain: ${output.access_policy_json}"
  }

  assert {
    condition = alltrue([
      for statement in jsondecode(output.access_policy_json).Statement : !contains(flatten([statement.Principal.AWS]), "*")
    ])
    error_message = "No statement may grant access to every principal."
  }
}

run "creates_nothing_when_disabled" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_opensearch_domain.this) == 0 && output.domain_arn == null
    error_message = "create = false must create no domain."
  }
}
