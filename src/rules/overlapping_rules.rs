//! ECR302 overlapping-rules: two rules send overlapping repositories to the same destination.

use super::{describe_destination, Context};
use crate::diagnostic::Diagnostic;
use crate::document::{Destination, Rule};
use std::collections::{BTreeMap, HashMap};

rule_meta!(
    "ECR302",
    "overlapping-rules",
    super::Level::WARNING,
    "Two rules replicate overlapping repositories to the same destination."
);

/// What a rule replicates: every repository, or names starting with one of
/// its filters. `None` from [`scope`] when the filters cannot be read.
enum Scope<'a> {
    Everything,
    Prefixes(Vec<&'a str>),
}

fn scope<'a>(rule: &Rule<'a>) -> Option<Scope<'a>> {
    if rule.is_unfiltered() {
        return Some(Scope::Everything);
    }
    let prefixes: Vec<&str> = rule.filters().iter().filter_map(|f| f.prefix()).collect();
    (!prefixes.is_empty()).then_some(Scope::Prefixes(prefixes))
}

/// An earlier rule's claim on a destination: the rule and its destination entry.
type Claim<'r, 'a> = (usize, &'r Destination<'a>);

/// Everything earlier rules send to one destination, indexed so that each
/// later rule is checked in time proportional to its own filters, however
/// many rules came before (a file with thousands of rules stays fast).
#[derive(Default)]
struct Sent<'r, 'a> {
    first: Option<Claim<'r, 'a>>,
    everything: Option<Claim<'r, 'a>>,
    filters: BTreeMap<&'a str, Claim<'r, 'a>>,
}

impl<'r, 'a> Sent<'r, 'a> {
    /// An earlier claim overlapping `scope`, and how, for the message.
    fn overlap(&self, scope: &Scope<'a>, later: usize) -> Option<(Claim<'r, 'a>, String)> {
        if let Some(claim) = self.everything {
            return Some((claim, format!("rule {} replicates every repository", claim.0 + 1)));
        }
        match scope {
            Scope::Everything => self
                .first
                .map(|claim| (claim, format!("rule {} replicates every repository", later + 1))),
            Scope::Prefixes(prefixes) => prefixes.iter().find_map(|&y| {
                // An earlier filter that is a prefix of (or equal to) y…
                let shorter = y
                    .char_indices()
                    .map(|(i, c)| &y[..i + c.len_utf8()])
                    .find_map(|p| self.filters.get_key_value(p).map(|(&x, &claim)| (claim, x)));
                // …or one that y is a prefix of: the first name at or after y.
                let longer = || {
                    self.filters
                        .range(y..)
                        .next()
                        .filter(|(x, _)| x.starts_with(y))
                        .map(|(&x, &claim)| (claim, x))
                };
                let (claim, x) = shorter.or_else(longer)?;
                Some((claim, describe(x, y)))
            }),
        }
    }

    fn add(&mut self, scope: &Scope<'a>, claim: Claim<'r, 'a>) {
        self.first.get_or_insert(claim);
        match scope {
            Scope::Everything => {
                self.everything.get_or_insert(claim);
            }
            Scope::Prefixes(prefixes) => {
                for p in prefixes {
                    self.filters.entry(p).or_insert(claim);
                }
            }
        }
    }
}

fn describe(x: &str, y: &str) -> String {
    if x == y {
        format!("both filter on `{x}`")
    } else {
        let (short, long) = if x.len() < y.len() { (x, y) } else { (y, x) };
        format!("`{x}` and `{y}` overlap: a filter is a prefix, so `{short}` also matches `{long}`")
    }
}

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in &ctx.doc.configurations {
        let rules = config.rules();
        let mut sent: HashMap<(&str, &str), Sent> = HashMap::new();
        for (j, later) in rules.iter().enumerate() {
            let Some(later_scope) = scope(later) else { continue };
            let found = later.destinations().iter().find_map(|d| {
                let pair = ctx.pair(d)?;
                let (claim, how) = sent.get(&pair)?.overlap(&later_scope, later.index)?;
                Some((claim, d, pair, how))
            });
            if let Some(((i, first), dest, pair, how)) = found {
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
                    sent.entry(pair).or_default().add(&later_scope, (j, d));
                }
            }
        }
    }
}
