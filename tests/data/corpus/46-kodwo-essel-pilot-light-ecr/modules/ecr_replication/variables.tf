variable "prefix_filter" {}
variable "replica_region" {}
