//! ECR307 cross-partition: destinations in another partition than the source, or in several partitions.

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR307",
    "cross-partition",
    super::Level::ERROR,
    "Destinations span more than one AWS partition.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    let facts = ctx.facts;
    for config in &ctx.doc.configurations {
        let source_region = ctx.source_region_of(config);
        let source_partition = source_region.and_then(|r| facts.partition_of(r));
        // The reference partition: the source's, else the first destination's.
        let mut reference: Option<(&str, Option<&crate::document::Destination>)> =
            source_partition.map(|p| (p.id.as_str(), None));
        for (_, dest) in config.destinations() {
            let Some(region) = dest.region.as_ref() else { continue };
            let Some(name) = region.text() else { continue };
            let Some(partition) = facts.partition_of(name) else {
                continue;
            };
            match reference {
                None => reference = Some((partition.id.as_str(), Some(dest))),
                Some((expected, _)) if expected == partition.id => {}
                Some((expected, first)) => {
                    let message = match first {
                        None => format!(
                            "region `{name}` is in the `{}` partition, but the source Region `{}` is in `{expected}`: replication never crosses partitions",
                            partition.id,
                            source_region.unwrap_or_default()
                        ),
                        Some(_) => format!(
                            "region `{name}` is in the `{}` partition, but other destinations are in `{expected}`: replication never crosses partitions, so both cannot work",
                            partition.id
                        ),
                    };
                    let mut d = META
                        .diagnostic(region.span(), message)
                        .with_primary_label(format!("partition `{}`", partition.id))
                        .with_help("configure replication separately in each partition, from a source Region in that partition");
                    if let Some(first_region) = first.and_then(|f| f.region.as_ref()) {
                        d = d.with_label(first_region.span(), format!("partition `{expected}`"));
                    }
                    out.push(d);
                }
            }
        }
    }
}
