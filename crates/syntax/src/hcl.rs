//! Terraform's HCL native syntax (`.tf`), read with `hcl-edit` and turned
//! into the span tree that the same configuration written in Terraform's
//! JSON syntax (`.tf.json`) gives when read as JSON, so one document shape
//! serves both. The mapping:
//!
//! - **Top-level blocks with labels** (`resource`, `data`, `module`,
//!   `variable`, `output`, `provider`, ...) nest one object per label, each
//!   label (with its quotes) being the key span:
//!   `resource "TYPE" "NAME" {…}` → `{"resource": {"TYPE": {"NAME": BODY}}}`.
//!   Blocks that share labels are merged level by level (every
//!   `resource` block under one `resource` member, at its first
//!   occurrence). A `provider` block's body is always in an array
//!   (`{"provider": {"aws": [BODY, …]}}`: providers repeat, with aliases);
//!   any other leaf is the body itself, or an array of bodies when two
//!   blocks have the same labels (an error for Terraform, but nothing is
//!   lost).
//! - **Blocks without labels** (`terraform`, `locals`, and every nested
//!   block) are always an array of bodies under the block type, even a
//!   single one: `replication_configuration { rule { destination {…} } }` →
//!   `{"replication_configuration": [{"rule": [{"destination": [{…}]}]}]}`.
//!   Blocks of one type interleaved with others are grouped under the first
//!   one's member.
//! - **Nested blocks with labels** (`dynamic "destination" {…}`) are an
//!   array with one item per block, each item an object per label whose
//!   innermost value is an array of the body:
//!   `{"dynamic": [{"destination": [{"for_each": "${…}", "content": [{…}]}]}]}`,
//!   one of the forms Terraform's JSON syntax accepts for dynamic blocks.
//! - **Attributes** are members (key span: the name; value span: the
//!   expression). Literals map to JSON: strings (escapes decoded), numbers
//!   (as JSON number text), `true`/`false`, `null`, tuples → arrays, object
//!   constructors → objects (a key that is not a literal is `${…}`).
//! - **Every other expression** (`var.region`, `local.x`, a function call,
//!   a `for` expression, a conditional, a reference such as
//!   `data.aws_caller_identity.current.account_id`) is a string
//!   `${SOURCE TEXT}` spanning the expression, as the JSON syntax writes it.
//!   A template string keeps its interpolations and directives verbatim
//!   (`"${var.team}/"`), its literal parts decoded; a literal `${` or `%{`
//!   (written `$${` / `%%{` in HCL) stays `$${` / `%%{`, so every string
//!   means what it means in the JSON syntax: text with `${`/`%{` is a
//!   template, `$${`/`%%{` is the literal. Heredocs (`<<EOF`, `<<-EOF`,
//!   indentation removed) are strings under the same rules. (A directive's
//!   own literal text, inside `%{ if }…%{ endif }`, is kept as written.)
//!
//! Spans: a block's body spans its braces; the array that groups blocks of
//! one type spans from the first block's type name to the last block's
//! closing brace; a label level spans from its label to the last block's
//! end. Grouped blocks may be interleaved with other members, so the spans
//! of members can overlap: [`Node::pointer_at`] handles that.
//!
//! Depth: `hcl-edit` refuses input nested more than 64 levels (a parse
//! error, not a stack overflow); labels add levels it does not count, so
//! the tree's depth is checked here against [`MAX_DEPTH`] too.
//!
//! Memory: hcl-edit's tree is about 15 times the text, so a file larger
//! than `split::PIECE` is parsed a piece at a time (`split`), with the
//! same tree, comments and errors as the whole parse.

mod comments;
mod split;

use super::{decode_utf8, Member, Node, NodeKind, ParseError, Parsed, Span, Str, MAX_DEPTH};
use hcl_edit::expr::{Expression, ObjectKey};
use hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use hcl_edit::template::Element;
use hcl_edit::Span as _;
use std::borrow::Cow;
use std::collections::HashMap;
use std::ops::Range;

/// Parses a whole `.tf` file. A UTF-8 byte-order mark is skipped; spans
/// still count its bytes.
pub fn parse(bytes: &[u8]) -> Result<Node<'_>, ParseError> {
    parse_body(bytes, false).map(|parsed| parsed.root)
}

