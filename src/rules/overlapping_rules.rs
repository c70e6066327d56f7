//! ECR302 overlapping-rules: two rules send overlapping repositories to the same destination.

use super::{describe_destination, Context};
use crate::diagnostic::Diagnostic;
use crate::document::{Destination, Rule};
use std::collections::{HashMap, HashSet};

rule_meta!(
    "ECR302",
    "overlapping-rules",
    super::Level::WARNING,
    "Two rules replicate overlapping repositories to the same destination."
);

/// A rule's filters as a set; `None` means every repository.
struct Scope<'a> {
    filters: Option<HashSet<&'a str>>,
}

impl<'a> Scope<'a> {
    /// `None` when the rule's filters cannot be read (wrong types): unknown scope.
    fn of(rule: &Rule<'a>) -> Option<Scope<'a>> {
        if rule.is_unfiltered() {
            return Some(Scope { filters: None });
        }
        let set: HashSet<&str> = rule.filters().iter().filter_map(|f| f.prefix()).collect();
        (!set.is_empty()).then_some(Scope { filters: Some(set) })
    }
}

/// A filter of `a` that is a prefix of (or equal to) a filter of `b`.
fn prefix_pair<'a>(a: &HashSet<&'a str>, b: &HashSet<&'a str>) -> Option<(&'a str, &'a str)> {
    b.iter().find_map(|y| {
        y.char_indices()
            .map(|(i, c)| &y[..i + c.len_utf8()])
            .find_map(|p| a.get(p).map(|x| (*x, *y)))
    })
}

/// How two rules' scopes overlap, for the message; `None` when disjoint.
fn overlap(a: (&Rule, &Scope), b: (&Rule, &Scope)) -> Option<String> {
    match (&a.1.filters, &b.1.filters) {
        (None, None) => Some("both replicate every repository".into()),
        (None, Some(_)) => Some(format!("rule {} replicates every repository", a.0.index + 1)),
        (Some(_), None) => Some(format!("rule {} replicates every repository", b.0.index + 1)),
        (Some(fa), Some(fb)) => {
            let (x, y) = prefix_pair(fa, fb).or_else(|| prefix_pair(fb, fa))?;
            Some(if x == y {
                format!("both filter on `{x}`")
            } else {
                format!("`{x}` and `{y}` overlap: a filter is a prefix, so `{x}` also matches `{y}`")
            })
        }
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in &ctx.doc.configurations {
        let rules = config.rules();
        let scopes: Vec<Option<Scope>> = rules.iter().map(Scope::of).collect();
        // Which earlier rules send to each destination, so only rules that
        // share a destination are compared.
        let mut senders: HashMap<(&str, &str), Vec<(usize, &Destination)>> = HashMap::new();
        for (j, later) in rules.iter().enumerate() {
            let Some(later_scope) = scopes[j].as_ref() else {
                continue;
            };
            let found = later.destinations().iter().find_map(|d| {
                let pair = ctx.pair(d)?;
                senders.get(&pair)?.iter().find_map(|&(i, first)| {
                    let earlier_scope = scopes[i].as_ref()?;
                    let how = overlap((&rules[i], earlier_scope), (later, later_scope))?;
                    Some((i, first, d, pair, how))
                })
            });
            if let Some((i, first, dest, pair, how)) = found {
                let earlier = &rules[i];
                out.push(
                    META.diagnostic(
                        dest.node.span,
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
            for d in later.destinations() {
                if let Some(pair) = ctx.pair(d) {
                    let list = senders.entry(pair).or_default();
                    if list.last().is_none_or(|&(i, _)| i != j) {
                        list.push((j, d));
                    }
                }
            }
        }
    }
}
