//! ECR505 broad-registry-grant: a registry policy allows every ECR action
//! (`ecr:*`, `*`), or allows everyone (`Principal: "*"`) with no condition
//! that narrows it to an organisation or account. The message says what
//! the grant opens, by the access class of its actions (`data/ecr-actions.json`).

use super::{statements, Context};
use crate::diagnostic::Diagnostic;
use crate::document::policy::{read_principal, PrincipalReading, Statement};
use crate::syntax::Node;

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
            // Under V1, `*` is not allowed at all (ECR501 says so).
            let every_action = text.eq_ignore_ascii_case(&rp.all_actions)
                || (text == "*" && ctx.registry_policy_scope == crate::settings::PolicyScope::V2);
            if every_action {
                out.push(
                    META.diagnostic(
                        action.span(),
                        format!(
                            "`{text}` grants every ECR action: the principals can {} this registry",
                            opened(ctx, statement).unwrap_or_default()
                        ),
                    )
                    .with_primary_label("every ECR action")
                    .with_help(format!(
                        "grant the actions the feature needs: `{}` (and `{}` if replication may create repositories) \
                         for replication, `ecr:BatchGetImage` and `ecr:GetDownloadUrlForLayer` for pulls",
                        rp.replication_action, rp.create_repository_action
                    )),
                );
            }
        }
        if statement
            .node
            .get("Condition")
            .is_some_and(|c| narrows_principal(ctx, &c.value))
        {
            continue;
        }
        let Some(opens) = opened(ctx, statement) else { continue };
        for (_, principal) in statement.principals() {
            let Some(text) = principal.text() else { continue };
            if read_principal(text) == PrincipalReading::Everyone {
                out.push(
                    META.diagnostic(
                        principal.span(),
                        format!("principal `*` lets any principal of any AWS account {opens} this registry"),
                    )
                    .with_primary_label("everyone")
                    .with_help(
                        "name the accounts (`{\"AWS\": \"arn:aws:iam::<account>:root\"}`), or keep `*` with a \
                         `Condition` on `aws:PrincipalOrgID` to limit it to your organisation",
                    ),
                );
            }
        }
    }
}

/// What the statement's actions let a principal do, as verb phrases joined
/// for "… this registry" (`pull images from and push images to`), the
/// classes in the data file's order; `None` when no action is known.
fn opened(ctx: &Context, statement: &Statement) -> Option<String> {
    let actions = &ctx.facts.ecr_actions;
    let mut classes: Vec<&str> = Vec::new();
    for action in &statement.actions {
        let Some(text) = action.text() else { continue };
        let name = match text.split_once(':') {
            Some((service, name)) if service.eq_ignore_ascii_case(&actions.service_prefix) => name,
            Some(_) => continue,
            None if text == "*" => "*",
            None => continue,
        };
        for matched in actions.matching(name) {
            if let Some(class) = actions.actions.get(matched) {
                if !classes.contains(&class.as_str()) {
                    classes.push(class);
                }
            }
        }
    }
    if classes.is_empty() {
        return None;
    }
    if classes.len() == actions.classes.len() {
        return Some("do anything in".to_string());
    }
    let phrases: Vec<&str> = actions
        .classes
        .iter()
        .filter(|c| classes.contains(&c.class.as_str()))
        .map(|c| c.opens.as_str())
        .collect();
    Some(match phrases.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    })
}

/// Whether a `Condition` limits the principals to an organisation or
/// account: a narrowing key under an operator that is neither negated nor
/// `…IfExists` (which lets requests without the key through).
fn narrows_principal(ctx: &Context, condition: &Node) -> bool {
    let keys = &ctx.facts.registry_policy.narrowing_condition_keys;
    // A condition written as a function (`Fn::If`) is not known: assume it narrows.
    if condition.dynamic().is_some() {
        return true;
    }
    condition.as_object().unwrap_or_default().iter().any(|operator| {
        let op = operator.key.as_ref();
        let positive = !op.contains("Not") && !op.ends_with("IfExists");
        positive
            && operator
                .value
                .as_object()
                .unwrap_or_default()
                .iter()
                .any(|k| keys.iter().any(|n| n.eq_ignore_ascii_case(&k.key)))
    })
}
