//! ECR309 empty-destinations: a rule whose destinations list is empty does nothing.

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR309",
    "empty-destinations",
    super::Level::WARNING,
    "A rule with an empty destinations list replicates nothing.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    // CloudFormation requires a destination: its schema reports ECR104 instead.
    for config in ctx
        .doc
        .configurations
        .iter()
        .filter(|c| c.dialect.empty_lists == crate::document::dialect::EmptyLists::Deploy)
    {
        for rule in config.rules() {
            let Some(list) = rule.destinations.as_ref() else {
                continue;
            };
            if list.node.as_array().is_some_and(<[_]>::is_empty) {
                out.push(
                    META.diagnostic(
                        list.node.span,
                        format!("rule {} has no destinations, so it replicates nothing", rule.index + 1),
                    )
                    .with_primary_label("empty")
                    .with_label(list.key_span, "destinations of this rule")
                    .with_help("add a destination, or remove the rule"),
                );
            }
        }
    }
}