/// [`parse`], with the file's comments (`#`, `//` and `/* */`).
pub fn parse_with_comments(bytes: &[u8]) -> Result<Parsed<'_>, ParseError> {
    parse_body(bytes, true)
}

fn parse_body(bytes: &[u8], comments: bool) -> Result<Parsed<'_>, ParseError> {
    let text = decode_utf8(bytes)?;
    let base = if text.starts_with('\u{feff}') { 3 } else { 0 };
    // A large file is parsed a piece at a time, so that hcl-edit's tree
    // (about 15 times the text) is never whole; any doubt about the pieces
    // (and every syntax error) sends it through the whole parse below.
    if text.len() - base > split::PIECE {
        if let Some(parsed) = split::parse(text, base, comments, split::PIECE) {
            return Ok(parsed);
        }
    }
    parse_whole(text, base, comments)
}

fn parse_whole(text: &str, base: usize, comments: bool) -> Result<Parsed<'_>, ParseError> {
    let body = hcl_edit::parser::parse_body(&text[base..]).map_err(|e| syntax_error(text, base, &e))?;
    let cx = Cx { text, base, skip: 0 };
    // Comments are read off hcl-edit's tree before the conversion consumes it.
    let comments = if comments {
        comments::of_body(text, base, &body)
    } else {
        Vec::new()
    };
    let members = cx.body(body, 1, true)?;
    Ok(Parsed {
        root: Node {
            span: Span::new(0, text.len()),
            kind: NodeKind::Object(members.into()),
        },
        comments,
    })
}

/// Parses the expression written at `span` of `text` (a whole file) into
/// a node, converted as [`parse`] converts attribute values, its spans
/// those of the file. For expressions the front end keeps as `${…}` text
/// (a `jsonencode({…})` argument) that a shape reads as a tree.
pub fn parse_expression(text: &str, span: Span) -> Result<Node<'_>, ParseError> {
    let source = text.get(span.start..span.end).unwrap_or_default();
    let expr = hcl_edit::parser::parse_expr(source).map_err(|e| syntax_error(text, span.start, &e))?;
    let cx = Cx {
        text,
        base: span.start,
        skip: 0,
    };
    cx.expr(&expr, 1, span)
}

/// The branches of the conditional expression written at `span` of `text`
/// (`cond ? a : b`): the spans of `a` and `b`. `None` for any other expression.
pub fn conditional_branches(text: &str, span: Span) -> Option<[Span; 2]> {
    let source = text.get(span.start..span.end)?;
    let Expression::Conditional(c) = hcl_edit::parser::parse_expr(source).ok()? else {
        return None;
    };
    let at = |r: std::ops::Range<usize>| Span::new(span.start + r.start, span.start + r.end);
    Some([at(c.true_expr.span()?), at(c.false_expr.span()?)])
}

/// What an expression is, for a front end that evaluates a few of them:
/// its parts as spans of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExpressionForm {
    /// `name(arg, ...)`; `expand_final`: the last argument ends in `...`.
    Call {
        name: String,
        args: Vec<Span>,
        expand_final: bool,
    },
    /// `root.attribute["key"][0]...`: a name and the steps taken from it.
    Reference { root: String, steps: Vec<Step> },
    /// `( inner )`.
    Parenthesis(Span),
    /// Anything else (a literal, an operation, a `for` or a splat).
    Other,
}

/// One step of a [`ExpressionForm::Reference`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// `.name`.
    Attribute(String),
    /// `[expression]`, or the legacy `.0` (its span then that of the digits).
    Index(Span),
}

