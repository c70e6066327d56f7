variable "replica_region" {
  default = "us-weast-2"
}

variable "prefix" {
  default = "prod/"
}
