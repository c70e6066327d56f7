//! One module per shape, each declaring its `SHAPE`; the schema files they
//! are validated against. [`super::shape::SHAPES`] lists them.

use super::shape::SchemaFile;

pub mod cloudformation_properties;
pub mod cloudformation_template;
pub mod configuration;
pub mod describe_registry;
pub mod get_registry_policy;
pub mod registry_policy;
pub mod request;
pub mod terraform;
pub mod terraform_plan;
#[cfg(test)]
pub mod test_shape;

/// The API's shapes (`schemas/replication-configuration.schema.json`).
pub static API_SCHEMA: SchemaFile = SchemaFile {
    id: "api",
    name: "replication-configuration.schema.json",
    text: crate::facts::API_SCHEMA,
    imports: &[],
};

/// `AWS::ECR::ReplicationConfiguration`, which refers to the API file for
/// every shared field and bound.
pub static CLOUDFORMATION_SCHEMA: SchemaFile = SchemaFile {
    id: "cloudformation",
    name: "cloudformation-replication-configuration.schema.json",
    text: crate::facts::CFN_SCHEMA,
    imports: &[&API_SCHEMA],
};

/// Registry permissions policies (`schemas/registry-policy.schema.json`):
/// the policy document, the get-registry-policy response and the
/// `AWS::ECR::RegistryPolicy` resource.
pub static POLICY_SCHEMA: SchemaFile = SchemaFile {
    id: "policy",
    name: "registry-policy.schema.json",
    text: crate::facts::POLICY_SCHEMA,
    imports: &[],
};
