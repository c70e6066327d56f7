//! A CloudFormation template (JSON or YAML, `cdk synth` output too) with
//! `AWS::ECR::ReplicationConfiguration` resources, or a fragment of its
//! `Resources`.

use super::super::dialect::{is_replication_type, resource_type, template_resources};
use super::super::shape::{SchemaTarget, Shape};
use super::super::{build, Dialect, Document, Resource};
use crate::syntax::{Member, Node};

pub static SHAPE: Shape = Shape {
    name: "cloudformation-template",
    describe: "a CloudFormation template with `AWS::ECR::ReplicationConfiguration` resources",
    dialect: Dialect::CloudFormation,
    matches: |root| replication_resources(root).next().is_some(),
    build: build_view,
    schema: &super::CLOUDFORMATION_SCHEMA,
    target: SchemaTarget::EachResource("resource"),
    read_by_aws_cli: false,
};

/// The resources whose `Type` is, or is a slip of, the replication resource.
fn replication_resources<'a>(root: &'a Node<'a>) -> impl Iterator<Item = &'a Member<'a>> {
    template_resources(root)
        .and_then(Node::as_object)
        .unwrap_or_default()
        .iter()
        .filter(|m| resource_type(&m.value).and_then(is_replication_type).is_some())
}

fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    for m in replication_resources(root) {
        doc.resources.push(Resource {
            logical_id: std::borrow::Cow::Borrowed(&m.key),
            key_span: m.key_span,
            node: &m.value,
            schema_def: None,
            dialect: Dialect::CloudFormation,
            scope: None,
        });
        let config = m
            .value
            .get("Properties")
            .and_then(|p| p.value.get("ReplicationConfiguration"));
        if let Some(c) = config {
            doc.configurations.extend(build::template_configurations(&c.value));
        }
    }
    doc
}
