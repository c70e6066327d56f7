//! The comments a front end skipped, returned with its tree: what later
//! stages (suppressions) read instead of scanning the text again, since
//! only the parser knows where its strings are.

use super::{Node, Span};

/// A comment as written, in byte ranges of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    /// From the marker to the end of the line (before any `\r`), or to
    /// the end of `*/`.
    pub span: Span,
    pub kind: CommentKind,
    /// Only spaces and tabs (and a byte order mark) come before it on its
    /// line; otherwise it trails a value.
    pub alone: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    /// `# …` (YAML, HCL).
    Hash,
    /// `// …` (HCL).
    Slashes,
    /// `/* … */` (HCL), on one line or several.
    Block,
}

impl Comment {
    /// A comment at `span` of `text`, placed by what precedes it on its line.
    pub(crate) fn new(text: &str, span: Span, kind: CommentKind) -> Comment {
        let alone = text[..span.start]
            .rsplit(['\n', '\r'])
            .next()
            .unwrap_or("")
            .chars()
            .all(|c| c == ' ' || c == '\t' || c == '\u{feff}');
        Comment { span, kind, alone }
    }

    /// Whether it runs to the end of its line (`#` or `//`).
    pub fn is_line(&self) -> bool {
        self.kind != CommentKind::Block
    }

    /// Where its text starts, after the marker (`#`, `//` or `/*`).
    pub fn body(&self) -> usize {
        self.span.start + if self.kind == CommentKind::Hash { 1 } else { 2 }
    }

    /// Its text after the marker (before `*/` for a block comment).
    pub fn text<'t>(&self, text: &'t str) -> &'t str {
        let end = if self.kind == CommentKind::Block {
            self.span.end.saturating_sub(2).max(self.body())
        } else {
            self.span.end
        };
        &text[self.body()..end]
    }
}

/// A file's tree and its comments, in order.
#[derive(Debug)]
pub struct Parsed<'s> {
    pub root: Node<'s>,
    pub comments: Vec<Comment>,
}

/// Where a comment ends from `at`, its marker: the end of the line (before
/// `\r` or `\n`) for `#` and `//`, after `*/` (or the end of the text) for `/*`.
pub(crate) fn comment_end(text: &str, at: usize, kind: CommentKind) -> usize {
    let rest = &text[at..];
    match kind {
        CommentKind::Block => rest[2..].find("*/").map_or(text.len(), |j| at + 2 + j + 2),
        _ => rest.find(['\n', '\r']).map_or(text.len(), |j| at + j),
    }
}
