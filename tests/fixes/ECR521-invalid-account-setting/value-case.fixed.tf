resource "aws_ecr_account_setting" "scope" {
  name  = "REGISTRY_POLICY_SCOPE"
  value = "V2"
}
