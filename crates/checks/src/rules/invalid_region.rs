//! ECR202 invalid-region: a destination `region` is not a Region name at all.

use super::Context;
use crate::document::DestinationField;
use crate::fix::{Applicability, Fix};
use crate::rules::findings::Findings;
use crate::text::edit_distance_within;

rule_meta!(
    "ECR202",
    "invalid-region",
    super::Level::ERROR,
    "A destination region is not a Region name.",
    resources: [replication],
    scope: File,
    fix: Sometimes,
);

/// What a region value is, shared with ECR203.
pub enum RegionClass {
    Known,
    /// Fits a partition's naming pattern but is not a Region we know.
    Unknown {
        partition: String,
        nearest: Option<String>,
        /// `nearest` is one edit away, and no other known Region is.
        only_close: bool,
    },
    Invalid {
        message: String,
        help: String,
        /// The value the help names, when it is a known Region, and whether
        /// it is surely what was meant (blanks or case) or a guess.
        fix: Option<(String, Applicability)>,
    },
}

pub fn classify(ctx: &Context, field: &str, value: &str) -> RegionClass {
    let facts = ctx.facts;
    let known = |v: &str| facts.region(v).is_some() || ctx.extra_regions.iter().any(|r| r == v);
    if known(value) {
        return RegionClass::Known;
    }
    let (nearest, only_close) = nearest_region(ctx, &value.trim().to_ascii_lowercase());
    let did_you_mean = |n: &Option<String>| match n {
        Some(n) => format!("did you mean `\"{n}\"`?"),
        None => "Region names look like `\"us-west-2\"`".to_string(),
    };
    if facts.region_pattern.is_match(value) {
        if let Some(p) = facts.partition_of(value) {
            return RegionClass::Unknown {
                partition: p.id.clone(),
                nearest,
                only_close,
            };
        }
    }
    let trimmed = value.trim();
    let lower = trimmed.to_ascii_lowercase();
    let mut fix = None;
    let (message, help) = if trimmed.is_empty() {
        (
            format!("{field} `{value:?}` is empty"),
            "set the destination Region, such as `\"us-west-2\"`".to_string(),
        )
    } else if trimmed != value {
        // Blanks and upper case at once: the help names the whole cure.
        let fixed = if known(&lower) {
            lower.clone()
        } else {
            trimmed.to_string()
        };
        let help = format!("remove the spaces: `\"{fixed}\"`");
        fix = known(&fixed).then_some((fixed, Applicability::Safe));
        (format!("{field} `{value:?}` has spaces around it"), help)
    } else if lower != value && (facts.region(&lower).is_some() || facts.partition_of(&lower).is_some()) {
        let help = format!("use `\"{lower}\"`");
        fix = known(&lower).then_some((lower, Applicability::Safe));
        (
            format!("{field} `\"{value}\"` is not a Region name: Region names are lower case"),
            help,
        )
    } else if let Some(region) = availability_zone_region(ctx, &lower) {
        let help = format!("use the Region `\"{region}\"`");
        fix = Some((region, Applicability::Unsafe));
        (
            format!("{field} `\"{value}\"` is an Availability Zone, not a Region"),
            help,
        )
    } else {
        (
            format!("{field} `\"{value}\"` is not an AWS Region name"),
            did_you_mean(&nearest),
        )
    };
    RegionClass::Invalid { message, help, fix }
}

fn availability_zone_region(ctx: &Context, value: &str) -> Option<String> {
    let region = value.strip_suffix(|c: char| c.is_ascii_lowercase())?;
    ctx.facts.region(region).map(|_| region.to_string())
}

/// The nearest known Region within three edits, and whether it is the
/// only one within one edit.
fn nearest_region(ctx: &Context, value: &str) -> (Option<String>, bool) {
    let close: Vec<(usize, &str)> = ctx
        .facts
        .known_regions()
        .chain(ctx.extra_regions.iter().map(String::as_str))
        .filter_map(|r| Some((edit_distance_within(value, r, 3)?, r)))
        .collect();
    let best = close.iter().min_by_key(|(d, _)| *d);
    let only_close = best.is_some_and(|(d, _)| *d == 1) && close.iter().filter(|(d, _)| *d <= 1).count() == 1;
    (best.map(|(_, r)| r.to_string()), only_close)
}

pub fn check(ctx: &Context, out: &mut Findings) {
    for region in ctx.doc.destination_values(DestinationField::Region) {
        let value = region.text;
        if let RegionClass::Invalid { message, help, fix } = classify(ctx, region.field, value) {
            let mut d = META
                .diagnostic(region.span(), message)
                .with_primary_label("not a Region")
                .with_help(help);
            if let Some((fixed, applicability)) = fix {
                if let Some(edit) = ctx.replace_scalar(region.span(), &fixed) {
                    let title = format!("Replace `{}` with `{fixed}`", value.trim());
                    d = d.with_fix(Fix::new(title, applicability, vec![edit]));
                }
            }
            out.push(d);
        }
    }
}
