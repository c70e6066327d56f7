resource "aws_ecr_account_setting" "blobs" {
  name  = "BLOB_MOUNT"
  value = "ENABLED"
}
