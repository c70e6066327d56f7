//! ECR501 disallowed-registry-action: a registry policy holds an action
//! PutRegistryPolicy does not accept. Which actions it accepts depends on
//! the registry policy scope: under V1 only `v1_actions` of
//! `data/registry-policy.json`; under V2 (the default) every ECR action of
//! `data/ecr-actions.json`, and nothing of another service.

use super::{statements, Context};
use crate::diagnostic::Diagnostic;
use crate::document::Scalar;
use crate::fix::Fix;
use crate::rules::findings::Findings;
use crate::settings::PolicyScope;
use crate::text::{nearest, one_of};

rule_meta!(
    "ECR501",
    "disallowed-registry-action",
    super::Level::ERROR,
    "A registry policy holds an action that its registry policy scope does not allow.",
    resources: [policy],
    scope: File,
    fix: Unsafe,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for statement in statements(ctx) {
        // `NotAction` values are action names too: a misspelt one excludes nothing.
        for action in statement.actions.iter().chain(&statement.not_actions) {
            let Some(text) = action.text() else { continue };
            let finding = match ctx.registry_policy_scope {
                PolicyScope::V1 => check_v1(ctx, action, text),
                PolicyScope::V2 => check_v2(ctx, action, text),
            };
            out.extend(finding);
        }
    }
}

/// Scope V1: only the replication and pull-through cache actions.
fn check_v1(ctx: &Context, action: &Scalar, text: &str) -> Option<Diagnostic> {
    let rp = &ctx.facts.registry_policy;
    if rp.v1_allows_action(text) {
        return None;
    }
    let allowed: Vec<&str> = rp.v1_actions.iter().map(String::as_str).collect();
    let help = match nearest(text, allowed.iter().copied().filter(|a| *a != rp.all_actions)) {
        Some(meant) => format!("did you mean `{meant}`?"),
        None if text.trim() == "*" => format!(
            "`*` is every action of every service: grant `{}` and `{}` (or `{}` at most)",
            rp.replication_action, rp.create_repository_action, rp.all_actions
        ),
        None => format!(
            "under scope V1 a registry policy may hold only {}; grant other actions in a repository policy, or move \
             the registry to scope V2 (`aws ecr put-account-setting --name {} --value V2`), which allows every ECR action",
            one_of(&allowed),
            rp.scope_setting
        ),
    };
    Some(
        META.diagnostic(
            action.span(),
            format!(
                "action `{text}` is not allowed in a registry policy of scope V1: PutRegistryPolicy rejects the whole \
                 policy (\"Invalid registry policy provided\")"
            ),
        )
        .with_primary_label("not a V1 registry action")
        .with_help(help),
    )
}

/// Scope V2: any ECR action (or a wildcard matching one); nothing else.
fn check_v2(ctx: &Context, action: &Scalar, text: &str) -> Option<Diagnostic> {
    let actions = &ctx.facts.policy_words().ecr_actions;
    let prefix = actions.service_prefix.as_str();
    // `*` is every action: ECR505 says how broad that is.
    if text == "*" {
        return None;
    }
    let (service, name) = text.split_once(':').unwrap_or(("", text));
    let is_ecr = service.eq_ignore_ascii_case(prefix);
    if is_ecr && name.contains(['*', '?']) {
        if actions.matching(name).next().is_some() {
            return None;
        }
        return Some(
            META.diagnostic(
                action.span(),
                format!("`{text}` matches no ECR action, so this statement grants nothing"),
            )
            .with_primary_label("matches nothing")
            .with_help("`aws ecr help` lists the operations; IAM actions are their names, such as `ecr:BatchGetImage`"),
        );
    }
    if is_ecr && actions.class_of(name).is_some() {
        return None;
    }
    // An ECR action with white space around it: a different string to IAM.
    let trimmed = text.trim();
    if trimmed != text && (trimmed == "*" || check_v2(ctx, action, trimmed).is_none()) {
        let mut d = META
            .diagnostic(
                action.span(),
                format!("`{text}` has white space around the action `{trimmed}`: IAM reads it as another action, which matches no request"),
            )
            .with_primary_label("white space")
            .with_help(format!("write `{trimmed}`"));
        if let Some(edit) = ctx.replace_scalar(action.span(), trimmed) {
            d = d.with_fix(Fix::unsafe_edit(format!("Replace with `{trimmed}`"), vec![edit]));
        }
        return Some(d);
    }
    // What it was meant to be: the nearest ECR action to the name part.
    let meant = nearest(name, actions.actions.keys().map(String::as_str)).map(|n| format!("{prefix}:{n}"));
    let (message, label) = if is_ecr {
        (
            format!("`{text}` is not an ECR action: PutRegistryPolicy rejects the policy, or the grant never matches a request"),
            "unknown ECR action",
        )
    } else if service.is_empty() {
        (
            format!("`{text}` has no service prefix: IAM actions are written `{prefix}:<Action>`"),
            "no service prefix",
        )
    } else {
        (
            format!(
                "`{text}` is an action of `{service}`, not of ECR: a registry policy governs ECR requests only, and \
                 PutRegistryPolicy rejects other services' actions"
            ),
            "not an ECR action",
        )
    };
    let mut d = META.diagnostic(action.span(), message).with_primary_label(label);
    // A name that is an ECR action under another prefix, or a near miss.
    let replacement = meant.filter(|m| !m.eq_ignore_ascii_case(text));
    match replacement {
        Some(meant) => {
            d = d.with_help(format!("did you mean `{meant}`?"));
            if let Some(edit) = ctx.replace_scalar(action.span(), &meant) {
                d = d.with_fix(Fix::unsafe_edit(format!("Replace with `{meant}`"), vec![edit]));
            }
        }
        None if !is_ecr => {
            d = d.with_help(format!(
                "grant `{service}` actions in that service's own policies; a registry policy holds `{prefix}:` actions"
            ));
        }
        None => {
            d = d.with_help(
                "`aws ecr help` lists the operations; IAM actions are their names, such as `ecr:BatchGetImage`",
            );
        }
    }
    Some(d)
}
