//! CloudFormation's short-form tags (`!Ref X`, `!GetAtt a.b`) as the
//! long-form objects every later stage reads (`{"Ref": X}`).

use crate::{Member, Node, NodeKind, Span, Str};
use saphyr_parser::Tag;

/// The long-form key of a CloudFormation short-form tag: `!Ref` → `Ref`,
/// `!Condition` → `Condition`, `!Sub` → `Fn::Sub`. Core tags (`!!str`) are
/// not intrinsic functions.
pub(super) fn intrinsic_name(tag: &Tag) -> Option<String> {
    // `!Ref`, or its verbatim form `!<!Ref>`.
    let name = match tag.handle.as_str() {
        "!" => tag.suffix.as_str(),
        "" => tag.suffix.strip_prefix('!')?,
        _ => return None,
    };
    Some(match name {
        "" => return None,
        "Ref" | "Condition" => name.to_string(),
        other => format!("Fn::{other}"),
    })
}

pub(super) fn wrap(name: String, value: Node<'_>) -> Node<'_> {
    let span = value.span;
    Node {
        span,
        kind: NodeKind::Object(
            vec![Member {
                key: Str::owned(name),
                key_span: Span::new(span.start, span.start),
                value,
            }]
            .into(),
        ),
    }
}
