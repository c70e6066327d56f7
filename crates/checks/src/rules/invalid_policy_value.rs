//! ECR504 invalid-policy-value: a registry policy's `Effect` or `Version` is
//! not one of the values IAM's policy grammar defines (the schema's enums).

use super::{statements, Context};
use crate::document::{Scalar, Value};
use crate::rules::findings::Findings;
use crate::text::one_of;

rule_meta!(
    "ECR504",
    "invalid-policy-value",
    super::Level::ERROR,
    "A registry policy's Effect or Version is not a value IAM defines.",
    resources: [policy],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    if ctx.doc.policies.is_empty() {
        return;
    }
    let effects: Vec<&str> = ctx.facts.policy_words().effects.iter().map(String::as_str).collect();
    let versions: Vec<&str> = ctx.facts.policy_words().versions.iter().map(String::as_str).collect();
    for policy in &ctx.doc.policies {
        let version = policy.node.get("Version").map(|m| policy.scalar(&m.value));
        // Each value an `Fn::If` may deploy: the branch a condition takes
        // is rejected as a plain value would be.
        for v in version.iter().flat_map(Scalar::candidates) {
            check_value(v, "Version", &versions, out, |_| {
                format!(
                    "use `\"{}\"`, the current policy language version (a fixed date, not the day the policy was written)",
                    versions.first().copied().unwrap_or_default()
                )
            });
        }
    }
    for statement in statements(ctx) {
        for effect in statement.effect.iter().flat_map(Scalar::candidates) {
            check_value(effect, "Effect", &effects, out, |text| {
                match effects.iter().find(|e| e.eq_ignore_ascii_case(text.trim())) {
                    Some(e) => format!("`Effect` is case-sensitive: use `\"{e}\"`"),
                    None => format!("use {}", one_of(&effects)),
                }
            });
        }
    }
}

fn check_value(value: Scalar, field: &str, allowed: &[&str], out: &mut Findings, help: impl Fn(&str) -> String) {
    let Value::Text(text) = value.value() else { return };
    if allowed.contains(&text) {
        return;
    }
    out.push(
        META.diagnostic(
            value.span(),
            format!(
                "`{field}` `\"{text}\"` is not valid: it must be {}, and the API rejects the whole policy",
                one_of(allowed)
            ),
        )
        .with_primary_label(format!("invalid {field}"))
        .with_help(help(text)),
    );
}
