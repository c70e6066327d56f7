//! ECR311 opt-in-region: a destination is an opt-in Region that both accounts must enable.

use super::Context;
use crate::document::DestinationField;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR311",
    "opt-in-region",
    super::Level::INFO,
    "A destination is an opt-in Region; both accounts must enable it.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for region in ctx.doc.destination_values(DestinationField::Region) {
        let name = region.text;
        let Some((_, info)) = ctx.facts.region(name) else {
            continue;
        };
        // Enabling it would not help: ECR208 says why.
        if super::region_without_ecr::without_ecr(ctx, name).is_some() {
            continue;
        }
        if info.opt_in == Some(true) {
            out.push(
                META.diagnostic(region.span(),
                    format!("`{name}` ({}) is an opt-in Region: nothing replicates until both the source and the destination account enable it", info.name))
                    .with_primary_label("opt-in Region")
                    .with_help("enable the Region in both accounts (Account settings → Regions), or choose a Region enabled by default"),
            );
        }
    }
}
