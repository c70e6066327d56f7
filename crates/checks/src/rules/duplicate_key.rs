//! ECR002 duplicate-key: a key appears twice in one object; parsers keep only one of them.

use super::Context;
use crate::rules::findings::Findings;
use crate::syntax::{Node, NodeKind};

rule_meta!(
    "ECR002",
    "duplicate-key",
    super::Level::ERROR,
    "A key appears twice in one object.",
    resources: [],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    // Terraform merges repeated block keys (`resource`, `rule`, ...): only
    // an argument given twice is a mistake ("Attribute redefined").
    let merges_blocks = ctx.doc.shape.dialect.merges_repeated_blocks;
    walk(ctx.doc.root, merges_blocks, out);
}

fn is_block(node: &Node) -> bool {
    matches!(node.kind, NodeKind::Object(_) | NodeKind::Array(_))
}

fn walk(node: &Node, merges_blocks: bool, out: &mut Findings) {
    match &node.kind {
        NodeKind::Object(members) => {
            // Most objects are small: compare pairwise rather than hash.
            let pairs = if members.len() <= 16 {
                (0..members.len())
                    .filter_map(|j| (0..j).find(|&i| members[i].key == members[j].key).map(|i| (j, i)))
                    .collect()
            } else {
                super::repeats(members.iter().map(|m| Some(m.key.as_ref())))
            };
            for (later, first) in pairs {
                let (m, first) = (&members[later], &members[first]);
                // `//` is a comment in Terraform's JSON syntax, as often as wanted.
                if merges_blocks && ((is_block(&m.value) && is_block(&first.value)) || m.key == "//") {
                    continue;
                }
                out.push(
                    META.diagnostic(
                        m.key_span,
                        format!(
                            "duplicate key `{}`: only this last value is used, the first is silently ignored",
                            m.key
                        ),
                    )
                    .with_primary_label("defined again here")
                    .with_label(first.key_span, "first defined here")
                    .with_help(format!("keep one `{}` and merge the values you meant", m.key)),
                );
            }
            for m in members {
                walk(&m.value, merges_blocks, out);
            }
        }
        NodeKind::Array(items) => {
            for item in items {
                walk(item, merges_blocks, out);
            }
        }
        _ => {}
    }
}
