//! ECR303 duplicate-filter: the same filter twice in one rule.

use super::Context;
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR303",
    "duplicate-filter",
    super::Level::WARNING,
    "The same repository filter is listed twice in one rule."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in &ctx.doc.configurations {
        for rule in config.rules() {
            let filters = rule.filters();
            for (i, f) in filters.iter().enumerate() {
                let Some(prefix) = f.prefix() else { continue };
                if let Some(first) = filters[..i].iter().find(|g| g.prefix() == Some(prefix)) {
                    let span = f.filter.as_ref().map_or(f.node.span, |s| s.span());
                    let first_span = first.filter.as_ref().map_or(first.node.span, |s| s.span());
                    out.push(
                        META.diagnostic(
                            span,
                            f.pointer.as_str(),
                            format!("filter `\"{prefix}\"` is listed twice in this rule"),
                        )
                        .with_primary_label("listed again here")
                        .with_label(first_span, "first listed here")
                        .with_help("remove the duplicate filter"),
                    );
                }
            }
        }
    }
}
