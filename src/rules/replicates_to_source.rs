//! ECR306 replicates-to-source: a destination is the source registry itself (same Region and account).

use super::{describe_destination, Context};
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR306",
    "replicates-to-source",
    super::Level::ERROR,
    "A destination is the source registry itself."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let (Some(region), Some(registry)) = (ctx.source_region, ctx.source_registry) else {
        return;
    };
    for config in &ctx.doc.configurations {
        for (_, dest) in config.destinations() {
            if dest.pair() != Some((region, registry)) {
                continue;
            }
            let mut d = META
                .diagnostic(
                    dest.node.span,
                    format!(
                        "destination {} is the source registry: ECR rejects replicating a registry to itself",
                        describe_destination(region, registry)
                    ),
                )
                .with_primary_label("same Region and account as the source")
                .with_help("remove this destination, or send it to another Region or account");
            if let Some(src) = ctx.doc.source_registry.as_ref().filter(|s| s.text() == Some(registry)) {
                d = d.with_label(src.span(), "the source registry");
            }
            out.push(d);
        }
    }
}
