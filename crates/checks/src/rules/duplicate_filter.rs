//! ECR303 duplicate-filter: the same filter twice in one rule.

use super::Context;
use crate::fix::Fix;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR303",
    "duplicate-filter",
    super::Level::WARNING,
    "The same repository filter is listed twice in one rule.",
    resources: [replication],
    scope: File,
    fix: Safe,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for config in &ctx.doc.configurations {
        for rule in config.rules() {
            let filters = rule.filters();
            for (later, first) in super::repeats(filters.iter().map(|f| f.prefix())) {
                let (f, first) = (&filters[later], &filters[first]);
                let (Some(scalar), Some(first_scalar)) = (f.filter.as_ref(), first.filter.as_ref()) else {
                    continue;
                };
                let fix = rule
                    .repository_filters
                    .as_ref()
                    .and_then(|list| ctx.remove_item(list.node, f.node))
                    .map(|edit| Fix::safe("Remove the duplicate filter", vec![edit]));
                let found = META
                    .diagnostic(
                        scalar.span(),
                        format!(
                            "filter `\"{}\"` is listed twice in this rule",
                            f.prefix().unwrap_or_default()
                        ),
                    )
                    .with_primary_label("listed again here")
                    .with_label(first_scalar.span(), "first listed here")
                    .with_help("remove the duplicate filter");
                out.push(match fix {
                    Some(fix) => found.with_fix(fix),
                    None => found,
                });
            }
        }
    }
}
