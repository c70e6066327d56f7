//! What the workspace rules of ECR703 and ECR704 share: every repository
//! among the files that a configuration replicates, with what it arrives
//! as at each destination ([`crate::crosscheck::Set::arrival`]).

use crate::crosscheck::{Arrival, Replication, RepositoryFacts, Route, Set, Setting};
use crate::diagnostic::Diagnostic;
use crate::syntax::Span;

/// A source repository replicated to one destination.
pub struct Replicated<'s> {
    /// The configuration's file, and the destination in it.
    pub file: usize,
    pub replication: &'s Replication,
    pub route: &'s Route,
    /// The repository at the source, and its file.
    pub source_file: usize,
    pub source: &'s RepositoryFacts,
    pub arrival: Arrival<'s>,
}

/// Every repository of a configuration's source registry (among the files;
/// its account and Region known) that its rule's filters surely take, at
/// each destination of the rule but the source itself.
pub fn replicated<'s>(set: &'s Set<'_>) -> Vec<Replicated<'s>> {
    let mut found = Vec::new();
    for (file, m) in set.members.iter().enumerate() {
        for replication in &m.facts.replications {
            // A registry is an account in a Region: without both, no
            // repository is known to be this configuration's.
            let (Some(account), Some(region)) = (
                replication.source_account.as_deref(),
                replication.source_region.as_deref(),
            ) else {
                continue;
            };
            let sources: Vec<_> = set.repositories_in(account, Some(region)).collect();
            for route in &replication.routes {
                // Replicating to the source itself is ECR306's finding.
                if (&*route.account, &*route.region) == (account, region) {
                    continue;
                }
                // Without `ecr:CreateRepository` (ECR507), a repository that
                // is not there is never created: only pre-created ones arrive.
                let creates = set.creates_repositories(Some(account), &route.account, &route.region);
                for &(source_file, source) in &sources {
                    if replication.filters[route.rule].take(&source.name) != Some(true) {
                        continue;
                    }
                    let arrival = set.arrival(&route.account, &route.region, &source.name);
                    if !creates && !matches!(arrival, Arrival::PreCreated { .. }) {
                        continue;
                    }
                    found.push(Replicated {
                        file,
                        replication,
                        route,
                        source_file,
                        source,
                        arrival,
                    });
                }
            }
        }
    }
    found
}

impl Replicated<'_> {
    /// A finding at the destination of the configuration.
    pub fn finding(&self, meta: &'static super::RuleMeta, message: String, label: &str) -> Diagnostic {
        meta.diagnostic(self.route.span, message).with_primary_label(label)
    }

    /// A label at `span` of file `file`, which may be another than the finding's.
    pub fn label(&self, set: &Set, finding: Diagnostic, (file, span): (usize, Span), text: String) -> Diagnostic {
        if file == self.file {
            finding.with_label(span, text)
        } else {
            finding.with_label_in(set.members[file].file.clone(), span, text)
        }
    }

    /// The destination's value of `setting` and where it comes from, for a
    /// label: (value, file, span, what it is: `the destination repository`,
    /// `creation template prod`, whether it is written there); `None` for a
    /// repository created with the defaults or not known.
    pub fn destination_setting(&self, setting: Setting) -> Option<(&str, usize, Span, String, bool)> {
        let value = self.arrival.setting(setting)?;
        let at = self.arrival.written(setting);
        let (file, whole, what) = match self.arrival {
            Arrival::PreCreated { file, repository } => {
                (file, repository.span, "the destination repository".to_string())
            }
            Arrival::Template { file, template } => (
                file,
                template.span,
                format!("creation template `{}`", template.prefix.as_deref().unwrap_or_default()),
            ),
            Arrival::Created | Arrival::NotKnown => return None,
        };
        Some((value, file, at.unwrap_or(whole), what, at.is_some()))
    }

    /// The source registry, for a message.
    pub fn source_registry(&self) -> String {
        let account = self.replication.source_account.as_deref().unwrap_or_default();
        match self.replication.source_region.as_deref() {
            Some(region) => format!("account {account} in {region}"),
            None => format!("account {account}"),
        }
    }
}
