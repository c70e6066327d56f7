//! A Terraform `data "aws_iam_policy_document"` read as the policy JSON it
//! renders (hashicorp/aws provider, data source aws_iam_policy_document:
//! `version`, `policy_id`, `statement { sid, effect, actions, not_actions,
//! resources, not_resources, principals { type, identifiers },
//! not_principals, condition { test, variable, values } }`; `effect`
//! defaults to `Allow`). The policy tree is made of the block's own nodes,
//! so every value keeps its position in the `.tf`, and each element's key
//! is placed at the argument or block it comes from.
//!
//! What the document holds is known only from its own blocks: one that
//! merges other documents in (`source_policy_documents`,
//! `override_policy_documents`, the older `source_json`/`override_json`),
//! makes statements with `dynamic` blocks, repeats with `for_each`/`count`,
//! or names a condition's operator or key by an expression is not read.

use crate::syntax::{Member, Node, NodeKind, Span, Str};

/// Arguments that make the document depend on more than its blocks.
const NOT_READ: &[&str] = &[
    "source_policy_documents",
    "override_policy_documents",
    "source_json",
    "override_json",
    "dynamic",
    "for_each",
    "count",
];

/// The arguments of the data source, of a `statement`, `principals` and
/// `condition` block (the Terraform schema's `policyDocument…` definitions,
/// which report a slip of one: ECR102). A slip is read as the argument it
/// stands for, so the document is read as it was meant.
const DOCUMENT_ARGUMENTS: &[&str] = &[
    "version",
    "policy_id",
    "statement",
    "source_policy_documents",
    "override_policy_documents",
    "source_json",
    "override_json",
    "dynamic",
    "provider",
    "count",
    "for_each",
    "depends_on",
    "lifecycle",
];
const STATEMENT_ARGUMENTS: &[&str] = &[
    "sid",
    "effect",
    "actions",
    "not_actions",
    "resources",
    "not_resources",
    "principals",
    "not_principals",
    "condition",
    "dynamic",
];
const PRINCIPAL_ARGUMENTS: &[&str] = &["type", "identifiers"];
const CONDITION_ARGUMENTS: &[&str] = &["test", "variable", "values"];

/// The argument `key` of a block whose arguments are `arguments`, as
/// written: the key itself, or, when it is absent, the one member that is
/// a slip of it (`principal`, `value`).
fn key_of<'b>(body: &'b Node, key: &'b str, arguments: &[&str]) -> Option<&'b str> {
    argument(body, key, arguments).map(|m| m.key.as_ref())
}

/// The member of `body` standing for `key` ([`key_of`]), as
/// [`crate::document::build::list_member`] finds it.
fn argument<'b, 't>(body: &'b Node<'t>, key: &str, arguments: &[&str]) -> Option<&'b Member<'t>> {
    if let Some(m) = body.get(key) {
        return Some(m);
    }
    let mut slips = body.as_object()?.iter().filter(|m| {
        !arguments.contains(&m.key.as_ref()) && crate::text::nearest(&m.key, arguments.iter().copied()) == Some(key)
    });
    let first = slips.next()?;
    slips.next().is_none().then_some(first)
}

/// The policy the data source renders, as a tree with IAM's element names
/// whose values are the block's own nodes; `None` when it is not known here.
pub fn policy_tree<'t>(body: &Node<'t>) -> Option<Node<'t>> {
    let members = body.as_object()?;
    if members.iter().any(|m| NOT_READ.contains(&m.key.as_ref())) {
        return None;
    }
    let mut policy = Vec::new();
    policy.extend(argument(body, "version", DOCUMENT_ARGUMENTS).map(|m| renamed(m, "Version")));
    policy.extend(argument(body, "policy_id", DOCUMENT_ARGUMENTS).map(|m| renamed(m, "Id")));
    policy.sort_by_key(|m| m.key_span.start);
    let statement_key = key_of(body, "statement", DOCUMENT_ARGUMENTS).unwrap_or("statement");
    let blocks: Vec<(&Member<'t>, &Node<'t>)> = blocks(body, statement_key).collect();
    if let Some((first, _)) = blocks.first() {
        let statements = blocks.iter().map(|(_, b)| statement(b)).collect::<Option<Vec<_>>>()?;
        policy.push(Member {
            key: Str::borrowed("Statement"),
            key_span: first.key_span,
            value: Node {
                span: covering(blocks.iter().map(|(_, b)| b.span)),
                kind: NodeKind::Array(statements.into()),
            },
        });
    }
    Some(Node {
        span: body.span,
        kind: NodeKind::Object(policy.into()),
    })
}

