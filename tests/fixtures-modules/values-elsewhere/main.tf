resource "aws_ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      destination {
        region      = var.replica_region
        registry_id = local.dr_account
      }
      repository_filter {
        filter      = var.prefix
        filter_type = "PREFIX_MATCH"
      }
    }
  }
}
