locals {
  issuer_host = trimprefix(var.oidc_issuer_url, "https://")
  subjects    = [for name in var.service_account_names : "system:serviceaccount:${var.service_account_namespace}:${name}"]
}

data "aws_iam_policy_document" "assume_role" {
  statement {
    sid     = "ServiceAccountsThroughIrsa"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer_host}:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer_host}:sub"
      values   = local.subjects
    }
  }
}

# Converse uses the bedrock:InvokeModel action and ConverseStream uses
# bedrock:InvokeModelWithResponseStream; IAM has no separate Converse action.
data "aws_iam_policy_document" "permissions" {
  dynamic "statement" {
    for_each = length(var.bedrock_model_arns) > 0 ? [1] : []
    content {
      sid       = "InvokeConfiguredModels"
      effect    = "Allow"
      actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
      resources = var.bedrock_model_arns
    }
  }

  dynamic "statement" {
    for_each = length(var.secret_arns) > 0 ? [1] : []
    content {
      sid       = "ReadNamedSecrets"
      effect    = "Allow"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = var.secret_arns
    }
  }

  dynamic "statement" {
    for_each = var.opensearch_domain_arn != null ? [1] : []
    content {
      sid       = "QueryOpenSearchDomain"
      effect    = "Allow"
      actions   = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut"]
      resources = [var.opensearch_domain_arn, "${var.opensearch_domain_arn}/*"]
    }
  }
}

locals {
  grants_anything = length(var.bedrock_model_arns) > 0 || length(var.secret_arns) > 0 || var.opensearch_domain_arn != null
}

resource "aws_iam_role" "this" {
  count = var.create ? 1 : 0

  name                 = var.role_name
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json
  permissions_boundary = var.permissions_boundary_arn
  max_session_duration = var.max_session_duration_seconds
  tags                 = var.tags
}

resource "aws_iam_role_policy" "this" {
  count = var.create && local.grants_anything ? 1 : 0

  name   = "${var.role_name}-least-privilege"
  role   = aws_iam_role.this[0].id
  policy = data.aws_iam_policy_document.permissions.json
}