/// The bodies of the blocks `key` (a block may repeat, and each is a list
/// of bodies in the tree), with the member each is under.
fn blocks<'b, 't>(body: &'b Node<'t>, key: &'b str) -> impl Iterator<Item = (&'b Member<'t>, &'b Node<'t>)> {
    body.as_object()
        .unwrap_or_default()
        .iter()
        .filter(move |m| m.key == key)
        .flat_map(|m| {
            let bodies: Vec<&Node<'t>> = match &m.value.kind {
                NodeKind::Array(items) => items.iter().collect(),
                _ => vec![&m.value],
            };
            bodies
                .into_iter()
                .filter(|b| b.as_object().is_some())
                .map(move |b| (m, b))
        })
}

fn renamed<'t>(m: &Member<'t>, key: &'static str) -> Member<'t> {
    Member {
        key: Str::borrowed(key),
        key_span: m.key_span,
        value: m.value.clone(),
    }
}

fn covering(spans: impl Iterator<Item = Span>) -> Span {
    spans
        .reduce(|a, b| Span::new(a.start.min(b.start), a.end.max(b.end)))
        .unwrap_or_default()
}

/// One `statement` block as an IAM statement.
fn statement<'t>(body: &Node<'t>) -> Option<Node<'t>> {
    let members = body.as_object()?;
    if members.iter().any(|m| m.key == "dynamic") {
        return None;
    }
    let mut out = Vec::new();
    for (argument_name, element) in [
        ("sid", "Sid"),
        ("effect", "Effect"),
        ("actions", "Action"),
        ("not_actions", "NotAction"),
        ("resources", "Resource"),
        ("not_resources", "NotResource"),
    ] {
        out.extend(argument(body, argument_name, STATEMENT_ARGUMENTS).map(|m| renamed(m, element)));
    }
    // In the order written.
    out.sort_by_key(|m| m.key_span.start);
    // The provider writes `"Effect": "Allow"` when `effect` is left out.
    if argument(body, "effect", STATEMENT_ARGUMENTS).is_none() {
        out.push(Member {
            key: Str::borrowed("Effect"),
            key_span: body.span,
            value: Node {
                span: body.span,
                kind: NodeKind::String(Str::borrowed("Allow")),
            },
        });
    }
    out.extend(principals(body, "principals", "Principal"));
    out.extend(principals(body, "not_principals", "NotPrincipal"));
    out.extend(conditions(body)?);
    Some(Node {
        span: body.span,
        kind: NodeKind::Object(out.into()),
    })
}

