//! The resource kinds: what a document may deploy that rules read. Each kind
//! is declared by its module here (its `KIND`: its name, when a document
//! holds resources of it, and, for a kind no shape validates, its schema);
//! [`super::KINDS`] is the table of them. A rule names the kinds it reads in its
//! `rule_meta!` (`resources: [replication]`), and the runner runs it on a
//! document only when the document holds one of them. Adding a kind is its
//! module, its schema file, its rules and one line in [`super::KINDS`]
//! (`test_kind.rs`, with the `test-kind` feature, is a complete example).

use crate::document::shape::SchemaFile;
use crate::document::Document;
use crate::syntax::Node;

pub struct Kind {
    /// How it is named (`replication`).
    pub name: &'static str,
    /// Whether a document holds resources of this kind: everything its
    /// rules read of a document, so a document without it has nothing for them.
    pub held: fn(&Document) -> bool,
    /// The schema its resources are validated against; `None` for the
    /// kinds whose resources the shapes themselves validate (each shape
    /// names its schema file, each resource of a template its definition).
    pub schema: Option<KindSchema>,
}

/// Where a kind's resources are in a document and what checks them.
pub struct KindSchema {
    pub file: &'static SchemaFile,
    /// The `$defs` entry each resource is validated against.
    pub def: &'static str,
    /// The resources of the kind a document holds, each the node validated.
    pub resources: for<'a> fn(&Document<'a>) -> Vec<&'a Node<'a>>,
}

impl std::fmt::Debug for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Kind {
    fn eq(&self, other: &Kind) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Kind {}

/// Which kinds a document holds: each asked once, when a rule first reads
/// it (a kind no rule of the run reads is never asked: finding repositories
/// walks the whole tree).
pub struct Held<'d, 'a> {
    doc: &'d Document<'a>,
    known: Vec<(&'static Kind, bool)>,
}

impl<'d, 'a> Held<'d, 'a> {
    pub fn new(doc: &'d Document<'a>) -> Self {
        Held { doc, known: Vec::new() }
    }

    /// Whether the document holds resources of any of `kinds`.
    pub fn any(&mut self, kinds: &[&'static Kind]) -> bool {
        kinds.iter().any(|&kind| {
            if let Some(&(_, held)) = self.known.iter().find(|(k, _)| *k == kind) {
                return held;
            }
            let held = (kind.held)(self.doc);
            self.known.push((kind, held));
            held
        })
    }
}
