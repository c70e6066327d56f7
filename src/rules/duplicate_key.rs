//! ECR002 duplicate-key: a key appears twice in one object; parsers keep only one of them.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::json::{escape_token, Node, NodeKind, Pointer};

rule_meta!(
    "ECR002",
    "duplicate-key",
    super::Level::ERROR,
    "A key appears twice in one object."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    walk(ctx.doc.root, &Pointer::root(), out);
}

fn walk(node: &Node, pointer: &Pointer, out: &mut Vec<Diagnostic>) {
    match &node.kind {
        NodeKind::Object(members) => {
            for (later, first) in super::repeats(members.iter().map(|m| Some(m.key.as_ref()))) {
                let (m, first) = (&members[later], &members[first]);
                out.push(
                    META.diagnostic(
                        m.key_span,
                        pointer.key(&m.key).as_str(),
                        format!(
                            "duplicate key `{}`: only this last value is used, the first is silently ignored",
                            m.key
                        ),
                    )
                    .with_primary_label("defined again here")
                    .with_label(first.key_span, "first defined here")
                    .with_help(format!(
                        "keep one `{}` and merge the values you meant",
                        escape_token(&m.key)
                    )),
                );
            }
            for m in members {
                walk(&m.value, &pointer.key(&m.key), out);
            }
        }
        NodeKind::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, &pointer.index(i), out);
            }
        }
        _ => {}
    }
}
