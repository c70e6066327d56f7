//! ECR304 redundant-filter: a filter already covered by a shorter prefix in the same rule.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::document::Scalar;
use crate::fix::Fix;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR304",
    "redundant-filter",
    super::Level::WARNING,
    "A filter is already covered by a shorter prefix in the same rule.",
    resources: [replication],
    scope: File,
    fix: Unsafe,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for config in &ctx.doc.configurations {
        for rule in config.rules() {
            // Valid filters in name order: every filter that starts with `p`
            // follows `p` directly, so a stack of nested prefixes finds the
            // shortest cover of each in one pass.
            let mut filters: Vec<_> = rule
                .filters()
                .iter()
                .filter_map(|f| Some((f.prefix()?, f.filter?, f.node)))
                .filter(|(p, _, _)| ctx.facts.filter_pattern.is_match(p))
                .collect();
            filters.sort_by(|a, b| a.0.cmp(b.0).then(a.1.node.span.start.cmp(&b.1.node.span.start)));
            let mut chain: Vec<(&str, Scalar)> = Vec::new();
            for &(prefix, scalar, node) in &filters {
                while chain.last().is_some_and(|(p, _)| !prefix.starts_with(p)) {
                    chain.pop();
                }
                match chain.first() {
                    // Equal texts are duplicates (ECR303), not covers.
                    Some(&(other, cover)) if other != prefix => {
                        let d = finding(prefix, scalar, other, cover);
                        let edit = rule
                            .repository_filters
                            .as_ref()
                            .and_then(|list| ctx.remove_item(list.node, node));
                        out.push(match edit {
                            Some(edit) => {
                                d.with_fix(Fix::unsafe_edit(format!("Remove the filter `{prefix}`"), vec![edit]))
                            }
                            None => d,
                        });
                    }
                    _ => {}
                }
                if chain.last().is_none_or(|(p, _)| *p != prefix) {
                    chain.push((prefix, scalar));
                }
            }
        }
    }
}

fn finding(prefix: &str, scalar: Scalar, other: &str, cover: Scalar) -> Diagnostic {
    META.diagnostic(
        scalar.span(),
        format!("filter `\"{prefix}\"` is redundant: `\"{other}\"` already matches every name it matches"),
    )
    .with_primary_label("already covered")
    .with_label(cover.span(), "this shorter prefix covers it")
    .with_help(format!(
        "remove `\"{prefix}\"`, or narrow `\"{other}\"` if it matches more than you meant"
    ))
}
