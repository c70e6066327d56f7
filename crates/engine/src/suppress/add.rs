//! `check --add-suppressions` (ruff's `--add-noqa`): a suppression comment
//! for each current finding, where the format has comments (YAML, Terraform
//! HCL). Each comment goes alone on the line above the finding's first
//! line, indented as that line, naming every code found there: alone on its
//! line, it covers that line (or the whole list item it starts), so an
//! existing comment at the end of the line is never touched, and a line
//! that already has a suppression above it simply gets one more. A finding
//! inside a value over several lines (a heredoc, a block scalar) gets its
//! comment above the value's key, which covers the whole value.
//!
//! The text with the comments is linted again, and kept only when the
//! findings it suppressed are gone and nothing came in their place (no
//! ECR005, no parse error): otherwise the file is left as it was.

use super::MARKER;
use crate::diagnostic::Diagnostic;
use crate::lines::LineIndex;
use crate::syntax::ScalarSpans;
use crate::syntax::{NodeKind, SourceFormat};
use std::collections::BTreeMap;

/// What adding suppressions to one text came to.
pub struct Added {
    /// The text with the comments.
    pub text: String,
    /// Where each comment went (offset in the text as read) and its length,
    /// in order: what a span of the text as read moves by.
    pub insertions: Vec<(usize, usize)>,
    /// How many findings the comments name.
    pub findings: usize,
}

impl Added {
    /// `offset` of the text as read, in the text with the comments.
    pub fn moved(&self, offset: usize) -> usize {
        offset
            + self
                .insertions
                .iter()
                .take_while(|(at, _)| *at <= offset)
                .map(|(_, len)| len)
                .sum::<usize>()
    }
}

/// Whether a finding can be silenced by a comment above its line: not a
/// parse error (there is no tree to place it in), not an unused
/// suppression (ECR005 is about the comments themselves).
fn takes_comment(d: &Diagnostic) -> bool {
    d.code != crate::rules::invalid_json::META.code && d.code != crate::rules::unused_suppression::META.code
}

/// The text with a suppression comment above each line where one of
/// `findings` starts; `None` when the format has no comments, the text does
/// not parse, or no finding can take one. The caller checks the result by
/// linting it ([`verified`]).
pub fn add(text: &str, format: SourceFormat, findings: &[Diagnostic]) -> Option<Added> {
    if format == SourceFormat::Json {
        return None;
    }
    let parsed = format.parse_with_comments(text.as_bytes()).ok()?;
    let root = &parsed.root;
    // A line that starts inside a string (a block scalar's line, a heredoc's,
    // a quoted string's continuation) or inside a `/* … */` comment begun
    // above cannot take a line before it.
    let strings = match format {
        SourceFormat::Hcl => ScalarSpans::of(root, |n| matches!(n.kind, NodeKind::String(_))),
        _ => ScalarSpans::of(root, |_| true),
    };
    let in_comment = |at: usize| {
        let i = parsed.comments.partition_point(|c| c.span.start < at);
        i > 0 && parsed.comments[i - 1].span.end > at
    };
    let lines = LineIndex::new(text);
    let first_byte = |line: usize| {
        let own = &text[lines.lines_range(line, line)];
        lines.lines_range(line, line).start + (own.len() - own.trim_start_matches([' ', '\t']).len())
    };
    let over_lines = super::values_over_lines(root, &lines);
    let mut by_line: BTreeMap<usize, Vec<&'static str>> = BTreeMap::new();
    let mut findings_named = 0;
    for d in findings.iter().filter(|d| takes_comment(d)) {
        let mut line = lines.line_of(d.span.start);
        // Inside a value over several lines (a policy in a heredoc or a
        // block scalar): the comment goes above its key, and covers it all.
        if let Some(&(key, _)) = over_lines.iter().rev().find(|(key, last)| *key < line && line <= *last) {
            line = key;
        }
        let first = first_byte(line);
        if strings.continue_past(first) || in_comment(first) {
            continue;
        }
        let codes = by_line.entry(line).or_default();
        if !codes.contains(&d.code) {
            codes.push(d.code);
        }
        findings_named += 1;
    }
    if by_line.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(text.len() + by_line.len() * 40);
    let mut insertions = Vec::with_capacity(by_line.len());
    let mut copied = 0;
    for (line, mut codes) in by_line {
        codes.sort_unstable();
        let range = lines.lines_range(line, line);
        let own = &text[range.clone()];
        let indent = &own[..own.len() - own.trim_start_matches([' ', '\t']).len()];
        // The file's own line ending, taken from the line the comment goes above.
        let newline = if own.ends_with("\r\n") || (!own.ends_with('\n') && text.contains("\r\n")) {
            "\r\n"
        } else {
            "\n"
        };
        let comment = format!("{indent}# {MARKER} ignore[{}]{newline}", codes.join(", "));
        // A byte order mark stays first.
        let at = if range.start == 0 && text.starts_with('\u{feff}') {
            '\u{feff}'.len_utf8()
        } else {
            range.start
        };
        out.push_str(&text[copied..at]);
        out.push_str(&comment);
        insertions.push((at, comment.len()));
        copied = at;
    }
    out.push_str(&text[copied..]);
    Some(Added {
        text: out,
        insertions,
        findings: findings_named,
    })
}
