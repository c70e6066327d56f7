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

/// Findings of one file not kept, by rule.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Omitted {
    /// The cap: how many findings were kept.
    pub kept: usize,
    pub by_rule: Vec<OmittedRule>,
    /// What the fix loop weighs of them, only when the lint was asked for
    /// it (`lint::lint_for_fixing`); boxed, as every lint's outcome holds it.
    pub for_fixing: Option<Box<ForFixing>>,
}

/// What the fix loop needs of the findings not kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForFixing {
    /// Each one's `rules::findings::finding_key`: the fix loop compares
    /// the findings of two texts by them, 8 bytes a finding.
    pub keys: Vec<u64>,
    /// The edits of each fix the fix loop may apply among them: a pass
    /// tries them with the fixes of the findings kept, so that fixing is
    /// not a lint per cap's worth of fixes.
    pub fixes: Vec<OmittedFix>,
}

/// A fix of a finding not kept whole: its rule and its edits, without the
/// finding's pointer or the fix's title.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OmittedFix {
    pub code: &'static str,
    pub rule: &'static str,
    pub edits: crate::fix::Edits,
}

/// How many findings of one rule, at one severity, were not kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OmittedRule {
    pub code: &'static str,
    pub rule: &'static str,
    pub severity: Severity,
    pub count: usize,
    /// Of which with a safe fix, and with an unsafe one.
    pub safe_fixable: usize,
    pub unsafe_fixable: usize,
}

impl Omitted {
    /// How many findings were not kept.
    pub fn total(&self) -> usize {
        self.by_rule.iter().map(|r| r.count).sum()
    }

    pub fn count(&mut self, d: &Diagnostic) {
        self.count_one(d.code, d.rule, d.severity, d.fix.as_ref().map(|f| f.applicability));
    }

    pub fn count_one(
        &mut self,
        code: &'static str,
        rule: &'static str,
        severity: Severity,
        fix: Option<crate::fix::Applicability>,
    ) {
        let i = match self
            .by_rule
            .iter()
            .position(|r| r.code == code && r.severity == severity)
        {
            Some(i) => i,
            None => {
                self.by_rule.push(OmittedRule {
                    code,
                    rule,
                    severity,
                    count: 0,
                    safe_fixable: 0,
                    unsafe_fixable: 0,
                });
                self.by_rule.len() - 1
            }
        };
        let row = &mut self.by_rule[i];
        row.count += 1;
        match fix {
            Some(crate::fix::Applicability::Safe) => row.safe_fixable += 1,
            Some(crate::fix::Applicability::Unsafe) => row.unsafe_fixable += 1,
            None => {}
        }
    }

    /// Keeps the first `max` of `diagnostics` (0: all) and counts the rest here.
    pub fn cap(&mut self, diagnostics: &mut Vec<Diagnostic>, max: usize) {
        if max == 0 || diagnostics.len() <= max {
            return;
        }
        self.kept = max;
        for d in diagnostics.drain(max..) {
            self.count(&d);
        }
        diagnostics.shrink_to_fit();
    }

    /// Whether any finding not kept has a fix `allows` accepts.
    pub fn any_fixable(&self, allows: impl Fn(crate::fix::Applicability) -> bool) -> bool {
        self.by_rule.iter().any(|r| {
            (r.safe_fixable > 0 && allows(crate::fix::Applicability::Safe))
                || (r.unsafe_fixable > 0 && allows(crate::fix::Applicability::Unsafe))
        })
    }

    /// "N more findings of this file not shown …", as every format says it.
    pub fn message(&self) -> String {
        format!(
            "{} of this file not shown (the first {} are; `--max-findings 0` shows all); \
             the exit code and the summary count them",
            match self.total() {
                1 => "1 more finding".to_string(),
                n => format!("{n} more findings"),
            },
            self.kept
        )
    }
}
