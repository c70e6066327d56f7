//! `aws ecr describe-registry` output: `{"registryId": "...",
//! "replicationConfiguration": {...}}`, whose `registryId` is the source.

use super::super::shape::{SchemaTarget, Shape};
use super::super::{build, dialect, recognise, Document};
use crate::syntax::Node;

pub static SHAPE: Shape = Shape {
    name: "describe-registry",
    describe: "describe-registry output `{\"registryId\": \"...\", \"replicationConfiguration\": {...}}`",
    dialect: dialect::API,
    matches: |root| {
        recognise::root_word(root, "replicationConfiguration").is_some()
            && recognise::root_word(root, "registryId").is_some()
    },
    build: build_view,
    schema: &super::API_SCHEMA,
    target: SchemaTarget::Root("describeRegistryResponse"),
    read_by_aws_cli: true,
};

fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = super::request::build_view(root, shape);
    doc.source_registry = build::scalar(root, "registryId", dialect::API);
    doc
}
