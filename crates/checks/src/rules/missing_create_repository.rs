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
    resources: [replication, policy],
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
                let finding = seen.label(
                    finding,
                    (pi, policy.span),
                    "this policy grants no `ecr:CreateRepository`".to_string(),
                );
                out.push((i, templates_never_apply(set, &seen, d, finding)));
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
                let finding = seen.denied(finding, grant, deny, action);
                out.push((i, templates_never_apply(set, &seen, d, finding)));
            }
            _ => {}
        }
    }
}

/// Most creation templates a finding labels.
const MAX_TEMPLATE_LABELS: usize = 3;

/// The destination's creation templates for REPLICATION never apply:
/// a template fires only when replication creates the repository.
fn templates_never_apply(
    set: &Set,
    seen: &Seen,
    d: &crate::crosscheck::Destination,
    finding: Diagnostic,
) -> Diagnostic {
    let templates: Vec<_> = set
        .templates_in(&d.account, &d.region)
        .filter(|(_, t)| t.for_replication == Some(true))
        .collect();
    if templates.is_empty() {
        return finding;
    }
    let mut finding = finding;
    finding.message.push_str(
        "; the registry's repository creation templates for REPLICATION never apply either: a template fires only when replication creates a repository",
    );
    for (file, t) in templates.into_iter().take(MAX_TEMPLATE_LABELS) {
        let prefix = t.prefix.as_deref().unwrap_or("?");
        finding = seen.label(
            finding,
            (file, t.span),
            format!("template `{prefix}` never applies: replication cannot create repositories here"),
        );
    }
    finding
}
