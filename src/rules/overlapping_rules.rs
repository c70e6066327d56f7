//! ECR302 overlapping-rules: two rules send overlapping repositories to the same destination.

use super::{describe_destination, Context};
use crate::diagnostic::Diagnostic;
use crate::document::Rule;

rule_meta!(
    "ECR302",
    "overlapping-rules",
    super::Level::WARNING,
    "Two rules replicate overlapping repositories to the same destination."
);

/// How two rules' filters overlap, for the message; `None` when disjoint.
fn overlap(a: &Rule, b: &Rule) -> Option<String> {
    let (fa, fb) = (prefixes(a), prefixes(b));
    match (fa.is_empty(), fb.is_empty()) {
        (true, true) => Some("both replicate every repository".into()),
        (true, false) => Some(format!("rule {} replicates every repository", a.index + 1)),
        (false, true) => Some(format!("rule {} replicates every repository", b.index + 1)),
        (false, false) => fa.iter().find_map(|x| {
            fb.iter().find(|y| x.starts_with(*y) || y.starts_with(*x)).map(|y| {
                if x == y {
                    format!("both filter on `{x}`")
                } else {
                    format!("`{x}` and `{y}` overlap: a filter is a prefix, so the shorter also matches the longer")
                }
            })
        }),
    }
}

/// The rule's filter prefixes; empty means every repository. A rule whose
/// filters are all unreadable (wrong types) is treated as unknown: skipped.
fn prefixes<'a>(rule: &Rule<'a>) -> Vec<&'a str> {
    rule.filters().iter().filter_map(|f| f.prefix()).collect()
}

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in &ctx.doc.configurations {
        let rules = config.rules();
        for (j, later) in rules.iter().enumerate() {
            if !later.is_unfiltered() && prefixes(later).is_empty() {
                continue;
            }
            for earlier in &rules[..j] {
                if !earlier.is_unfiltered() && prefixes(earlier).is_empty() {
                    continue;
                }
                let shared = later.destinations().iter().find_map(|d| {
                    let pair = d.pair()?;
                    let first = earlier.destinations().iter().find(|e| e.pair() == Some(pair))?;
                    Some((d, first, pair))
                });
                let Some((dest, first, pair)) = shared else { continue };
                let Some(how) = overlap(earlier, later) else { continue };
                out.push(
                    META.diagnostic(
                        dest.node.span,
                        dest.pointer.as_str(),
                        format!(
                            "rules {} and {} both replicate to {}, and their filters overlap: {how}",
                            earlier.index + 1,
                            later.index + 1,
                            describe_destination(pair.0, pair.1)
                        ),
                    )
                    .with_primary_label(format!("rule {} sends here", later.index + 1))
                    .with_label(first.node.span, format!("rule {} sends here too", earlier.index + 1))
                    .with_help("merge the rules, or narrow the filters so each repository is matched by one rule"),
                );
            }
        }
    }
}
