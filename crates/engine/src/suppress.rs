//! Suppressions, applied after every check and before any renderer, so
//! that `check`, `--fix` and the language server all see them through
//! [`crate::lint::lint`]:
//!
//! - in YAML, a comment `# ecrlint: ignore[ECR203] reason` (several codes
//!   comma-separated, by code or name) at the end of a line suppresses
//!   those rules' findings that start on that line; alone on its line, the
//!   findings that start on the next line that is neither blank nor only a
//!   comment, or, when that line starts a list item (`- `), anywhere in
//!   the item, or a key whose value runs over several lines (a block
//!   scalar, a heredoc: no comment can be written inside), anywhere in the
//!   value;
//! - on a CloudFormation resource (JSON or YAML),
//!   `Metadata: {ecrlint: {ignore: [ECR203]}}` suppresses those rules'
//!   findings inside the resource (cfn-lint's convention).
//!
//! A suppression that suppresses nothing, a code that names no rule, and an
//! `ecrlint:` comment that is not a suppression are ECR005 findings
//! (unused-suppression), like ruff's RUF100; an unused one carries a safe
//! fix that removes it (or only its unused codes).
//!
//! - in Terraform HCL (`.tf`), the same with a `#` or `//` line comment:
//!   `// ecrlint: ignore[ECR203] reason` (not in `/* … */`);
//! - in either, after another tool's directive in the same comment
//!   (`# yamllint disable-line # ecrlint: ignore[ECR203]`).
//!
//! The comments are those the parser returned with the tree
//! ([`crate::syntax::Parsed`]): it alone knows where its strings are (so
//! `"a # b"`, a block scalar's lines and a heredoc's are not comments).
//! JSON (Terraform's `.tf.json` too) has no comments, and a
//! Terraform `"//"` comment key is not read as a suppression: JSON files
//! use `[[overrides]]`; a `"//"` key whose text starts `ecrlint:` is an
//! ECR005 finding saying so.

pub mod add;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::fix::{write, Edit, Fix};
use crate::lines::LineIndex;
use crate::rules::findings::Findings;
use crate::rules::{self, unused_suppression::META};
use crate::settings::{Level, Settings};
use crate::syntax::{Comment, Node, NodeKind, SourceFormat, Span};

/// What a suppression comment starts with, after `#` and spaces; read in
/// any case, as `ignore[` and the codes are (`# ECRLINT: IGNORE[ecr203]`
/// suppresses), so that no spelling of it is silently passed over.
const MARKER: &str = "ecrlint:";

/// `text` after `prefix`, which it starts with in any ASCII case.
fn strip_prefix_any_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix).then(|| &text[prefix.len()..])
}

/// Where [`MARKER`] starts in `text`, in any ASCII case.
fn marker_positions(text: &str) -> impl Iterator<Item = usize> + '_ {
    text.char_indices()
        .map(|(at, _)| at)
        .filter(|&at| strip_prefix_any_case(&text[at..], MARKER).is_some())
}

/// One rule a suppression names.
struct Code {
    code: &'static str,
    /// The code as written.
    span: Span,
}

/// Where a suppression applies, and how it is removed.
enum Kind<'n> {
    Comment {
        /// 0-based line whose findings it suppresses.
        line: usize,
        /// The last line it covers: `line`, or the last of a YAML list
        /// item that starts on `line`, or of a value over several lines
        /// whose key is on `line`.
        through: usize,
        /// From `#` to the end of the line.
        comment: Span,
        /// Alone on its line (so it applies to the next one).
        alone: bool,
        /// Between the brackets.
        list: Span,
        /// Every entry of the list as written, rule or not.
        entries: Vec<Span>,
        /// Removes the whole comment (and its line, when alone on it).
        remove: Edit,
    },
    Metadata {
        /// The resource, from its logical ID to the end of its value.
        within: Span,
        logical_id: String,
        /// The `ignore` list, and its items, for removing some.
        list: &'n Node<'n>,
        /// Index of each code's item in `list`.
        items: Vec<usize>,
        /// Removes the whole `ecrlint` entry (or `Metadata`, when it is its only one).
        remove: Option<Edit>,
    },
}

