//! The span tree every front end produces: a byte range on every key and
//! value. Unlike `serde_json::Value`, objects keep every member in source
//! order, duplicates included, and numbers keep their text, so later stages
//! can point at exactly what the user wrote.
//!
//! Front ends: [`json`] (strict RFC 8259), [`yaml`] (YAML with 1.1's
//! types, as CloudFormation reads it) and [`hcl`] (Terraform's `.tf`, as
//! the tree its JSON syntax would give). [`SourceFormat`] is the one list of
//! formats, with their file extensions.

mod comment;
pub mod embedded;
mod format;
pub mod hcl;
pub mod json;
pub mod place;
mod pointer;
mod scalar_spans;
mod str;
pub mod yaml;

pub use comment::{Comment, CommentKind, Parsed};
pub use format::{
    is_walked, read_extensions, read_extensions_text, read_file_names, walked_extensions, ReadAs, SourceFormat,
    WideEncoding, UTF8_BOM,
};
pub use pointer::{escape_token, unescape_token, Pointer};
pub use scalar_spans::ScalarSpans;
pub use str::Str;

/// Deepest nesting accepted. serde_json refuses deeper trees, and the schema
/// validator walks the tree recursively, so the cap also bounds stack use.
pub const MAX_DEPTH: usize = 128;

/// Why a file does not parse, with where and what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

impl ParseError {
    pub fn new(span: Span, message: impl Into<String>, label: &str, help: Option<&str>) -> ParseError {
        ParseError {
            span,
            message: message.into(),
            label: label.into(),
            help: help.map(str::to_string),
        }
    }
}

/// The text of a file, or an error at its first byte that is not UTF-8.
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, ParseError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let len = e.error_len().unwrap_or(bytes.len() - at).max(1);
        ParseError::new(
            Span::new(at, (at + len).min(bytes.len())),
            format!("invalid UTF-8 at byte {at}"),
            "not UTF-8",
            Some("JSON and YAML files must be UTF-8: re-save the file with UTF-8 encoding"),
        )
    })
}

/// A half-open byte range `[start, end)` into the source text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
}

