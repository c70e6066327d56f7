//! The engine of ecrlint: the checks run on a file and on a workspace.
//!
//! [`lint`] runs the pipeline on one file's bytes (recognition, the
//! schema, the rules, then [`suppress`]ion comments and Metadata);
//! [`workspace`] runs the workspace rules over every file's facts;
//! [`fix_loop`] applies fixes, linting each step again. Reading files in bulk, the configuration files
//! and the front doors (command line, language server) are the crate
//! above: this one cannot name them.
//!
//! The modules keep the names they have in the `ecrlint` crate, which
//! re-exports them, so `crate::lint::…` reads the same on both sides.

pub mod blank_edits;
pub mod fix_loop;
pub mod lint;
pub mod suppress;
pub mod workspace;

pub use ecrlint_checks::{crosscheck, rules, schema};
pub use ecrlint_document::{diagnostic, document, facts, fix, text};
pub use ecrlint_model::{lines, model, settings};
pub use ecrlint_syntax as syntax;
