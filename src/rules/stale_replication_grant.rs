//! ECR508 stale-replication-grant: a registry policy lets an account
//! replicate in, and no configuration among the linted files replicates
//! from it to this registry. Produced by the check across files.

use crate::crosscheck::Member;
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR508",
    "stale-replication-grant",
    super::Level::INFO,
    "A registry policy grants replication to an account no linted configuration replicates from."
);

pub fn check(members: &[Member], out: &mut Vec<(usize, Diagnostic)>) {
    for (pi, m) in members.iter().enumerate() {
        for policy in &m.facts.policies {
            for grant in policy.grants.iter().filter(|g| g.replicate) {
                for (account, span) in &grant.accounts {
                    let used = members.iter().flat_map(|m| &m.facts.replications).any(|r| {
                        let from = r.source_account.as_deref().is_none_or(|s| s == account);
                        from && r.destinations.iter().any(|d| {
                            policy.account.as_deref().is_none_or(|a| a == d.account)
                                && policy.region.as_deref().is_none_or(|reg| reg == d.region)
                        })
                    });
                    if used {
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
