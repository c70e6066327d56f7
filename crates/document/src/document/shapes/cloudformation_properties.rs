//! A resource's properties, `{"ReplicationConfiguration": {"Rules": ...}}`,
//! as resource-provider inputs and many docs show them.

use super::super::shape::{SchemaTarget, Shape};
use super::super::{build, dialect, Document};
use crate::syntax::Node;

pub static SHAPE: Shape = Shape {
    name: "cloudformation-properties",
    describe: "resource properties `{\"ReplicationConfiguration\": {...}}`",
    dialect: dialect::CLOUDFORMATION,
    matches: |root| root.get("ReplicationConfiguration").is_some(),
    build: build_view,
    schema: &super::CLOUDFORMATION_SCHEMA,
    target: SchemaTarget::Root("properties"),
    read_by_aws_cli: false,
};

fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let configurations = root
        .get("ReplicationConfiguration")
        .map(|m| build::template_configurations(&m.value))
        .unwrap_or_default();
    Document::new(shape, root, configurations)
}
