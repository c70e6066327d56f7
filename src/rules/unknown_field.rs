//! ECR102 unknown-field: A key the shape does not define, with the nearest valid key as a suggestion.
//!
//! Produced by the schema check (`crate::schema`); see `rules/ECR102-unknown-field.md`.

rule_meta!(
    "ECR102",
    "unknown-field",
    super::Level::ERROR,
    "A key the shape does not define, with the nearest valid key as a suggestion."
);
