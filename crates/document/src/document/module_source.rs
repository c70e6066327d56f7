//! A local module's source followed, as Terraform follows it: a `module`
//! block whose `source` is a relative path (`./modules/ecr`, `../ecr`)
//! naming a folder on disk is read as that folder's configuration (its
//! `.tf` and `.tf.json` files), and each input the caller sets is the
//! value of the module's variable of that name. An input whose variable
//! reaches a resource of ours (an `aws_ecr_replication_configuration`,
//! registry policy, creation template or account setting, or an
//! `aws_iam_policy_document` a registry policy reads; directly, through a
//! local, a `dynamic` block's `for_each` or `jsonencode`) is checked as
//! that resource's value: the module's tree with the caller's nodes put in
//! where the variable is used, so a value keeps its place in the caller's
//! file. The texts are joined (the caller's first) so that every node's
//! span indexes one text, and a span past the caller's is in the module.
//!
//! Only one level is followed (a module's own module calls are not), so a
//! module that calls itself ends there.

use super::module::{Folder, Folders, Module};
use super::terraform::{self as tf, bodies, labelled, whole_expression};
use super::terraform_eval::Evaluator;
use super::terraform_scope::Scope;
use crate::diagnostic::OtherFile;
use crate::syntax::{Member, Node, NodeKind, Span, Str};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Module arguments that are Terraform's own, never an input.
const META_ARGUMENTS: &[&str] = &["source", "version", "providers", "count", "for_each", "depends_on"];

/// Most references followed from one resource (locals naming locals).
const MAX_REFERENCES: usize = 64;

/// One module block of the caller whose source folder was read.
pub struct Call<'c> {
    /// The block's name label (`ecr`).
    pub name: &'c Member<'c>,
    /// Its `source`, as written.
    pub source: String,
    /// The block's body in the caller.
    pub body: &'c Node<'c>,
    /// The module's folder, as read.
    pub dir: PathBuf,
    /// The caller's text and every followed module's files, joined once
    /// for all the caller's calls (a copy per call made 200 calls in one
    /// file copy its text 200 times).
    pub joined: Arc<Joined>,
    /// This module's files among [`Joined::files`].
    pub files: std::ops::Range<usize>,
    /// The caller's inputs whose variable reaches a resource of ours.
    pub reaches: Vec<Reach>,
}

/// The caller's text, then each file of each module followed (a newline between).
pub struct Joined {
    pub text: String,
    /// Where the modules' files start: a span from here on is theirs.
    pub caller_len: usize,
    /// Each module file: where it starts in [`Joined::text`], and the file.
    pub files: Vec<(usize, Arc<OtherFile>)>,
}

/// A variable of the module that a resource of ours uses.
pub struct Reach {
    /// The variable's name, which the caller's input of that name sets.
    pub name: String,
    /// The resources it reaches (`aws_ecr_replication_configuration.this`).
    pub resources: Vec<String>,
    /// Its first use on the way, in [`Joined::text`].
    pub use_span: Span,
}

/// A local source as a path: Terraform makes its backslashes slashes on
/// every platform (`.\modules\ecr` is `./modules/ecr`).
fn local_path(source: &str) -> String {
    source.replace('\\', "/")
}

/// Whether the file has a module block with a local source.
pub fn has_local_calls(root: &Node) -> bool {
    has_local_calls_merged(root, None)
}

/// [`has_local_calls`], with the `source` of each block as `merged` (the
/// folder's module, and this file's index in it) applies it: an override
/// file's block without one takes the original's.
pub fn has_local_calls_merged(root: &Node, merged: Option<(&Module, usize)>) -> bool {
    tf::is_tree(root)
        && labelled(root, "module").any(|(name, body)| source_of(name, body, merged).is_some_and(tf::is_local_source))
}

/// The `source` of a module block as Terraform applies it.
fn source_of<'n>(name: &Member, body: &'n Node<'n>, merged: Option<(&'n Module, usize)>) -> Option<&'n str> {
    merged
        .and_then(|(module, _)| module.module_source(&name.key))
        .or_else(|| body.get("source").and_then(|s| s.value.as_str()))
}

/// The caller's module blocks with a local source whose folder (under
/// `folder`, the caller's) can be read; `text` is the caller's text.
/// Folders come from `folders` (the run's), read once each.
pub fn local_calls<'c>(root: &'c Node<'c>, text: &str, folder: &Path, folders: &Folders) -> Vec<Call<'c>> {
    local_calls_merged(root, text, folder, folders, None)
}

