//! ECR104 list-length: a list has fewer or more items than the API allows.
//!
//! Produced mostly by the schema check (`crate::schema`); the check here adds
//! the empty lists CloudFormation's schema lets through but a deploy rejects.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::document::Dialect;

rule_meta!(
    "ECR104",
    "list-length",
    super::Level::ERROR,
    "A list has fewer or more items than the API allows."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let is_empty = |node: &crate::json::Node| node.as_array().is_some_and(<[_]>::is_empty);
    for config in ctx
        .doc
        .configurations
        .iter()
        .filter(|c| c.dialect == Dialect::CloudFormation)
    {
        if let Some(rules) = config.rules.as_ref().filter(|l| is_empty(l.node)) {
            out.push(
                META.diagnostic(
                    rules.node.span,
                    "`Rules` is empty: the CloudFormation handler rejects an empty rule list, so the stack fails to create or update",
                )
                .with_primary_label("empty")
                .with_label(rules.key_span, "in this list")
                .with_help(
                    "add a rule; to turn replication off with CloudFormation, delete the resource (deleting it clears the registry's rules)",
                ),
            );
        }
        for rule in config.rules() {
            let Some(list) = rule.repository_filters.as_ref().filter(|l| is_empty(l.node)) else {
                continue;
            };
            out.push(
                META.diagnostic(
                    list.node.span,
                    "`RepositoryFilters` is empty: CloudFormation's schema accepts it, but the handler passes it to the API, which requires at least 1 filter, so the deploy fails",
                )
                .with_primary_label("empty")
                .with_label(list.key_span, "in this list")
                .with_help("remove `RepositoryFilters` to replicate every repository, or add a filter"),
            );
        }
    }
}
