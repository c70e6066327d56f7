//! ECR505 broad-registry-grant: a registry policy allows `ecr:*`, or allows
//! everyone (`Principal: "*"`), more than replication needs.

use super::{statements, Context};
use crate::diagnostic::Diagnostic;
use crate::document::policy::{read_principal, PrincipalReading};

rule_meta!(
    "ECR505",
    "broad-registry-grant",
    super::Level::WARNING,
    "A registry policy grants every ECR action or every principal."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let rp = &ctx.facts.registry_policy;
    for statement in statements(ctx).filter(|s| s.allows()) {
        for action in &statement.actions {
            let Some(text) = action.text() else { continue };
            if text.eq_ignore_ascii_case(&rp.all_actions) {
                out.push(
                    META.diagnostic(
                        action.span(),
                        format!("`{text}` grants every action a registry policy can hold, more than replication needs"),
                    )
                    .with_primary_label("every registry action")
                    .with_help(format!(
                        "grant `{}` (and `{}` if replication may create repositories) instead",
                        rp.replication_action, rp.create_repository_action
                    )),
                );
            }
        }
        // `*` limited by a condition (`aws:PrincipalOrgID`) is a deliberate pattern.
        if statement.node.get("Condition").is_some() {
            continue;
        }
        for (_, principal) in statement.principals() {
            let Some(text) = principal.text() else { continue };
            if read_principal(text) == PrincipalReading::Everyone {
                out.push(
                    META.diagnostic(
                        principal.span(),
                        "principal `*` lets every AWS account use this grant: any account could replicate into this registry",
                    )
                    .with_primary_label("everyone")
                    .with_help("name the source account: `{\"AWS\": \"arn:aws:iam::<source-account>:root\"}` (or limit `*` with a `Condition`)"),
                );
            }
        }
    }
}
