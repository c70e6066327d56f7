//! ECR103 wrong-type: A value has the wrong JSON type.
//!
//! Produced by the schema check (`crate::schema`), and here for the
//! arguments of a Terraform `dynamic` block, whose form the schema cannot
//! tell (a literal string and an expression are both strings in the tree);
//! see `rules/ECR103-wrong-type.md`.

use super::Context;
use crate::document::terraform::{bodies, members, replication_resources};
use crate::rules::findings::Findings;
use crate::syntax::{Node, NodeKind, SourceFormat};

rule_meta!(
    "ECR103",
    "wrong-type",
    super::Level::ERROR,
    "A value has the wrong JSON type.",
    resources: [],
    scope: File,
    fix: Sometimes,
);

/// `for_each`, `iterator` and `labels` of each `dynamic` block in a
/// replication resource, as Terraform reads them: `for_each` a collection
/// (not a literal string, number, boolean or null: "Invalid dynamic
/// for_each value"), `iterator` a bare name ("A single static variable
/// reference is required"), and no `labels` for blocks that take none
/// ("Extraneous label"). They were passed silently.
pub fn check(ctx: &Context, out: &mut Findings) {
    if !std::ptr::eq(ctx.doc.shape, &crate::document::shapes::terraform::SHAPE) {
        return;
    }
    for (_, _, resource) in replication_resources(ctx.doc.root) {
        let mut stack = vec![resource];
        while let Some(node) = stack.pop() {
            if let Some(items) = node.as_array() {
                stack.extend(items);
                continue;
            }
            for dynamic in members(node, "dynamic") {
                for label in bodies(&dynamic.value).flat_map(|b| b.as_object().unwrap_or_default()) {
                    for body in bodies(&label.value) {
                        check_arguments(ctx, &label.key, body, out);
                    }
                }
            }
            stack.extend(node.as_object().unwrap_or_default().iter().map(|m| &m.value));
        }
    }
}

fn check_arguments(ctx: &Context, label: &str, body: &Node, out: &mut Findings) {
    let of = format!("of `dynamic \"{label}\"`");
    let quoted = |n: &Node| ctx.source.get(n.span.start..n.span.end).unwrap_or_default().to_string();
    if let Some(m) = members(body, "for_each").next() {
        let what = match &m.value.kind {
            // Text with `${` is an expression (the whole value of one, as HCL writes them).
            NodeKind::String(s) if !s.contains("${") => Some("a literal string"),
            NodeKind::Number(_) => Some("a number"),
            NodeKind::Bool(_) => Some("a boolean"),
            NodeKind::Null => Some("null"),
            _ => None,
        };
        if let Some(what) = what {
            out.push(
                META.diagnostic(
                    m.value.span,
                    format!(
                        "`for_each` {of} is {what}, `{}`: Terraform makes one block per element of a collection and rejects this (\"Invalid dynamic for_each value\")",
                        quoted(&m.value)
                    ),
                )
                .with_primary_label("not a collection")
                .with_help("give a list, a set or a map (`for_each = var.regions`, `for_each = [\"us-west-2\"]`), or write the block without `dynamic`"),
            );
        }
    }
    if let Some(m) = members(body, "iterator").next() {
        let name = |s: &str| {
            let mut chars = s.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        };
        let ok = match (&m.value.kind, ctx.format) {
            // A bare name is the expression `${name}` in the tree; a quoted one is text.
            (NodeKind::String(s), SourceFormat::Hcl) => {
                s.strip_prefix("${").and_then(|s| s.strip_suffix('}')).is_some_and(name)
            }
            // The JSON syntax writes the name as a string.
            (NodeKind::String(s), _) => {
                name(s) || s.strip_prefix("${").and_then(|s| s.strip_suffix('}')).is_some_and(name)
            }
            _ => false,
        };
        if !ok {
            let (form, help) = if ctx.format == SourceFormat::Hcl {
                (
                    "a bare name (`iterator = dest`)",
                    "write the name without quotes or anything after it, or remove `iterator` to use the block's label",
                )
            } else {
                (
                    "a name (`\"iterator\": \"dest\"`)",
                    "write a name, or remove `iterator` to use the block's label",
                )
            };
            out.push(
                META.diagnostic(
                    m.value.span,
                    format!(
                        "`iterator` {of} is `{}`, not {form}: Terraform rejects it (\"A single static variable reference is required\")",
                        quoted(&m.value)
                    ),
                )
                .with_primary_label("not a bare name")
                .with_help(help),
            );
        }
    }
    if let Some(m) = members(body, "labels").next() {
        if m.value.as_array().is_some_and(|items| !items.is_empty()) {
            out.push(
                META.diagnostic(
                    m.value.span,
                    format!("`labels` {of} gives each block labels, but `{label}` blocks take none: Terraform rejects them (\"Extraneous label\")"),
                )
                .with_primary_label("labels for a block that takes none")
                .with_help("remove `labels`"),
            );
        }
    }
}