/// The form of the expression written at `span` of `text`; `None` when it
/// does not parse.
pub fn expression_form(text: &str, span: Span) -> Option<ExpressionForm> {
    let source = text.get(span.start..span.end)?;
    let expr = hcl_edit::parser::parse_expr(source).ok()?;
    let at = |r: Option<Range<usize>>| r.map(|r| Span::new(span.start + r.start, span.start + r.end));
    Some(match &expr {
        Expression::FuncCall(call) if call.name.namespace.is_empty() => ExpressionForm::Call {
            name: call.name.name.as_str().to_string(),
            args: call.args.iter().map(|a| at(a.span())).collect::<Option<_>>()?,
            expand_final: call.args.expand_final(),
        },
        Expression::Variable(v) => ExpressionForm::Reference {
            root: v.as_str().to_string(),
            steps: Vec::new(),
        },
        Expression::Traversal(t) => {
            let Expression::Variable(root) = &t.expr else {
                return Some(ExpressionForm::Other);
            };
            let mut steps = Vec::new();
            for op in &t.operators {
                steps.push(match op.value() {
                    hcl_edit::expr::TraversalOperator::GetAttr(name) => Step::Attribute(name.as_str().to_string()),
                    hcl_edit::expr::TraversalOperator::Index(index) => Step::Index(at(index.span())?),
                    hcl_edit::expr::TraversalOperator::LegacyIndex(_) => {
                        Step::Index(at(op.span()).map(|s| Span::new(s.start + 1, s.end))?)
                    }
                    _ => return Some(ExpressionForm::Other),
                });
            }
            ExpressionForm::Reference {
                root: root.as_str().to_string(),
                steps,
            }
        }
        Expression::Parenthesis(p) => ExpressionForm::Parenthesis(at(p.inner().span())?),
        _ => ExpressionForm::Other,
    })
}

/// The parser's error, at its position, with what Terraform users need to
/// hear: a string without its closing quote is named as such.
fn syntax_error(text: &str, base: usize, e: &hcl_edit::parser::Error) -> ParseError {
    if let Some(span) = unterminated_string(text, base) {
        return ParseError::new(
            span,
            "HCL syntax error: this string has no closing quote",
            "string not closed on this line",
            Some("add the closing `\"`: a quoted string ends on the line it starts (use a heredoc, `<<EOT`, for text on several lines)"),
        );
    }
    let at = (base + e.location().offset()).min(text.len());
    let at = (0..=at).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    let message = e.message();
    if text[at..].trim().is_empty() {
        return ParseError::new(
            Span::new(at, end),
            format!("HCL syntax error: the file ends inside a block or expression ({message})"),
            "file ends here",
            Some("a `{`, `[`, `(` or heredoc is not closed: add what closes it where it should end"),
        );
    }
    if message.contains("redefined attribute") {
        let name_end = text[at..]
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
            .map_or(text.len(), |i| at + i);
        let name = &text[at..name_end];
        return ParseError::new(
            Span::new(at, name_end.max(end)),
            format!("HCL syntax error: the argument `{name}` is already set in this block (Terraform: \"Attribute redefined\")"),
            "set again here",
            Some("each argument may be set only once: remove one of them"),
        );
    }
    let label = match message.split_once(';') {
        Some((what, _)) => what.trim(),
        None => "syntax error",
    };
    ParseError::new(
        Span::new(at, end),
        format!("HCL syntax error: {message}"),
        label,
        Some("Terraform cannot read this file either (`terraform validate` reports it): fix the syntax here"),
    )
}

