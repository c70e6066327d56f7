//! ECR208 region-without-ecr: a destination is a Region where Amazon ECR does not run yet.

use super::Context;
use crate::document::DestinationField;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR208",
    "region-without-ecr",
    super::Level::WARNING,
    "A destination is a Region where Amazon ECR is not available yet.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for region in ctx.doc.destination_values(DestinationField::Region) {
        let name = region.text;
        if let Some(info) = without_ecr(ctx, name) {
            out.push(
                META.diagnostic(
                    region.span(),
                    format!("Amazon ECR is not available in `{name}` ({}) yet: nothing can replicate to it", info.name),
                )
                .with_primary_label("no ECR endpoint")
                .with_help("choose a Region where ECR runs; if ECR has launched there since ecrlint's Region list was made, add the Region to `[regions] extra` in .ecrlint.toml"),
            );
        }
    }
}

/// The Region, when it is one AWS lists but ECR does not run in (yet). A
/// Region the user declared in `[regions] extra` counts as one where it runs.
pub fn without_ecr<'f>(ctx: &Context<'f>, name: &str) -> Option<&'f crate::facts::RegionInfo> {
    let (_, info) = ctx.facts.region(name)?;
    (!info.ecr && !ctx.extra_regions.iter().any(|r| r == name)).then_some(info)
}
