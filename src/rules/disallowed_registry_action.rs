//! ECR501 disallowed-registry-action: a registry policy holds an action
//! PutRegistryPolicy does not accept (only those in `data/registry-policy.json`).

use super::{statements, Context};
use crate::diagnostic::Diagnostic;
use crate::text::{nearest, one_of};

rule_meta!(
    "ECR501",
    "disallowed-registry-action",
    super::Level::ERROR,
    "A registry policy grants an action registry policies may not hold."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let rp = &ctx.facts.registry_policy;
    let allowed: Vec<&str> = rp.allowed_actions.iter().map(String::as_str).collect();
    for statement in statements(ctx) {
        for action in &statement.actions {
            let Some(text) = action.text() else { continue };
            if rp.allows_action(text) {
                continue;
            }
            let help = match nearest(text, allowed.iter().copied().filter(|a| *a != rp.all_actions)) {
                Some(meant) => format!("did you mean `{meant}`?"),
                None if text.trim() == "*" => format!(
                    "`*` is every action of every service: grant `{}` and `{}` (or `{}` at most)",
                    rp.replication_action, rp.create_repository_action, rp.all_actions
                ),
                None => format!(
                    "a registry policy may hold only {}; grant other actions in a repository policy or an IAM policy",
                    one_of(&allowed)
                ),
            };
            out.push(
                META.diagnostic(
                    action.span(),
                    format!(
                        "action `{text}` is not allowed in a registry policy: PutRegistryPolicy rejects the whole policy (\"Invalid registry policy provided\")"
                    ),
                )
                .with_primary_label("not a registry action")
                .with_help(help),
            );
        }
    }
}
