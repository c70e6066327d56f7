provider "aws" {
  region = "eu-west-1"
}

resource "aws_ecr_registry_policy" "replication" {
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Sid       = "AllowReplicationFromProduction"
      Effect    = "Allow"
      Principal = { AWS = "arn:aws:iam::320987654321:root" }
      Action    = ["ecr:ReplicateImage", "ecr:CreateRepository"]
      Resource  = "arn:aws:ecr:eu-west-1:330987654321:repository/*"
    }]
  })
}

resource "aws_ecr_repository" "api" {
  name                 = "prod/api"
  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"

  image_tag_mutability_exclusion_filter {
    filter      = "latest"
    filter_type = "WILDCARD"
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = "arn:aws:kms:eu-west-1:330987654321:key/5555dcba-09fe-87dc-65ba-ab0987654321"
  }
}
