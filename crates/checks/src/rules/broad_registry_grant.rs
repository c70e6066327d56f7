//! ECR505 broad-registry-grant: a registry policy allows every ECR action
//! (`ecr:*`, `*`), or allows everyone (`Principal: "*"`) with no condition
//! that narrows it to an organisation or account. The message says what
//! the grant opens, by the access class of its actions (`data/ecr-actions.json`).

use super::{statements, Context};
use crate::document::policy::{read_principal, PrincipalReading, Statement};
use crate::rules::findings::Findings;
use crate::syntax::Node;

rule_meta!(
    "ECR505",
    "broad-registry-grant",
    super::Level::WARNING,
    "A registry policy grants every ECR action or every principal.",
    resources: [policy],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    let rp = &ctx.facts.registry_policy;
    for statement in statements(ctx).filter(|s| s.allows()) {
        for action in &statement.actions {
            let Some(text) = action.text() else { continue };
            // `ecr:*` (or `ecr:**`); `*` too, under V2 (under V1 ECR501 rejects it).
            let every_action = match text.split_once(':') {
                Some((service, name)) => {
                    service.eq_ignore_ascii_case(&ctx.facts.policy_words().ecr_actions.service_prefix)
                        && !name.is_empty()
                        && name.bytes().all(|b| b == b'*')
                }
                None => {
                    !text.is_empty()
                        && text.bytes().all(|b| b == b'*')
                        && ctx.registry_policy_scope == crate::settings::PolicyScope::V2
                }
            };
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
        if let Some(not_action) = statement.node.get("NotAction") {
            out.push(
                META.diagnostic(
                    not_action.key_span,
                    "`NotAction` in an `Allow` statement grants every ECR action but the ones it lists, those ECR adds later included",
                )
                .with_primary_label("every other action")
                .with_help("list the actions to grant under `Action` instead"),
            );
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
    let actions = &ctx.facts.policy_words().ecr_actions;
    // The name parts of ECR action patterns (`*` alone stands for every action).
    let names = |values: &[crate::document::Scalar]| -> Vec<String> {
        values
            .iter()
            .filter_map(|v| v.text())
            .filter_map(|text| match text.split_once(':') {
                Some((service, name)) if service.eq_ignore_ascii_case(&actions.service_prefix) => {
                    Some(name.to_string())
                }
                Some(_) => None,
                None => (text == "*").then(|| "*".to_string()),
            })
            .collect()
    };
    let (granted, excluded) = (names(&statement.actions), names(&statement.not_actions));
    let matches = |patterns: &[String], action: &str| {
        patterns
            .iter()
            .any(|p| crate::text::wildcard_match_ignore_case(p, action))
    };
    let mut classes: Vec<&str> = Vec::new();
    for (action, class) in &actions.actions {
        // `Action` grants what it names; `NotAction` everything it does not.
        let grants = if statement.not_actions.is_empty() {
            matches(&granted, action)
        } else {
            !matches(&excluded, action)
        };
        if grants && !classes.contains(&class.as_str()) {
            classes.push(class);
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

/// Whether a condition value names particular organisations or accounts:
/// no value is a wildcard that lets any of them in (`o-*`, `arn:aws:iam::*:root`).
fn names_one_party(value: &Node) -> bool {
    let values: Vec<&Node> = match value.as_array() {
        Some(items) => items.iter().collect(),
        None => vec![value],
    };
    !values.is_empty()
        && values.iter().all(|v| {
            let Some(text) = v.as_str() else { return true };
            let fixed = |part: Option<&str>| part.is_some_and(|p| !p.is_empty() && !p.contains(['*', '?']));
            if text.starts_with("arn:") {
                // `arn:aws:iam::111122223333:role/*` still names one account.
                fixed(text.split(':').nth(4))
            } else {
                // `o-a1b2c3d4e5/r-ab12/*` still names one organisation.
                fixed(text.split('/').next())
            }
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
        // A negated operator, `…IfExists` and `ForAllValues:` hold for a
        // request without the key; `Null` only asks whether it is there.
        let narrows =
            !op.contains("Not") && !op.ends_with("IfExists") && !op.starts_with("ForAllValues:") && op != "Null";
        narrows
            && operator
                .value
                .as_object()
                .unwrap_or_default()
                .iter()
                .any(|k| keys.iter().any(|n| n.eq_ignore_ascii_case(&k.key)) && names_one_party(&k.value))
    })
}
