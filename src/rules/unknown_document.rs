//! ECR003 unknown-document: A file named on the command line is none of the replication document shapes.
//!
//! Produced by the document model (`crate::document::recognise`); see `rules/ECR003-unknown-document.md`.

rule_meta!(
    "ECR003",
    "unknown-document",
    super::Level::ERROR,
    "A file named on the command line is none of the replication document shapes.",
    resources: AnyDocument,
    scope: File,
    fix: None,
);
