//! YAML (1.1 types, as CloudFormation reads templates) into the same span tree as JSON, so every later
//! stage is shared. CloudFormation short-form tags become their long form
//! (`!Ref X` → `{"Ref": X}`, `!GetAtt` → `{"Fn::GetAtt": …}`), aliases are
//! expanded (with a cap), duplicate keys are kept for ECR002.

mod cfn_tags;
mod comments;
mod types;

use super::{decode_utf8, Member, Node, NodeKind, ParseError, Parsed, Span, Str, MAX_DEPTH};
use cfn_tags::{intrinsic_name, wrap};
use saphyr_parser::{Event, Parser, ScalarStyle, Tag};
use std::borrow::Cow;
use std::collections::HashMap;
use types::{core_tag, resolve_plain, resolve_tagged};
pub use types::{yaml11_int, YAML11_FALSE, YAML11_TRUE};

/// Most nodes an alias expansion may create, against "billion laughs" files.
const MAX_NODES: usize = 1_000_000;

/// Parses a YAML document into the span tree. Byte offsets index `text`.
pub fn parse(bytes: &[u8]) -> Result<Node<'_>, ParseError> {
    parse_with_aliases(bytes).map(|(root, _)| root)
}

/// An alias (`*name`) in the text: the tree has it expanded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alias {
    pub span: Span,
    /// The value of a merge key: `<<: *name`.
    pub merge: bool,
    /// The anchor it refers to, as written: `&name`.
    pub anchor: Span,
    /// The anchored value (which the alias stands for in the tree).
    pub target: Span,
}

/// What a YAML file reuses: its aliases and the merge keys (`<<`) that
/// were expanded (CloudFormation accepts neither).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reuse {
    pub aliases: Vec<Alias>,
    /// The `<<` keys whose values were merged.
    pub merge_keys: Vec<Span>,
}

/// [`parse`], with every alias in the text (CloudFormation rejects a
/// template that has any).
pub fn parse_with_aliases(bytes: &[u8]) -> Result<(Node<'_>, Vec<Alias>), ParseError> {
    build(bytes).map(|(_, root, reuse)| (root, reuse.aliases))
}

/// The text, its tree, and every alias and expanded merge key in it.
fn build(bytes: &[u8]) -> Result<(&str, Node<'_>, Reuse), ParseError> {
    let text = decode_utf8(bytes)?;
    let mut builder = Builder::new(text);
    let root = builder.run()?;
    Ok((
        text,
        root,
        Reuse {
            aliases: builder.aliases,
            merge_keys: builder.merge_keys,
        },
    ))
}

/// [`parse`], with the file's comments and every alias and expanded merge key in the text.
pub fn parse_with_reuse(bytes: &[u8]) -> Result<(Parsed<'_>, Reuse), ParseError> {
    let (text, root, reuse) = build(bytes)?;
    let comments = comments::of_tree(text, &root);
    Ok((Parsed { root, comments }, reuse))
}

fn error(span: Span, message: String, label: &str, help: Option<&str>) -> ParseError {
    ParseError::new(span, message, label, help)
}

/// A container being built.
enum Open<'s> {
    Map {
        start: usize,
        tag: Option<String>,
        anchor: usize,
        members: Vec<Member<'s>>,
        key: Option<(Str<'s>, Span)>,
    },
    Seq {
        start: usize,
        tag: Option<String>,
        anchor: usize,
        items: Vec<Node<'s>>,
    },
}

struct Builder<'s> {
    text: &'s str,
    /// Byte offset of each char index, when the text is not ASCII.
    offsets: Option<Vec<usize>>,
    /// Each anchor's value, and the anchor as written (`&name`).
    anchors: HashMap<usize, (Node<'s>, Span)>,
    nodes: usize,
    aliases: Vec<Alias>,
    merge_keys: Vec<Span>,
    /// The anchors of containers still open.
    anchor_spans: HashMap<usize, Span>,
}