struct Suppression<'n> {
    kind: Kind<'n>,
    codes: Vec<Code>,
    used: Vec<bool>,
}

impl Suppression<'_> {
    fn covers(&self, span: Span, lines: &LineIndex) -> bool {
        match &self.kind {
            Kind::Comment { line, through, .. } => (*line..=*through).contains(&lines.line_of(span.start)),
            Kind::Metadata { within, .. } => within.start <= span.start && span.start < within.end,
        }
    }
}

/// Drops the findings that a suppression covers, and adds ECR005 findings
/// for the suppressions that cover nothing or are written wrong.
/// `comments` are those the parser returned with `root`; `elsewhere` are
/// findings on this file's text that another file reports (a Terraform
/// module's value written there, found at its use here): a comment here
/// that covers one is used (never "suppresses nothing"), as the run that
/// works them out honours it.
#[allow(clippy::too_many_arguments)]
pub fn apply(
    found: &mut Findings,
    elsewhere: &[(&'static str, Span)],
    root: &Node,
    comments: &[Comment],
    doc: &Document,
    text: &str,
    format: SourceFormat,
    settings: &Settings,
) {
    // Lines are counted only when a suppression needs them (most files
    // have none, and counting is a pass over the whole text).
    let line_index = std::cell::OnceCell::new();
    let lines = || line_index.get_or_init(|| LineIndex::new(text));
    let mut problems = Vec::new();
    let mut suppressions = Vec::new();
    if format == SourceFormat::Json {
        json_comment_keys(root, &mut problems);
    }
    if !comments.is_empty() {
        comment_suppressions(comments, root, text, lines(), &mut suppressions, &mut problems);
    }
    metadata_suppressions(doc, text, format, &mut suppressions, &mut problems);
    if suppressions.is_empty() && problems.is_empty() {
        return;
    }
    for &(code, span) in elsewhere {
        mark_covering(&mut suppressions, code, span, lines());
    }
    // Findings past the cap too: a suppression that covers only those is used.
    found.retain(|d| !mark_covering(&mut suppressions, d.code, d.span, lines()));
    for s in &suppressions {
        problems.extend(unused(s, text, lines(), format, settings));
    }
    for d in &mut problems {
        d.pointer = pointer_holding(root, d.span.start);
    }
    found.extend(problems);
}

/// Marks `code` used in every suppression that covers `span` and names it;
/// whether one did (the finding there is suppressed).
fn mark_covering(suppressions: &mut [Suppression], code: &str, span: Span, lines: &LineIndex) -> bool {
    let mut covered = false;
    for s in suppressions.iter_mut().filter(|s| s.covers(span, lines)) {
        for (i, c) in s.codes.iter().enumerate() {
            if c.code == code {
                s.used[i] = true;
                covered = true;
            }
        }
    }
    covered
}

/// The findings reported in a file that is not linted itself (a Terraform
/// module's `locals.tf`, whose values the other files use), without those
/// its suppression comments cover.
pub fn filter_by_comments(text: &str, format: SourceFormat, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let Some(comments) = CommentsOf::read(text, format) else {
        return found;
    };
    found.into_iter().filter(|d| !comments.cover(d.code, d.span)).collect()
}

/// The suppression comments of a file as it is written.
pub struct CommentsOf<'t> {
    suppressions: Vec<Suppression<'t>>,
    lines: LineIndex<'t>,
}

impl<'t> CommentsOf<'t> {
    /// `None` when it has none (or does not parse).
    pub fn read(text: &'t str, format: SourceFormat) -> Option<CommentsOf<'t>> {
        let parsed = format.parse_with_comments(text.as_bytes()).ok()?;
        if parsed.comments.is_empty() {
            return None;
        }
        let lines = LineIndex::new(text);
        let (mut suppressions, mut problems) = (Vec::new(), Vec::new());
        comment_suppressions(
            &parsed.comments,
            &parsed.root,
            text,
            &lines,
            &mut suppressions,
            &mut problems,
        );
        Some(CommentsOf { suppressions, lines })
    }

    /// Whether a comment suppresses `code` at `span`.
    pub fn cover(&self, code: &str, span: Span) -> bool {
        self.suppressions
            .iter()
            .any(|s| s.covers(span, &self.lines) && s.codes.iter().any(|c| c.code == code))
    }
}

/// Whether a suppression comment anywhere in a YAML or Terraform HCL text
/// names ECR003 (unknown-document): that finding is about the file as a
/// whole, so one comment anywhere in it silences it, as
/// `# ecrlint: ignore[ECR003] a Helm values file` at its top.
pub fn silences_unknown_document(comments: &[Comment], text: &str) -> bool {
    comments.iter().filter(|c| c.is_line()).any(|c| {
        let directive = strip_prefix_any_case(c.text(text).trim_start(), MARKER).map(str::trim_start);
        directive
            .and_then(|d| strip_prefix_any_case(d, "ignore["))
            .and_then(|inner| inner.find(']').map(|close| &inner[..close]))
            .is_some_and(|list| {
                list.split(',')
                    .filter_map(|word| rules::find(word.trim()))
                    .any(|meta| meta.code == rules::unknown_document::META.code)
            })
    })
}

/// The pointer of the innermost value (or key) that holds `at`: a comment
/// between values belongs to the container around them.
fn pointer_holding(root: &Node, at: usize) -> String {
    let mut pointer = root.pointer_at(Span::new(at, at)).to_string();
    loop {
        let holds = match root.resolve(&pointer) {
            Some((node, key)) => {
                (node.span.start <= at && at < node.span.end) || key.is_some_and(|k| k.start <= at && at < k.end)
            }
            None => false,
        };
        if holds || pointer.is_empty() {
            return pointer;
        }
        pointer.truncate(pointer.rfind('/').unwrap_or(0));
    }
}

/// The ECR005 findings of one suppression's unused codes (codes of rules
/// that are off are not reported: another file's settings may turn them on).
fn unused(
    s: &Suppression,
    text: &str,
    lines: &LineIndex,
    format: SourceFormat,
    settings: &Settings,
) -> Vec<Diagnostic> {
    let level = |code: &str| rules::find(code).map_or(Level::Off, |m| settings.level(m.code, m.default));
    let unused: Vec<usize> = (0..s.codes.len())
        .filter(|&i| !s.used[i] && level(s.codes[i].code) != Level::Off)
        .collect();
    if unused.is_empty() {
        return Vec::new();
    }
    let all = unused.len() == s.codes.len();
    let names: Vec<&str> = unused.iter().map(|&i| s.codes[i].code).collect();
    let listed = names.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
    // The line a comment alone on its line applies to, for a label: the
    // message names no line number, so that it stays the same finding when
    // lines above it come or go (a fix is judged by the findings it adds).
    let mut applies_to: Option<Span> = None;
    let (what, place) = match &s.kind {
        Kind::Comment { line, alone, .. } => {
            let place = if *alone {
                let range = lines.lines_range(*line, *line);
                let code = text[range.clone()].trim_end();
                let blanks = code.len() - code.trim_start().len();
                applies_to =
                    (!code.trim().is_empty()).then(|| Span::new(range.start + blanks, range.start + code.len()));
                "on the line it applies to".to_string()
            } else {
                "on this line".to_string()
            };
            ("this suppression comment", place)
        }
        Kind::Metadata { logical_id, .. } => ("this Metadata suppression", format!("in resource `{logical_id}`")),
    };
    let message = format!("{what} suppresses nothing for {listed}: there is no such finding {place}",);
    let help = "remove it (the fix does); it would hide a future finding that nobody has reviewed";
    match &s.kind {
        Kind::Comment {
            comment,
            list,
            entries,
            remove,
            ..
        } => {
            let (span, edit, title) = if all {
                (
                    *comment,
                    remove.clone(),
                    "Remove the unused suppression comment".to_string(),
                )
            } else {
                // Everything else stays as written, a misspelt code too (it is reported).
                let kept: Vec<&str> = entries
                    .iter()
                    .filter(|e| !unused.iter().any(|&i| s.codes[i].span == **e))
                    .map(|e| &text[e.start..e.end])
                    .collect();
                (
                    s.codes[unused[0]].span,
                    Edit::replace(*list, kept.join(", ")),
                    format!("Remove {listed} from the suppression"),
                )
            };
            let mut d = META
                .diagnostic(span, message)
                .with_primary_label("suppresses nothing")
                .with_help(help)
                .with_fix(Fix::safe(title, vec![edit]));
            for &i in unused.iter().skip(1).filter(|_| !all) {
                d = d.with_label(s.codes[i].span, "also unused");
            }
            if let Some(line) = applies_to {
                d = d.with_label(line, "the line it applies to");
            }
            vec![d]
        }
        Kind::Metadata {
            list, items, remove, ..
        } => {
            if all {
                let mut d = META
                    .diagnostic(s.codes[0].span, message)
                    .with_primary_label("suppresses nothing")
                    .with_help(help);
                if let Some(edit) = remove {
                    d = d.with_fix(Fix::safe("Remove the unused Metadata suppression", vec![edit.clone()]));
                }
                return vec![d];
            }
            // One finding per unused code, each removing its item.
            unused
                .iter()
                .map(|&i| {
                    let c = &s.codes[i];
                    let mut d = META
                        .diagnostic(
                            c.span,
                            format!(
                                "{what} suppresses nothing for `{}`: there is no such finding {place}",
                                c.code
                            ),
                        )
                        .with_primary_label("suppresses nothing")
                        .with_help(help);
                    if let Some(edit) = write::remove_item(format, text, list, items[i]) {
                        d = d.with_fix(Fix::safe(
                            format!("Remove `{}` from the suppression", c.code),
                            vec![edit],
                        ));
                    }
                    d
                })
                .collect()
        }
    }
}

/// A rule named in a suppression, or the ECR005 finding saying it names none.
fn code(word: &str, span: Span, problems: &mut Vec<Diagnostic>) -> Option<Code> {
    if let Some(meta) = rules::find(word) {
        return Some(Code { code: meta.code, span });
    }
    let names = rules::RULES.iter().flat_map(|r| [r.meta.code, r.meta.name]);
    let help = match crate::text::nearest(word, names) {
        Some(n) => format!("did you mean `{n}`? `ecrlint rules` lists every rule"),
        None => "`ecrlint rules` lists every rule, by code and name".to_string(),
    };
    problems.push(
        META.diagnostic(
            span,
            format!(
                "`{}` in this suppression is not a rule, so it suppresses nothing",
                crate::text::escape_hidden(word)
            ),
        )
        .with_primary_label("no such rule")
        .with_help(help),
    );
    None
}

/// Terraform's JSON syntax takes a `"//"` key as a comment; one that reads
/// like a suppression is not one, and is said so (ECR005), so that nobody
/// believes a finding hidden.
///
/// Walked recursively (the parsers cap nesting at `MAX_DEPTH`): a stack of
/// values to visit held every item of a long list at once, 8 bytes each.
fn json_comment_keys(node: &Node, problems: &mut Vec<Diagnostic>) {
    match &node.kind {
        NodeKind::Array(items) => items.iter().for_each(|item| json_comment_keys(item, problems)),
        NodeKind::Object(members) => {
            for m in members.iter() {
                match &m.value.kind {
                    NodeKind::String(s) if m.key == "//" && strip_prefix_any_case(s.trim_start(), MARKER).is_some() => {
                        problems.push(
                            META.diagnostic(
                                m.value.span,
                                "a `\"//\"` comment key is not a suppression in JSON, so this suppresses nothing",
                            )
                            .with_primary_label("not a suppression")
                            .with_help(
                                "JSON files (`.tf.json` too) have no suppression comments: turn the rule off for this file with `[[overrides]]` in .ecrlint.toml",
                            ),
                        );
                    }
                    _ => json_comment_keys(&m.value, problems),
                }
            }
        }
        _ => {}
    }
}

/// The last line of the YAML block list item that starts on `line` (`- `
/// after the indentation): the lines after it that are blank, or indented
/// past its dash, belong to it. `line` itself when it starts no item.
fn list_item_end(text: &str, lines: &LineIndex, line: usize) -> usize {
    let last = lines.line_of(text.len());
    if line > last {
        return line;
    }
    let first = &text[lines.lines_range(line, line)];
    let content = first.trim_start_matches([' ', '\t']);
    if !(content.starts_with("- ") || content.trim_end() == "-") {
        return line;
    }
    let dash = first.len() - content.len();
    let mut end = line;
    for next in line + 1..=last {
        let text = &text[lines.lines_range(next, next)];
        let trimmed = text.trim_start_matches([' ', '\t']);
        if trimmed.trim().is_empty() {
            continue;
        }
        if text.len() - trimmed.len() <= dash {
            break;
        }
        end = next;
    }
    end
}

/// The keys whose scalar value runs onto later lines (a YAML block
/// scalar, an HCL heredoc, a quoted string over lines): the line of each
/// key and the last line of its value, sorted.
fn values_over_lines(root: &Node, lines: &LineIndex) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        match &node.kind {
            NodeKind::Array(items) => stack.extend(items.iter()),
            NodeKind::Object(members) => {
                for m in members {
                    match m.value.kind {
                        NodeKind::Array(_) | NodeKind::Object(_) => stack.push(&m.value),
                        _ if m.value.span.is_empty() => {}
                        _ => {
                            let first = lines.line_of(m.key_span.start);
                            let last = lines.line_of(m.value.span.end - 1);
                            if last > first {
                                out.push((first, last));
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out.sort_unstable();
    out
}

/// Where `ecrlint:` starts in a line comment's body (after its `#` or
/// `//`): at its start, after spaces, or after another tool's directive and
/// a `#` or `//` of its own (`yamllint disable-line # ecrlint: …`), then with
/// where that `#` or `//` is.
fn marker_in(body: &str) -> Option<(Option<usize>, usize)> {
    let lead = body.len() - body.trim_start().len();
    if strip_prefix_any_case(&body[lead..], MARKER).is_some() {
        return Some((None, lead));
    }
    marker_positions(body).find_map(|at| {
        let before = body[..at].trim_end_matches([' ', '\t']);
        let inner = before.strip_suffix('#').or_else(|| before.strip_suffix("//"))?;
        inner.ends_with([' ', '\t']).then_some((Some(inner.len()), at))
    })
}

/// The line after `own` that is neither blank nor only a comment.
fn next_content_line(
    text: &str,
    lines: &LineIndex,
    own: usize,
    comment_lines: &std::collections::HashSet<usize>,
) -> usize {
    let last = lines.line_of(text.len());
    let mut line = own + 1;
    while line <= last {
        let content = text[lines.lines_range(line, line)].trim();
        if !(content.is_empty() || comment_lines.contains(&line)) {
            break;
        }
        line += 1;
    }
    line
}

fn comment_suppressions(
    all: &[Comment],
    root: &Node,
    text: &str,
    lines: &LineIndex,
    out: &mut Vec<Suppression<'_>>,
    problems: &mut Vec<Diagnostic>,
) {
    let over_lines = std::cell::OnceCell::new();
    // Lines that hold only a comment: a comment above one applies past it.
    let comment_lines: std::collections::HashSet<usize> = all
        .iter()
        .filter(|c| c.alone && c.is_line())
        .map(|c| lines.line_of(c.span.start))
        .collect();
    // Not in `/* … */`: a suppression is a line comment.
    for c in all.iter().filter(|c| c.is_line()) {
        let Some((inner, marker)) = marker_in(&text[c.body()..c.span.end]) else {
            continue;
        };
        // After another tool's directive (`# yamllint disable-line # ecrlint: …`),
        // the suppression is the comment from its own `#` or `//`: that part
        // alone is reported, and removed when unused (never its line).
        let (comment, whole_line) = match inner {
            Some(at) => (Span::new(c.body() + at, c.span.end), false),
            None => (c.span, c.alone),
        };
        let rest = &text[c.body() + marker + MARKER.len()..c.span.end];
        let rest_start = c.body() + marker + MARKER.len();
        let directive = rest.trim_start();
        let directive_start = rest_start + (rest.len() - directive.len());
        let parsed = strip_prefix_any_case(directive, "ignore[")
            .and_then(|inner| inner.find(']').map(|close| &inner[..close]))
            .filter(|list| !list.trim().is_empty());
        let Some(list) = parsed else {
            problems.push(
                META.diagnostic(comment, "this `ecrlint:` comment is not a suppression ecrlint understands, so it suppresses nothing")
                    .with_primary_label("not understood")
                    .with_help("write `# ecrlint: ignore[ECR203] why` (codes or names, comma-separated), at the end of the line or alone on the line above"),
            );
            continue;
        };
        let list_start = directive_start + "ignore[".len();
        let list_span = Span::new(list_start, list_start + list.len());
        let mut codes = Vec::new();
        let mut entries = Vec::new();
        let mut offset = list_start;
        for word in list.split(',') {
            let trimmed = word.trim();
            let start = offset + (word.len() - word.trim_start().len());
            offset += word.len() + 1;
            if trimmed.is_empty() {
                continue;
            }
            entries.push(Span::new(start, start + trimmed.len()));
            if let Some(c) = code(trimmed, Span::new(start, start + trimmed.len()), problems) {
                if !codes.iter().any(|k: &Code| k.code == c.code) {
                    codes.push(c);
                }
            }
        }
        if codes.is_empty() {
            continue;
        }
        let own = lines.line_of(comment.start);
        let (line, remove) = if c.alone {
            let line = next_content_line(text, lines, own, &comment_lines);
            let remove = if whole_line {
                let range = lines.lines_range(own, own);
                Edit::delete(Span::new(range.start, range.end))
            } else {
                let before = text[..comment.start].trim_end_matches([' ', '\t']).len();
                Edit::delete(Span::new(before, comment.end))
            };
            (line, remove)
        } else {
            let before = text[..comment.start].trim_end_matches([' ', '\t']).len();
            (own, Edit::delete(Span::new(before, comment.end)))
        };
        let through = if c.alone {
            let over = over_lines.get_or_init(|| values_over_lines(root, lines));
            // Sorted: the last entry of this line's keys ends last.
            let i = over.partition_point(|(first, _)| *first <= line);
            let value_end = (i > 0 && over[i - 1].0 == line).then(|| over[i - 1].1);
            list_item_end(text, lines, line).max(value_end.unwrap_or(line))
        } else {
            line
        };
        let used = vec![false; codes.len()];
        out.push(Suppression {
            kind: Kind::Comment {
                line,
                through,
                comment,
                alone: c.alone,
                list: list_span,
                entries,
                remove,
            },
            codes,
            used,
        });
    }
}

fn metadata_suppressions<'n>(
    doc: &Document<'n>,
    text: &str,
    format: SourceFormat,
    out: &mut Vec<Suppression<'n>>,
    problems: &mut Vec<Diagnostic>,
) {
    for resource in doc
        .resources
        .iter()
        .chain(&doc.policy_resources)
        .chain(&doc.template_resources)
    {
        let Some(metadata) = resource.node.get("Metadata") else {
            continue;
        };
        let Some(entry) = metadata.value.get("ecrlint") else {
            continue;
        };
        let ignore = entry.value.get("ignore");
        let Some(list) = ignore.and_then(|m| m.value.as_array().map(|items| (&m.value, items))) else {
            let span = ignore.map_or(entry.key_span, |m| m.value.span);
            problems.push(
                META.diagnostic(
                    span,
                    "this `ecrlint` Metadata is not a suppression ecrlint understands, so it suppresses nothing",
                )
                .with_primary_label("not understood")
                .with_help(
                    "write `Metadata: {ecrlint: {ignore: [ECR203]}}`: `ignore` is a list of rule codes or names",
                ),
            );
            continue;
        };
        let (list_node, items) = list;
        let mut codes = Vec::new();
        let mut indices = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let word = match &item.kind {
                NodeKind::String(s) => s.as_ref(),
                _ => text.get(item.span.start..item.span.end).unwrap_or(""),
            };
            if let Some(c) = code(word, item.span, problems) {
                if !codes.iter().any(|k: &Code| k.code == c.code) {
                    codes.push(c);
                    indices.push(i);
                }
            }
        }
        if codes.is_empty() {
            continue;
        }
        let Some(metadata_index) = resource
            .node
            .as_object()
            .and_then(|m| m.iter().position(|m| m.key == "Metadata"))
        else {
            continue;
        };
        let alone = metadata.value.as_object().is_some_and(|m| m.len() == 1);
        let remove = if alone {
            write::remove_member(format, text, resource.node, metadata_index)
        } else {
            metadata
                .value
                .as_object()
                .and_then(|m| m.iter().position(|m| m.key == "ecrlint"))
                .and_then(|i| write::remove_member(format, text, &metadata.value, i))
        };
        let used = vec![false; codes.len()];
        out.push(Suppression {
            kind: Kind::Metadata {
                within: Span::new(resource.key_span.start, resource.node.span.end),
                logical_id: resource.logical_id.to_string(),
                list: list_node,
                items: indices,
                remove,
            },
            codes,
            used,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::ReadAs;

    /// What [`insert_comments_and_fix`] went through.
    struct Inserted {
        cases: usize,
        linted: usize,
        fixed: usize,
    }

    /// Inserts each of `inserts` at every line end of `template`, and alone
    /// on a new line there, then lints and fixes (unsafe fixes too): never a
    /// panic, a second fix pass changes nothing, and no fixable ECR005 is
    /// left. With `keep_parsable`, inputs that do not parse are skipped and
    /// a fix must not make one unparsable.
    fn insert_comments_and_fix(template: &str, read_as: ReadAs, inserts: &[&str], keep_parsable: bool) -> Inserted {
        use crate::fix::apply::Mode;
        use crate::fix_loop::{fix_text, Linter};
        use crate::lint::{lint, Origin, Outcome};
        let settings = Settings::default();
        let unparsable = |ds: &[Diagnostic]| ds.iter().any(|d| d.code == "ECR001");
        let mut seen = Inserted {
            cases: 0,
            linted: 0,
            fixed: 0,
        };
        for (at, _) in template.match_indices('\n') {
            for insert in inserts {
                for text in [
                    format!("{}{insert}{}", &template[..at], &template[at..]),
                    format!("{}\n{}{}", &template[..at], insert.trim_start(), &template[at..]),
                ] {
                    seen.cases += 1;
                    let Outcome::Linted { diagnostics, .. } = lint(text.as_bytes(), read_as, Origin::Named, &settings)
                    else {
                        panic!("a named file is linted: {text}");
                    };
                    if keep_parsable && unparsable(&diagnostics) {
                        // A comment where the format allows none (after a heredoc's delimiter).
                        continue;
                    }
                    seen.linted += 1;
                    let linter = || Linter {
                        read_as,
                        origin: Origin::Named,
                        settings: &settings,
                    };
                    let fixed = fix_text(&text, linter(), Mode::Unsafe);
                    let again = fix_text(&fixed.text, linter(), Mode::Unsafe);
                    assert_eq!(again.applied, 0, "not a fixed point:\n{text}\n→\n{}", fixed.text);
                    let Outcome::Linted { diagnostics, .. } =
                        lint(fixed.text.as_bytes(), read_as, Origin::Named, &settings)
                    else {
                        panic!("a named file is linted: {}", fixed.text);
                    };
                    assert!(
                        !(keep_parsable && unparsable(&diagnostics)),
                        "the fix broke the file:\n{text}\n→\n{}",
                        fixed.text
                    );
                    let left: Vec<&Diagnostic> = diagnostics
                        .iter()
                        .filter(|d| d.code == META.code && d.fix.is_some())
                        .collect();
                    assert!(left.is_empty(), "{left:?}\n{}", fixed.text);
                    seen.fixed += usize::from(fixed.applied > 0);
                }
            }
        }
        seen
    }

    /// A suppression comment (or a stray `#`/`//`) inserted at every line
    /// end and line start of a Terraform file: never a panic, and fixing
    /// leaves no fixable ECR005 and nothing for a second pass to fix.
    #[test]
    fn hcl_comments_anywhere_lint_and_fix_to_a_fixed_point() {
        let template = "variable \"note\" {\n  description = <<-EOT\n    # ecrlint: ignore[ECR203]\n    EOT\n}\n\nresource \"aws_ecr_replication_configuration\" \"x\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = \"eu-east-9\"\n        registry_id = \"123456789012\"\n      }\n      destination {\n        region = \"us-west-2\"\n        registry_id = \"210987654321\"\n      }\n      repository_filter {\n        filter      = \"prod # x\"\n        filter_type = \"PREFIX_MATCH\"\n      }\n    }\n  }\n}\n";
        let inserts = [
            " # ecrlint: ignore[ECR203, ECR206] why",
            " // ecrlint: ignore[ECR304]",
            " # ecrlint: ignore[ECR2O3]",
            " // ecrlint: nonsense",
            " #",
            " //",
        ];
        let seen = insert_comments_and_fix(template, ReadAs::Format(SourceFormat::Hcl), &inserts, true);
        assert!(
            seen.cases > 250 && seen.linted > 250 && seen.fixed > 60,
            "{} cases, {} linted, {} fixed",
            seen.cases,
            seen.linted,
            seen.fixed
        );
    }

    /// A suppression comment (or a stray `#`) inserted at every line end and
    /// line start of a template: never a panic, and fixing (unsafe fixes
    /// too) leaves no ECR005 behind and nothing for a second pass to fix.
    #[test]
    fn comments_anywhere_lint_and_fix_to_a_fixed_point() {
        let template = "Resources:\n  R:\n    Type: \"AWS::ECR::ReplicationConfiguration\"\n    Metadata: {ecrlint: {ignore: [ECR206, ECR203]}}\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: 'eu-east-9'\n                RegistryId: \"123456789012\"\n              - { Region: \"us-west-2\", RegistryId: \"210987654321\" }\n            RepositoryFilters:\n              - Filter: |\n                  prod\n                FilterType: PREFIX_MATCH\n";
        let inserts = [
            " # ecrlint: ignore[ECR203, ECR206] why",
            " # ecrlint: ignore[ECR304]",
            " # ecrlint: ignore[ECR2O3]",
            " # ecrlint: nonsense",
            " #",
        ];
        let seen = insert_comments_and_fix(template, ReadAs::Format(SourceFormat::Yaml), &inserts, false);
        assert!(
            seen.cases > 100 && seen.fixed > 50,
            "{} cases, {} fixed",
            seen.cases,
            seen.fixed
        );
    }
}
