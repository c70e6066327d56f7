resource "aws_ecr_repository_creation_template" "prod" {
  prefix      = "prod"
  applied_for = ["REPLICATON"]
}
