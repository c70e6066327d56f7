//! ECR704 encryption-drift: a repository encrypted with a KMS key at the
//! source replicates into a repository with AES-256 at the destination
//! (pre-created so, or created by a creation template that says so or
//! says nothing): replication does not copy encryption settings, so the
//! replicas are not under the key. A workspace rule.

use super::arrivals::replicated;
use crate::crosscheck::{Arrival, Set, Setting};
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR704",
    "encryption-drift",
    super::Level::INFO,
    "A repository encrypted with KMS replicates into one that uses AES-256 at the destination.",
    resources: [replication, repository],
    scope: Workspace,
    fix: None,
);

pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    let encryption = &crate::facts::repository_settings().encryption;
    let kms = |t: &str| encryption.kms.iter().any(|k| k == t);
    for r in replicated(set) {
        let Some((at_destination, file, destination_span, what, is_written)) =
            r.destination_setting(Setting::Encryption)
        else {
            continue;
        };
        let at_source = r.source.encryption();
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
            .with_help(if matches!(r.arrival, Arrival::Template { .. }) {
                format!(
                    "if the replicas must be under a KMS key, give the creation template encryptionType {} with the full ARN of a key in the destination's Region, and a customRoleArn (ECR601); it applies to repositories created from then on",
                    encryption.kms[0]
                )
            } else {
                format!(
                    "if the replicas must be under a KMS key, create the destination repository with {} and a key of the destination's Region (a repository's encryption cannot change after it is created); if {at_destination} is enough there, this is only for information",
                    encryption.kms[0]
                )
            });
        let source_span = r.source.encryption.as_ref().map_or(r.source.span, |(_, s)| *s);
        let finding = r.label(
            set,
            finding,
            (r.source_file, source_span),
            format!("{at_source} at the source"),
        );
        let destination_text = match (is_written, matches!(r.arrival, Arrival::Template { .. })) {
            (true, false) => format!("{at_destination} at the destination"),
            (false, false) => format!("{at_destination} at the destination (no encryption written: the default)"),
            (true, true) => format!("{at_destination} in {what}, which replication creates `{name}` with"),
            (false, true) => format!(
                "{at_destination} in {what}, which replication creates `{name}` with (no encryption written: the default)"
            ),
        };
        let finding = r.label(set, finding, (file, destination_span), destination_text);
        out.push((r.file, finding));
    }
}
