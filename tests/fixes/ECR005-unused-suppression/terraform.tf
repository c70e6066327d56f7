resource "aws_ecr_replication_configuration" "example" {
  replication_configuration {
    // ecrlint: ignore[ECR311] stale
    rule {
      destination {
        region      = "us-west-2" # ecrlint: ignore[ECR203] was in preview
        registry_id = "210987654321"
      }
      destination {
        region      = "eu-east-9" // ecrlint: ignore[ECR206, ECR203] still in preview
        registry_id = "210987654321"
      }
      repository_filter {
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
