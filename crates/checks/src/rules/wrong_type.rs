//! ECR103 wrong-type: A value has the wrong JSON type.
//!
//! Produced by the schema check (`crate::schema`); see `rules/ECR103-wrong-type.md`.

rule_meta!(
    "ECR103",
    "wrong-type",
    super::Level::ERROR,
    "A value has the wrong JSON type.",
    resources: AnyDocument,
    scope: File,
    fix: Sometimes,
);
