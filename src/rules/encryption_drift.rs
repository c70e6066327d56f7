//! ECR704 encryption-drift: a repository encrypted with a KMS key at the
//! source replicates into a repository pre-created with AES-256 at the
//! destination: replication does not copy encryption settings, so the
//! replicas are not under the key. A workspace rule.

use super::arrivals::replicated;
use crate::crosscheck::{Arrival, Set};
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR704",
    "encryption-drift",
    super::Level::INFO,
    "A repository encrypted with KMS replicates into one that uses AES-256 at the destination.",
    resources: ReplicationAndRepositories,
    scope: Workspace,
    fix: None,
);

pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    let encryption = &crate::facts::repository_settings().encryption;
    let kms = |t: &str| encryption.kms.iter().any(|k| k == t);
    for r in replicated(set) {
        let Arrival::PreCreated { file, repository } = r.arrival else {
            continue;
        };
        let (at_source, at_destination) = (r.source.encryption(), r.arrival.encryption());
        if !kms(at_source) || kms(at_destination) {
            continue;
        }
        let name = &r.source.name;
        let finding = r
            .finding(
                &META,
                format!(
                    "repository `{name}` is encrypted with {at_source} in {} and with {at_destination} at account {} in {}: replication does not copy encryption settings, so the replicas are not under the source's KMS key (nor its key policy and audit trail)",
                    r.source_registry(),
                    r.route.account,
                    r.route.region
                ),
                &format!("`{name}` replicates to an {at_destination} repository here"),
            )
            .with_help(format!(
                "if the replicas must be under a KMS key, create the destination repository with {} and a key of the destination's Region (a repository's encryption cannot change after it is created); if {at_destination} is enough there, this is only for information",
                encryption.kms[0]
            ));
        let source_span = r.source.encryption.as_ref().map_or(r.source.span, |(_, s)| *s);
        let finding = r.label(
            set,
            finding,
            (r.source_file, source_span),
            format!("{at_source} at the source"),
        );
        let (destination_span, destination_text) = match &repository.encryption {
            Some((_, s)) => (*s, format!("{at_destination} at the destination")),
            None => (
                repository.span,
                format!("{at_destination} at the destination (no encryption written: the default)"),
            ),
        };
        let finding = r.label(set, finding, (file, destination_span), destination_text);
        out.push((r.file, finding));
    }
}
