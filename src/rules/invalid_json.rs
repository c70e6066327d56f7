//! ECR001 invalid-json: The file is not strict JSON (RFC 8259); nothing else is checked in it.
//!
//! Produced by the span parser (`crate::json`); see `rules/ECR001-invalid-json.md`.

rule_meta!(
    "ECR001",
    "invalid-json",
    super::Level::ERROR,
    "The file is not strict JSON (RFC 8259); nothing else is checked in it."
);
