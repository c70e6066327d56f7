//! Output formats. Renderers see files and diagnostics, never ECR concepts.

pub mod concise;
pub mod github;
pub mod human;
pub mod json;
pub mod sarif;

use crate::diagnostic::{Diagnostic, Severity};
use crate::json::Span;
use crate::lines::{LineIndex, Position};

/// One file's outcome, ready to render.
pub struct FileResult {
    pub path: String,
    /// The file's text (lossy for invalid UTF-8), for snippets and positions.
    pub text: String,
    /// The document shape, when recognised.
    pub document: Option<&'static str>,
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the file could not be read.
    pub error: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    pub fn of(files: &[FileResult]) -> Summary {
        let mut s = Summary {
            files: files.len(),
            ..Summary::default()
        };
        for d in files.iter().flat_map(|f| &f.diagnostics) {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }

    pub fn findings(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

/// A span clamped to the text and moved to char boundaries, so no renderer
/// can slice outside it (spans into invalid UTF-8 refer to the raw bytes).
pub fn clamp(span: Span, text: &str) -> Span {
    let fix = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = fix(span.start);
    Span::new(start, fix(span.end).max(start))
}

/// Start and end positions of a span.
pub fn positions(index: &LineIndex, text: &str, span: Span) -> (Position, Position) {
    let span = clamp(span, text);
    (index.position(span.start), index.position(span.end))
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
