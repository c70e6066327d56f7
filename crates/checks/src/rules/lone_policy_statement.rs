//! ECR509 lone-policy-statement: a registry policy file holds one statement
//! alone, not the policy document PutRegistryPolicy needs.

use super::Context;
use crate::document::shapes::registry_policy::LONE_STATEMENT_SHAPE;
use crate::fix::{Edit, Fix};
use crate::rules::findings::Findings;
use crate::syntax::{SourceFormat, Span};

rule_meta!(
    "ECR509",
    "lone-policy-statement",
    super::Level::ERROR,
    "A registry policy file holds a statement alone, not a policy document.",
    resources: [policy],
    scope: File,
    fix: Safe,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    if ctx.doc.shape != &LONE_STATEMENT_SHAPE {
        return;
    }
    let root = ctx.doc.root;
    let version = ctx
        .facts
        .policy_words()
        .versions
        .first()
        .map(String::as_str)
        .unwrap_or_default();
    let opening = Span::new(root.span.start, root.span.start + 1);
    let mut d = META
        .diagnostic(
            opening,
            "this is a statement, not a policy document: PutRegistryPolicy rejects it (a policy is `{\"Version\": ..., \"Statement\": [...]}`)",
        )
        .with_primary_label("a statement alone")
        .with_help(format!(
            "wrap it: `{{\"Version\": \"{version}\", \"Statement\": [ <this statement> ]}}`"
        ));
    if let Some(edits) = wrap(ctx, version) {
        d = d.with_fix(Fix::safe("Wrap the statement in a policy document", edits));
    }
    out.push(d);
}

/// The edits that put the root statement inside a policy: around it in
/// JSON (and a YAML flow mapping); in a YAML block mapping at the left
/// margin, the two keys before it and its lines indented as a list item.
fn wrap(ctx: &Context, version: &str) -> Option<Vec<Edit>> {
    let root = ctx.doc.root.span;
    let text = ctx.source;
    let flow = text[root.start..].starts_with('{');
    if ctx.format == SourceFormat::Json || flow {
        let mut edits = vec![
            Edit::insert(root.start, format!("{{\"Version\": \"{version}\", \"Statement\": [")),
            Edit::insert(root.end, "]}"),
        ];
        // A `Version` written in the statement belongs to the policy around it.
        if let Some(member) = ctx.doc.root.get("Version") {
            edits.push(ctx.remove_member(ctx.doc.root, member.key_span)?);
        }
        return Some(edits);
    }
    let line_start = text[..root.start].rfind('\n').map_or(0, |i| i + 1);
    if ctx.format != SourceFormat::Yaml || line_start != root.start {
        return None;
    }
    // The file's own line ends (a CRLF file stays CRLF).
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut edits = vec![Edit::insert(
        root.start,
        format!("Version: \"{version}\"{newline}Statement:{newline}  - "),
    )];
    // Every later line of the statement that has text, four spaces in.
    let body = &text[root.start..root.end];
    for (i, _) in body.match_indices('\n') {
        let at = root.start + i + 1;
        if at < root.end && !matches!(text.as_bytes().get(at), Some(b'\n' | b'\r')) {
            edits.push(Edit::insert(at, "    "));
        }
    }
    Some(edits)
}
