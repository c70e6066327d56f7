module "ecr" {
  source                                    = "terraform-aws-modules/ecr/aws"
  create_registry_replication_configuration = true
  registry_replicaton_rules = [{
    destinations = [{ region = "us-west-2", registry_id = "210987654321" }]
  }]
}
