//! One module per shape, each declaring its `SHAPE`; the schema files they
//! are validated against, and [`SHAPES`], the table of them.

use super::shape::{SchemaFile, Shape};
use crate::syntax::Node;

pub mod cloudformation_properties;
pub mod cloudformation_template;
pub mod configuration;
pub mod creation_template;
pub mod describe_registry;
pub mod get_registry_policy;
pub mod pulumi;
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

/// Repository creation templates (`schemas/repository-creation-template.schema.json`).
pub static TEMPLATE_SCHEMA: SchemaFile = SchemaFile {
    id: "template",
    name: "repository-creation-template.schema.json",
    text: crate::facts::TEMPLATE_SCHEMA,
    imports: &[],
};

/// Every shape, in the order recognition asks them (most specific first).
pub static SHAPES: &[&Shape] = &[
    &terraform::SHAPE,
    &terraform_plan::SHAPE,
    &pulumi::SHAPE,
    // Registry policies: IAM policy keys, no replication key in common.
    &get_registry_policy::SHAPE,
    &registry_policy::SHAPE,
    &registry_policy::LONE_STATEMENT_SHAPE,
    &cloudformation_properties::SHAPE,
    &cloudformation_template::SHAPE,
    &describe_registry::SHAPE,
    // Creation templates: template keys, none of replication's.
    &creation_template::DESCRIBE_SHAPE,
    &creation_template::RESPONSE_SHAPE,
    &creation_template::INPUT_SHAPE,
    &request::SHAPE,
    &configuration::SHAPE,
    #[cfg(test)]
    &test_shape::SHAPE,
];

/// The first shape whose keys `root` has.
pub fn shape_of(root: &Node) -> Option<&'static Shape> {
    SHAPES.iter().copied().find(|s| (s.matches)(root))
}

/// What ECR003's help lists: every shape, as "a, b, or c", the most
/// common first (the reverse of the table's order).
pub fn describe_all() -> String {
    // A statement saved alone is read to say it is a mistake (ECR509), not offered as a shape.
    let all: Vec<&str> = SHAPES
        .iter()
        .rev()
        .filter(|s| !std::ptr::eq(**s, &registry_policy::LONE_STATEMENT_SHAPE))
        .map(|s| s.describe)
        .collect();
    match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}, or {last}", rest.join(", ")),
        _ => all.concat(),
    }
}