/// [`local_calls`] as override files merge the folder's module blocks
/// (`merged`: the folder's module, and this file's index in it): a block
/// takes the `source` Terraform applies, and its arguments an override
/// file replaces are not its inputs.
pub fn local_calls_merged<'c>(
    root: &'c Node<'c>,
    text: &str,
    folder: &Path,
    folders: &Folders,
    merged: Option<(&'c Module, usize)>,
) -> Vec<Call<'c>> {
    if !tf::is_tree(root) {
        return Vec::new();
    }
    let mut found = Vec::new();
    for (name, body) in labelled(root, "module") {
        let Some(source) = source_of(name, body, merged) else {
            continue;
        };
        if !tf::is_local_source(source) || tf::is_template(source) {
            continue;
        }
        let dir = folder.join(local_path(source));
        let Some(read) = folders.folder(&dir) else {
            continue;
        };
        found.push((name, source, body, dir, read));
    }
    if found.is_empty() {
        return Vec::new();
    }
    // Each module once in the joined text, however many blocks call it.
    let mut text = text.to_string();
    let caller_len = text.len();
    let mut files = Vec::new();
    let mut ranges: Vec<(*const Folder, std::ops::Range<usize>)> = Vec::new();
    for (_, _, _, dir, read) in &found {
        if ranges.iter().any(|(f, _)| std::ptr::eq(*f, Arc::as_ptr(read))) {
            continue;
        }
        let first = files.len();
        for (name, file) in &read.files {
            text.push('\n');
            files.push((
                text.len(),
                Arc::new(OtherFile {
                    path: shown(&dir.join(name)),
                    path_bytes: None,
                    text: file.to_string(),
                }),
            ));
            text.push_str(file);
        }
        ranges.push((Arc::as_ptr(read), first..files.len()));
    }
    let joined = Arc::new(Joined {
        text,
        caller_len,
        files,
    });
    let mut trees: Vec<(std::ops::Range<usize>, Node)> = Vec::new();
    let mut calls = Vec::new();
    for (name, source, body, dir, read) in found {
        let Some((_, range)) = ranges.iter().find(|(f, _)| std::ptr::eq(*f, Arc::as_ptr(&read))) else {
            continue;
        };
        if !trees.iter().any(|(r, _)| r == range) {
            trees.push((range.clone(), module_root(&joined, range.clone())));
        }
        let module = trees.iter().find(|(r, _)| r == range).map(|(_, t)| t);
        let inputs: Vec<&str> = input_members(body)
            .map(|m| m.key.as_ref())
            .filter(|input| !merged.is_some_and(|(module, own)| module.is_input_replaced(own, &name.key, input)))
            .collect();
        let reaches = module.map(|m| reaches(m, &joined.text, &inputs)).unwrap_or_default();
        calls.push(Call {
            name,
            source: source.to_string(),
            body,
            dir,
            joined: Arc::clone(&joined),
            files: range.clone(),
            reaches,
        });
    }
    calls
}

/// One instance of a call (its body `body`: the block as written, or an
/// instance a known `count` or `for_each` makes): its inputs whose
/// variable reaches a resource of ours, each read in the caller's scope
/// (with the spans of values a function made), and the module's tree with
/// them as its variables' values. The caller then evaluates that tree
/// ([`evaluated`], [`policies`]).
pub fn instance<'t>(
    call: &Call,
    module: &Node<'t>,
    body: &'t Node<'t>,
    caller_scope: &Scope<'t>,
    text: &'t str,
) -> (Node<'t>, Vec<(&'t str, Node<'t>)>, Vec<Span>) {
    let mut made = Vec::new();
    let inputs: Vec<(&str, Node)> = input_members(body)
        .filter(|m| call.reaches.iter().any(|r| m.key == r.name))
        .map(|m| {
            let (value, by_functions) = caller_value(&m.value, caller_scope, text);
            made.extend(by_functions);
            (m.key.as_ref(), value)
        })
        .collect();
    (with_inputs(module, &inputs), inputs, made)
}

/// The caller's inputs to a module block.
pub fn input_members<'c>(body: &'c Node<'c>) -> impl Iterator<Item = &'c Member<'c>> {
    body.as_object()
        .unwrap_or_default()
        .iter()
        .filter(|m| !META_ARGUMENTS.contains(&m.key.as_ref()))
}