/// The `principals` blocks as `{"<type>": [identifiers...]}`, blocks of one
/// type merged as the provider merges them; `type = "*"` with identifiers
/// `["*"]` is `"*"`, as the provider renders it. A type given by an
/// expression makes the element unknown.
fn principals<'t>(body: &Node<'t>, block: &str, element: &'static str) -> Option<Member<'t>> {
    let block = key_of(body, block, STATEMENT_ARGUMENTS)?;
    let found: Vec<(&Member<'t>, &Node<'t>)> = blocks(body, block).collect();
    let (first, _) = found.first()?;
    let mut by_type: Vec<Member<'t>> = Vec::new();
    for (_, b) in &found {
        let (Some(ty), Some(ids)) = (
            argument(b, "type", PRINCIPAL_ARGUMENTS),
            argument(b, "identifiers", PRINCIPAL_ARGUMENTS),
        ) else {
            continue;
        };
        let Some(type_text) = ty.value.as_str().filter(|t| !super::super::terraform::is_template(t)) else {
            return Some(Member {
                key: Str::borrowed(element),
                key_span: first.key_span,
                value: ty.value.clone(),
            });
        };
        if type_text == "*" {
            return Some(Member {
                key: Str::borrowed(element),
                key_span: first.key_span,
                value: Node {
                    span: ty.value.span,
                    kind: NodeKind::String(Str::borrowed("*")),
                },
            });
        }
        let items: Vec<Node<'t>> = match &ids.value.kind {
            NodeKind::Array(items) => items.to_vec(),
            _ => vec![ids.value.clone()],
        };
        match by_type.iter_mut().find(|m| m.key == type_text) {
            Some(Member {
                value:
                    Node {
                        kind: NodeKind::Array(existing),
                        ..
                    },
                ..
            }) => crate::syntax::extend_boxed(existing, items),
            _ => by_type.push(Member {
                key: Str::owned(type_text.to_string()),
                key_span: ty.value.span,
                value: Node {
                    span: ids.value.span,
                    kind: NodeKind::Array(items.into()),
                },
            }),
        }
    }
    Some(Member {
        key: Str::borrowed(element),
        key_span: first.key_span,
        value: Node {
            span: covering(found.iter().map(|(_, b)| b.span)),
            kind: NodeKind::Object(by_type.into()),
        },
    })
}

