//! ECR401 region-not-allowed: a destination Region outside the policy's `allowed-regions`, or in `denied-regions`.

use super::invalid_region::RegionClass;
use super::Context;
use crate::document::DestinationField;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR401",
    "region-not-allowed",
    super::Level::ERROR,
    "A destination Region is not allowed by the organisation policy.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    let policy = ctx.policy;
    if policy.allowed_regions.is_none() && policy.denied_regions.is_empty() {
        return;
    }
    for region in ctx.doc.destination_values(DestinationField::Region) {
        let name = region.text;
        // A slip of a Region's name is ECR202's or ECR203's, with the name
        // meant: judging the slip against the policy too would say it twice.
        if matches!(
            super::invalid_region::classify(ctx, region.field, name),
            RegionClass::Invalid { .. } | RegionClass::Unknown { nearest: Some(_), .. }
        ) {
            continue;
        }
        let message = if policy.denied_regions.iter().any(|r| r == name) {
            format!("destination Region `{name}` is denied by the policy (`denied-regions`)")
        } else if let Some(allowed) = policy.allowed_regions.as_ref().filter(|a| !a.iter().any(|r| r == name)) {
            format!(
                "destination Region `{name}` is not in the policy's `allowed-regions` ({})",
                allowed.join(", ")
            )
        } else {
            continue;
        };
        out.push(
            META.diagnostic(region.span(), message)
                .with_primary_label("not allowed")
                .with_help("replicate only to allowed Regions, or change the policy in .ecrlint.toml"),
        );
    }
}
