variable "primary_region" {
  type = string
}

variable "secondary_region" {
  type = string
}

variable "ecr_name" {
  type = string
}
