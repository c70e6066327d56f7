//! A resource kind that exists only with the `test-kind` feature, to prove
//! that a kind is this module, its schema file (`test_kind.schema.json`),
//! its rules (the checks' `test_widget.rs`) and one line in
//! [`super::KINDS`]: a CloudFormation resource of the made-up type
//! `Ecrlint::Test::Widget`, whose `Properties` the schema validates and
//! the rule reads, with no other file edited.

use super::kind::{Kind, KindSchema};
use crate::document::shape::SchemaFile;
use crate::document::Document;
use crate::syntax::Node;

static SCHEMA: SchemaFile = SchemaFile {
    id: "test-kind",
    name: "test-kind.schema.json",
    text: include_str!("test_kind.schema.json"),
    imports: &[],
};

pub static KIND: Kind = Kind {
    name: "test-widget",
    held: |doc| !widgets(doc).is_empty(),
    schema: Some(KindSchema {
        file: &SCHEMA,
        def: "widget",
        resources: widgets,
    }),
};

/// The made-up resource type.
pub const TYPE: &str = "Ecrlint::Test::Widget";

/// The `Properties` of each widget of a template, in order.
pub fn widgets<'a>(doc: &Document<'a>) -> Vec<&'a Node<'a>> {
    let Some(resources) = doc.root.get("Resources").and_then(|r| r.value.as_object()) else {
        return Vec::new();
    };
    resources
        .iter()
        .filter(|r| r.value.get("Type").and_then(|t| t.value.as_str()) == Some(TYPE))
        .filter_map(|r| r.value.get("Properties").map(|p| &p.value))
        .collect()
}
