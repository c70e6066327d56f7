//! A CloudFormation template (JSON or YAML, `cdk synth` output too) with
//! `AWS::ECR::ReplicationConfiguration`, `AWS::ECR::RegistryPolicy` or
//! `AWS::ECR::RepositoryCreationTemplate` resources, or a fragment of its `Resources`. Each resource is checked
//! against its own type's schema definition and rules; a template may hold
//! both kinds.

use super::super::creation_template::CreationTemplate;
use super::super::recognise::{
    checked_kind, is_checked_resource, is_replication_type, near_type, template_resources, type_member, TypeSpelling,
};
use super::super::shape::{SchemaTarget, Shape};
use super::super::ResourceKind;
use super::super::{build, dialect, policy, Document, Embedded, NameSlip, Named, Resource};
use crate::syntax::{Member, Node};

pub static SHAPE: Shape = Shape {
    name: "cloudformation-template",
    describe:
        "a CloudFormation template with `AWS::ECR::ReplicationConfiguration`, `AWS::ECR::RegistryPolicy` or `AWS::ECR::RepositoryCreationTemplate` resources",
    dialect: dialect::CLOUDFORMATION,
    matches: |root| checked_resources(root).next().is_some(),
    build: build_view,
    schema: &super::CLOUDFORMATION_SCHEMA,
    target: SchemaTarget::EachResource("resource"),
    read_by_aws_cli: false,
};

/// The resources ecrlint checks: replication configurations and registry
/// policies, by their type, a slip of it, or their body ([`checked_kind`]).
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
        let Some((kind, spelling)) = checked_kind(&m.value) else {
            continue;
        };
        // A type written otherwise (a slip, or another ECR type over a
        // body that reads as this kind): reported with the type meant.
        let slip = type_member(&m.value)
            .and_then(|t| t.value.as_str().map(|written| (t, written)))
            .filter(|_| spelling == TypeSpelling::Misspelt)
            .map(|(t, written)| NameSlip {
                span: t.value.span,
                written,
                meant: kind.cloudformation_type(),
                named: Named::CloudFormationType,
                close: near_type(written) == Some(kind)
                    || (kind == ResourceKind::Replication && is_replication_type(written).is_some()),
            });
        let resource = Resource {
            logical_id: std::borrow::Cow::Borrowed(&m.key),
            key_span: m.key_span,
            node: &m.value,
            schema_def: None,
            dialect: dialect::CLOUDFORMATION,
            scope: None,
        };
        doc.slips.extend(slip);
        if kind == ResourceKind::CreationTemplate {
            let properties = m.value.get("Properties").map(|p| &p.value);
            if let Some(p) = properties.filter(|p| p.as_object().is_some() && p.dynamic().is_none()) {
                doc.templates.push(CreationTemplate::build(p, dialect::CLOUDFORMATION));
            }
            doc.template_resources.push(resource);
            continue;
        }
        if kind == ResourceKind::RegistryPolicy {
            doc.policy_resources.push(resource);
            // A misspelt `PolicyText` (`PolicyTxt`, ECR102) is read as it.
            let text = m
                .value
                .get("Properties")
                .and_then(|p| build::list_member(&p.value, "PolicyText", &["PolicyText"]));
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
