//! `terraform show -json` output: a plan (`planned_values`,
//! `resource_changes`) or a state (`values`), whose
//! `aws_ecr_replication_configuration` resources hold resolved values.
//!
//! Each resource is read once, from `planned_values` (root module and child
//! modules, recursively): it is the state the apply will leave, every
//! resource that will exist in one tree with its final values, unknown ones
//! left out. `resource_changes[].change.after` holds the same values for
//! changed resources (and `null` for deletions); it is read only when a file
//! has no `planned_values`. A state file's `values` has the same layout.
//! `aws_ecr_registry_policy` resources are read the same way, their
//! `policy` text checked as a registry policy.

use super::super::shape::{SchemaTarget, Shape};
use super::super::terraform::{self as tf};
use super::super::terraform_scope::{Builder, Lists, Scope};
use super::super::{dialect, Configuration, Document, Embedded, Resource, Scalar, Written};
use crate::syntax::{Node, Span};
use std::borrow::Cow;

pub static SHAPE: Shape = Shape {
    name: "terraform-plan",
    describe: "`terraform show -json` output with `aws_ecr_replication_configuration` resources",
    dialect: dialect::TERRAFORM_PLAN,
    matches: |root| {
        is_plan(root)
            && (!resources(root, tf::RESOURCE_TYPE).is_empty() || !resources(root, tf::REGISTRY_POLICY_TYPE).is_empty())
    },
    build: build_view,
    schema: &super::terraform::SCHEMA,
    target: SchemaTarget::EachResource("planValues"),
    read_by_aws_cli: false,
};

/// How deep child modules are followed.
const MAX_MODULE_DEPTH: usize = 32;

/// Whether a tree is `terraform show -json` output.
pub fn is_plan(root: &Node) -> bool {
    root.get("format_version").is_some_and(|v| v.value.as_str().is_some())
        && (root.get("planned_values").is_some()
            || root.get("resource_changes").is_some()
            || root.get("values").is_some_and(|v| v.value.get("root_module").is_some()))
}

/// A replication resource of the file: its address node and its values.
struct Planned<'a> {
    address: Option<&'a Node<'a>>,
    object: &'a Node<'a>,
    values: &'a Node<'a>,
}

fn module_resources<'a>(module: &'a Node<'a>, ty: &str, depth: usize, out: &mut Vec<Planned<'a>>) {
    let resources = module
        .get("resources")
        .and_then(|r| r.value.as_array())
        .unwrap_or_default();
    for r in resources {
        let ours = r.get("type").and_then(|t| t.value.as_str()) == Some(ty)
            && r.get("mode")
                .and_then(|m| m.value.as_str())
                .is_none_or(|m| m == "managed");
        if let (true, Some(values)) = (ours, r.get("values").filter(|v| v.value.as_object().is_some())) {
            out.push(Planned {
                address: r.get("address").map(|a| &a.value),
                object: r,
                values: &values.value,
            });
        }
    }
    if depth < MAX_MODULE_DEPTH {
        let children = module
            .get("child_modules")
            .and_then(|c| c.value.as_array())
            .unwrap_or_default();
        for child in children {
            module_resources(child, ty, depth + 1, out);
        }
    }
}

/// The resources of type `ty` the apply leaves (see the module comment).
fn resources<'a>(root: &'a Node<'a>, ty: &str) -> Vec<Planned<'a>> {
    let mut out = Vec::new();
    let values = root.get("planned_values").or_else(|| root.get("values"));
    if let Some(module) = values.and_then(|v| v.value.get("root_module")) {
        module_resources(&module.value, ty, 0, &mut out);
        return out;
    }
    let changes = root
        .get("resource_changes")
        .and_then(|r| r.value.as_array())
        .unwrap_or_default();
    for c in changes {
        if c.get("type").and_then(|t| t.value.as_str()) != Some(ty) {
            continue;
        }
        let after = c
            .get("change")
            .and_then(|ch| ch.value.get("after"))
            .filter(|a| a.value.as_object().is_some());
        if let Some(after) = after {
            out.push(Planned {
                address: c.get("address").map(|a| &a.value),
                object: c,
                values: &after.value,
            });
        }
    }
    out
}

