//! ECR001 invalid-json: The file cannot be read as the AWS CLI or CloudFormation reads it: a syntax error, or an encoding other than UTF-8.
//!
//! Produced by the span parser (`crate::syntax`); see `rules/ECR001-invalid-json.md`.

rule_meta!(
    "ECR001",
    "invalid-json",
    super::Level::ERROR,
    "The file cannot be read as the AWS CLI or CloudFormation reads it: a syntax error, or an encoding other than UTF-8.",
    resources: [],
    scope: File,
    fix: None,
    configurable: false
);