/// The first quoted string whose line ends before its closing quote, as
/// the span from its opening quote to the end of the line. HCL's quoted
/// strings cannot hold a newline outside `${…}`; a missing quote makes the
/// parser fail far from the cause.
fn unterminated_string(text: &str, base: usize) -> Option<Span> {
    let b = text.as_bytes();
    let mut i = base;
    // Each open `${` / `%{` inside a string pushes the brace depth at which
    // the string resumes; strings nest inside interpolations.
    let mut resume: Vec<usize> = Vec::new();
    let mut braces = 0usize;
    let mut in_string: Option<usize> = None;
    while i < b.len() {
        let c = b[i];
        if let Some(start) = in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = None,
                b'\n' => {
                    let end = if i > 0 && b[i - 1] == b'\r' { i - 1 } else { i };
                    return Some(Span::new(start, end.max(start + 1)));
                }
                b'$' | b'%' if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') => i += 2,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    resume.push(braces);
                    braces += 1;
                    in_string = None;
                    i += 1;
                    // Remember where the string started for when it resumes.
                    resume.push(start);
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'"' => in_string = Some(i),
            b'#' => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = text[i + 2..].find("*/").map_or(b.len(), |j| i + 2 + j + 1);
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                // A heredoc: skip to its closing delimiter line.
                let rest = &text[i + 2..];
                let rest = rest.strip_prefix('-').unwrap_or(rest);
                let id_len = rest
                    .find(|ch: char| !(ch.is_alphanumeric() || ch == '_' || ch == '-'))
                    .unwrap_or(rest.len());
                if id_len > 0 && rest[id_len..].starts_with(['\n', '\r']) {
                    let id = &rest[..id_len];
                    let body_start = text.len() - rest.len() + id_len;
                    let mut pos = body_start;
                    let mut found = b.len();
                    while pos < b.len() {
                        let end = line_end(b, pos);
                        if text[pos..end].trim() == id {
                            found = end;
                            break;
                        }
                        pos = end + 1;
                    }
                    i = found;
                }
            }
            b'{' => braces += 1,
            b'}' => {
                braces = braces.saturating_sub(1);
                if resume.len() >= 2 && resume[resume.len() - 2] == braces {
                    let start = resume.pop().unwrap_or(i);
                    resume.pop();
                    in_string = Some(start);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

fn line_end(b: &[u8], from: usize) -> usize {
    b[from..].iter().position(|&c| c == b'\n').map_or(b.len(), |j| from + j)
}

struct Cx<'s> {
    text: &'s str,
    /// Where the parsed text starts in `text` (after a byte-order mark).
    base: usize,
    /// Bytes before `base` in the parsed text that are not the file's: the
    /// blocks a piece is wrapped in (see `split`).
    skip: usize,
}

/// A body member being built: blocks of one type gather into one member.
enum Slot<'s> {
    Attr(Member<'s>),
    /// Blocks as an array of items (bodies, or label objects for nested
    /// labelled blocks).
    Array {
        key: Cow<'s, str>,
        key_span: Span,
        items: Vec<Node<'s>>,
        span: Span,
    },
    /// Top-level labelled blocks, merged by label.
    Labels {
        key: Cow<'s, str>,
        key_span: Span,
        tree: LabelTree<'s>,
    },
}

/// A block's type, labels and where its body is.
struct Header<'s> {
    whole: Span,
    ident_span: Span,
    key: Cow<'s, str>,
    labels: Vec<(Cow<'s, str>, Span)>,
    body_span: Span,
}

/// The members of a body being built, in order, blocks of one type
/// gathered at the first one's place.
#[derive(Default)]
struct Members<'s> {
    slots: Vec<Slot<'s>>,
    groups: HashMap<(Cow<'s, str>, bool), usize>,
}

impl<'s> Members<'s> {
    /// A block with its converted body, under its type's member.
    fn place(&mut self, header: Header<'s>, top: bool, body: Vec<Member<'s>>) {
        let Header {
            whole,
            ident_span,
            key,
            labels,
            body_span,
        } = header;
        let labelled_top = top && !labels.is_empty();
        let body = Node {
            span: body_span,
            kind: NodeKind::Object(body.into()),
        };
        let provider = key == "provider";
        let slots = &mut self.slots;
        let slot = *self.groups.entry((key.clone(), labelled_top)).or_insert_with(|| {
            slots.push(if labelled_top {
                Slot::Labels {
                    key,
                    key_span: ident_span,
                    tree: LabelTree::default(),
                }
            } else {
                Slot::Array {
                    key,
                    key_span: ident_span,
                    items: Vec::new(),
                    span: whole,
                }
            });
            slots.len() - 1
        });
        match &mut slots[slot] {
            Slot::Labels { tree, .. } => tree.insert(&labels, body, whole.end, provider),
            Slot::Array { items, span, .. } => {
                *span = hull(*span, whole);
                items.push(if labels.is_empty() {
                    body
                } else {
                    label_chain(&labels, body, whole.end)
                });
            }
            Slot::Attr(_) => {}
        }
    }

    fn finish(self) -> Vec<Member<'s>> {
        self.slots
            .into_iter()
            .map(|slot| match slot {
                Slot::Attr(m) => m,
                Slot::Array {
                    key,
                    key_span,
                    items,
                    span,
                } => Member {
                    key: key.into(),
                    key_span,
                    value: Node {
                        span,
                        kind: NodeKind::Array(items.into()),
                    },
                },
                Slot::Labels { key, key_span, tree } => Member {
                    key: key.into(),
                    key_span,
                    value: tree.into_node(),
                },
            })
            .collect()
    }
}

#[derive(Default)]
struct LabelTree<'s> {
    entries: Vec<LabelEntry<'s>>,
    index: HashMap<(Cow<'s, str>, bool), usize>,
    span: Span,
}

struct LabelEntry<'s> {
    key: Cow<'s, str>,
    key_span: Span,
    value: LabelValue<'s>,
}

