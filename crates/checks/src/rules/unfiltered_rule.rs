//! ECR310 unfiltered-rule: a rule without repository filters replicates every repository (off by default).

use super::Context;
use crate::rules::findings::Findings;
use crate::syntax::Span;

rule_meta!(
    "ECR310",
    "unfiltered-rule",
    super::Level::Off,
    "A rule without filters replicates every repository.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for config in &ctx.doc.configurations {
        for rule in config.rules() {
            if !rule.is_unfiltered() {
                continue;
            }
            let span = rule
                .destinations
                .as_ref()
                .map_or(Span::new(rule.node.span.start, rule.node.span.start + 1), |d| {
                    d.key_span
                });
            out.push(
                META.diagnostic(
                    span,
                    format!(
                        "rule {} has no repository filters, so it replicates every repository",
                        rule.index + 1
                    ),
                )
                .with_primary_label("every repository goes to these destinations")
                .with_help(
                    "add `repositoryFilters` with the prefixes to replicate, if not every repository should be copied",
                ),
            );
        }
    }
}
