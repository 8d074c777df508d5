terraform {
  required_version = ">= 1.7.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60.0, < 6.0.0"
    }
  }

  # Partial configuration: pass bucket, key, region and use_lockfile with -backend-config.
  backend "s3" {}
}
