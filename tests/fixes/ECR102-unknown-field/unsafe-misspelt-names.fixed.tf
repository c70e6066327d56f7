resource "aws_ecr_replication_configuration" "example" {
  replication_configuration {
    rule {
      dynamic "destination" {
        for_each = var.regions
        content {
          region      = destinaton.value
          registry_id = "210987654321"
        }
      }
    }
  }
}
