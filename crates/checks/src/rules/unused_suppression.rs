//! ECR005 unused-suppression: a suppression (`# ecrlint: ignore[CODE]` in
//! YAML, `Metadata: {ecrlint: {ignore: [CODE]}}` on a CloudFormation
//! resource) that suppresses nothing, names no rule, or is not written as
//! one. The findings are made by the suppression pass (the engine's `suppress`),
//! after every other check, like ruff's RUF100.

rule_meta!(
    "ECR005",
    "unused-suppression",
    super::Level::INFO,
    "A suppression that suppresses nothing, or names no rule.",
    resources: [],
    scope: File,
    fix: Safe,
);
