//! ECR104 list-length: A list has fewer or more items than the API allows.
//!
//! Produced by the schema check (`crate::schema`); see `rules/ECR104-list-length.md`.

rule_meta!(
    "ECR104",
    "list-length",
    super::Level::ERROR,
    "A list has fewer or more items than the API allows."
);
