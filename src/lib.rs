//! ecrlint: a span-exact linter for Amazon ECR replication configurations.
//!
//! Data flows one way: source bytes → [`syntax`] (one span tree from the JSON
//! or YAML front end) → [`recognise`] (is it meant as a replication document,
//! and which shape) → [`document`] (the typed view) → checks ([`schema`] +
//! [`rules`]) → [`diagnostic`]s, with [`fix`]es as data, less what
//! [`suppress`]ion comments and Metadata hide → [`render`]. [`lint`] runs
//! that pipeline on one file's bytes.
//!
//! Around it: [`settings`] is what the user asked for, as plain data;
//! [`config`] reads it from `.ecrlint.toml` files and decides which one
//! governs each file; [`batch`] reads and lints many files on every core
//! with the settings of each, for the command line and a language server alike,
//! then runs the [`workspace`] rules over [`crosscheck`]'s index of what all
//! of them say (registry policies against the configurations that need them).

pub mod baseline;
pub mod batch;
pub mod cli;
pub mod config;
pub mod discover;
pub mod load;
pub mod render;
pub mod review;
pub mod server;
pub use ecrlint_checks::{crosscheck, rules, schema};
use ecrlint_document::text;
pub use ecrlint_document::{diagnostic, document, facts, fix};
pub use ecrlint_engine::{blank_edits, fix_loop, lint, suppress, workspace};
pub use ecrlint_model::{lines, model, settings};
pub use ecrlint_syntax as syntax;
