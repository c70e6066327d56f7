//! ECR511 multiple-registry-policies: two files of the workspace each set
//! the registry policy of one registry (account and Region). A registry has
//! one policy: whichever is deployed last replaces the other, so the grants
//! the check across files reads from both may not all be there.

use crate::crosscheck::Set;
use crate::diagnostic::Diagnostic;
use std::collections::HashMap;

rule_meta!(
    "ECR511",
    "multiple-registry-policies",
    super::Level::WARNING,
    "Two registry policies in the workspace set the policy of one registry: the last deployed replaces the other.",
    resources: [policy],
    scope: Workspace,
    fix: None,
);

pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    // The first policy of each registry whose account and Region are both known.
    let mut first: HashMap<(&str, &str), (usize, crate::syntax::Span)> = HashMap::new();
    // Files by path, not by the run's order: a hook naming the second file
    // alone reads the first from the rest of the workspace, and reports
    // what a run over the whole workspace reports there.
    let mut by_path: Vec<usize> = (0..set.members.len()).collect();
    by_path.sort_by(|&a, &b| set.members[a].file.path.cmp(&set.members[b].file.path));
    for i in by_path {
        let m = &set.members[i];
        for policy in &m.facts.policies {
            let (Some(account), Some(region)) = (policy.account.as_deref(), policy.region.as_deref()) else {
                continue;
            };
            let Some(&(fi, fspan)) = first.get(&(account, region)) else {
                first.insert((account, region), (i, policy.span));
                continue;
            };
            let mut finding = META
                .diagnostic(
                    policy.span,
                    format!(
                        "another registry policy of account {account} in {region} is in the workspace: a registry \
                         has one policy, and deploying either replaces the other"
                    ),
                )
                .with_primary_label("a second policy for this registry");
            let other = "the first policy for this registry";
            finding = if fi == i {
                finding.with_label(fspan, other)
            } else {
                finding.with_label_in(set.members[fi].file.clone(), fspan, other)
            };
            out.push((
                i,
                finding.with_help(
                    "keep the registry's statements in one policy (one aws_ecr_registry_policy, one \
                     AWS::ECR::RegistryPolicy, one put-registry-policy file); if one file is a copy of what is \
                     deployed, exclude it from the lint (`extend-exclude` in .ecrlint.toml)",
                ),
            ));
        }
    }
}
