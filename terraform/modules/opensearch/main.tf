data "aws_partition" "current" {}
data "aws_region" "current" {}
data "aws_caller_identity" "current" {}

locals {
  domain_arn      = "arn:${data.aws_partition.current.partition}:es:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:domain/${var.domain_name}"
  inside_vpc      = length(var.vpc_subnet_ids) > 0
  publish_logs    = var.create && var.application_log_retention_days > 0
  dedicated_nodes = var.dedicated_master_type != null
  log_types       = ["ES_APPLICATION_LOGS", "AUDIT_LOGS"]
}

data "aws_iam_policy_document" "access" {
  count = var.create ? 1 : 0

  dynamic "statement" {
    for_each = length(var.allowed_principal_arns) > 0 ? [1] : []
    content {
      sid       = "AllowConfiguredPrincipals"
      effect    = "Allow"
      actions   = ["es:ESHttpGet", "es:ESHttpHead", "es:ESHttpPost", "es:ESHttpPut", "es:ESHttpDelete"]
      resources = ["${local.domain_arn}/*"]

      principals {
        type        = "AWS"
        identifiers = var.allowed_principal_arns
      }
    }
  }

  statement {
    sid       = "AllowMasterUser"
    effect    = "Allow"
    actions   = ["es:ESHttp*"]
    resources = ["${local.domain_arn}/*"]

    principals {
      type        = "AWS"
      identifiers = [var.master_user_arn]
    }
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.publish_logs ? toset(local.log_types) : toset([])

  name              = "/aws/opensearch/${var.domain_name}/${lower(each.key)}"
  retention_in_days = var.application_log_retention_days
  tags              = var.tags
}

data "aws_iam_policy_document" "log_publishing" {
  count = local.publish_logs ? 1 : 0

  statement {
    effect    = "Allow"
    actions   = ["logs:PutLogEvents", "logs:CreateLogStream"]
    resources = [for group in aws_cloudwatch_log_group.this : "${group.arn}:*"]

    principals {
      type        = "Service"
      identifiers = ["es.amazonaws.com"]
    }
  }
}

resource "aws_cloudwatch_log_resource_policy" "this" {
  count = local.publish_logs ? 1 : 0

  policy_name     = "${var.domain_name}-opensearch-logs"
  policy_document = data.aws_iam_policy_document.log_publishing[0].json
}

resource "aws_opensearch_domain" "this" {
  count = var.create ? 1 : 0

  domain_name     = var.domain_name
  engine_version  = var.engine_version
  access_policies = data.aws_iam_policy_document.access[0].json

  cluster_config {
    instance_type            = var.instance_type
    instance_count           = var.instance_count
    zone_awareness_enabled   = var.zone_awareness_enabled
    dedicated_master_enabled = local.dedicated_nodes
    dedicated_master_type    = var.dedicated_master_type
    dedicated_master_count   = local.dedicated_nodes ? var.dedicated_master_count : null

    dynamic "zone_awareness_config" {
      for_each = var.zone_awareness_enabled ? [1] : []
      content {
        availability_zone_count = var.availability_zone_count
      }
    }
  }

  ebs_options {
    ebs_enabled = true
    volume_size = var.ebs_volume_size
    volume_type = var.ebs_volume_type
  }

  encrypt_at_rest {
    enabled    = true
    kms_key_id = var.kms_key_id
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = var.tls_security_policy
  }

  advanced_security_options {
    enabled                        = true
    anonymous_auth_enabled         = false
    internal_user_database_enabled = false

    master_user_options {
      master_user_arn = var.master_user_arn
    }
  }

  dynamic "vpc_options" {
    for_each = local.inside_vpc ? [1] : []
    content {
      subnet_ids         = var.vpc_subnet_ids
      security_group_ids = var.vpc_security_group_ids
    }
  }

  dynamic "log_publishing_options" {
    for_each = aws_cloudwatch_log_group.this
    content {
      log_type                 = log_publishing_options.key
      cloudwatch_log_group_arn = log_publishing_options.value.arn
    }
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_resource_policy.this]
}
