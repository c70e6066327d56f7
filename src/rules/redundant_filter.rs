//! ECR304 redundant-filter: a filter already covered by a shorter prefix in the same rule.

use super::Context;
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR304",
    "redundant-filter",
    super::Level::WARNING,
    "A filter is already covered by a shorter prefix in the same rule."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let valid = |p: &str| ctx.facts.filter_pattern.is_match(p);
    for config in &ctx.doc.configurations {
        for rule in config.rules() {
            let filters: Vec<_> = rule
                .filters()
                .iter()
                .filter_map(|f| Some((f, f.filter.as_ref()?, f.prefix()?)))
                .filter(|(_, _, p)| valid(p))
                .collect();
            for (f, scalar, prefix) in &filters {
                let cover = filters
                    .iter()
                    .filter(|(_, _, other)| other.len() < prefix.len() && prefix.starts_with(*other))
                    .min_by_key(|(_, _, other)| other.len());
                if let Some((_, cover_scalar, other)) = cover {
                    out.push(
                        META.diagnostic(scalar.span(), f.pointer.as_str(),
                            format!("filter `\"{prefix}\"` is redundant: `\"{other}\"` already matches every name it matches"))
                            .with_primary_label("already covered")
                            .with_label(cover_scalar.span(), "this shorter prefix covers it")
                            .with_help(format!("remove `\"{prefix}\"`, or narrow `\"{other}\"` if it matches more than you meant")),
                    );
                }
            }
        }
    }
}
