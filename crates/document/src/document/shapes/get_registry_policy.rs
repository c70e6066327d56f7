//! `aws ecr get-registry-policy` output, `{"registryId": "...",
//! "policyText": "{...}"}` (also put-registry-policy's `--cli-input-json`,
//! without `registryId`): the policy is JSON inside a string, linted as a
//! [`super::registry_policy`] document with its positions mapped back. A
//! `repositoryName` beside `policyText` makes it a repository policy, a
//! neighbour.

use super::super::shape::{SchemaTarget, Shape};
use super::super::{build, dialect, Document, Embedded};
use crate::syntax::Node;

pub static SHAPE: Shape = Shape {
    name: "get-registry-policy",
    describe: "get-registry-policy output `{\"registryId\": \"...\", \"policyText\": \"...\"}`",
    dialect: dialect::API,
    matches,
    build: build_view,
    schema: &super::POLICY_SCHEMA,
    target: SchemaTarget::Root("getRegistryPolicyResponse"),
    read_by_aws_cli: true,
};

fn matches(root: &Node) -> bool {
    root.get("policyText").is_some() && root.get("repositoryName").is_none()
}

fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    // The registry the policy belongs to: a destination, for the cross-account check.
    doc.policy_registry = build::scalar(root, "registryId", dialect::API);
    if let Some(text) = root.get("policyText").filter(|m| m.value.as_str().is_some()) {
        doc.embedded.push(Embedded {
            node: &text.value,
            shape: &super::registry_policy::SHAPE,
            written: super::super::Written::JsonText,
        });
    }
    doc
}
