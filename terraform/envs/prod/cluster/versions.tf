terraform {
  required_version = ">= 1.7.0"

  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.25.0, < 3.0.0"
    }
  }

  # Partial configuration: pass bucket, key, region and use_lockfile with -backend-config.
  backend "s3" {}
}