/// The literal `region` of the provider configuration a root-module
/// resource uses, from the plan's `configuration` section.
fn configured_region<'a>(root: &'a Node<'a>, address: &str) -> Option<&'a Node<'a>> {
    let config = &root.get("configuration")?.value;
    let key = config
        .get("root_module")?
        .value
        .get("resources")?
        .value
        .as_array()?
        .iter()
        .find(|r| r.get("address").and_then(|a| a.value.as_str()) == Some(address))?
        .get("provider_config_key")?
        .value
        .as_str()?;
    let region = &config
        .get("provider_config")?
        .value
        .get(key)?
        .value
        .get("expressions")?
        .value
        .get("region")?
        .value
        .get("constant_value")?
        .value;
    region.as_str().map(|_| region)
}

fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let scope = Scope::new(root);
    let mut doc = Document::new(shape, root, Vec::new());
    let mut origins = Vec::new();
    let mut regions: Vec<Option<Scalar<'a>>> = Vec::new();
    let mut accounts: Vec<Option<Scalar<'a>>> = Vec::new();
    for (i, planned) in resources(root, tf::RESOURCE_TYPE).into_iter().enumerate() {
        let address = planned.address.and_then(Node::as_str);
        let at = planned.address.map_or(
            Span::new(planned.object.span.start, planned.object.span.start + 1),
            |a| a.span,
        );
        let text = |node: &'a Node<'a>| node.as_str().map(|_| Scalar::new(node, false, None));
        let region = planned
            .values
            .get("region")
            .and_then(|r| text(&r.value))
            .or_else(|| address.and_then(|a| configured_region(root, a)).and_then(text));
        let scope_key = match region.as_ref().and_then(Scalar::text) {
            Some(r) => format!("region {r}"),
            // Unknown Region: it may be another registry, never reported as the same.
            None => format!("resource {i}"),
        };
        doc.resources.push(Resource {
            logical_id: Cow::Owned(address.unwrap_or(tf::RESOURCE_TYPE).to_string()),
            key_span: at,
            node: planned.values,
            schema_def: None,
            dialect: dialect::TERRAFORM_PLAN,
            scope: Some(scope_key),
        });
        let account = planned.values.get("registry_id").and_then(|r| text(&r.value));
        regions.push(region);
        accounts.push(account);
        let mut builder = Builder {
            scope: &scope,
            dialect: dialect::TERRAFORM_PLAN,
            lists: Lists::Values,
            provider: "aws",
            origins: &mut origins,
        };
        let config = planned.values.get("replication_configuration").map(|m| &m.value);
        match config.and_then(Node::as_array) {
            Some([]) => doc.configurations.push(Configuration {
                replication_off: Some(at),
                source_region: region,
                source_registry: account,
                ..Configuration::new(dialect::TERRAFORM_PLAN, planned.values, None)
            }),
            Some([first, ..]) if first.as_object().is_some() => doc.configurations.push(Configuration {
                source_region: region,
                source_registry: account,
                ..builder.configuration(first)
            }),
            // Unknown until apply (left out of the plan): nothing to read.
            _ => {}
        }
    }
    let same = |all: &[Option<Scalar<'a>>]| match all.first() {
        Some(Some(first)) if all.iter().all(|r| r.as_ref().and_then(Scalar::text) == first.text()) => Some(*first),
        _ => None,
    };
    doc.source_region = same(&regions);
    doc.source_registry = same(&accounts);
    // Registry policies (an `aws_ecr_registry_policy`, the modules' too,
    // in child modules): `policy` is the JSON text the apply sends.
    for planned in resources(root, tf::REGISTRY_POLICY_TYPE) {
        if let Some(policy) = planned.values.get("policy").filter(|p| p.value.as_str().is_some()) {
            doc.embedded.push(Embedded {
                node: &policy.value,
                shape: &super::registry_policy::TERRAFORM_SHAPE,
                written: Written::JsonText,
            });
        }
    }
    doc
}
