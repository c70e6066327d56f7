//! ECR703 immutable-destination: a repository whose tags can move at the
//! source replicates into a repository pre-created IMMUTABLE at the
//! destination, where an image whose tag exists arrives without it: a
//! moving tag such as `latest` stops updating there. A workspace rule.

use super::arrivals::replicated;
use crate::crosscheck::{Arrival, Set};
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR703",
    "immutable-destination",
    super::Level::WARNING,
    "A repository whose tags move replicates into one that is IMMUTABLE at the destination: moved tags stop updating there.",
    resources: ReplicationAndRepositories,
    scope: Workspace,
    fix: None,
);

pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    let tags = &crate::facts::repository_settings().tag_mutability;
    for r in replicated(set) {
        let Arrival::PreCreated { file, repository } = r.arrival else {
            continue;
        };
        let (at_source, at_destination) = (r.source.tag_mutability(), r.arrival.tag_mutability());
        if at_source == tags.every_tag_immutable || at_destination != tags.every_tag_immutable {
            continue;
        }
        let name = &r.source.name;
        let finding = r
            .finding(
                &META,
                format!(
                    "repository `{name}` is {at_source} in {} and {at_destination} at account {} in {}: an image replicated with a tag that already exists there arrives without that tag, so a tag moved at the source (such as `latest`) silently stops updating at the destination",
                    r.source_registry(),
                    r.route.account,
                    r.route.region
                ),
                &format!("`{name}` replicates to an {at_destination} repository here"),
            )
            .with_help(format!(
                "make the destination repository {} with {} for the tags that move (`latest`), or stop moving tags at the source (make it {} too)",
                tags.with_exclusions, tags.exclusion_filters, tags.every_tag_immutable
            ));
        let source_text = match &r.source.tag_mutability {
            Some(_) => format!("{at_source} at the source: its tags can move"),
            None => format!("{at_source} at the source (not written: the default), its tags can move"),
        };
        let source_span = r.source.tag_mutability.as_ref().map_or(r.source.span, |(_, s)| *s);
        let finding = r.label(set, finding, (r.source_file, source_span), source_text);
        let destination_span = repository.tag_mutability.as_ref().map_or(repository.span, |(_, s)| *s);
        let finding = r.label(
            set,
            finding,
            (file, destination_span),
            format!("{at_destination} at the destination: a tag that exists here is never moved"),
        );
        out.push((r.file, finding));
    }
}
