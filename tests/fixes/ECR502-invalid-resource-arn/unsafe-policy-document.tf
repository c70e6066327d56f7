# The registry policy comes from a data source: its statements are checked
# where they are written.
data "aws_iam_policy_document" "registry" {
  statement {
    sid     = "AllowReplication"
    actions = ["ecr:ReplicateImage", "ecr:CreateRepository"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::210987654321:root"]
    }

    resources = ["arn:aws:us-west-2:109876543210:repository/*"]
  }
}

resource "aws_ecr_registry_policy" "this" {
  policy = data.aws_iam_policy_document.registry.json
}
