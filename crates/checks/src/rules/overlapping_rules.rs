//! ECR302 overlapping-rules: two rules send overlapping repositories to the same destination.

use super::{describe_destination, Context};
use crate::document::{Destination, Rule};
use crate::rules::findings::Findings;
use std::collections::{BTreeMap, HashMap};

rule_meta!(
    "ECR302",
    "overlapping-rules",
    super::Level::WARNING,
    "Two rules replicate overlapping repositories to the same destination.",
    resources: [replication],
    scope: File,
    fix: None,
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

/// Earlier claims compared one by one, up to this many per destination;
/// past it, an index of their filters takes over.
const PAIRWISE: usize = 8;

/// Everything earlier rules send to one destination. Most destinations get
/// a claim or two, compared pairwise; a destination shared by many rules
/// gets a prefix index, so each later rule costs time proportional to its
/// own filters however many came before (thousands of rules stay fast, and
/// small files allocate no index).
#[derive(Default)]
struct Sent<'r, 'a> {
    claims: Vec<Claim<'r, 'a>>,
    everything: Option<Claim<'r, 'a>>,
    index: Option<BTreeMap<&'a str, Claim<'r, 'a>>>,
}

/// A filter of one side that is a prefix of a filter of the other, as (earlier, later).
fn prefix_pair<'a>(earlier: &[&'a str], later: &[&'a str]) -> Option<(&'a str, &'a str)> {
    later.iter().find_map(|&y| {
        earlier
            .iter()
            .find(|&&x| y.starts_with(x) || x.starts_with(y))
            .map(|&x| (x, y))
    })
}

impl<'r, 'a> Sent<'r, 'a> {
    /// An earlier claim overlapping `scope`: the claim, and the two
    /// overlapping filters as (earlier, later), or `None` when a rule
    /// replicates every repository (`Some(later)`: the later one does).
    fn overlap(&self, scopes: &[Option<Scope<'a>>], scope: &Scope<'a>) -> Option<(Claim<'r, 'a>, Overlap<'a>)> {
        if let Some(claim) = self.everything {
            return Some((claim, Overlap::EarlierEverything));
        }
        let prefixes = match scope {
            Scope::Everything => return self.claims.first().map(|&claim| (claim, Overlap::LaterEverything)),
            Scope::Prefixes(prefixes) => prefixes,
        };
        let Some(index) = &self.index else {
            return self.claims.iter().find_map(|&claim| match scopes[claim.0].as_ref()? {
                Scope::Prefixes(earlier) => {
                    prefix_pair(earlier, prefixes).map(|(x, y)| (claim, Overlap::Filters(x, y)))
                }
                Scope::Everything => None,
            });
        };
        prefixes.iter().find_map(|&y| {
            // An earlier filter that is a prefix of (or equal to) y…
            let shorter = y
                .char_indices()
                .map(|(i, c)| &y[..i + c.len_utf8()])
                .find_map(|p| index.get_key_value(p).map(|(&x, &claim)| (claim, x)));
            // …or one that y is a prefix of: the first name at or after y.
            let longer = || {
                index
                    .range(y..)
                    .next()
                    .filter(|(x, _)| x.starts_with(y))
                    .map(|(&x, &claim)| (claim, x))
            };
            let (claim, x) = shorter.or_else(longer)?;
            Some((claim, Overlap::Filters(x, y)))
        })
    }

    fn add(&mut self, scopes: &[Option<Scope<'a>>], claim: Claim<'r, 'a>) {
        let Some(scope) = scopes[claim.0].as_ref() else { return };
        if let Scope::Everything = scope {
            self.everything.get_or_insert(claim);
        }
        self.claims.push(claim);
        if self.index.is_none() && self.claims.len() > PAIRWISE {
            let mut index = BTreeMap::new();
            for &c in &self.claims {
                if let Some(Scope::Prefixes(ps)) = scopes[c.0].as_ref() {
                    for p in ps {
                        index.entry(*p).or_insert(c);
                    }
                }
            }
            self.index = Some(index);
        } else if let (Some(index), Scope::Prefixes(ps)) = (self.index.as_mut(), scope) {
            for p in ps {
                index.entry(*p).or_insert(claim);
            }
        }
    }
}

/// How two rules' scopes overlap.
#[derive(Clone, Copy)]
enum Overlap<'a> {
    EarlierEverything,
    LaterEverything,
    /// Filters (earlier, later), one a prefix of the other.
    Filters(&'a str, &'a str),
}

/// Where a rule writes the filter `prefix`.
fn filter_span(rule: &Rule, prefix: &str) -> Option<crate::syntax::Span> {
    rule.filters()
        .iter()
        .find(|f| f.prefix() == Some(prefix))
        .and_then(|f| f.filter.as_ref())
        .map(|s| s.span())
}

fn describe(x: &str, y: &str) -> String {
    if x == y {
        format!("both filter on `{x}`")
    } else {
        let (short, long) = if x.len() < y.len() { (x, y) } else { (y, x) };
        format!("`{x}` and `{y}` overlap: a filter is a prefix, so `{short}` also matches `{long}`")
    }
}

pub fn check(ctx: &Context, out: &mut Findings) {
    for config in &ctx.doc.configurations {
        let rules = config.rules();
        let scopes: Vec<Option<Scope>> = rules.iter().map(scope).collect();
        let mut sent: HashMap<(&str, &str), Sent> = HashMap::new();
        for (j, later) in rules.iter().enumerate() {
            let Some(later_scope) = scopes[j].as_ref() else {
                continue;
            };
            let found = later.destinations().iter().find_map(|d| {
                let pair = ctx.pair(d)?;
                let (claim, overlap) = sent.get(&pair)?.overlap(&scopes, later_scope)?;
                Some((claim, d, pair, overlap))
            });
            if let Some(((i, first), dest, pair, overlap)) = found {
                let earlier = &rules[i];
                let (n, m) = (earlier.index + 1, later.index + 1);
                let how = match overlap {
                    Overlap::EarlierEverything => format!("rule {n} replicates every repository"),
                    Overlap::LaterEverything => format!("rule {m} replicates every repository"),
                    Overlap::Filters(x, y) => describe(x, y),
                };
                let message = format!(
                    "rules {n} and {m} both replicate to {}, and their filters overlap: {how}",
                    describe_destination(pair.0, pair.1)
                );
                let help = "merge the rules, or narrow the filters so each repository is matched by one rule";
                // The overlapping filters carry the finding, as a duplicate's
                // "first defined here"; the destinations say where both send.
                let filters = match overlap {
                    Overlap::Filters(x, y) => filter_span(earlier, x).zip(filter_span(later, y)),
                    _ => None,
                };
                let d = match filters {
                    Some((x_span, y_span)) => META
                        .diagnostic(y_span, message)
                        .with_primary_label(format!("rule {m}'s filter"))
                        .with_label(x_span, format!("overlaps this (rule {n})"))
                        .with_label(dest.node.span, format!("rule {m} sends here"))
                        .with_label(first.node.span, format!("rule {n} sends here too")),
                    None => META
                        .diagnostic(dest.node.span, message)
                        .with_primary_label(format!("rule {m} sends here"))
                        .with_label(first.node.span, format!("rule {n} sends here too")),
                };
                out.push(d.with_help(help));
            }
            for d in later.destinations() {
                if let Some(pair) = ctx.pair(d) {
                    sent.entry(pair).or_default().add(&scopes, (j, d));
                }
            }
        }
    }
}
