//! ECR306 replicates-to-source: a destination is the source registry itself (same Region and account).

use super::{describe_destination, Context};
use crate::document::{Pseudo, Scalar, Value};
use crate::rules::findings::Findings;

rule_meta!(
    "ECR306",
    "replicates-to-source",
    super::Level::ERROR,
    "A destination is the source registry itself.",
    resources: [replication],
    scope: File,
    fix: None,
);

/// Whether a value is the source's: written as the pseudo parameter
/// (`!Ref AWS::Region`), or equal to the known source value.
fn is_source(scalar: Option<&Scalar>, pseudo: Pseudo, known: Option<&str>) -> bool {
    match scalar.map(|s| s.value()) {
        Some(Value::Pseudo(p)) => p == pseudo,
        Some(Value::Text(t)) => known == Some(t),
        _ => false,
    }
}

pub fn check(ctx: &Context, out: &mut Findings) {
    for config in &ctx.doc.configurations {
        let (source_region, source_registry) = (ctx.source_region_of(config), ctx.source_registry_of(config));
        for (_, dest) in config.destinations() {
            let region = is_source(dest.region.as_ref(), Pseudo::Region, source_region);
            let account = is_source(dest.registry_id.as_ref(), Pseudo::AccountId, source_registry);
            if !(region && account) {
                continue;
            }
            let described = ctx.written_pair(dest).map_or_else(String::new, |(r, a)| {
                describe_destination(source_region.unwrap_or(r), source_registry.unwrap_or(a))
            });
            let mut d = META
                .diagnostic(
                    dest.node.span,
                    format!(
                        "destination {described} is the source registry: ECR rejects replicating a registry to itself"
                    ),
                )
                .with_primary_label("same Region and account as the source")
                .with_help("remove this destination, or send it to another Region or account");
            if let Some(src) = config
                .source_registry
                .as_ref()
                .or(ctx.doc.source_registry.as_ref())
                .filter(|s| s.text() == source_registry)
            {
                d = d.with_label(src.span(), "the source registry");
            }
            if let Some(src) = config.source_region.as_ref().filter(|s| s.text() == source_region) {
                d = d.with_label(src.span(), "the source Region");
            }
            out.push(d);
        }
    }
}
