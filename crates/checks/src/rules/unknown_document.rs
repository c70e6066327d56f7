//! ECR003 unknown-document: A file named on the command line is none of the replication document shapes.
//!
//! Produced by the document model (`crate::document::recognise`); see `rules/ECR003-unknown-document.md`.

rule_meta!(
    "ECR003",
    "unknown-document",
    super::Level::ERROR,
    "A file named on the command line is none of the replication document shapes.",
    resources: [],
    scope: File,
    fix: None,
);

/// How to stop ECR003 for a file that is meant to be passed over, said in its help.
pub const PASS_OVER: &str = "to pass over this file, add it to `extend-exclude` in .ecrlint.toml (hooks name files: \
                             with `--force-exclude`), or, in YAML or Terraform, write `# ecrlint: ignore[ECR003]` in it";
