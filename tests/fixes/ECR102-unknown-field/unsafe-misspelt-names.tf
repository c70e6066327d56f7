resource "aws_ecr_replication_configuraton" "example" {
  replication_configuration {
    rule {
      dynamic "destinaton" {
        for_each = var.regions
        contnet {
          region      = destinaton.value
          registry_id = "210987654321"
        }
      }
    }
  }
}
