//! ECR701 replication-not-transitive: a configuration replicates out of a
//! registry that is itself the destination of another configuration among
//! the files (A→B, B→C). Images replicated into B are not replicated again,
//! so C never receives A's. A workspace rule, over [`crate::crosscheck`].

use crate::crosscheck::{Filters, Replication, Route, Set};
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;

rule_meta!(
    "ECR701",
    "replication-not-transitive",
    super::Level::INFO,
    "A configuration replicates out of a registry that only receives another's images by replication: they go no further.",
    resources: [replication, repository],
    scope: Workspace,
    fix: None,
);

/// A configuration's destination, with its file and configuration.
type Upstream<'s> = (usize, &'s Replication, &'s Route);

pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    // Who replicates into each registry (account, Region), from a known source.
    let mut into: HashMap<(&str, &str), Vec<Upstream>> = HashMap::new();
    for (i, m) in set.members.iter().enumerate() {
        for r in m.facts.replications.iter().filter(|r| r.source_account.is_some()) {
            for route in &r.routes {
                into.entry((&*route.account, &*route.region))
                    .or_default()
                    .push((i, r, route));
            }
        }
    }
    if into.is_empty() {
        return;
    }
    for (i, m) in set.members.iter().enumerate() {
        for r in &m.facts.replications {
            let (Some(account), Some(region)) = (r.source_account.as_deref(), r.source_region.as_deref()) else {
                continue;
            };
            let Some(upstreams) = into.get(&(account, region)) else {
                continue;
            };
            for route in &r.routes {
                let from = upstreams.iter().find(|(_, up, up_route)| {
                    let up_account = up.source_account.as_deref();
                    // A's images are already in A; and B's own configuration is not upstream of itself.
                    let back_to_source =
                        up_account == Some(&*route.account) && up.source_region.as_deref() == Some(&*route.region);
                    let itself = up_account == Some(account) && up.source_region.as_deref() == Some(region);
                    !back_to_source && !itself && overlap(&up.filters[up_route.rule], &r.filters[route.rule])
                });
                let Some(&(up_file, up, up_route)) = from else {
                    continue;
                };
                let upstream = up.source_account.as_deref().unwrap_or_default();
                let finding = META
                    .diagnostic(
                        route.span,
                        format!(
                            "account {account} in {region} replicates to account {} in {}, and receives images replicated from account {upstream}: replication is not transitive, so images replicated into {account} are not replicated again, and {} in {} never receives {upstream}'s images",
                            route.account, route.region, route.account, route.region
                        ),
                    )
                    .with_primary_label(format!("only images pushed to {account} go on to here"))
                    .with_help(format!(
                        "if {} in {} needs {upstream}'s images, add it as a destination of {upstream}'s configuration (with the same filters); replication starts with the next push, and a replication backfill (`aws ecr start-replication-backfill`) copies the images already there",
                        route.account, route.region
                    ));
                let label = format!("{upstream} replicates into {account} in {region} here");
                let finding = if up_file == i {
                    finding.with_label(up_route.span, label)
                } else {
                    finding.with_label_in(set.members[up_file].file.clone(), up_route.span, label)
                };
                out.push((i, finding));
            }
        }
    }
}

/// Whether some repository name may be taken by both rules' filters.
fn overlap(a: &Filters, b: &Filters) -> bool {
    match (a, b) {
        (Filters::Prefixes(a), Filters::Prefixes(b)) => a.iter().any(|p| {
            b.iter()
                .any(|q| p.text.starts_with(&*q.text) || q.text.starts_with(&*p.text))
        }),
        _ => true,
    }
}
