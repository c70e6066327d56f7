//! ECR304 redundant-filter: a filter already covered by a shorter prefix in the same rule.

use super::Context;
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;

rule_meta!(
    "ECR304",
    "redundant-filter",
    super::Level::WARNING,
    "A filter is already covered by a shorter prefix in the same rule."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in &ctx.doc.configurations {
        for rule in config.rules() {
            // Valid filters by text → the first filter with that text.
            let mut by_text = HashMap::new();
            for f in rule.filters() {
                if let (Some(prefix), Some(scalar)) = (f.prefix(), f.filter.as_ref()) {
                    if ctx.facts.filter_pattern.is_match(prefix) {
                        by_text.entry(prefix).or_insert(scalar);
                    }
                }
            }
            for f in rule.filters() {
                let (Some(prefix), Some(scalar)) = (f.prefix(), f.filter.as_ref()) else {
                    continue;
                };
                if !by_text.contains_key(prefix) {
                    continue;
                }
                // The shortest proper prefix of this filter that is itself a filter.
                let cover = prefix
                    .char_indices()
                    .skip(1)
                    .map(|(i, _)| &prefix[..i])
                    .find_map(|p| by_text.get(p).map(|s| (p, *s)));
                let Some((other, cover_scalar)) = cover else { continue };
                out.push(
                    META.diagnostic(
                        scalar.span(),
                        format!(
                            "filter `\"{prefix}\"` is redundant: `\"{other}\"` already matches every name it matches"
                        ),
                    )
                    .with_primary_label("already covered")
                    .with_label(cover_scalar.span(), "this shorter prefix covers it")
                    .with_help(format!(
                        "remove `\"{prefix}\"`, or narrow `\"{other}\"` if it matches more than you meant"
                    )),
                );
            }
        }
    }
}
