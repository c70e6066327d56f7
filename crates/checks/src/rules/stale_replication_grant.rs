//! ECR508 stale-replication-grant: a registry policy lets an account
//! replicate in, and no configuration among the linted files replicates
//! from it to this registry. Produced by the check across files.

use crate::crosscheck::Set;
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR508",
    "stale-replication-grant",
    super::Level::INFO,
    "A registry policy grants replication to an account no linted configuration replicates from.",
    resources: [replication, policy],
    scope: Workspace,
    fix: None,
);

pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    // Without a configuration among the files, no grant can be told stale.
    if set.members.iter().all(|m| m.facts.replications.is_empty()) {
        return;
    }
    for (pi, m) in set.members.iter().enumerate() {
        for policy in &m.facts.policies {
            for grant in policy.grants.iter().filter(|g| g.replicate) {
                for (account, span) in &grant.accounts {
                    if set.replicates(account, policy.account.as_deref(), policy.region.as_deref()) {
                        continue;
                    }
                    let registry = match (&policy.account, &policy.region) {
                        (Some(a), Some(r)) => format!("account {a} in {r}"),
                        (Some(a), None) => format!("account {a}"),
                        _ => "this registry".to_string(),
                    };
                    out.push((
                        pi,
                        META.diagnostic(
                            *span,
                            format!(
                                "account {account} may replicate into {registry}, but no replication configuration among the linted files replicates from it to there"
                            ),
                        )
                        .at_pointer(grant.pointer.clone())
                        .with_primary_label("no configuration uses this grant")
                        .with_help(format!(
                            "remove the grant if replication from {account} has ended; if not, lint that account's configuration with this policy (its source account from --source-registry-id, [source] or describe-registry output)"
                        )),
                    ));
                }
            }
        }
    }
}
