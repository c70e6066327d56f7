//! ECR308 replication-disabled: an empty `rules` list, which turns replication off
//! (API payloads; in a template it is ECR104).

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR308",
    "replication-disabled",
    super::Level::INFO,
    "An empty rules list turns replication off.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    // A Terraform (or Pulumi) resource without `replication_configuration`
    // (`replicationConfiguration`) puts an empty rule list.
    for (config, at) in ctx
        .doc
        .configurations
        .iter()
        .filter_map(|c| c.replication_off.map(|at| (c, at)))
    {
        out.push(
            META.diagnostic(
                at,
                format!(
                    "this {} has no {}: applying it turns replication off",
                    config.dialect.resource_type, config.dialect.configuration_member
                ),
            )
            .with_primary_label("no rules")
            .with_help(format!(
                "if that is the intent, nothing to do (the provider puts an empty rule list; images already replicated stay); otherwise add a {} with a rule",
                config.dialect.configuration_member
            )),
        );
    }
    // In a template an empty list fails the deploy instead (ECR104).
    for config in ctx
        .doc
        .configurations
        .iter()
        .filter(|c| c.dialect.empty_lists == crate::document::dialect::EmptyLists::Deploy)
    {
        let Some(rules) = config.rules.as_ref() else { continue };
        if rules.node.as_array().is_some_and(<[_]>::is_empty) {
            out.push(
                META.diagnostic(
                    rules.node.span,
                    format!(
                        "`{}` is empty: applying this configuration turns replication off",
                        config.dialect.keys.rules
                    ),
                )
                .with_primary_label("no rules")
                .with_label(rules.key_span, "replication rules")
                .with_help(
                    "if that is the intent, nothing to do (images already replicated stay); otherwise add a rule",
                ),
            );
        }
    }
}
