//! ECR101 missing-field: A required key is absent.
//!
//! Produced by the schema check (`crate::schema`); see `rules/ECR101-missing-field.md`.

rule_meta!(
    "ECR101",
    "missing-field",
    super::Level::ERROR,
    "A required key is absent.",
    resources: [],
    scope: File,
    fix: None,
);
