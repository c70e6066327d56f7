//! The model's layer of ecrlint: what a set of documents deploys.
//!
//! [`model`] reads each file's documents (and the documents in their
//! strings) into what they deploy, per registry: replication
//! configurations, registry policies' grants, repositories and creation
//! templates, every value located where it is written. It reads no file
//! and no configuration of its own: the crate above hands it texts with
//! their [`settings`] (what the user asked for, as plain data, which says
//! whose registry a file is about). [`lines`] maps byte offsets to lines.
//! The checks (schema, rules, the index across files) and the engine are
//! the crates above: this one cannot name them.
//!
//! The modules keep the names they have in the `ecrlint` crate, which
//! re-exports them, so `crate::model::…` reads the same on both sides.

pub mod lines;
pub mod model;
pub mod settings;

pub use ecrlint_document::{diagnostic, document, facts, fix, text};
pub use ecrlint_syntax as syntax;
