//! ECR703 immutable-destination: a repository whose tags can move at the
//! source replicates into a repository that is IMMUTABLE at the
//! destination (pre-created so, or created by an IMMUTABLE creation
//! template), where an image whose tag exists arrives without it: a moving
//! tag such as `latest` stops updating there. A workspace rule.

use super::arrivals::replicated;
use crate::crosscheck::{Arrival, Set, Setting};
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR703",
    "immutable-destination",
    super::Level::WARNING,
    "A repository whose tags move replicates into one that is IMMUTABLE at the destination: moved tags stop updating there.",
    resources: [replication, repository],
    scope: Workspace,
    fix: None,
);

pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    let tags = &crate::facts::repository_settings().tag_mutability;
    for r in replicated(set) {
        let Some((at_destination, file, destination_span, what, _)) = r.destination_setting(Setting::TagMutability)
        else {
            continue;
        };
        let at_source = r.source.tag_mutability();
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
                "make the {} {} with {} for the tags that move (`latest`), or stop moving tags at the source (make it {} too)",
                if matches!(r.arrival, Arrival::Template { .. }) { "creation template" } else { "destination repository" },
                tags.with_exclusions,
                tags.exclusion_filters,
                tags.every_tag_immutable
            ));
        let source_text = match &r.source.tag_mutability {
            Some(_) => format!("{at_source} at the source: its tags can move"),
            None => format!("{at_source} at the source (not written: the default), its tags can move"),
        };
        let source_span = r.source.tag_mutability.as_ref().map_or(r.source.span, |(_, s)| *s);
        let finding = r.label(set, finding, (r.source_file, source_span), source_text);
        let created = matches!(r.arrival, Arrival::Template { .. });
        let destination_text = if created {
            format!("{at_destination} in {what}, which replication creates `{name}` with: a tag that exists there is never moved")
        } else {
            format!("{at_destination} at the destination: a tag that exists here is never moved")
        };
        let finding = r.label(set, finding, (file, destination_span), destination_text);
        out.push((r.file, finding));
    }
}