/// A path without its `.` components, as shown in reports.
fn shown(path: &Path) -> String {
    let plain: PathBuf = path
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    plain.to_string_lossy().into_owned()
}

/// Every module file's top-level members under one root, spans in the joined text.
pub fn module_root(joined: &Joined, files: std::ops::Range<usize>) -> Node<'_> {
    let mut members = Vec::new();
    for (start, file) in &joined.files[files.clone()] {
        let text = &joined.text[*start..*start + file.text.len()];
        let format = super::module::format_of(&file.path);
        // A file that does not parse adds nothing: its own lint reports it.
        let Ok(root) = format.parse(text.as_bytes()) else {
            continue;
        };
        if let NodeKind::Object(found) = super::module::shifted(root, *start).kind {
            members.extend(found);
        }
    }
    let start = joined.files.get(files.start).map_or(joined.caller_len, |(s, _)| *s);
    let end = files
        .end
        .checked_sub(1)
        .and_then(|last| joined.files.get(last))
        .map_or(start, |(s, f)| s + f.text.len());
    Node {
        span: Span::new(start, end),
        kind: NodeKind::Object(members.into()),
    }
}

/// The resources of ours in a module: (address, body).
fn our_resources<'a>(root: &'a Node<'a>) -> Vec<(String, &'a Node<'a>)> {
    let mut found: Vec<(String, &Node)> = Vec::new();
    for (_, name, body) in tf::replication_resources(root) {
        found.push((format!("{}.{}", tf::RESOURCE_TYPE, name.key), body));
    }
    for (_, name, body) in tf::registry_policy_resources(root) {
        found.push((format!("{}.{}", tf::REGISTRY_POLICY_TYPE, name.key), body));
    }
    for (_, name, body) in tf::creation_template_resources(root) {
        found.push((format!("{}.{}", tf::CREATION_TEMPLATE_TYPE, name.key), body));
    }
    for (name, body) in tf::account_setting_resources(root) {
        found.push((format!("{}.{}", tf::ACCOUNT_SETTING_TYPE, name.key), body));
    }
    found
}

/// The names `<prefix><name>` names in `text[span]`, with their spans.
fn references(text: &str, span: Span, prefix: &str) -> Vec<(String, Span)> {
    let Some(slice) = text.get(span.start..span.end) else {
        return Vec::new();
    };
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    slice
        .match_indices(prefix)
        .filter(|(i, _)| !slice[..*i].chars().next_back().is_some_and(|c| word(c) || c == '.'))
        .filter_map(|(i, _)| {
            let rest = &slice[i + prefix.len()..];
            let len = rest.find(|c: char| !word(c)).unwrap_or(rest.len());
            (len > 0).then(|| {
                let start = span.start + i;
                (rest[..len].to_string(), Span::new(start, start + prefix.len() + len))
            })
        })
        .collect()
}

/// Which of `inputs` reach a resource of ours in the module: named in its
/// body, in a local it names (and the locals those name), or in an
/// `aws_iam_policy_document` it names.
fn reaches(module: &Node, text: &str, inputs: &[&str]) -> Vec<Reach> {
    let locals: Vec<&Member> = tf::members(module, "locals")
        .flat_map(|m| bodies(&m.value))
        .flat_map(|b| b.as_object().unwrap_or_default())
        .collect();
    let documents: Vec<(&Member, &Node)> = tf::labelled2(module, "data")
        .filter(|(ty, _, _)| ty.key == tf::POLICY_DOCUMENT_TYPE)
        .map(|(_, name, body)| (name, body))
        .collect();
    let mut out: Vec<Reach> = Vec::new();
    for (address, body) in our_resources(module) {
        let mut spans = vec![body.span];
        let mut seen = 0;
        while let Some(span) = spans.pop() {
            seen += 1;
            if seen > MAX_REFERENCES {
                break;
            }
            for (name, at) in references(text, span, "var.") {
                if !inputs.contains(&name.as_str()) {
                    continue;
                }
                match out.iter_mut().find(|r| r.name == name) {
                    Some(reach) if !reach.resources.contains(&address) => reach.resources.push(address.clone()),
                    Some(_) => {}
                    None => out.push(Reach {
                        name,
                        resources: vec![address.clone()],
                        use_span: at,
                    }),
                }
            }
            for (name, _) in references(text, span, "local.") {
                spans.extend(locals.iter().filter(|l| l.key == name).map(|l| l.value.span));
            }
            for (name, _) in references(text, span, "data.aws_iam_policy_document.") {
                spans.extend(documents.iter().filter(|(n, _)| n.key == name).map(|(_, b)| b.span));
            }
        }
    }
    out
}

