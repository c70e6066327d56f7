//! The checks' layer of ecrlint: what is wrong in a document.
//!
//! [`schema`] validates a document against its shape's JSON Schema and says
//! what is wrong in ECR's words; [`rules`] is every rule, file rules and
//! workspace rules, over [`crosscheck`]'s index of every file's
//! [`model`] (with the [`settings`] each was read with). The engine
//! (lint, suppressions, the fix loop) and the front doors are the crate
//! above: this one cannot name them.
//!
//! The modules keep the names they have in the `ecrlint` crate, which
//! re-exports them, so `crate::rules::…` reads the same on both sides.

pub mod crosscheck;
pub mod rules;
pub mod schema;

pub use ecrlint_document::{diagnostic, document, facts, fix, text};
pub use ecrlint_model::{lines, model, settings};
pub use ecrlint_syntax as syntax;
