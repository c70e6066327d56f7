//! The file shapes ecrlint reads, declared once: recognition, the `document`
//! name in reports, ECR003's help and the schema each is validated against
//! all come from [`SHAPES`]. Adding a shape is one module in `shapes/` (its
//! `SHAPE` and, if new, its schema file) and one line in the table.

use super::{shapes, Dialect, Document};
use crate::syntax::Node;

/// A JSON Schema file, embedded, with the files its `$ref`s name.
#[derive(Debug)]
pub struct SchemaFile {
    /// Short and unique: the cache key, and the prefix its definitions get
    /// when another file imports them (`api:replicationRule`).
    pub id: &'static str,
    /// The file name, as other files' `$ref`s name it.
    pub name: &'static str,
    pub text: &'static str,
    pub imports: &'static [&'static SchemaFile],
}

/// What the schema validates in a document of a shape.
#[derive(Clone, Copy, Debug)]
pub enum SchemaTarget {
    /// The root, against the file's `$defs/<definition>`.
    Root(&'static str),
    /// Each replication resource of a template, against `$defs/<definition>`.
    EachResource(&'static str),
}

pub struct Shape {
    /// The `document` name in reports (`configuration`).
    pub name: &'static str,
    /// How ECR003's help names it, with its top level.
    pub describe: &'static str,
    pub dialect: Dialect,
    /// Whether a root has this shape, read leniently (a misspelt key of
    /// ours counts): asked in table order, the first answer wins.
    pub matches: fn(&Node) -> bool,
    /// The typed view of a root of this shape.
    pub build: for<'a> fn(&'a Node<'a>, &'static Shape) -> Document<'a>,
    pub schema: &'static SchemaFile,
    pub target: SchemaTarget,
    /// Whether the AWS CLI reads it from a `file://` (which rejects a UTF-8
    /// byte order mark).
    pub read_by_aws_cli: bool,
}

impl std::fmt::Debug for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Shape {
    fn eq(&self, other: &Shape) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Shape {}

/// Every shape, in the order recognition asks them (most specific first).
pub static SHAPES: &[&Shape] = &[
    &shapes::terraform::SHAPE,
    &shapes::terraform_plan::SHAPE,
    // Registry policies: IAM policy keys, no replication key in common.
    &shapes::get_registry_policy::SHAPE,
    &shapes::registry_policy::SHAPE,
    &shapes::registry_policy::LONE_STATEMENT_SHAPE,
    &shapes::cloudformation_properties::SHAPE,
    &shapes::cloudformation_template::SHAPE,
    &shapes::describe_registry::SHAPE,
    &shapes::request::SHAPE,
    &shapes::configuration::SHAPE,
    #[cfg(test)]
    &shapes::test_shape::SHAPE,
];

/// The first shape whose keys `root` has.
pub fn shape_of(root: &Node) -> Option<&'static Shape> {
    SHAPES.iter().copied().find(|s| (s.matches)(root))
}

/// What ECR003's help lists: every shape, as "a, b, or c", the most
/// common first (the reverse of the table's order).
pub fn describe_all() -> String {
    // A statement saved alone is read to say it is a mistake (ECR509), not offered as a shape.
    let all: Vec<&str> = SHAPES
        .iter()
        .rev()
        .filter(|s| !std::ptr::eq(**s, &shapes::registry_policy::LONE_STATEMENT_SHAPE))
        .map(|s| s.describe)
        .collect();
    match all.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{}, or {last}", rest.join(", ")),
        _ => all.concat(),
    }
}
