//! ECR308 replication-disabled: an empty `rules` list, which turns replication off.

use super::Context;
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR308",
    "replication-disabled",
    super::Level::INFO,
    "An empty rules list turns replication off."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in &ctx.doc.configurations {
        let Some(rules) = config.rules.as_ref() else { continue };
        if rules.node.as_array().is_some_and(<[_]>::is_empty) {
            out.push(
                META.diagnostic(
                    rules.node.span,
                    format!(
                        "`{}` is empty: applying this configuration turns replication off",
                        config.dialect.keys().rules
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
