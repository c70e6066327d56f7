//! The front ends' layer of ecrlint: what a span tree means.
//!
//! [`document`] recognises which shape a file is and builds its typed view
//! (a front end per dialect: the API's JSON, CloudFormation, Terraform,
//! Pulumi); [`facts`] holds what ECR accepts (Regions, the embedded schema
//! texts, placeholders); [`diagnostic`] and [`fix`] are what a check
//! reports, as data. The layers above (schema, rules, the engine) are other
//! crates: this one cannot name them.
//!
//! The modules keep the names they have in the `ecrlint` crate, which
//! re-exports them, so `crate::document::…` reads the same on both sides.

pub mod diagnostic;
pub mod document;
pub mod facts;
pub mod fix;
pub mod text;

pub use ecrlint_syntax as syntax;
