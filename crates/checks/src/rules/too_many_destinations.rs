//! ECR305 too-many-destinations: more unique (region, registryId) pairs across all rules than the quota.

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR305",
    "too-many-destinations",
    super::Level::ERROR,
    "More unique destinations across all rules than the ECR quota allows.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    // The policy may raise the quota, should AWS raise it.
    let limit = ctx
        .policy
        .max_unique_destinations
        .unwrap_or(ctx.facts.max_unique_destinations);
    for config in &ctx.doc.configurations {
        let mut seen = std::collections::HashSet::new();
        let mut first_over = None;
        for (_, dest) in config.destinations() {
            let Some(pair) = ctx.pair(dest) else { continue };
            if seen.insert(pair) && seen.len() == limit + 1 {
                first_over = Some(dest);
            }
        }
        if let Some(dest) = first_over {
            out.push(
                META.diagnostic(
                    dest.node.span,
                    format!(
                        "this configuration has {} unique destinations; ECR allows at most {limit} across all rules",
                        seen.len()
                    ),
                )
                .with_primary_label(format!("destination {} is over the quota", limit + 1))
                .with_help("remove destinations; the quota is per registry and cannot be raised"),
            );
        }
    }
}
