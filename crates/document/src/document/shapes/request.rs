//! `{"replicationConfiguration": {...}}`: `--cli-input-json`, boto3 keyword
//! arguments, the API's response.

use super::super::shape::{SchemaTarget, Shape};
use super::super::{build, dialect, recognise, Document};
use crate::syntax::Node;

pub static SHAPE: Shape = Shape {
    name: "request",
    describe: "a request `{\"replicationConfiguration\": {...}}`",
    dialect: dialect::API,
    matches: |root| recognise::root_word(root, "replicationConfiguration").is_some(),
    build: build_view,
    schema: &super::API_SCHEMA,
    target: SchemaTarget::Root("putReplicationConfigurationRequest"),
    read_by_aws_cli: true,
};

/// The configuration under `replicationConfiguration` (or a slip of it,
/// which ECR102 reports), when it is an object.
pub fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let configurations = recognise::root_word(root, "replicationConfiguration")
        .filter(|m| m.value.as_object().is_some())
        .map(|m| build::configuration(&m.value, dialect::API));
    Document::new(shape, root, configurations.into_iter().collect())
}
