//! ECR506 missing-replication-grant: a cross-account destination's registry
//! policy (among the linted files) does not let the source account
//! replicate there. A workspace rule, over the index of [`crate::crosscheck`].

use crate::crosscheck::{statement_to_add, Access, Destination, Replication, Set};
use crate::diagnostic::Diagnostic;
use crate::syntax::Span;

rule_meta!(
    "ECR506",
    "missing-replication-grant",
    super::Level::ERROR,
    "The destination account's registry policy does not let the source account replicate.",
    resources: ReplicationAndRegistryPolicies,
    scope: Workspace,
    fix: None,
);

/// Checks every cross-account destination of every file against the
/// registry policy of its account.
pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    for (i, m) in set.members.iter().enumerate() {
        for replication in &m.facts.replications {
            for d in &replication.destinations {
                check_destination(set, i, replication, d, out);
            }
        }
    }
}

/// Checks one destination of the configuration in file `i`; ECR507 too,
/// when replication is granted but repository creation is not.
fn check_destination(
    set: &Set,
    i: usize,
    replication: &Replication,
    d: &Destination,
    out: &mut Vec<(usize, Diagnostic)>,
) {
    let source = replication.source_account.as_deref();
    let source_name = source.map_or("the source account".to_string(), |s| format!("source account {s}"));
    let members = set.members;
    let policies = set.policies_for(&d.account, &d.region);
    // Written only for a finding (the statement is long, and most
    // destinations have none).
    let help = || {
        format!(
            "add this statement to the registry policy of account {} in {}: {}",
            d.account,
            d.region,
            statement_to_add(source, &d.region, &d.account)
        )
    };
    let Some(&(pi, policy)) = policies.first() else {
        if members[i].facts.require_policies {
            out.push((
                i,
                META.diagnostic(
                    d.span,
                    format!(
                        "no registry policy of account {} for {} is among the linted files: without one that lets {source_name} replicate, nothing arrives (DESTINATION_REGISTRY_ACCESS_DENIED)",
                        d.account, d.region
                    ),
                )
                .at_pointer(d.pointer.clone())
                .with_primary_label("no registry policy for this account")
                .with_help(format!(
                    "{}; lint its file with this one ([destination] in the .ecrlint.toml beside it names its account when its ARNs do not), or set `require-registry-policies = false`",
                    help()
                )),
            ));
        }
        return;
    };
    let label = |d: Diagnostic, (file, span): (usize, Span), text: String| {
        if file == i {
            d.with_label(span, text)
        } else {
            d.with_label_in(members[file].file.clone(), span, text)
        }
    };
    // The policy that grants, and the Deny that removes the grant.
    let denied = |finding: Diagnostic, grant, deny, action: &str| {
        let finding = label(
            finding,
            grant,
            format!("this policy allows `{action}` to {source_name}"),
        );
        label(
            finding,
            deny,
            format!(
                "this Deny has no Condition and covers `{action}` by {source_name} in {}: a Deny wins over every Allow",
                d.region
            ),
        )
    };
    let deny_help = |action: &str| {
        format!(
            "narrow the Deny so that it leaves out `{action}` by {source_name} in {} (its `Action`/`NotAction`, `Principal`/`NotPrincipal`, `Resource`/`NotResource`, or a `Condition`), or remove it",
            d.region
        )
    };
    let rp = &crate::facts::facts().registry_policy;
    let verdict = set.verdict(source, &d.account, &d.region);
    match (verdict.replicate, verdict.create_repository) {
        (Access::Missing, _) => {
            let d = META
                .diagnostic(
                    d.span,
                    format!(
                        "the registry policy of account {} does not let {source_name} replicate to {}: ECR accepts the configuration, and nothing arrives (DESTINATION_REGISTRY_ACCESS_DENIED)",
                        d.account, d.region
                    ),
                )
                .at_pointer(d.pointer.clone())
                .with_primary_label("replication to this account is not granted")
                .with_help(help());
            let text = if verdict.malformed {
                "this policy grants `ecr:ReplicateImage` only on a malformed ARN (ECR502), which grants nothing"
            } else {
                "this policy should grant `ecr:ReplicateImage`"
            };
            out.push((i, label(d, (pi, policy.span), text.to_string())));
        }
        (Access::Denied { grant, deny }, _) => {
            let action = &rp.replication_action;
            let d = META
                .diagnostic(
                    d.span,
                    format!(
                        "the registry policy of account {} allows `{action}` to {source_name}, but a Deny removes that grant in {}: ECR accepts the configuration, and nothing arrives (DESTINATION_REGISTRY_ACCESS_DENIED)",
                        d.account, d.region
                    ),
                )
                .at_pointer(d.pointer.clone())
                .with_primary_label("replication to this account is denied")
                .with_help(deny_help(action));
            out.push((i, denied(d, grant, deny, action)));
        }
        (Access::Granted, Access::Missing) => {
            let d = super::missing_create_repository::META
                .diagnostic(
                    d.span,
                    format!(
                        "the registry policy of account {} lets {source_name} replicate to {} but not create repositories: destination repositories must already exist",
                        d.account, d.region
                    ),
                )
                .at_pointer(d.pointer.clone())
                .with_primary_label("repositories are not created here")
                .with_help(format!(
                    "add `ecr:CreateRepository` to the statement that grants `ecr:ReplicateImage`, or create every replicated repository in account {} ({}) first",
                    d.account, d.region
                ));
            out.push((
                i,
                label(
                    d,
                    (pi, policy.span),
                    "this policy grants no `ecr:CreateRepository`".to_string(),
                ),
            ));
        }
        (Access::Granted, Access::Denied { grant, deny }) => {
            let action = &rp.create_repository_action;
            let d = super::missing_create_repository::META
                .diagnostic(
                    d.span,
                    format!(
                        "the registry policy of account {} lets {source_name} replicate to {} and allows `{action}`, but a Deny removes that grant: destination repositories must already exist",
                        d.account, d.region
                    ),
                )
                .at_pointer(d.pointer.clone())
                .with_primary_label("repositories are not created here")
                .with_help(format!(
                    "{}; or create every replicated repository in account {} ({}) first",
                    deny_help(action),
                    d.account,
                    d.region
                ));
            out.push((i, denied(d, grant, deny, action)));
        }
        (Access::Granted, Access::Granted) => {}
    }
}
