//! ECR506 missing-replication-grant: a cross-account destination's registry
//! policy (among the linted files) does not let the source account
//! replicate there. A workspace rule, over the index of [`crate::crosscheck`].

use crate::crosscheck::{statement_to_add, Access, Destination, RegistryPolicy, Replication, Set, Verdict};
use crate::diagnostic::Diagnostic;
use crate::syntax::Span;

rule_meta!(
    "ECR506",
    "missing-replication-grant",
    super::Level::ERROR,
    "The destination account's registry policy does not let the source account replicate.",
    resources: [replication, policy],
    scope: Workspace,
    fix: None,
);

/// Checks every cross-account destination of every file against the
/// registry policy of its account.
pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    for (i, replication, d) in destinations(set) {
        let seen = Seen::new(set, i, replication, d);
        let Some(&(pi, policy)) = seen.policies.first() else {
            if set.members[i].facts.require_policies {
                out.push((i, no_policy(&seen)));
            }
            continue;
        };
        let rp = &crate::facts::facts().registry_policy;
        match seen.verdict.replicate {
            Access::Missing => {
                let finding = seen.finding(&META, format!(
                            "the registry policy of account {} does not let {} replicate to {}: ECR accepts the configuration, and nothing arrives (DESTINATION_REGISTRY_ACCESS_DENIED)",
                            d.account, seen.source_name, d.region
                        ), "replication to this account is not granted")
                    .with_help(seen.statement_help());
                let text = if seen.verdict.malformed {
                    "this policy grants `ecr:ReplicateImage` only on a malformed ARN (ECR502), which grants nothing"
                } else {
                    "this policy should grant `ecr:ReplicateImage`"
                };
                out.push((i, seen.label(finding, (pi, policy.span), text.to_string())));
            }
            Access::Denied { grant, deny } => {
                let action = &rp.replication_action;
                let finding = seen.finding(&META, format!(
                            "the registry policy of account {} allows `{action}` to {}, but a Deny removes that grant in {}: ECR accepts the configuration, and nothing arrives (DESTINATION_REGISTRY_ACCESS_DENIED)",
                            d.account, seen.source_name, d.region
                        ), "replication to this account is denied")
                    .with_help(seen.deny_help(action));
                out.push((i, seen.denied(finding, grant, deny, action)));
            }
            Access::Granted => {}
        }
    }
}

/// The finding for a destination whose account has no registry policy among the files.
fn no_policy(seen: &Seen) -> Diagnostic {
    let d = seen.destination;
    seen.finding(&META, format!(
            "no registry policy of account {} for {} is among the linted files: without one that lets {} replicate, nothing arrives (DESTINATION_REGISTRY_ACCESS_DENIED)",
            d.account, d.region, seen.source_name
        ), "no registry policy for this account")
    .with_help(format!(
        "{}; lint its file with this one ([destination] in the .ecrlint.toml beside it names its account when its ARNs do not), or set `require-registry-policies = false`",
        seen.statement_help()
    ))
}

/// Every cross-account destination of every file, with its file's index.
pub(super) fn destinations<'s>(set: &'s Set) -> impl Iterator<Item = (usize, &'s Replication, &'s Destination)> {
    set.members.iter().enumerate().flat_map(|(i, m)| {
        m.facts
            .replications
            .iter()
            .flat_map(move |r| r.destinations().map(move |d| (i, r, d)))
    })
}

/// A destination as ECR506 and ECR507 read it: its policies, what they
/// grant its source, and how findings name them.
pub(super) struct Seen<'s, 'm> {
    set: &'s Set<'m>,
    file: usize,
    pub destination: &'s Destination,
    pub source: Option<&'s str>,
    pub source_name: String,
    pub policies: Vec<(usize, &'s RegistryPolicy)>,
    pub verdict: Verdict,
}

impl<'s, 'm: 's> Seen<'s, 'm> {
    /// A finding of `meta` at the destination (its span; the engine works out the pointer).
    pub fn finding(&self, meta: &'static super::RuleMeta, message: String, label: &str) -> Diagnostic {
        meta.diagnostic(self.destination.span, message)
            .with_primary_label(label)
    }

    pub fn new(set: &'s Set<'m>, file: usize, replication: &'s Replication, d: &'s Destination) -> Seen<'s, 'm> {
        let source = replication.source_account.as_deref();
        Seen {
            set,
            file,
            destination: d,
            source,
            source_name: source.map_or("the source account".to_string(), |s| format!("source account {s}")),
            policies: set.policies_for(&d.account, &d.region),
            verdict: set.verdict(source, &d.account, &d.region),
        }
    }

    /// The statement that grants what is missing (written only for a
    /// finding: it is long, and most destinations have none).
    fn statement_help(&self) -> String {
        let d = self.destination;
        format!(
            "add this statement to the registry policy of account {} in {}: {}",
            d.account,
            d.region,
            statement_to_add(self.source, &d.region, &d.account)
        )
    }

    /// A label at `span` of file `file`, which may be another than the finding's.
    pub fn label(&self, finding: Diagnostic, (file, span): (usize, Span), text: String) -> Diagnostic {
        if file == self.file {
            finding.with_label(span, text)
        } else {
            finding.with_label_in(self.set.members[file].file.clone(), span, text)
        }
    }

    /// The policy that grants, and the Deny that removes the grant.
    pub fn denied(&self, finding: Diagnostic, grant: (usize, Span), deny: (usize, Span), action: &str) -> Diagnostic {
        let finding = self.label(
            finding,
            grant,
            format!("this policy allows `{action}` to {}", self.source_name),
        );
        self.label(
            finding,
            deny,
            format!(
                "this Deny has no Condition and covers `{action}` by {} in {}: a Deny wins over every Allow",
                self.source_name, self.destination.region
            ),
        )
    }

    pub fn deny_help(&self, action: &str) -> String {
        format!(
            "narrow the Deny so that it leaves out `{action}` by {} in {} (its `Action`/`NotAction`, `Principal`/`NotPrincipal`, `Resource`/`NotResource`, or a `Condition`), or remove it",
            self.source_name, self.destination.region
        )
    }
}
