provider "aws" {
  region = "us-east-1"
}

resource "aws_ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      destination {
        region      = "us-west-2"
        registry_id = "109876543210"
      }
      repository_filter {
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
    }
    rule {
      destination {
        region      = "eu-west-1"
        registry_id = "210987654321"
      }
    }
  }
}

resource "aws_ecr_repository" "api" {
  name = "prod-api"
}

resource "aws_ecr_repository" "web" {
  name = "staging-web"
}
