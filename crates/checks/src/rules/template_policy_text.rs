//! ECR605 template-policy-text: a creation template's `repositoryPolicy`
//! or `lifecyclePolicy` is JSON text, and what is written there is not
//! JSON, or not that policy (no `Statement`, no `rules` at its top).

use super::Context;
use crate::document::Scalar;
use crate::rules::findings::Findings;
use crate::syntax::embedded::OffsetMap;
use crate::syntax::NodeKind;

rule_meta!(
    "ECR605",
    "template-policy-text",
    super::Level::ERROR,
    "A creation template's repository or lifecycle policy text is not JSON, or not that policy.",
    resources: [creation_template],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    if ctx.doc.templates.is_empty() {
        return;
    }
    let facts = &crate::facts::repository_settings().creation_template;
    for template in &ctx.doc.templates {
        let policies: [(&Option<Scalar>, &str, &str, &str); 2] = [
            (
                &template.repository_policy,
                template.keys.repository_policy,
                &facts.repository_policy_key,
                "a repository policy `{\"Version\": \"2012-10-17\", \"Statement\": [...]}`",
            ),
            (
                &template.lifecycle_policy,
                template.keys.lifecycle_policy,
                &facts.lifecycle_policy_key,
                "a lifecycle policy `{\"rules\": [{\"rulePriority\": 1, \"selection\": {...}, \"action\": {\"type\": \"expire\"}}]}`",
            ),
        ];
        for (value, key, top, what) in policies {
            let Some(scalar) = value else { continue };
            check_one(ctx, scalar, key, top, what, out);
        }
    }
}

fn check_one(ctx: &Context, scalar: &Scalar, key: &str, top: &str, what: &str, out: &mut Findings) {
    let Some(text) = scalar.text() else { return };
    // An interpolation (`${...}`) is known only at deploy time; an empty
    // value is the schema's finding.
    if text.trim().is_empty() || text.contains("${") || !matches!(scalar.node.kind, NodeKind::String(_)) {
        return;
    }
    match crate::syntax::json::parse(text.as_bytes()) {
        Err(e) => {
            let map = OffsetMap::new(ctx.source, scalar.node, text, ctx.format);
            out.push(
                META.diagnostic(
                    map.span(e.span),
                    format!(
                        "`{key}` is JSON text, and this is not JSON ({}): the API rejects the template",
                        e.message
                    ),
                )
                .with_primary_label(e.label.clone())
                .with_help(format!("write {what} as JSON text")),
            );
        }
        Ok(root) => {
            if root.get(top).is_some() {
                return;
            }
            out.push(
                META.diagnostic(
                    scalar.span(),
                    format!(
                        "`{key}` is JSON, but has no `{top}` at its top: it is not {}, so the API rejects the template",
                        what.split(" `").next().unwrap_or(what)
                    ),
                )
                .with_primary_label(format!("no `{top}` here"))
                .with_help(format!("write {what}")),
            );
        }
    }
}
