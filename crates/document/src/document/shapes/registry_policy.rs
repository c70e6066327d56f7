//! A registry permissions policy: the IAM policy JSON of `aws ecr
//! put-registry-policy --policy-text file://x.json`. Recognised positively
//! (see [`crate::document::policy::is_registry_policy`]): repository and
//! identity policies are neighbours, passed over.

use super::super::shape::{SchemaTarget, Shape};
use super::super::{dialect, policy, Document};
use crate::syntax::Node;

pub static SHAPE: Shape = Shape {
    name: "registry-policy",
    describe: "a registry permissions policy `{\"Version\": ..., \"Statement\": [...]}`",
    dialect: dialect::API,
    matches: policy::is_registry_policy,
    build: build_view,
    schema: &super::POLICY_SCHEMA,
    target: SchemaTarget::Root("registryPolicy"),
    read_by_aws_cli: true,
};

pub fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    doc.policies.extend(policy::build(root));
    doc
}

/// One statement of a registry policy saved alone as the policy file (the
/// pull-through cache page of the ECR User Guide shows one so): the API
/// needs the policy around it. Linted as the statement it is; ECR509 says
/// what is missing and wraps it.
pub static LONE_STATEMENT_SHAPE: Shape = Shape {
    name: "registry-policy-statement",
    describe: "a registry policy statement saved alone `{\"Effect\": ..., \"Principal\": ..., \"Action\": ...}`",
    dialect: dialect::API,
    matches: policy::is_lone_registry_statement,
    build: build_lone_statement_view,
    schema: &super::POLICY_SCHEMA,
    target: SchemaTarget::Root("statement"),
    read_by_aws_cli: true,
};

fn build_lone_statement_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    doc.policies.extend(policy::build_lone_statement(root));
    doc
}

/// The policy of a Terraform `aws_ecr_registry_policy` (a heredoc, a string,
/// or a `jsonencode({…})` object), read in the Terraform dialect: a `${…}`
/// value is known only at apply time, never an error. Never recognised on
/// its own: the Terraform shape hands its policies over.
pub static TERRAFORM_SHAPE: Shape = Shape {
    name: "registry-policy",
    describe: "the policy of a Terraform `aws_ecr_registry_policy` resource",
    dialect: dialect::TERRAFORM,
    matches: |_| false,
    build: build_terraform_view,
    schema: &super::POLICY_SCHEMA,
    target: SchemaTarget::Root("registryPolicy"),
    read_by_aws_cli: false,
};

fn build_terraform_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    doc.policies.extend(policy::build_as(root, dialect::TERRAFORM));
    doc
}

/// The policy of a Pulumi `aws:ecr:RegistryPolicy` written as JSON text,
/// read in the Pulumi dialect: a `${…}` value is known only at deploy time.
/// Never recognised on its own: the Pulumi shape hands its policies over.
pub static PULUMI_SHAPE: Shape = Shape {
    name: "registry-policy",
    describe: "the policy of a Pulumi `aws:ecr:RegistryPolicy` resource",
    dialect: dialect::PULUMI,
    matches: |_| false,
    build: build_pulumi_view,
    schema: &super::POLICY_SCHEMA,
    target: SchemaTarget::Root("registryPolicy"),
    read_by_aws_cli: false,
};

fn build_pulumi_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    doc.policies.extend(policy::build_as(root, dialect::PULUMI));
    doc
}
