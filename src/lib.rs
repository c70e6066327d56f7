//! ecrlint: a span-exact linter for Amazon ECR replication configurations.
//!
//! Data flows one way: source bytes → [`json`] span parser → [`document`]
//! model → checks ([`schema`] + [`rules`]) → [`diagnostic`]s → [`render`].

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod document;
pub mod facts;
pub mod json;
pub mod lines;
pub mod lint;
pub mod recognise;
pub mod render;
pub mod rules;
pub mod schema;
pub mod server;
mod text;
pub mod yaml;
