//! What a file shape declares: recognition, the `document` name in reports,
//! ECR003's help and the schema each is validated against all come from
//! [`super::shapes::SHAPES`]. Adding a shape is one module in `shapes/` (its
//! `SHAPE` and, if new, its schema file) and one line in that table.

use super::{Dialect, Document};
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
