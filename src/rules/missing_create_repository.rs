//! ECR507 missing-create-repository: the destination's registry policy
//! grants replication but not `ecr:CreateRepository`. A workspace rule, over
//! the index of [`crate::crosscheck`]; it reads each destination as ECR506
//! does ([`super::missing_replication_grant`]), from the same verdict.

use super::missing_replication_grant::{destinations, Seen};
use crate::crosscheck::{Access, Set};
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR507",
    "missing-create-repository",
    super::Level::WARNING,
    "The destination's registry policy grants replication but not repository creation.",
    resources: ReplicationAndRegistryPolicies,
    scope: Workspace,
    fix: None,
);

pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    for (i, replication, d) in destinations(set) {
        let seen = Seen::new(set, i, replication, d);
        let Some(&(pi, policy)) = seen.policies.first() else {
            continue;
        };
        let rp = &crate::facts::facts().registry_policy;
        match (seen.verdict.replicate, seen.verdict.create_repository) {
            (Access::Granted, Access::Missing) => {
                let finding = seen.finding(&META, format!(
                            "the registry policy of account {} lets {} replicate to {} but not create repositories: destination repositories must already exist",
                            d.account, seen.source_name, d.region
                        ), "repositories are not created here")
                    .with_help(format!(
                        "add `ecr:CreateRepository` to the statement that grants `ecr:ReplicateImage`, or create every replicated repository in account {} ({}) first",
                        d.account, d.region
                    ));
                out.push((
                    i,
                    seen.label(
                        finding,
                        (pi, policy.span),
                        "this policy grants no `ecr:CreateRepository`".to_string(),
                    ),
                ));
            }
            (Access::Granted, Access::Denied { grant, deny }) => {
                let action = &rp.create_repository_action;
                let finding = seen.finding(&META, format!(
                            "the registry policy of account {} lets {} replicate to {} and allows `{action}`, but a Deny removes that grant: destination repositories must already exist",
                            d.account, seen.source_name, d.region
                        ), "repositories are not created here")
                    .with_help(format!(
                        "{}; or create every replicated repository in account {} ({}) first",
                        seen.deny_help(action),
                        d.account,
                        d.region
                    ));
                out.push((i, seen.denied(finding, grant, deny, action)));
            }
            _ => {}
        }
    }
}