impl<'s> Builder<'s> {
    fn new(text: &'s str) -> Self {
        let offsets = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).chain([text.len()]).collect());
        Builder {
            text,
            offsets,
            anchors: HashMap::new(),
            nodes: 0,
            aliases: Vec::new(),
            merge_keys: Vec::new(),
            anchor_spans: HashMap::new(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.offsets {
            None => char_index.min(self.text.len()),
            Some(o) => o.get(char_index).copied().unwrap_or(self.text.len()),
        }
    }

    fn span(&self, s: saphyr_parser::Span) -> Span {
        let (start, end) = (self.byte(s.start.index()), self.byte(s.end.index()));
        // Block scalars' spans run into the next line's indentation.
        let end = start + self.text[start..end.max(start)].trim_end().len();
        Span::new(start, end)
    }

    fn run(&mut self) -> Result<Node<'s>, ParseError> {
        let mut parser = Parser::new_from_str(self.text);
        let mut stack: Vec<Open<'s>> = Vec::new();
        let mut root: Option<Node<'s>> = None;
        let mut documents = 0;
        while let Some(event) = parser.next_event() {
            let (event, span) = event.map_err(|e| {
                let at = self.byte(e.marker().index());
                if let Some(key) = over_long_key(self.text, at, e.info()) {
                    return error(
                        key,
                        "YAML syntax error: this key is longer than the 1,024 characters YAML allows a key without `? `".into(),
                        "key too long",
                        Some("shorten the key, or write it as an explicit key: `? key` on one line, `: value` on the next"),
                    );
                }
                let end = self.text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
                error(
                    Span::new(at, end),
                    format!("YAML syntax error: {}", e.info()),
                    "here",
                    yaml_help(e.info()),
                )
            })?;
            let here = self.span(span);
            let node = match event {
                Event::DocumentStart(_) => {
                    documents += 1;
                    if documents > 1 {
                        return Err(error(
                            here,
                            "a second YAML document: a template or configuration file holds one".into(),
                            "second document",
                            Some("split the documents into separate files"),
                        ));
                    }
                    continue;
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let props = properties(&self.text[here.start..], here.start);
                    let node = self.scalar(value, style, tag.as_deref(), here, &props)?;
                    self.remember(anchor, &node, props.anchor);
                    node
                }
                Event::Alias(id) => {
                    let Some((node, anchor)) = self.anchors.get(&id).cloned() else {
                        return Err(error(here, "alias to an unknown anchor".into(), "unknown anchor", None));
                    };
                    self.count(&node, here)?;
                    let merge = match stack.last() {
                        Some(Open::Map { key: Some((_, k)), .. }) => self.text.get(k.start..k.end) == Some("<<"),
                        // `<<: [*a, *b]`: a flow list that is a merge key's value.
                        Some(Open::Seq { start, .. }) => matches!(
                            stack.iter().rev().nth(1),
                            Some(Open::Map { key: Some((_, k)), .. })
                                if self.text.get(k.start..k.end) == Some("<<") && k.end <= *start
                        ),
                        _ => false,
                    };
                    self.aliases.push(Alias {
                        span: here,
                        merge,
                        anchor,
                        target: node.span,
                    });
                    node
                }
                Event::MappingStart(anchor, ref tag) | Event::SequenceStart(anchor, ref tag) => {
                    if stack.len() >= MAX_DEPTH {
                        return Err(error(
                            here,
                            format!("nesting is deeper than {MAX_DEPTH} levels"),
                            "too deep",
                            None,
                        ));
                    }
                    let tag = tag.as_deref().and_then(intrinsic_name);
                    // A container's span starts at its content (or its tag), not at its anchor.
                    let props = properties(&self.text[here.start..], here.start);
                    let start = match (props.anchor, props.tag) {
                        (_, Some(t)) => t.start,
                        (Some(_), None) => props.content,
                        (None, None) => here.start,
                    };
                    if let Some(a) = props.anchor.filter(|_| anchor != 0) {
                        self.anchor_spans.insert(anchor, a);
                    }
                    stack.push(if matches!(event, Event::MappingStart(..)) {
                        Open::Map {
                            start,
                            tag,
                            anchor,
                            members: Vec::new(),
                            key: None,
                        }
                    } else {
                        Open::Seq {
                            start,
                            tag,
                            anchor,
                            items: Vec::new(),
                        }
                    });
                    continue;
                }
                Event::MappingEnd | Event::SequenceEnd => {
                    let (node, tag, anchor) = match stack.pop() {
                        Some(Open::Map {
                            start,
                            tag,
                            anchor,
                            members,
                            ..
                        }) => {
                            let end = members
                                .last()
                                .map_or(here.end, |m| m.value.span.end)
                                .max(here.end.min(self.flow_end(here)));
                            let mut members = merge_keys(self.text, members, &mut self.merge_keys);
                            // Vec growth leaves up to half unused (a two-key mapping has
                            // room for four); trees of big files add up.
                            members.shrink_to_fit();
                            (
                                Node {
                                    span: Span::new(start, end.max(start)),
                                    kind: NodeKind::Object(members.into()),
                                },
                                tag,
                                anchor,
                            )
                        }
                        Some(Open::Seq {
                            start,
                            tag,
                            anchor,
                            mut items,
                        }) => {
                            items.shrink_to_fit();
                            let end = items
                                .last()
                                .map_or(here.end, |n| n.span.end)
                                .max(here.end.min(self.flow_end(here)));
                            (
                                Node {
                                    span: Span::new(start, end.max(start)),
                                    kind: NodeKind::Array(items.into()),
                                },
                                tag,
                                anchor,
                            )
                        }
                        None => continue,
                    };
                    let node = match tag {
                        Some(name) => wrap(name, node),
                        None => node,
                    };
                    let anchor_span = self.anchor_spans.remove(&anchor);
                    self.remember(anchor, &node, anchor_span);
                    node
                }
                Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => continue,
            };
            self.nodes += 1;
            match stack.last_mut() {
                None => root = Some(node),
                Some(Open::Seq { items, .. }) => items.push(node),
                Some(Open::Map { members, key, .. }) => match key.take() {
                    None => match &node.kind {
                        NodeKind::String(k) => *key = Some((k.clone(), node.span)),
                        NodeKind::Number(k) => *key = Some((k.clone(), node.span)),
                        NodeKind::Bool(b) => *key = Some((Str::owned(b.to_string()), node.span)),
                        NodeKind::Null => *key = Some((Str::borrowed(""), node.span)),
                        _ => {
                            return Err(error(
                                node.span,
                                "a mapping key must be a plain value, not a list or mapping".into(),
                                "complex key",
                                None,
                            ))
                        }
                    },
                    Some((k, key_span)) => members.push(Member {
                        key: k,
                        key_span,
                        value: node,
                    }),
                },
            }
        }
        root.ok_or_else(|| {
            error(
                Span::new(0, 0),
                "the input is empty: expected a YAML document".into(),
                "expected a document here",
                Some("a replication configuration starts with `rules:`"),
            )
        })
    }

    /// The end of a flow collection's closing bracket, or 0 for block ones
    /// (whose end event sits at the next token).
    fn flow_end(&self, here: Span) -> usize {
        match self.text.as_bytes().get(here.start) {
            Some(b']' | b'}') => here.end,
            _ => 0,
        }
    }

    fn remember(&mut self, anchor: usize, node: &Node<'s>, written: Option<Span>) {
        if anchor != 0 {
            let written = written.unwrap_or(Span::new(node.span.start, node.span.start));
            self.anchors.insert(anchor, (node.clone(), written));
        }
    }

    fn count(&mut self, node: &Node<'s>, at: Span) -> Result<(), ParseError> {
        fn size(n: &Node) -> usize {
            1 + match &n.kind {
                NodeKind::Array(items) => items.iter().map(size).sum(),
                NodeKind::Object(members) => members.iter().map(|m| size(&m.value)).sum(),
                _ => 0,
            }
        }
        self.nodes += size(node);
        if self.nodes > MAX_NODES {
            return Err(error(
                at,
                format!("aliases expand to more than {MAX_NODES} values"),
                "expansion too large",
                Some("a document that multiplies through aliases (\"billion laughs\") is refused"),
            ));
        }
        Ok(())
    }

    fn scalar(
        &self,
        value: Cow<'s, str>,
        style: ScalarStyle,
        tag: Option<&Tag>,
        span: Span,
        props: &Properties,
    ) -> Result<Node<'s>, ParseError> {
        let value_start = props.content.min(span.end);
        // The parser's span of a quoted scalar runs on to the next token,
        // over a comment after it (`"x" # note`): it ends at the closing quote.
        let end = match style {
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => self
                .text
                .get(value_start..span.end)
                .and_then(|quoted| quoted_len(quoted, style == ScalarStyle::DoubleQuoted))
                .map_or(span.end, |len| value_start + len),
            _ => span.end,
        };
        let span = Span::new(span.start, end);
        let value_span = Span::new(value_start, span.end);
        let value = self.borrowed(value, style, value_span);
        let kind = match tag.and_then(core_tag) {
            Some(core) => resolve_tagged(core, value),
            None if style != ScalarStyle::Plain => NodeKind::String(value.into()),
            None => resolve_plain(value),
        };
        let node = Node { span: value_span, kind };
        Ok(match tag.and_then(intrinsic_name) {
            Some(name) => {
                let tag_span = props.tag.unwrap_or(Span::new(span.start, span.start));
                let mut wrapped = wrap(name, node);
                wrapped.span = Span::new(tag_span.start, span.end);
                if let NodeKind::Object(m) = &mut wrapped.kind {
                    m[0].key_span = tag_span;
                }
                wrapped
            }
            None => node,
        })
    }

    /// The parser's copy of a scalar replaced by the source text it equals
    /// (a plain scalar on one line, a quoted one without escapes): the parser
    /// allocates every plain scalar, and a big template's tree would hold
    /// those copies as long as the file is linted.
    fn borrowed(&self, value: Cow<'s, str>, style: ScalarStyle, span: Span) -> Cow<'s, str> {
        let Cow::Owned(copy) = &value else {
            return value;
        };
        let source = match style {
            ScalarStyle::Plain => self.text.get(span.start..span.end),
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted if span.len() >= 2 => {
                self.text.get(span.start + 1..span.end - 1)
            }
            _ => None,
        };
        match source {
            Some(source) if source == copy => Cow::Borrowed(source),
            _ => value,
        }
    }
}

