//! ECR203 unknown-region: a `region` fits a partition's naming pattern but is not a known Region.

use super::invalid_region::{classify, RegionClass};
use super::Context;
use crate::diagnostic::Diagnostic;
use crate::document::Scalar;

rule_meta!(
    "ECR203",
    "unknown-region",
    super::Level::WARNING,
    "A region looks like a Region name but is not a known Region."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in &ctx.doc.configurations {
        for region in config
            .candidate_destinations()
            .flat_map(|d| d.region.iter().flat_map(Scalar::candidates))
        {
            let Some(value) = region.text() else { continue };
            let field = config.dialect.keys().region;
            if let RegionClass::Unknown { partition, nearest } = classify(ctx, config.dialect.keys().region, value) {
                let mut help = match nearest {
                    Some(n) => format!("did you mean `\"{n}\"`? "),
                    None => String::new(),
                };
                help.push_str(
                    "If this is a Region newer than ecrlint's list, add it to `[regions] extra` in .ecrlint.toml",
                );
                out.push(
                    META.diagnostic(
                        region.span(),
                        format!("{field} `\"{value}\"` is not a known Region of the `{partition}` partition"),
                    )
                    .with_primary_label("unknown Region")
                    .with_help(help),
                );
            }
        }
    }
}
