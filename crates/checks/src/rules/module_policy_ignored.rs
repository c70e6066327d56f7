//! ECR520 module-policy-ignored: a terraform-aws-modules/ecr block sets `registry_policy` but is not told to create the policy.

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR520",
    "module-policy-ignored",
    super::Level::INFO,
    "A module's registry policy is never applied: the module is not told to create it.",
    resources: [policy],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for input in &ctx.doc.ignored_policies {
        let why = if input.flag.is_some() {
            "`create_registry_policy` is false"
        } else {
            "`create_registry_policy` is not set, and it defaults to false"
        };
        let mut d = META
            .diagnostic(
                input.key_span,
                format!(
                    "{} sets `registry_policy`, but {why}: the module creates no registry policy, so this policy is never applied (and grants nothing to replication)",
                    input.module
                ),
            )
            .with_primary_label("never applied")
            .with_help("set `create_registry_policy = true` in the module block, or remove the policy if the registry policy is managed elsewhere");
        if let Some(flag) = input.flag {
            d = d.with_label(flag, "the module is told not to create it");
        }
        out.push(d);
    }
}
