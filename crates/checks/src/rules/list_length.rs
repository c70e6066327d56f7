//! ECR104 list-length: a list has fewer or more items than the API allows.
//!
//! Produced mostly by the schema check (`crate::schema`); the check here adds
//! the empty lists CloudFormation's schema lets through but a deploy rejects.

use super::Context;
use crate::document::dialect::EmptyLists;
use crate::document::if_leaves;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR104",
    "list-length",
    super::Level::ERROR,
    "A list has fewer or more items than the API allows.",
    resources: [],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    // The list, or each list an `Fn::If` may choose, that is empty.
    let empty = |node: &'_ crate::syntax::Node<'_>| -> Vec<crate::syntax::Span> {
        if_leaves(node)
            .into_iter()
            .filter(|n| n.as_array().is_some_and(<[_]>::is_empty))
            .map(|n| n.span)
            .collect()
    };
    for config in ctx
        .doc
        .configurations
        .iter()
        .filter(|c| c.dialect.empty_lists == EmptyLists::FailToDeploy)
    {
        for (rules, span) in config
            .rules
            .iter()
            .flat_map(|l| empty(l.node).into_iter().map(move |s| (l, s)))
        {
            out.push(
                META.diagnostic(
                    span,
                    "`Rules` is empty: the CloudFormation handler rejects an empty rule list, so the stack fails to create or update",
                )
                .with_primary_label("empty")
                .with_label(rules.key_span, "in this list")
                .with_help(
                    "add a rule; to turn replication off with CloudFormation, delete the resource (deleting it clears the registry's rules)",
                ),
            );
        }
        for rule in config.candidate_rules() {
            let Some(list) = rule.repository_filters.as_ref() else {
                continue;
            };
            for span in empty(list.node) {
                let message = "`RepositoryFilters` is empty: CloudFormation's schema accepts it, but the handler passes it to the API, which requires at least 1 filter, so the deploy fails";
                out.push(
                    META.diagnostic(span, message)
                        .with_primary_label("empty")
                        .with_label(list.key_span, "in this list")
                        .with_help("remove `RepositoryFilters` to replicate every repository, or add a filter"),
                );
            }
        }
    }
}
