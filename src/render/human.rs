//! Human output through miette: file:line:col, the snippet, underlines,
//! labels and help, then a summary line.

use super::{clamp, plural, positions, FileResult, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lines::LineIndex;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan, SpanContents};
use std::fmt;

pub struct HumanOptions {
    pub color: bool,
    /// Wrap width for messages and help.
    pub width: usize,
}

/// The file text under its display name, borrowed rather than copied.
struct Named<'a> {
    name: &'a str,
    text: &'a str,
    lines: &'a LineIndex<'a>,
}

impl SourceCode for Named<'_> {
    /// Reads only the lines around the span: miette's own `str` reader
    /// scans from the start of the text, which is quadratic over thousands
    /// of findings in a large file.
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let (start, end) = (span.offset(), span.offset() + span.len());
        let first = self.lines.line_of(start).saturating_sub(context_lines_before);
        let last = self.lines.line_of(end) + context_lines_after;
        let window = self.lines.lines_range(first, last);
        let local = SourceSpan::new((start - window.start).into(), span.len());
        let window_text = &self.text[window.clone()];
        let inner = window_text.read_span(&local, context_lines_before, context_lines_after)?;
        let inner_span = inner.span();
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_string(),
            inner.data(),
            SourceSpan::new((inner_span.offset() + window.start).into(), inner_span.len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
}

struct Report<'a> {
    d: &'a Diagnostic,
    source: Named<'a>,
    code: String,
    /// Whether to show the source lines (not for very long lines, such as a
    /// minified file's: unreadable, slow, and beyond miette's column limit).
    snippet: bool,
}

/// Longest line shown in a snippet, in bytes.
const MAX_SNIPPET_LINE: usize = 500;

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.d.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.d.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.then_some(&self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.snippet {
            return None;
        }
        let text = self.source.text;
        let span = |s| {
            let s = clamp(s, text);
            SourceSpan::new(s.start.into(), s.len())
        };
        let label = |l: &str| (!l.is_empty()).then(|| l.to_string());
        let primary = LabeledSpan::new_primary_with_span(label(&self.d.label), span(self.d.span));
        let secondary = self
            .d
            .labels
            .iter()
            .map(move |l| LabeledSpan::new_with_span(label(&l.message), span(l.span)));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

pub fn render(files: &[FileResult], options: &HumanOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    let mut out = String::new();
    for file in files {
        let index = LineIndex::new(&file.text);
        for d in &file.diagnostics {
            // miette heads each snippet with that snippet's position, which may
            // be a secondary label's; this line always names the primary one.
            let (start, _) = positions(&index, &file.text, d.span);
            let spans = std::iter::once(d.span).chain(d.labels.iter().map(|l| l.span));
            let snippet = spans.into_iter().all(|span| {
                let span = clamp(span, &file.text);
                index.longest_line(index.line_of(span.start), index.line_of(span.end)) <= MAX_SNIPPET_LINE
            });
            let report = Report {
                d,
                source: Named {
                    name: &file.path,
                    text: &file.text,
                    lines: &index,
                },
                code: format!("{}:{}:{} {} {}", file.path, start.line, start.column, d.code, d.rule),
                snippet,
            };
            // A renderer failure must not lose the finding, nor end the run.
            let mut rendered = String::new();
            let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                handler.render_report(&mut rendered, &report).is_ok()
            }));
            if matches!(ok, Ok(true)) {
                out.push_str(&rendered);
            } else {
                out.push_str(&format!(
                    "{}:{}:{}: {}[{} {}] {}\n",
                    file.path, start.line, start.column, d.severity, d.code, d.rule, d.message
                ));
            }
            out.push('\n');
        }
    }
    out
}

/// `✖ 2 errors, 1 warning in 1 of 3 files`, or the all-clear.
pub fn summary(files: &[FileResult], options: &HumanOptions) -> String {
    let s = Summary::of(files);
    let paint = |code: &str, text: String| {
        if options.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text
        }
    };
    let linted = files.iter().filter(|f| f.error.is_none()).count();
    if s.findings() == 0 {
        return format!(
            "{} No problems found in {}.\n",
            paint("32", "✔".into()),
            plural(linted, "file")
        );
    }
    let mut parts = Vec::new();
    if s.errors > 0 {
        parts.push(paint("31", plural(s.errors, "error")));
    }
    if s.warnings > 0 {
        parts.push(paint("33", plural(s.warnings, "warning")));
    }
    if s.infos > 0 {
        parts.push(paint("36", plural(s.infos, "info")));
    }
    let with_findings = files.iter().filter(|f| !f.diagnostics.is_empty()).count();
    let mut codes: Vec<&str> = files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(|d| d.code))
        .collect();
    codes.sort_unstable();
    codes.dedup();
    format!(
        "{} {} in {} of {}.\nRun `ecrlint explain {}` for what a rule checks and how to fix it.\n",
        paint("31", "✖".into()),
        parts.join(", "),
        with_findings,
        plural(linted, "file"),
        codes.first().copied().unwrap_or("CODE")
    )
}
