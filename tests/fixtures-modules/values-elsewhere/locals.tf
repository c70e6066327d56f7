locals {
  # The disaster recovery account.
  dr_account = "21098765432"
}
