//! ECR203 unknown-region: a `region` fits a partition's naming pattern but is not a known Region.

use super::invalid_region::{classify, RegionClass};
use super::Context;
use crate::document::DestinationField;
use crate::fix::Fix;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR203",
    "unknown-region",
    super::Level::WARNING,
    "A region looks like a Region name but is not a known Region.",
    resources: [replication],
    scope: File,
    fix: Unsafe,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for region in ctx.doc.destination_values(DestinationField::Region) {
        let value = region.text;
        let field = region.field;
        if let RegionClass::Unknown {
            partition,
            nearest,
            only_close,
        } = classify(ctx, region.field, value)
        {
            let mut help = match &nearest {
                Some(n) => format!("did you mean `\"{n}\"`? "),
                None => String::new(),
            };
            let fix = nearest
                .filter(|_| only_close)
                .and_then(|n| Some((ctx.replace_scalar(region.span(), &n)?, n)))
                .map(|(edit, n)| Fix::unsafe_edit(format!("Replace `{value}` with `{n}`"), vec![edit]));
            help.push_str(
                "If this is a Region newer than ecrlint's list, add it to `[regions] extra` in .ecrlint.toml",
            );
            let d = META
                .diagnostic(
                    region.span(),
                    format!("{field} `\"{value}\"` is not a known Region of the `{partition}` partition"),
                )
                .with_primary_label("unknown Region")
                .with_help(help);
            out.push(match fix {
                Some(fix) => d.with_fix(fix),
                None => d,
            });
        }
    }
}
