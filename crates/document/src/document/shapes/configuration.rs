//! `{"rules": [...]}`: the payload of `aws ecr put-replication-configuration
//! --replication-configuration file://x.json`.

use super::super::shape::{SchemaTarget, Shape};
use super::super::{build, dialect, recognise, Document};
use crate::syntax::Node;

pub static SHAPE: Shape = Shape {
    name: "configuration",
    describe: "a bare configuration `{\"rules\": [...]}`",
    dialect: dialect::API,
    matches: |root| recognise::root_word(root, "rules").is_some(),
    build: build_view,
    schema: &super::API_SCHEMA,
    target: SchemaTarget::Root("replicationConfiguration"),
    read_by_aws_cli: true,
};

fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    Document::new(shape, root, vec![build::configuration(root, dialect::API)])
}
