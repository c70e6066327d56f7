//! ECR102 unknown-field: A key the shape does not define, with the nearest valid key as a suggestion.
//!
//! Produced by the schema check (`crate::schema`); see `rules/ECR102-unknown-field.md`.
//! The check here finds the names the schema never sees: unknown intrinsic
//! functions (`Fn::Nope`, `!Nope`) in a template's replication resources,
//! which every other check treats as values unknown until deployment, and a
//! misspelt replication resource `Type` (linted as one all the same).

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::document::{is_replication_type, TypeSpelling, REPLICATION_RESOURCE};
use crate::syntax::Node;
use crate::text::nearest;

rule_meta!(
    "ECR102",
    "unknown-field",
    super::Level::ERROR,
    "A key the shape does not define, with the nearest valid key as a suggestion."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for r in &ctx.doc.resources {
        let Some(ty) = r.node.get("Type") else { continue };
        let Some(name) = ty.value.as_str() else { continue };
        if is_replication_type(name) == Some(TypeSpelling::Misspelt) {
            let case = if name.eq_ignore_ascii_case(REPLICATION_RESOURCE) {
                " (resource types are case-sensitive)"
            } else {
                ""
            };
            out.push(
                META.diagnostic(
                    ty.value.span,
                    format!(
                        "resource type `{name}` is misspelt: CloudFormation rejects the template (\"Unrecognized resource types\")"
                    ),
                )
                .with_primary_label("unknown resource type")
                .with_help(format!(
                    "did you mean `{REPLICATION_RESOURCE}`?{case} Its properties are checked as that type's."
                )),
            );
        }
    }
    // Properties only: CloudFormation evaluates functions there, not in
    // Metadata; a registry policy resource's too.
    let mut roots: Vec<&Node> = ctx.doc.resource_properties();
    roots.extend(
        ctx.doc
            .policy_resources
            .iter()
            .filter_map(|r| r.node.get("Properties").map(|p| &p.value)),
    );
    let known = &ctx.facts.intrinsic_functions;
    let mut stack = roots;
    while let Some(node) = stack.pop() {
        if let Some(members) = node.as_object() {
            if let [m] = members {
                if m.key.starts_with("Fn::") && !known.iter().any(|k| *k == m.key) {
                    out.push(unknown_function(&m.key, m.key_span, known));
                }
            }
            stack.extend(members.iter().map(|m| &m.value));
        } else if let Some(items) = node.as_array() {
            stack.extend(items);
        }
    }
}

fn unknown_function(key: &str, span: crate::syntax::Span, known: &[String]) -> Diagnostic {
    let short = |long: &str| format!("!{}", long.strip_prefix("Fn::").unwrap_or(long));
    let name = key.strip_prefix("Fn::").unwrap_or(key);
    let bare: Vec<&str> = known.iter().map(|k| k.strip_prefix("Fn::").unwrap_or(k)).collect();
    let help = match nearest(name, bare.iter().copied()) {
        Some(s) => {
            let long = known
                .iter()
                .find(|k| k.strip_prefix("Fn::").unwrap_or(k) == s)
                .map_or(s, String::as_str);
            format!("did you mean `{long}` (`{}`)?", short(long))
        }
        None => {
            let names: Vec<&str> = known.iter().map(String::as_str).collect();
            format!("CloudFormation's functions are {}", crate::text::one_of(&names))
        }
    };
    META.diagnostic(
        span,
        format!(
            "unknown intrinsic function `{key}` (`{}`): CloudFormation rejects the template (\"Encountered unsupported function\")",
            short(key)
        ),
    )
    .with_primary_label("unknown function")
    .with_help(help)
}
