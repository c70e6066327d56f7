//! ECR202 invalid-region: a destination `region` is not a Region name at all.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::document::DestinationField;
use crate::text::edit_distance;

rule_meta!(
    "ECR202",
    "invalid-region",
    super::Level::ERROR,
    "A destination region is not a Region name."
);

/// What a region value is, shared with ECR203.
pub enum RegionClass {
    Known,
    /// Fits a partition's naming pattern but is not a Region we know.
    Unknown {
        partition: String,
        nearest: Option<String>,
    },
    Invalid {
        message: String,
        help: String,
    },
}

pub fn classify(ctx: &Context, field: &str, value: &str) -> RegionClass {
    let facts = ctx.facts;
    if facts.region(value).is_some() || ctx.extra_regions.iter().any(|r| r == value) {
        return RegionClass::Known;
    }
    let nearest = nearest_region(ctx, &value.trim().to_ascii_lowercase());
    let did_you_mean = |n: &Option<String>| match n {
        Some(n) => format!("did you mean `\"{n}\"`?"),
        None => "Region names look like `\"us-west-2\"`".to_string(),
    };
    if facts.region_pattern.is_match(value) {
        if let Some(p) = facts.partition_of(value) {
            return RegionClass::Unknown {
                partition: p.id.clone(),
                nearest,
            };
        }
    }
    let trimmed = value.trim();
    let lower = trimmed.to_ascii_lowercase();
    let (message, help) = if trimmed.is_empty() {
        (
            format!("{field} `{value:?}` is empty"),
            "set the destination Region, such as `\"us-west-2\"`".to_string(),
        )
    } else if trimmed != value {
        (
            format!("{field} `{value:?}` has spaces around it"),
            format!("remove the spaces: `\"{trimmed}\"`"),
        )
    } else if lower != value && (facts.region(&lower).is_some() || facts.partition_of(&lower).is_some()) {
        (
            format!("{field} `\"{value}\"` is not a Region name: Region names are lower case"),
            format!("use `\"{lower}\"`"),
        )
    } else if let Some(region) = availability_zone_region(ctx, &lower) {
        (
            format!("{field} `\"{value}\"` is an Availability Zone, not a Region"),
            format!("use the Region `\"{region}\"`"),
        )
    } else {
        (
            format!("{field} `\"{value}\"` is not an AWS Region name"),
            did_you_mean(&nearest),
        )
    };
    RegionClass::Invalid { message, help }
}

fn availability_zone_region(ctx: &Context, value: &str) -> Option<String> {
    let region = value.strip_suffix(|c: char| c.is_ascii_lowercase())?;
    ctx.facts.region(region).map(|_| region.to_string())
}

fn nearest_region(ctx: &Context, value: &str) -> Option<String> {
    ctx.facts
        .known_regions()
        .chain(ctx.extra_regions.iter().map(String::as_str))
        .map(|r| (edit_distance(value, r), r))
        .filter(|(d, _)| *d <= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, r)| r.to_string())
}

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for region in ctx.doc.destination_values(DestinationField::Region) {
        let value = region.text;
        if let RegionClass::Invalid { message, help } = classify(ctx, region.field, value) {
            out.push(
                META.diagnostic(region.span(), message)
                    .with_primary_label("not a Region")
                    .with_help(help),
            );
        }
    }
}