/// The `condition` blocks as `{"<test>": {"<variable>": [values...]}}`;
/// `None` (the document is not read) when a test or variable is an
/// expression: which operator or key it is decides what the grant reaches.
fn conditions<'t>(body: &Node<'t>) -> Option<Option<Member<'t>>> {
    let Some(block) = key_of(body, "condition", STATEMENT_ARGUMENTS) else {
        return Some(None);
    };
    let found: Vec<(&Member<'t>, &Node<'t>)> = blocks(body, block).collect();
    let Some((first, _)) = found.first() else {
        return Some(None);
    };
    let literal = |b: &Node<'t>, key: &str| -> Option<(String, Span)> {
        let value = &argument(b, key, CONDITION_ARGUMENTS)?.value;
        let text = value.as_str().filter(|t| !super::super::terraform::is_template(t))?;
        Some((text.to_string(), value.span))
    };
    let mut tests: Vec<Member<'t>> = Vec::new();
    for (_, b) in &found {
        let (test, test_span) = literal(b, "test")?;
        let (variable, variable_span) = literal(b, "variable")?;
        let values = argument(b, "values", CONDITION_ARGUMENTS)
            .map(|m| m.value.clone())
            .unwrap_or(Node {
                span: b.span,
                kind: NodeKind::Array(Vec::new().into()),
            });
        let entry = Member {
            key: Str::owned(variable),
            key_span: variable_span,
            value: values,
        };
        match tests.iter_mut().find(|m| m.key == test.as_str()) {
            Some(Member {
                value: Node {
                    kind: NodeKind::Object(keys),
                    ..
                },
                ..
            }) => crate::syntax::extend_boxed(keys, [entry]),
            _ => tests.push(Member {
                key: Str::owned(test),
                key_span: test_span,
                value: Node {
                    span: b.span,
                    kind: NodeKind::Object(vec![entry].into()),
                },
            }),
        }
    }
    Some(Some(Member {
        key: Str::borrowed("Condition"),
        key_span: first.key_span,
        value: Node {
            span: covering(found.iter().map(|(_, b)| b.span)),
            kind: NodeKind::Object(tests.into()),
        },
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(text: &str) -> Option<String> {
        let root = crate::syntax::hcl::parse(text.as_bytes()).unwrap();
        let (_, _, body) = crate::document::terraform::labelled2(&root, "data").next().unwrap();
        policy_tree(body).map(|t| t.to_value().to_string())
    }

    #[test]
    fn a_policy_document_reads_as_the_json_the_provider_renders() {
        let text = r#"data "aws_iam_policy_document" "registry" {
  statement {
    sid     = "Replication"
    actions = ["ecr:ReplicateImage", "ecr:CreateRepository"]
    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::210987654321:root"]
    }
    principals {
      type        = "AWS"
      identifiers = ["111122223333"]
    }
    resources = ["arn:aws:ecr:us-west-2:109876543210:repository/*"]
  }
  statement {
    effect  = "Allow"
    actions = ["ecr:BatchGetImage"]
    principals {
      type        = "*"
      identifiers = ["*"]
    }
    condition {
      test     = "StringEquals"
      variable = "aws:PrincipalOrgID"
      values   = ["o-a1b2c3d4e5"]
    }
  }
}
"#;
        let expected = serde_json::json!({
            "Statement": [
                {
                    "Sid": "Replication",
                    "Action": ["ecr:ReplicateImage", "ecr:CreateRepository"],
                    "Resource": ["arn:aws:ecr:us-west-2:109876543210:repository/*"],
                    "Effect": "Allow",
                    "Principal": {"AWS": ["arn:aws:iam::210987654321:root", "111122223333"]}
                },
                {
                    "Effect": "Allow",
                    "Action": ["ecr:BatchGetImage"],
                    "Principal": "*",
                    "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-a1b2c3d4e5"]}}
                }
            ]
        });
        assert_eq!(tree(text), Some(expected.to_string()));
        // Values keep their place in the file.
        let root = crate::syntax::hcl::parse(text.as_bytes()).unwrap();
        let (_, _, body) = crate::document::terraform::labelled2(&root, "data").next().unwrap();
        let policy = policy_tree(body).unwrap();
        let first = &policy.get("Statement").unwrap().value.as_array().unwrap()[0];
        let account = &first
            .get("Principal")
            .unwrap()
            .value
            .get("AWS")
            .unwrap()
            .value
            .as_array()
            .unwrap()[1];
        assert_eq!(&text[account.span.start..account.span.end], "\"111122223333\"");
        let key = first.get("Action").unwrap().key_span;
        assert_eq!(&text[key.start..key.end], "actions");
    }

    #[test]
    fn a_slip_of_an_argument_is_read_as_the_argument_meant() {
        let text = "data \"aws_iam_policy_document\" \"x\" {\n  statment {\n    principal {\n      type = \"AWS\"\n      identifier = [\"210987654321\"]\n    }\n    action = [\"ecr:ReplicateImage\"]\n    condition {\n      test = \"StringEquals\"\n      variable = \"aws:PrincipalOrgID\"\n      value = [\"o-1\"]\n    }\n  }\n}\n";
        let expected = serde_json::json!({"Statement": [{
            "Action": ["ecr:ReplicateImage"],
            "Effect": "Allow",
            "Principal": {"AWS": ["210987654321"]},
            "Condition": {"StringEquals": {"aws:PrincipalOrgID": ["o-1"]}}
        }]});
        assert_eq!(tree(text), Some(expected.to_string()));
    }

    #[test]
    fn a_document_that_depends_on_more_than_its_blocks_is_not_read() {
        for unknown in [
            "source_policy_documents = [data.aws_iam_policy_document.base.json]",
            "statement {\n    dynamic \"principals\" {\n      for_each = var.accounts\n      content {\n        type = \"AWS\"\n        identifiers = [principals.value]\n      }\n    }\n  }",
            "statement {\n    condition {\n      test = var.operator\n      variable = \"aws:PrincipalOrgID\"\n      values = [\"o-1\"]\n    }\n  }",
        ] {
            let text = format!("data \"aws_iam_policy_document\" \"x\" {{\n  {unknown}\n}}\n");
            assert_eq!(tree(&text), None, "{unknown}");
        }
    }
}