enum LabelValue<'s> {
    Tree(LabelTree<'s>),
    Bodies { bodies: Vec<Node<'s>>, array: bool },
}

fn hull(a: Span, b: Span) -> Span {
    Span::new(a.start.min(b.start), a.end.max(b.end))
}

impl<'s> LabelTree<'s> {
    fn insert(&mut self, labels: &[(Cow<'s, str>, Span)], body: Node<'s>, end: usize, array: bool) {
        let Some(((key, key_span), rest)) = labels.split_first() else {
            return;
        };
        let here = Span::new(key_span.start, end);
        self.span = if self.entries.is_empty() {
            here
        } else {
            hull(self.span, here)
        };
        let leaf = rest.is_empty();
        let slot = match self.index.get(&(key.clone(), leaf)) {
            Some(&i) => i,
            None => {
                self.entries.push(LabelEntry {
                    key: key.clone(),
                    key_span: *key_span,
                    value: if leaf {
                        LabelValue::Bodies {
                            bodies: Vec::new(),
                            array,
                        }
                    } else {
                        LabelValue::Tree(LabelTree::default())
                    },
                });
                self.index.insert((key.clone(), leaf), self.entries.len() - 1);
                self.entries.len() - 1
            }
        };
        match &mut self.entries[slot].value {
            LabelValue::Bodies { bodies, .. } => bodies.push(body),
            LabelValue::Tree(tree) => tree.insert(rest, body, end, array),
        }
    }

    fn into_node(self) -> Node<'s> {
        let members = self
            .entries
            .into_iter()
            .map(|e| Member {
                key: e.key.into(),
                key_span: e.key_span,
                value: match e.value {
                    LabelValue::Tree(tree) => tree.into_node(),
                    LabelValue::Bodies { mut bodies, array } => {
                        if bodies.len() == 1 && !array {
                            bodies.pop().unwrap_or_else(|| unreachable!())
                        } else {
                            let span = bodies.iter().map(|b| b.span).reduce(hull).unwrap_or_default();
                            Node {
                                span,
                                kind: NodeKind::Array(bodies.into()),
                            }
                        }
                    }
                },
            })
            .collect();
        Node {
            span: self.span,
            kind: NodeKind::Object(members),
        }
    }
}

impl<'s> Cx<'s> {
    fn span(&self, range: Option<Range<usize>>, fallback: Span) -> Span {
        match range {
            Some(r) if r.start >= self.skip && self.base + r.end - self.skip <= self.text.len() => {
                Span::new(self.base + r.start - self.skip, self.base + r.end - self.skip)
            }
            _ => fallback,
        }
    }

    fn source(&self, span: Span) -> &'s str {
        self.text.get(span.start..span.end).unwrap_or_default()
    }

    fn too_deep(&self, span: Span) -> ParseError {
        ParseError::new(
            span,
            format!("nesting is deeper than {MAX_DEPTH} levels"),
            "too deep",
            Some("no replication configuration nests this deep: check for a generated or corrupted file"),
        )
    }

    /// The members of a body: its attributes, and its blocks grouped by type.
    /// The body is consumed: each structure's parse tree (hcl-edit's, several
    /// times the size of ours) is freed once converted, so the two trees are
    /// not both whole at once.
    fn body(&self, body: Body, depth: usize, top: bool) -> Result<Vec<Member<'s>>, ParseError> {
        let mut members = Members::default();
        for structure in body {
            self.structure(structure, depth, top, &mut members)?;
        }
        Ok(members.finish())
    }

    /// One attribute or block of a body at `depth` (`top`: the file's).
    fn structure(
        &self,
        structure: Structure,
        depth: usize,
        top: bool,
        members: &mut Members<'s>,
    ) -> Result<(), ParseError> {
        match structure {
            Structure::Attribute(a) => {
                let whole = self.span(a.span(), Span::default());
                let key_span = self.span(a.key.span(), whole);
                let value = self.expr(&a.value, depth + 1, whole)?;
                members.slots.push(Slot::Attr(Member {
                    key: self.ident(key_span, a.key.as_str()).into(),
                    key_span,
                    value,
                }));
            }
            Structure::Block(b) => {
                let whole = self.span(b.span(), Span::default());
                let header = self.header(&b, whole);
                let body_depth = self.body_depth(&header, depth, top)?;
                let body = self.body(b.body, body_depth, false)?;
                members.place(header, top, body);
            }
        }
        Ok(())
    }

    /// An identifier's text, borrowed from the source (where it always
    /// is, for parsed input).
    fn ident(&self, span: Span, name: &str) -> Cow<'s, str> {
        match self.source(span) {
            at if at == name => Cow::Borrowed(at),
            _ => Cow::Owned(name.to_string()),
        }
    }

    /// What a block says before its body; `whole`: the block's span.
    fn header(&self, b: &Block, whole: Span) -> Header<'s> {
        let ident_span = self.span(b.ident.span(), Span::new(whole.start, whole.start));
        let key = self.ident(ident_span, b.ident.as_str());
        let mut labels: Vec<(Cow<'s, str>, Span)> = Vec::with_capacity(b.labels.len());
        let mut after = ident_span.end;
        for label in &b.labels {
            let (range, text) = match label {
                BlockLabel::Ident(i) => (i.span(), i.as_str()),
                BlockLabel::String(s) => (s.span(), s.as_str()),
            };
            let span = self.span(range, Span::new(after, after));
            after = span.end;
            labels.push((self.literal(span, text, true), span));
        }
        let open = self.open_brace(after, whole.end);
        Header {
            whole,
            ident_span,
            key,
            labels,
            body_span: Span::new(open, whole.end),
        }
    }

    /// The depth of a block's body, under the containers above it: a label
    /// level per label; an array for unlabelled and nested blocks, and for
    /// a provider's bodies.
    fn body_depth(&self, header: &Header<'s>, depth: usize, top: bool) -> Result<usize, ParseError> {
        let above = if top && !header.labels.is_empty() {
            header.labels.len() + usize::from(header.key == "provider")
        } else if header.labels.is_empty() {
            1
        } else {
            2 + header.labels.len()
        };
        let body_depth = depth + above + 1;
        if body_depth > MAX_DEPTH {
            return Err(self.too_deep(header.ident_span));
        }
        Ok(body_depth)
    }

    /// The `{` that opens a block's body, after its type and labels
    /// (comments may sit between).
    fn open_brace(&self, from: usize, end: usize) -> usize {
        let b = self.text.as_bytes();
        let mut i = from;
        while i < end {
            match b[i] {
                b'{' => return i,
                b'#' => i = line_end(b, i),
                b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i),
                b'/' if b.get(i + 1) == Some(&b'*') => {
                    i = self.text[i + 2..].find("*/").map_or(end, |j| i + 2 + j + 2);
                    continue;
                }
                _ => {}
            }
            i += 1;
        }
        from
    }

    /// A literal string's value, borrowed when it is the source text
    /// between the quotes; a literal `${`/`%{` is written `$${`/`%%{`.
    fn literal(&self, span: Span, value: &str, quoted: bool) -> Cow<'s, str> {
        let inner = if quoted && span.len() >= 2 {
            self.source(Span::new(span.start + 1, span.end - 1))
        } else {
            self.source(span)
        };
        let escaped = escape_markers(value);
        if inner == escaped {
            Cow::Borrowed(inner)
        } else {
            Cow::Owned(escaped.into_owned())
        }
    }

    fn expr(&self, e: &Expression, depth: usize, fallback: Span) -> Result<Node<'s>, ParseError> {
        let span = self.span(e.span(), fallback);
        if depth > MAX_DEPTH {
            return Err(self.too_deep(span));
        }
        let kind = match e {
            Expression::Null(_) => NodeKind::Null,
            Expression::Bool(b) => NodeKind::Bool(*b.value()),
            Expression::Number(n) => {
                let text = self.source(span);
                if is_json_number(text) {
                    NodeKind::Number(Str::borrowed(text))
                } else {
                    NodeKind::Number(Str::owned(n.value().to_string()))
                }
            }
            Expression::String(s) => NodeKind::String(self.literal(span, s.value(), true).into()),
            Expression::StringTemplate(t) => NodeKind::String(Str::owned(self.template(t.iter(), span))),
            Expression::HeredocTemplate(h) => NodeKind::String(Str::owned(self.template(h.template.iter(), span))),
            Expression::Array(items) => NodeKind::Array(
                items
                    .iter()
                    .map(|item| self.expr(item, depth + 1, span))
                    .collect::<Result<_, _>>()?,
            ),
            Expression::Object(object) => {
                let mut members = Vec::with_capacity(object.len());
                for (key, value) in object.iter() {
                    let key_span = self.span(key.span(), span);
                    let key_text = match key {
                        ObjectKey::Ident(i) => self.ident(key_span, i.as_str()),
                        ObjectKey::Expression(Expression::String(s)) => self.literal(key_span, s.value(), true),
                        ObjectKey::Expression(Expression::StringTemplate(t)) => {
                            Cow::Owned(self.template(t.iter(), key_span))
                        }
                        ObjectKey::Expression(_) => Cow::Owned(format!("${{{}}}", self.source(key_span))),
                    };
                    members.push(Member {
                        key: key_text.into(),
                        key_span,
                        value: self.expr(value.expr(), depth + 1, span)?,
                    });
                }
                NodeKind::Object(members.into())
            }
            _ => NodeKind::String(Str::owned(format!("${{{}}}", self.source(span)))),
        };
        Ok(Node { span, kind })
    }

    /// A template's text as the JSON syntax writes it: literal parts
    /// decoded (markers re-escaped), interpolations and directives as
    /// written.
    fn template<'e>(&self, elements: impl Iterator<Item = &'e Element>, fallback: Span) -> String {
        let mut out = String::new();
        for element in elements {
            match element {
                Element::Literal(l) => out.push_str(&escape_markers(l.value())),
                Element::Interpolation(i) => match i.span() {
                    Some(_) => out.push_str(self.source(self.span(i.span(), fallback))),
                    None => {
                        out.push_str("${");
                        out.push_str(self.source(self.span(i.expr.span(), fallback)));
                        out.push('}');
                    }
                },
                Element::Directive(d) => out.push_str(self.source(self.span(d.span(), fallback))),
            }
        }
        out
    }
}

/// A nested labelled block: `{"LABEL": … [BODY]}`.
fn label_chain<'s>(labels: &[(Cow<'s, str>, Span)], body: Node<'s>, end: usize) -> Node<'s> {
    match labels.split_first() {
        None => {
            let span = body.span;
            Node {
                span,
                kind: NodeKind::Array(vec![body].into()),
            }
        }
        Some(((key, key_span), rest)) => Node {
            span: Span::new(key_span.start, end),
            kind: NodeKind::Object(
                vec![Member {
                    key: key.clone().into(),
                    key_span: *key_span,
                    value: label_chain(rest, body, end),
                }]
                .into(),
            ),
        },
    }
}

/// `${` and `%{` in literal text, as the JSON syntax's escapes.
fn escape_markers(value: &str) -> Cow<'_, str> {
    if value.contains("${") || value.contains("%{") {
        Cow::Owned(value.replace("${", "$${").replace("%{", "%%{"))
    } else {
        Cow::Borrowed(value)
    }
}

/// RFC 8259's number grammar.
fn is_json_number(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let int_start = i;
    let n = digits(&mut i);
    if n == 0 || (n > 1 && b[int_start] == b'0') {
        return false;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

#[cfg(test)]
mod tests;
