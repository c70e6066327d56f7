resource "aws_ecr_registry_policy" "p" {
  policy = data.aws_iam_policy_document.registry.json
}

data "aws_iam_policy_document" "registry" {
  statement {
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::210987654321:root"]
    }
    actions   = ["ecr:ReplicateImage"]
    resources = ["arn:aws:ecr:us-west-2:109876543210:repository/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values    = ["o-a1b2c3d4e5"]
    }
  }
}

resource "aws_ecr_account_setting" "scope" {
  name   = "REGISTRY_POLICY_SCOPE"
  value = "V2"
}

output "policy" {
  value = data.aws_iam_policy_document.registry.json
}
