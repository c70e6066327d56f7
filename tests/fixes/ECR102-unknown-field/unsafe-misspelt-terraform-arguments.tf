resource "aws_ecr_registry_policy" "p" {
  polcy = data.aws_iam_policy_documnt.registry.json
}

data "aws_iam_policy_documnt" "registry" {
  statement {
    principal {
      type        = "AWS"
      identifiers = ["arn:aws:iam::210987654321:root"]
    }
    actions   = ["ecr:ReplicateImage"]
    resources = ["arn:aws:ecr:us-west-2:109876543210:repository/*"]
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      value    = ["o-a1b2c3d4e5"]
    }
  }
}

resource "aws_ecr_account_setting" "scope" {
  nme   = "REGISTRY_POLICY_SCOPE"
  vaule = "V2"
}

output "policy" {
  value = data.aws_iam_policy_documnt.registry.json
}
