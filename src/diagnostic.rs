//! What a check found: a code, a severity, a message, and where.

use crate::fix::Fix;
use crate::syntax::Span;
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A secondary location, such as "first defined here".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
    /// The file the span is in, when it is not the finding's own (a check
    /// across files: the registry policy that should grant what a
    /// configuration needs). Renderers show it with its own path and text.
    pub file: Option<std::sync::Arc<OtherFile>>,
}

/// Another linted file, as a label in it needs it: its name and its text
/// (which the label's span indexes).
#[derive(Debug, PartialEq, Eq)]
pub struct OtherFile {
    /// The name as reported (lossy when the name is not UTF-8).
    pub path: String,
    /// The name's bytes when it is not UTF-8.
    pub path_bytes: Option<Vec<u8>>,
    pub text: String,
}

impl OtherFile {
    /// The name for text formats: one line, hidden characters escaped.
    pub fn shown_path(&self) -> std::borrow::Cow<'_, str> {
        match &self.path_bytes {
            Some(bytes) => std::borrow::Cow::Owned(crate::text::escape_bytes(bytes)),
            None => crate::text::escape_name(&self.path),
        }
    }

    /// The name's real bytes.
    pub fn raw_path(&self) -> &[u8] {
        self.path_bytes.as_deref().unwrap_or(self.path.as_bytes())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Short text under the primary span.
    pub label: String,
    pub span: Span,
    pub pointer: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// Edits that correct the mistake, when ecrlint knows them (boxed: most
    /// findings have none, and a file may have hundreds of thousands).
    pub fix: Option<Box<Fix>>,
}

impl Diagnostic {
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            file: None,
        });
        self
    }

    /// A label at `span` of another file.
    pub fn with_label_in(mut self, file: std::sync::Arc<OtherFile>, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
            file: Some(file),
        });
        self
    }

    pub fn at_pointer(mut self, pointer: impl Into<String>) -> Self {
        self.pointer = pointer.into();
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(Box::new(fix));
        self
    }

    pub fn with_primary_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }
}
