mock_provider "aws" {
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  identifier                 = "sreo-test"
  vpc_id                     = "vpc-1234"
  subnet_ids                 = ["subnet-aaaa", "subnet-bbbb"]
  allowed_security_group_ids = ["sg-nodes"]
}

run "encrypts_storage_and_stays_private" {
  command = plan

  assert {
    condition     = aws_db_instance.this[0].storage_encrypted
    error_message = "Storage must be encrypted."
  }

  assert {
    condition     = !aws_db_instance.this[0].publicly_accessible
    error_message = "The instance must not be publicly accessible."
  }

  assert {
    condition     = one([for p in aws_db_parameter_group.this[0].parameter : p.value if p.name == "rds.force_ssl"]) == "1"
    error_message = "Connections must be forced to use TLS."
  }
}

run "keeps_master_password_in_secrets_manager" {
  command = plan

  assert {
    condition     = aws_db_instance.this[0].manage_master_user_password
    error_message = "RDS must manage the master password in Secrets Manager."
  }

  assert {
    condition     = aws_db_instance.this[0].password == null
    error_message = "No plaintext master password may be set."
  }
}

run "keeps_backups_and_deletion_protection_by_default" {
  command = plan

  assert {
    condition     = aws_db_instance.this[0].backup_retention_period >= 1
    error_message = "Automated backups must be on."
  }

  assert {
    condition     = aws_db_instance.this[0].deletion_protection
    error_message = "Deletion protection must default to on."
  }

  assert {
    condition     = !aws_db_instance.this[0].skip_final_snapshot
    error_message = "A final snapshot must be taken by default."
  }
}

run "rejects_disabled_backups" {
  command = plan

  variables {
    backup_retention_days = 0
  }

  expect_failures = [var.backup_retention_days]
}

run "admits_only_listed_security_groups" {
  command = plan

  assert {
    condition     = keys(aws_vpc_security_group_ingress_rule.postgres) == ["sg-nodes"]
    error_message = "Only the listed security groups may reach PostgreSQL."
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.postgres["sg-nodes"].from_port == 5432 && aws_vpc_security_group_ingress_rule.postgres["sg-nodes"].to_port == 5432
    error_message = "Ingress must be limited to the PostgreSQL port."
  }
}

run "creates_nothing_when_disabled" {
  command = plan

  variables {
    create = false
  }

  assert {
    condition     = length(aws_db_instance.this) == 0 && output.instance_arn == null
    error_message = "create = false must create no instance."
  }
}