/// A value and its byte range. Strings without escapes borrow from the
/// source, so a large file costs few allocations.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'s> {
    pub span: Span,
    pub kind: NodeKind<'s>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind<'s> {
    Null,
    Bool(bool),
    /// The number as JSON number text: exactly as written in JSON; in YAML,
    /// the value it resolves to (`0o17`, YAML 1.1 `017` and `1_000` become
    /// `15` and `1000`), the source text being under the node's span.
    Number(Str<'s>),
    String(Str<'s>),
    /// Boxed slices, not vectors: no capacity word nor growth slack, in a
    /// tree of millions of nodes.
    Array(Box<[Node<'s>]>),
    Object(Box<[Member<'s>]>),
}

/// One step of a path found by [`Node::pointer_at`].
enum Step<'n> {
    Key(&'n str),
    Index(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Member<'s> {
    pub key: Str<'s>,
    pub key_span: Span,
    pub value: Node<'s>,
}

impl<'s> Node<'s> {
    /// A copy of the node with each of its items and member values made by
    /// `f` (given the member's key; `None` for an item): the step down of a
    /// rewrite of the tree. A scalar is copied.
    pub fn map_values(&self, mut f: impl FnMut(Option<&str>, &Node<'s>) -> Node<'s>) -> Node<'s> {
        let kind = match &self.kind {
            NodeKind::Array(items) => NodeKind::Array(items.iter().map(|n| f(None, n)).collect()),
            NodeKind::Object(members) => NodeKind::Object(
                members
                    .iter()
                    .map(|m| Member {
                        value: f(Some(&m.key), &m.value),
                        ..m.clone()
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        Node { span: self.span, kind }
    }

    /// The JSON type name used in messages ("string", "object", ...).
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "boolean",
            NodeKind::Number(_) => "number",
            NodeKind::String(_) => "string",
            NodeKind::Array(_) => "array",
            NodeKind::Object(_) => "object",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            NodeKind::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Node<'s>]> {
        match &self.kind {
            NodeKind::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[Member<'s>]> {
        match &self.kind {
            NodeKind::Object(members) => Some(members),
            _ => None,
        }
    }

    /// The member that wins for `key`: the last one, as in serde_json and
    /// Python's `json` module (what the AWS CLI uses).
    pub fn get(&self, key: &str) -> Option<&Member<'s>> {
        self.as_object()?.iter().rev().find(|m| m.key == key)
    }

    /// A value known only at deploy time, with its function's name and
    /// argument: a CloudFormation intrinsic function (`{"Ref": …}`,
    /// `{"Fn::If": …}`, `{"Condition": …}`, and the YAML short forms, which
    /// the YAML front end writes as these objects). Every stage asks this
    /// one question, so a new front end's expressions enter here.
    pub fn dynamic(&self) -> Option<(&str, &Node<'s>)> {
        match self.as_object()? {
            [m] if m.key == "Ref" || m.key == "Condition" || m.key.starts_with("Fn::") => {
                Some((m.key.as_ref(), &m.value))
            }
            _ => None,
        }
    }

    /// Converts to a `serde_json::Value` (duplicate keys: last wins) for the
    /// schema validator. Numbers serde_json cannot hold become `±f64::MAX`:
    /// no ECR field is numeric, so only their type matters.
    pub fn to_value(&self) -> serde_json::Value {
        use serde_json::Value;
        match &self.kind {
            NodeKind::Null => Value::Null,
            NodeKind::Bool(b) => Value::Bool(*b),
            NodeKind::Number(text) => serde_json::from_str::<serde_json::Number>(text)
                .map(Value::Number)
                .unwrap_or_else(|_| {
                    let big = if text.starts_with('-') { f64::MIN } else { f64::MAX };
                    serde_json::json!(big)
                }),
            NodeKind::String(s) => Value::String(s.to_string()),
            NodeKind::Array(items) => Value::Array(items.iter().map(|n| n.to_value()).collect()),
            NodeKind::Object(members) => {
                let mut map = serde_json::Map::with_capacity(members.len());
                for m in members {
                    map.insert(m.key.to_string(), m.value.to_value());
                }
                Value::Object(map)
            }
        }
    }

    /// The JSON pointer of the deepest value (or member, for a key span)
    /// that contains `span`; of nodes with exactly `span`, the deepest.
    /// Children are in source order, so each level is a binary search:
    /// pointers need not be stored for every node. In HCL trees, blocks of
    /// one type are grouped under the first one's member, so members' spans
    /// may overlap (`a {} b {} a {}`): when the member found leaves a gap at
    /// `span` (a group's array without the block there), earlier members are
    /// tried, and the one that leads deepest wins.
    pub fn pointer_at(&self, span: Span) -> Pointer {
        let (_, mut steps) = self.locate(span);
        steps.reverse();
        steps.into_iter().fold(Pointer::root(), |p, step| match step {
            Step::Key(k) => p.key(k),
            Step::Index(i) => p.index(i),
        })
    }

    /// Whether the path found ends at a node (or key) spanning exactly
    /// `span`, and its steps, innermost first.
    fn locate(&self, span: Span) -> (bool, Vec<Step<'_>>) {
        fn keep<'n>(best: &mut Option<(bool, Vec<Step<'n>>)>, found: (bool, Vec<Step<'n>>)) {
            let better = match best {
                None => true,
                Some((exact, steps)) => (found.0, found.1.len()) > (*exact, steps.len()),
            };
            if better {
                *best = Some(found);
            }
        }
        let here = self.span == span;
        let mut best = None;
        match &self.kind {
            NodeKind::Object(members) => {
                // Members start in source order: the last one starting at
                // or before `span` holds it, unless it is a group whose
                // blocks leave a gap there; then an earlier group may.
                let p = members.partition_point(|m| m.key_span.start <= span.start);
                for m in members[..p].iter().rev() {
                    if m.key_span == span {
                        keep(&mut best, (true, vec![Step::Key(&m.key)]));
                        break;
                    }
                    if span.start >= m.value.span.end && m.value.span != span {
                        continue;
                    }
                    let (exact, mut steps) = m.value.locate(span);
                    let hit = exact
                        || !steps.is_empty()
                        || span.start <= m.value.span.start
                        || span.start < m.key_span.end
                        || !matches!(m.value.kind, NodeKind::Object(_) | NodeKind::Array(_));
                    steps.push(Step::Key(&m.key));
                    keep(&mut best, (exact, steps));
                    if hit {
                        break;
                    }
                }
            }
            NodeKind::Array(items) => {
                let i = items.partition_point(|n| n.span.end <= span.start);
                if let Some(item) = items.get(i).filter(|n| n.span.start <= span.start) {
                    let (exact, mut steps) = item.locate(span);
                    steps.push(Step::Index(i));
                    keep(&mut best, (exact, steps));
                }
            }
            _ => {}
        }
        match best {
            Some(found) if found.0 || !here => found,
            _ => (here, Vec::new()),
        }
    }

    /// Finds the node at a JSON pointer, with the span of the key that holds
    /// it when its parent is an object.
    pub fn resolve(&self, pointer: &str) -> Option<(&Node<'s>, Option<Span>)> {
        let mut found = (self, None);
        let mut steps = 0;
        for step in self.path(pointer) {
            found = step;
            steps += 1;
        }
        let tokens = if pointer.is_empty() {
            0
        } else {
            pointer.split('/').count() - 1
        };
        (steps == tokens && (pointer.is_empty() || pointer.starts_with('/'))).then_some(found)
    }

    /// The nodes along `pointer`, each with its key's span when it is an
    /// object member, stopping where the pointer leaves the tree.
    pub fn path<'n, 'p>(
        &'n self,
        pointer: &'p str,
    ) -> impl Iterator<Item = (&'n Node<'s>, Option<Span>)> + use<'n, 'p, 's> {
        let mut node = self;
        pointer
            .strip_prefix('/')
            .into_iter()
            .flat_map(|rest| rest.split('/'))
            .map_while(move |token| {
                let token = unescape_token(token);
                let step = match &node.kind {
                    NodeKind::Object(_) => node.get(&token).map(|m| (&m.value, Some(m.key_span))),
                    NodeKind::Array(items) => token
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| items.get(i))
                        .map(|n| (n, None)),
                    _ => None,
                }?;
                node = step.0;
                Some(step)
            })
    }
}

/// Adds `more` at the end of an array's items or an object's members:
/// they are boxed slices, and the rewrites that grow one (a Terraform
/// `dynamic` block joining the written ones) are few.
pub fn extend_boxed<T>(items: &mut Box<[T]>, more: impl IntoIterator<Item = T>) {
    let mut all = std::mem::take(items).into_vec();
    all.extend(more);
    *items = all.into_boxed_slice();
}
