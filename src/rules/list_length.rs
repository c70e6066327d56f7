//! ECR104 list-length: a list has fewer or more items than the API allows.
//!
//! Produced mostly by the schema check (`crate::schema`); the check here adds
//! what CloudFormation's schema lets through but the API rejects.

use super::Context;
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::Dialect;

rule_meta!(
    "ECR104",
    "list-length",
    super::Level::ERROR,
    "A list has fewer or more items than the API allows."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in ctx
        .doc
        .configurations
        .iter()
        .filter(|c| c.dialect == Dialect::CloudFormation)
    {
        for rule in config.rules() {
            let Some(list) = rule.repository_filters.as_ref() else {
                continue;
            };
            if list.node.as_array().is_some_and(<[_]>::is_empty) {
                let mut d = META
                    .diagnostic(
                        list.node.span,
                        "`RepositoryFilters` is empty: CloudFormation's schema accepts it, but the API requires at least 1 filter",
                    )
                    .with_primary_label("empty")
                    .with_label(list.key_span, "in this list")
                    .with_help("remove `RepositoryFilters` to replicate every repository, or add a filter");
                // A warning: the template validates, the deployment may fail.
                d.severity = Severity::Warning;
                out.push(d);
            }
        }
    }
}