/// A caller's input, read in the caller's scope: what stays unknown there
/// is renamed so that the module's scope does not read it as its own
/// (`var.x` of the caller is not the module's `var.x`). With the spans of
/// the values a function made (no text there to edit).
pub fn caller_value<'t>(value: &Node<'t>, scope: &Scope<'t>, text: &'t str) -> (Node<'t>, Vec<Span>) {
    let mut evaluator = Evaluator::new(scope, text);
    let value = evaluator.value(value).unwrap_or_else(|_| value.clone());
    fn foreign(node: Node<'_>) -> Node<'_> {
        let kind = match node.kind {
            NodeKind::String(s) => match whole_expression(&s) {
                Some(e) => NodeKind::String(Str::owned(format!("${{caller.{}}}", e.trim()))),
                None => NodeKind::String(s),
            },
            NodeKind::Array(items) => NodeKind::Array(items.into_vec().into_iter().map(foreign).collect()),
            NodeKind::Object(members) => NodeKind::Object(
                members
                    .into_vec()
                    .into_iter()
                    .map(|m| Member {
                        value: foreign(m.value),
                        ..m
                    })
                    .collect(),
            ),
            other => other,
        };
        Node { span: node.span, kind }
    }
    (foreign(value), evaluator.made)
}

/// The expression of a caller's input (`local.r`, `var.r`, at any depth
/// of the input's value) whose value, read in the caller's scope, holds
/// `span`: a finding on a value the caller wrote elsewhere in its file.
/// Its span and its text.
pub fn expression_holding<'t>(
    input: &Node<'t>,
    span: Span,
    scope: &Scope<'t>,
    text: &'t str,
) -> Option<(Span, String)> {
    fn holds(node: &Node, span: Span) -> bool {
        (node.span.start <= span.start && span.end <= node.span.end)
            || match &node.kind {
                NodeKind::Array(items) => items.iter().any(|n| holds(n, span)),
                NodeKind::Object(members) => members.iter().any(|m| holds(&m.value, span)),
                _ => false,
            }
    }
    match &input.kind {
        NodeKind::Array(items) => items.iter().find_map(|n| expression_holding(n, span, scope, text)),
        NodeKind::Object(members) => members
            .iter()
            .find_map(|m| expression_holding(&m.value, span, scope, text)),
        NodeKind::String(s) => {
            let expression = whole_expression(s)?.trim();
            let value = Evaluator::new(scope, text).value(input).ok()?;
            holds(&value, span).then(|| (input.span, expression.to_string()))
        }
        _ => None,
    }
}

