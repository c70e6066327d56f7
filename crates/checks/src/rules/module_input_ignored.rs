//! ECR316 module-input-ignored: a terraform-aws-modules/ecr block sets `registry_replication_rules` but is not told to create the configuration.

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR316",
    "module-input-ignored",
    super::Level::WARNING,
    "A module's replication rules are ignored: the module is not told to create the configuration.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for input in &ctx.doc.ignored_inputs {
        let why = if input.flag.is_some() {
            "`create_registry_replication_configuration` is false"
        } else {
            "`create_registry_replication_configuration` is not set, and it defaults to false"
        };
        let mut d = META
            .diagnostic(
                input.key_span,
                format!(
                    "{} sets `registry_replication_rules`, but {why}: the module creates no replication configuration, so these rules are never applied",
                    input.module
                ),
            )
            .with_primary_label("ignored")
            .with_help("set `create_registry_replication_configuration = true` in the module block, or remove the rules");
        if let Some(flag) = input.flag {
            d = d.with_label(flag, "the module is told not to create it");
        }
        out.push(d);
    }
}
