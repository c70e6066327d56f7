//! ECR702 over-matching-filter: a filter is a raw prefix, and among the
//! repositories the files define it takes names outside the namespace the
//! others show it was meant for (`prod` takes `production-api` beside
//! `prod/api`). A workspace rule, over [`crate::crosscheck`].

use crate::crosscheck::{Filters, Set};
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR702",
    "over-matching-filter",
    super::Level::INFO,
    "A filter meant for a namespace (`prod/…`) also takes other repositories the files define (`production-api`).",
    resources: [replication, repository],
    scope: Workspace,
    fix: None,
);

/// Names listed in a message, at most.
const SHOWN: usize = 5;

pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    // A filter wider than a creation template of the same prefix is
    // ECR706's finding, which names the same repositories.
    let wider: std::collections::HashSet<(usize, crate::syntax::Span)> = set
        .sent()
        .iter()
        .filter(|s| s.wider_than().is_some())
        .filter_map(|s| Some((s.file, s.prefix?.span)))
        .collect();
    for (i, m) in set.members.iter().enumerate() {
        for r in &m.facts.replications {
            // The repositories that can replicate: those of the source
            // registry; with its account or Region not known, none.
            let (Some(source), Some(region)) = (r.source_account.as_deref(), r.source_region.as_deref()) else {
                continue;
            };
            let mut names: Vec<&str> = set
                .repositories_in(source, Some(region))
                .map(|(_, repo)| repo.name.as_str())
                .collect();
            if names.is_empty() {
                continue;
            }
            names.sort_unstable();
            names.dedup();
            for filters in &r.filters {
                let Filters::Prefixes(prefixes) = filters else {
                    continue;
                };
                for p in prefixes
                    .iter()
                    .filter(|p| !p.text.ends_with('/') && !wider.contains(&(i, p.span)))
                {
                    let namespace = format!("{}/", p.text);
                    let inside: Vec<&str> = names.iter().copied().filter(|n| n.starts_with(&namespace)).collect();
                    let beside: Vec<&str> = names
                        .iter()
                        .copied()
                        .filter(|n| n.starts_with(&*p.text) && !n.starts_with(&namespace) && **n != *p.text)
                        .collect();
                    if inside.is_empty() || beside.is_empty() {
                        continue;
                    }
                    let itself = names.contains(&&*p.text);
                    out.push((
                        i,
                        META.diagnostic(
                            p.span,
                            format!(
                                "filter `{}` is a raw prefix: besides the {namespace} repositories ({}) it also replicates {} (repositories the linted files define in account {source})",
                                p.text,
                                shown(&inside),
                                shown(&beside)
                            ),
                        )
                        .with_primary_label(format!("also takes {}", shown(&beside)))
                        .with_help(if itself {
                            format!(
                                "if only the {namespace} namespace should replicate, write `{namespace}` (the repository `{}` itself then no longer replicates)",
                                p.text
                            )
                        } else {
                            format!("if only the {namespace} namespace should replicate, write `{namespace}`")
                        }),
                    ));
                }
            }
        }
    }
}

/// Names for a message: the first few, and how many more.
fn shown(names: &[&str]) -> String {
    let mut text = names
        .iter()
        .take(SHOWN)
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}