/// The node properties written before a value: `&anchor` and `!tag`, in
/// either order (absolute spans), and where the content starts.
struct Properties {
    anchor: Option<Span>,
    tag: Option<Span>,
    content: usize,
}

/// Reads the properties at the start of `raw`, the text from an event on, which starts
/// at byte `at` of the file. Blanks, line breaks and comments may separate
/// them from the content.
fn properties(raw: &str, at: usize) -> Properties {
    let mut props = Properties {
        anchor: None,
        tag: None,
        content: at,
    };
    let mut pos = 0;
    for _ in 0..2 {
        let rest = &raw[pos..];
        let slot = match rest.as_bytes().first() {
            Some(b'&') if props.anchor.is_none() => &mut props.anchor,
            Some(b'!') if props.tag.is_none() => &mut props.tag,
            _ => break,
        };
        let len = rest.find(char::is_whitespace).unwrap_or(rest.len());
        *slot = Some(Span::new(at + pos, at + pos + len));
        pos += len;
        // Blanks, line breaks and a comment up to the end of its line.
        loop {
            let rest = &raw[pos..];
            let trimmed = rest.trim_start();
            pos += rest.len() - trimmed.len();
            if trimmed.starts_with('#') {
                pos += trimmed.find(['\n', '\r']).unwrap_or(trimmed.len());
            } else {
                break;
            }
        }
    }
    props.content = at + pos;
    props
}

