//! ECR313 replicates-deletions: `deleteReplication.enabled` is true, so the copies are no backup.

use super::Context;
use crate::document::Value;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR313",
    "replicates-deletions",
    super::Level::INFO,
    "Deletions are replicated too, so the copies are not a backup.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for config in &ctx.doc.configurations {
        for rule in config.rules() {
            let Some(enabled) = rule.delete_replication.as_ref() else {
                continue;
            };
            if enabled.value() == Value::Bool(true) {
                out.push(
                    META.diagnostic(enabled.span(),
                        format!("rule {} replicates deletions: deleting an image or tag in the source also deletes the copies", rule.index + 1))
                        .with_primary_label("deletions are replicated")
                        .with_help("if the destinations are meant as a backup or for disaster recovery, set `enabled` to false or remove `deleteReplication`"),
                );
            }
        }
    }
}
