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

variables {
  role_name                 = "sreo-functions"
  oidc_provider_arn         = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
  oidc_issuer_url           = "https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE"
  service_account_namespace = "sreo"
  service_account_names     = ["sreo-function", "sreo-kubernetes-agent"]
  bedrock_model_arns        = ["arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0"]
  secret_arns               = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:sreo/database-AbCdEf"]
  opensearch_domain_arn     = "arn:aws:es:eu-west-1:123456789012:domain/sreo-test"
}

run "trusts_only_the_named_service_accounts" {
  command   = plan
  providers = { aws = aws.offline }

  assert {
    condition     = jsondecode(output.assume_role_policy_json).Statement[0].Principal.Federated == var.oidc_provider_arn
    error_message = "The role must trust the cluster's OIDC provider: ${output.assume_role_policy_json}"
  }

  assert {
    condition = toset(flatten([jsondecode(output.assume_role_policy_json).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub"]])) == toset([
      "system:serviceaccount:sreo:sreo-function",
      "system:serviceaccount:sreo:sreo-kubernetes-agent",
    ])
    error_message = "The sub condition must name exactly the configured service accounts."
  }

  assert {
    condition     = jsondecode(output.assume_role_policy_json).Statement[0].Condition.StringEquals["oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:aud"] == "sts.amazonaws.com"
    error_message = "The aud condition must be sts.amazonaws.com."
  }
}

run "grants_each_service_only_its_named_resources" {
  command   = plan
  providers = { aws = aws.offline }

  assert {
    condition     = !anytrue([for s in jsondecode(output.permissions_policy_json).Statement : contains(flatten([s.Resource]), "*")])
    error_message = "No statement may use a \"*\" resource: ${output.permissions_policy_json}"
  }

  assert {
    condition = alltrue([
      for s in jsondecode(output.permissions_policy_json).Statement :
      s.Effect == "Allow" && length(distinct([for action in flatten([s.Action]) : split(":", action)[0]])) == 1
    ])
    error_message = "Each statement must cover a single service."
  }

  assert {
    condition = toset(one([
      for s in jsondecode(output.permissions_policy_json).Statement : flatten([s.Resource]) if s.Sid == "InvokeConfiguredModels"
    ])) == toset(var.bedrock_model_arns)
    error_message = "Bedrock access must be limited to the configured model ARNs."
  }

  assert {
    condition = toset(one([
      for s in jsondecode(output.permissions_policy_json).Statement : flatten([s.Action]) if s.Sid == "ReadNamedSecrets"
    ])) == toset(["secretsmanager:GetSecretValue"])
    error_message = "Secrets access must be GetSecretValue only."
  }

  assert {
    condition = toset(one([
      for s in jsondecode(output.permissions_policy_json).Statement : flatten([s.Resource]) if s.Sid == "ReadNamedSecrets"
    ])) == toset(var.secret_arns)
    error_message = "Secrets access must be limited to the named secrets."
  }

  assert {
    condition = alltrue([
      for resource in one([for s in jsondecode(output.permissions_policy_json).Statement : flatten([s.Resource]) if s.Sid == "QueryOpenSearchDomain"]) :
      startswith(resource, var.opensearch_domain_arn)
    ])
    error_message = "OpenSearch access must be limited to the domain."
  }

  assert {
    condition = alltrue([
      for action in one([for s in jsondecode(output.permissions_policy_json).Statement : flatten([s.Action]) if s.Sid == "QueryOpenSearchDomain"]) :
      startswith(action, "es:ESHttp")
    ])
    error_message = "OpenSearch access must be limited to HTTP data-plane actions."
  }
}

run "grants_nothing_without_resources" {
  command   = plan
  providers = { aws = aws.offline }

  variables {
    bedrock_model_arns    = []
    secret_arns           = []
    opensearch_domain_arn = null
  }

  assert {
    condition     = length(aws_iam_role_policy.this) == 0
    error_message = "No policy may be attached when no resource is named."
  }
}

run "rejects_wildcard_arns" {
  command = plan

  variables {
    secret_arns = ["arn:aws:secretsmanager:eu-west-1:123456789012:secret:*"]
  }

  expect_failures = [var.secret_arns]
}

run "attaches_the_policy_to_the_role" {
  command = plan

  assert {
    condition     = length(aws_iam_role_policy.this) == 1
    error_message = "The permissions policy must be attached."
  }
}
