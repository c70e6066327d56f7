//! ECR312 cross-account: a destination account differs from the source, so it needs a registry policy.

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR312",
    "cross-account",
    super::Level::INFO,
    "A destination in another account needs a registry permissions policy there.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for config in &ctx.doc.configurations {
        let Some(source) = ctx.source_registry_of(config) else {
            continue;
        };
        // A destination written again in its rule is ECR301's, and the model
        // keeps it once: what it needs is said at its first place.
        let mut seen = std::collections::HashSet::new();
        for (rule, dest) in config.destinations() {
            let Some((region, account)) = ctx.pair(dest) else {
                continue;
            };
            if account == source || !ctx.facts.registry_id_pattern.is_match(account) {
                continue;
            }
            if !seen.insert((rule.index, region, account)) {
                continue;
            }
            let Some(id) = dest.registry_id.as_ref() else { continue };
            out.push(
                META.diagnostic(id.span(),
                    format!("destination account {account} is not the source account {source}: its registry in {region} must allow this account to replicate"))
                    .with_primary_label("another account")
                    .with_help(format!(
                        "in account {account}, Region {region}, set a registry permissions policy allowing `ecr:ReplicateImage` and `ecr:CreateRepository` for principal `arn:aws:iam::{source}:root` on `arn:aws:ecr:{region}:{account}:repository/*`"
                    )),
            );
        }
    }
}
