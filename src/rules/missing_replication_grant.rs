//! ECR506 missing-replication-grant: a cross-account destination's registry
//! policy (among the linted files) does not let the source account
//! replicate there. Produced by the check across files ([`crate::crosscheck`]).

use crate::crosscheck::{statement_to_add, Destination, Replication, Set};
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR506",
    "missing-replication-grant",
    super::Level::ERROR,
    "The destination account's registry policy does not let the source account replicate."
);

/// Checks one destination of the configuration in file `i`; ECR507 too,
/// when replication is granted but repository creation is not.
pub fn check_destination(
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
    let label = |d: Diagnostic, text: String| {
        if pi == i {
            d.with_label(policy.span, text)
        } else {
            d.with_label_in(members[pi].file.clone(), policy.span, text)
        }
    };
    let verdict = set.verdict(source, &d.account, &d.region);
    if !verdict.replicate {
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
        out.push((i, label(d, text.to_string())));
    } else if !verdict.create_repository {
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
        out.push((i, label(d, "this policy grants no `ecr:CreateRepository`".to_string())));
    }
}