/// The module's tree with the caller's `inputs` as its variables' values:
/// each variable's `default` is the input (for the expressions that name
/// it), and each value that is `var.<name>` alone is the input itself.
pub fn with_inputs<'t>(node: &Node<'t>, inputs: &[(&str, Node<'t>)]) -> Node<'t> {
    let input = |node: &Node| {
        let e = node.as_str().and_then(whole_expression)?.trim();
        let name = e.strip_prefix("var.")?;
        inputs.iter().find(|(n, _)| *n == name).map(|(_, v)| v.clone())
    };
    if let Some(value) = input(node) {
        return value;
    }
    node.map_values(|key, n| {
        if key == Some("variable") {
            with_defaults(n, inputs)
        } else {
            with_inputs(n, inputs)
        }
    })
}

/// `variable` blocks (`{"NAME": BODY}`) with the inputs as defaults.
fn with_defaults<'t>(node: &Node<'t>, inputs: &[(&str, Node<'t>)]) -> Node<'t> {
    let body = |body: &Node<'t>, value: &Node<'t>, at: Span| {
        let mut members: Vec<Member<'t>> = body
            .as_object()
            .unwrap_or_default()
            .iter()
            .filter(|m| m.key != "default")
            .cloned()
            .collect();
        members.push(Member {
            key: Str::borrowed("default"),
            key_span: at,
            value: value.clone(),
        });
        Node {
            span: body.span,
            kind: NodeKind::Object(members.into()),
        }
    };
    let kind = match &node.kind {
        NodeKind::Array(items) => NodeKind::Array(items.iter().map(|n| with_defaults(n, inputs)).collect()),
        NodeKind::Object(labels) => NodeKind::Object(
            labels
                .iter()
                .map(|label| match inputs.iter().find(|(n, _)| *n == label.key) {
                    Some((_, value)) => Member {
                        value: match &label.value.kind {
                            NodeKind::Object(_) => body(&label.value, value, label.key_span),
                            _ => label.value.clone(),
                        },
                        ..label.clone()
                    },
                    None => label.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Node { span: node.span, kind }
}

/// The tree as Terraform makes it from known values: each `dynamic` block
/// whose `for_each` is known expanded into the blocks it makes (nested
/// ones too, each `<iterator>.value` and `.key` read as the element's),
/// and each expression whose value is known (`var.x`, `local.x`, a known
/// function) replaced by that value. A `jsonencode` is left as written:
/// a policy, read as one ([`policies`]).
pub fn evaluated<'t>(node: &'t Node<'t>, scope: &Scope<'t>, text: &'t str) -> Node<'t> {
    Expander {
        scope,
        text,
        bindings: Vec::new(),
        made: 0,
    }
    .node(node, 0)
}

/// Nesting of `dynamic` blocks expanded, at most.
const MAX_NESTING: usize = 8;

/// Blocks made by `dynamic` blocks in one module, at most: nested ones
/// multiply, and a module's own long lists must not make millions.
const MAX_BLOCKS: usize = 10_000;

/// An object's members being gathered, with where each key is first: a
/// scan of the members for each new one made a module's `locals` block of
/// 200,000 members take 46 s to expand (quadratic; 0.1 s now).
struct Gathered<'t> {
    members: Vec<Member<'t>>,
    first: HashMap<Cow<'t, str>, usize>,
}

impl<'t> Gathered<'t> {
    fn with_capacity(n: usize) -> Self {
        Gathered {
            members: Vec::with_capacity(n),
            first: HashMap::new(),
        }
    }

    /// The first member named `key`.
    fn first_mut(&mut self, key: &str) -> Option<&mut Member<'t>> {
        let i = *self.first.get(key)?;
        self.members.get_mut(i)
    }

    fn push(&mut self, member: Member<'t>) {
        self.first
            .entry(member.key.clone().into())
            .or_insert(self.members.len());
        self.members.push(member);
    }
}

struct Expander<'s, 't> {
    scope: &'s Scope<'t>,
    text: &'t str,
    /// The iterators of the `dynamic` blocks around: (name, value, key).
    bindings: Vec<(String, Node<'t>, Node<'t>)>,
    /// Blocks made so far ([`MAX_BLOCKS`]).
    made: usize,
}

impl<'t> Expander<'_, 't> {
    fn evaluator(&self) -> Evaluator<'_, 't> {
        let mut evaluator = Evaluator::new(self.scope, self.text);
        for (name, value, key) in &self.bindings {
            evaluator.bind(name.clone(), vec![("value", value.clone()), ("key", key.clone())]);
        }
        evaluator
    }

    fn node(&mut self, node: &'t Node<'t>, depth: usize) -> Node<'t> {
        match &node.kind {
            NodeKind::String(s) => {
                let Some(e) = whole_expression(s) else {
                    return node.clone();
                };
                if e.trim_start().starts_with("jsonencode") {
                    return node.clone();
                }
                match self.evaluator().value(node) {
                    Ok(value) if value.span != node.span || value.as_str().is_none() => value,
                    _ => node.clone(),
                }
            }
            NodeKind::Array(items) => Node {
                span: node.span,
                kind: NodeKind::Array(items.iter().map(|n| self.node(n, depth)).collect()),
            },
            NodeKind::Object(members) => {
                let mut out = Gathered::with_capacity(members.len());
                for m in members {
                    if m.key == "dynamic" && depth < MAX_NESTING {
                        if let Some(made) = self.dynamic(m, depth) {
                            for (key, key_span, blocks) in made {
                                match out.first_mut(&key) {
                                    Some(Member {
                                        value:
                                            Node {
                                                kind: NodeKind::Array(items),
                                                ..
                                            },
                                        ..
                                    }) => crate::syntax::extend_boxed(items, blocks),
                                    _ => out.push(Member {
                                        key: Str::owned(key),
                                        key_span,
                                        value: Node {
                                            span: key_span,
                                            kind: NodeKind::Array(blocks.into()),
                                        },
                                    }),
                                }
                            }
                            continue;
                        }
                    }
                    let value = self.node(&m.value, depth);
                    match (out.first_mut(&m.key), value.kind) {
                        // Blocks made by a `dynamic` before: the written ones join them.
                        (
                            Some(Member {
                                value:
                                    Node {
                                        kind: NodeKind::Array(items),
                                        ..
                                    },
                                ..
                            }),
                            NodeKind::Array(more),
                        ) if m.key != "dynamic" => crate::syntax::extend_boxed(items, more),
                        (_, kind) => out.push(Member {
                            value: Node { span: value.span, kind },
                            ..m.clone()
                        }),
                    }
                }
                Node {
                    span: node.span,
                    kind: NodeKind::Object(out.members.into()),
                }
            }
            _ => node.clone(),
        }
    }

    /// The blocks a `dynamic` member makes, by block type, when every
    /// `for_each` in it is known; `None` leaves it as written.
    #[allow(clippy::type_complexity)]
    fn dynamic(&mut self, member: &'t Member<'t>, depth: usize) -> Option<Vec<(String, Span, Vec<Node<'t>>)>> {
        let mut made = Vec::new();
        for label in bodies(&member.value).flat_map(|b| b.as_object().unwrap_or_default()) {
            let mut blocks = Vec::new();
            for body in bodies(&label.value) {
                let for_each = body.get("for_each")?;
                let known = self.evaluator().value(&for_each.value).ok()?;
                let iterator = body
                    .get("iterator")
                    .and_then(|i| i.value.as_str())
                    .map_or(label.key.to_string(), |i| {
                        whole_expression(i).unwrap_or(i).trim().to_string()
                    });
                let elements: Vec<(Node<'t>, Node<'t>)> = match known.kind {
                    NodeKind::Array(items) => items
                        .into_vec()
                        .into_iter()
                        .enumerate()
                        .map(|(i, n)| {
                            let key = Node {
                                span: n.span,
                                kind: NodeKind::Number(Str::owned(i.to_string())),
                            };
                            (key, n)
                        })
                        .collect(),
                    NodeKind::Object(members) => members
                        .into_vec()
                        .into_iter()
                        .map(|m| {
                            let key = Node {
                                span: m.key_span,
                                kind: NodeKind::String(m.key.clone()),
                            };
                            (key, m.value)
                        })
                        .collect(),
                    _ => return None,
                };
                self.made += elements.len();
                if self.made > MAX_BLOCKS {
                    return None;
                }
                let contents: Vec<&Node<'t>> = tf::dynamic_content(body)
                    .into_iter()
                    .flat_map(|c| bodies(&c.value))
                    .collect();
                // Content that passes each element's attributes through under
                // their own names makes the element the block's body: its keys
                // are the block's, checked as the resource's.
                let through = match contents.as_slice() {
                    [content] => passes_through(content, &iterator).then_some(*content),
                    _ => None,
                };
                for (key, value) in elements {
                    if let (Some(content), NodeKind::Object(_)) = (through, &value.kind) {
                        blocks.push(as_block(&value, content));
                        continue;
                    }
                    self.bindings.push((iterator.clone(), value, key));
                    for content in &contents {
                        blocks.push(self.node(content, depth + 1));
                    }
                    self.bindings.pop();
                }
            }
            made.push((label.key.to_string(), label.key_span, blocks));
        }
        Some(made)
    }
}

/// Whether every argument of a `dynamic` block's `content` is
/// `<iterator>.value.<its own name>`, and every `dynamic` block in it
/// iterates `<iterator>.value.<its label>` with such content.
fn passes_through(content: &Node, iterator: &str) -> bool {
    let members = content.as_object().unwrap_or_default();
    !members.is_empty()
        && members.iter().all(|m| {
            if m.key != "dynamic" {
                let expected = format!("{iterator}.value.{}", m.key);
                return m.value.as_str().and_then(whole_expression).map(str::trim) == Some(expected.as_str());
            }
            bodies(&m.value)
                .flat_map(|b| b.as_object().unwrap_or_default())
                .all(|label| {
                    bodies(&label.value).all(|body| {
                        let expected = format!("{iterator}.value.{}", label.key);
                        let for_each = body
                            .get("for_each")
                            .and_then(|f| f.value.as_str())
                            .and_then(whole_expression);
                        let nested: Vec<&Node> = tf::dynamic_content(body)
                            .into_iter()
                            .flat_map(|c| bodies(&c.value))
                            .collect();
                        body.get("iterator").is_none()
                            && for_each.map(str::trim) == Some(expected.as_str())
                            && matches!(nested.as_slice(), [n] if passes_through(n, &label.key))
                    })
                })
        })
}

/// An element as the block a pass-through `content` makes of it: its own
/// members, each nested `dynamic` block's as a list of blocks.
fn as_block<'t, 'c>(element: &Node<'t>, content: &'c Node<'c>) -> Node<'t> {
    let nested = |key: &str| {
        tf::members(content, "dynamic")
            .flat_map(|m| bodies(&m.value))
            .flat_map(|b| b.as_object().unwrap_or_default())
            .filter(|label| label.key == key)
            .flat_map(|label| bodies(&label.value))
            .find_map(|body| tf::dynamic_content(body).and_then(|c| bodies(&c.value).next()))
    };
    let members = element
        .as_object()
        .unwrap_or_default()
        .iter()
        .map(|m| match nested(&m.key) {
            Some(inner) => {
                let items: Vec<Node<'t>> = match &m.value.kind {
                    NodeKind::Array(items) => items.iter().map(|i| as_block(i, inner)).collect(),
                    NodeKind::Object(_) => vec![as_block(&m.value, inner)],
                    _ => return m.clone(),
                };
                Member {
                    value: Node {
                        span: m.value.span,
                        kind: NodeKind::Array(items.into()),
                    },
                    ..m.clone()
                }
            }
            None => m.clone(),
        })
        .collect();
    Node {
        span: element.span,
        kind: NodeKind::Object(members),
    }
}

/// The registry policies of the module's `aws_ecr_registry_policy`
/// resources written as `jsonencode({…})`: the argument's tree, with the
/// caller's inputs in it (its known expressions are then [`evaluated`]).
pub fn policies<'t>(module: &Node<'t>, text: &'t str, inputs: &[(&str, Node<'t>)]) -> Vec<Node<'t>> {
    let mut out = Vec::new();
    for (_, _, body) in tf::registry_policy_resources(module) {
        let Some(policy) = tf::argument(body, "policy", tf::REGISTRY_POLICY_ARGUMENTS) else {
            continue;
        };
        let Some(e) = policy.value.as_str().and_then(whole_expression) else {
            continue;
        };
        if !e.trim_start().starts_with("jsonencode") {
            continue;
        }
        let Some(argument) = tf::jsonencode_argument(text, policy.value.span) else {
            continue;
        };
        let Ok(tree) = crate::syntax::hcl::parse_expression(text, argument) else {
            continue;
        };
        out.push(with_inputs(&tree, inputs));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `content` of the first `dynamic "rule"` block of `text`.
    fn passes(text: &str) -> bool {
        let root = crate::syntax::hcl::parse(text.as_bytes()).unwrap();
        let dynamic = tf::members(&root, "dynamic").next().unwrap();
        let label = bodies(&dynamic.value).next().unwrap().get("rule").unwrap();
        let body = bodies(&label.value).next().unwrap();
        let content = tf::dynamic_content(body).and_then(|c| bodies(&c.value).next()).unwrap();
        passes_through(content, "rule")
    }

    #[test]
    fn content_passes_elements_through_only_under_their_own_names() {
        let through = "dynamic \"rule\" {\n  for_each = var.rules\n  content {\n    dynamic \"destination\" {\n      for_each = rule.value.destination\n      content {\n        region      = destination.value.region\n        registry_id = destination.value.registry_id\n      }\n    }\n  }\n}\n";
        assert!(passes(through));
        // A renamed attribute, a literal, or a list under another name: values only.
        assert!(!passes(
            &through.replace("destination.value.region", "destination.value.dest_region")
        ));
        assert!(!passes(
            &through.replace("destination.value.registry_id", "\"210987654321\"")
        ));
        assert!(!passes(
            &through.replace("rule.value.destination", "rule.value.destinations")
        ));
    }

    #[test]
    fn references_are_whole_names() {
        let text = "a = var.rules\nb = var.rules_extra\nc = xvar.rules\nd = local.var.x\n";
        let found: Vec<String> = references(text, Span::new(0, text.len()), "var.")
            .into_iter()
            .map(|(name, span)| format!("{name}@{}", &text[span.start..span.end]))
            .collect();
        assert_eq!(found, ["rules@var.rules", "rules_extra@var.rules_extra"]);
    }
}