/// The length of the quoted scalar at the start of `text`, quotes
/// included: `"` ends a double-quoted one unless escaped by `\`; in a
/// single-quoted one `''` is a quote and `'` alone ends it.
fn quoted_len(text: &str, double: bool) -> Option<usize> {
    let quote = if double { '"' } else { '\'' };
    let mut chars = text.char_indices();
    if chars.next()?.1 != quote {
        return None;
    }
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if double => {
                chars.next();
            }
            c if c == quote => {
                if !double && text[i + 1..].starts_with('\'') {
                    chars.next();
                } else {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// YAML 1.1 merge keys (<https://yaml.org/type/merge.html>): a plain `<<`
/// whose value is a mapping, or a list of them, adds their members that the
/// mapping does not set itself (earlier sources win). The merged members come
/// first: their spans (the anchored mapping's, earlier in the text) keep the
/// members in source order for position lookups.
fn merge_keys<'s>(text: &str, members: Vec<Member<'s>>, expanded: &mut Vec<Span>) -> Vec<Member<'s>> {
    let is_merge = |m: &Member| text.get(m.key_span.start..m.key_span.end) == Some("<<");
    if !members.iter().any(is_merge) {
        return members;
    }
    let (merges, own): (Vec<_>, Vec<_>) = members.into_iter().partition(is_merge);
    let mut merged: Vec<Member<'s>> = Vec::new();
    for m in merges {
        if matches!(m.value.kind, NodeKind::Object(_) | NodeKind::Array(_)) {
            expanded.push(m.key_span);
        }
        let sources: Vec<Node<'s>> = match m.value.kind {
            NodeKind::Object(_) => vec![m.value],
            NodeKind::Array(items) => items.into_vec(),
            // Not mergeable: kept as a plain key, for the schema to report.
            _ => {
                merged.push(m);
                continue;
            }
        };
        for source in sources {
            let NodeKind::Object(source_members) = source.kind else {
                continue;
            };
            for sm in source_members {
                let taken = |k: &str| own.iter().chain(&merged).any(|o| o.key == k);
                if !taken(&sm.key) {
                    merged.push(sm);
                }
            }
        }
    }
    merged.extend(own);
    merged
}

/// The span of the key when a scan error is YAML's limit on an implicit
/// key (1,024 characters on one line): the scanner reports it as a missing
/// `:` or, where a key is optional, as a misplaced `: ` after a long scalar.
fn over_long_key(text: &str, at: usize, info: &str) -> Option<Span> {
    if info != "simple key expect ':'" && !info.contains("mapping values are not allowed") {
        return None;
    }
    let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = &text[line_start..at];
    let indent = line.len() - line.trim_start_matches([' ', '-']).len();
    let key_start = line_start + indent;
    let key = &text[key_start..at];
    (key.chars().count() >= 1024 && !key.contains(": ")).then(|| Span::new(key_start, at))
}

fn yaml_help(info: &str) -> Option<&'static str> {
    if info.contains("tab") {
        Some("YAML indentation must use spaces, not tabs")
    } else if info.contains("mapping values are not allowed") {
        Some("a value after `key:` that contains `: ` must be quoted")
    } else {
        None
    }
}
