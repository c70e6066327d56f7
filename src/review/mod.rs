//! Views of the [model](crate::model) for reviewers: where a repository
//! goes ([`route`]) and what a change does to what is deployed ([`diff`]).
//! Each computes plain data; [`render`] writes it as a table, JSON or Markdown.

pub mod diff;
pub mod render;
pub mod route;
pub mod topology;
