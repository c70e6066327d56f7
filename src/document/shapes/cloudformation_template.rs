//! A CloudFormation template (JSON or YAML, `cdk synth` output too) with
//! `AWS::ECR::ReplicationConfiguration` or `AWS::ECR::RegistryPolicy`
//! resources, or a fragment of its `Resources`. Each resource is checked
//! against its own type's schema definition and rules; a template may hold
//! both kinds.

use super::super::dialect::{is_checked_resource, is_replication_type, resource_type, template_resources};
use super::super::shape::{SchemaTarget, Shape};
use super::super::{build, policy, Dialect, Document, Embedded, Resource, REGISTRY_POLICY_RESOURCE};
use crate::syntax::{Member, Node};

pub static SHAPE: Shape = Shape {
    name: "cloudformation-template",
    describe:
        "a CloudFormation template with `AWS::ECR::ReplicationConfiguration` or `AWS::ECR::RegistryPolicy` resources",
    dialect: Dialect::CloudFormation,
    matches: |root| checked_resources(root).next().is_some(),
    build: build_view,
    schema: &super::CLOUDFORMATION_SCHEMA,
    target: SchemaTarget::EachResource("resource"),
    read_by_aws_cli: false,
};

/// The resources ecrlint checks: replication configurations (or slips of
/// their type) and registry policies.
fn checked_resources<'a>(root: &'a Node<'a>) -> impl Iterator<Item = &'a Member<'a>> {
    template_resources(root)
        .and_then(Node::as_object)
        .unwrap_or_default()
        .iter()
        .filter(|m| is_checked_resource(&m.value))
}

fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    for m in checked_resources(root) {
        let resource = Resource {
            logical_id: std::borrow::Cow::Borrowed(&m.key),
            key_span: m.key_span,
            node: &m.value,
            schema_def: None,
            dialect: Dialect::CloudFormation,
            scope: None,
        };
        if resource_type(&m.value) == Some(REGISTRY_POLICY_RESOURCE) {
            doc.policy_resources.push(resource);
            let text = m.value.get("Properties").and_then(|p| p.value.get("PolicyText"));
            match text.map(|t| &t.value) {
                Some(t) if t.as_str().is_some() => doc.embedded.push(Embedded {
                    node: t,
                    shape: &super::registry_policy::SHAPE,
                    written: super::super::Written::JsonText,
                }),
                Some(t) => doc.policies.extend(policy::build(t)),
                None => {}
            }
            continue;
        }
        debug_assert!(resource_type(&m.value).and_then(is_replication_type).is_some());
        doc.resources.push(resource);
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
