//! Human output through miette: file:line:col, the snippet, underlines,
//! labels and help, then a summary line.

use super::{clamp, plural, positions, shown, FileResult, Renderer, Summary};
use crate::diagnostic::{Diagnostic, Severity};
use crate::lines::LineIndex;
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan, SpanContents};
use std::borrow::Cow;
use std::fmt;
use std::io::{self, Write};

pub struct HumanOptions {
    pub color: bool,
    /// Wrap width for messages and help.
    pub width: usize,
}

/// The width used when neither `COLUMNS` nor a terminal gives one.
pub const DEFAULT_WIDTH: usize = 100;

/// Narrowest width honoured: below it snippets are unreadable anyway.
pub const MIN_WIDTH: usize = 40;

/// The width to wrap human output at: `COLUMNS` when set to a number (as
/// shells export it), else the width of the terminal standard output is,
/// else [`DEFAULT_WIDTH`] (a pipe or a file). At least [`MIN_WIDTH`].
pub fn terminal_width() -> usize {
    width_from(std::env::var("COLUMNS").ok().as_deref(), || {
        terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
    })
}

/// [`terminal_width`], given `COLUMNS` and a way to ask the terminal.
pub fn width_from(columns: Option<&str>, terminal: impl FnOnce() -> Option<usize>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w > 0)
        .or_else(terminal)
        .filter(|&w| w > 0)
        .unwrap_or(DEFAULT_WIDTH)
        .max(MIN_WIDTH)
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
            // In characters, as every format counts, where miette counts
            // bytes (a byte-order mark is not a column either).
            self.lines.position(start).column - 1,
            // A count of lines, not a line number.
            inner.line_count(),
        )))
    }
}

struct Report<'a> {
    d: &'a Diagnostic,
    /// The message, label texts and help as shown (hidden characters escaped).
    message: Cow<'a, str>,
    help: Option<Cow<'a, str>>,
    source: Named<'a>,
    code: String,
    /// Whether to show the source lines (not for very long lines, such as a
    /// minified file's: unreadable, slow, and beyond miette's column limit).
    snippet: bool,
    /// Labels in other files, each shown under the finding with its file's
    /// name, position and snippet.
    related: Vec<Related<'a>>,
}

/// A label in another file, shown as a note of the finding with its own snippet.
struct Related<'a> {
    /// `path:line:col`, as findings are headed.
    at: String,
    /// The label's message.
    heading: String,
    label: String,
    span: crate::syntax::Span,
    source: Named<'a>,
    snippet: bool,
}

impl fmt::Debug for Related<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl fmt::Display for Related<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.heading)
    }
}

impl std::error::Error for Related<'_> {}

impl miette::Diagnostic for Related<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.at))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.then_some(&self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.snippet {
            return None;
        }
        let s = clamp(self.span, self.source.text);
        let span = SourceSpan::new(s.start.into(), s.len());
        Some(Box::new(std::iter::once(LabeledSpan::new_primary_with_span(
            Some(self.label.clone()),
            span,
        ))))
    }
}

/// Whether a snippet of these lines can be shown as they are: no escape
/// sequences, invisible or reordering characters, and no lone `\r` (which
/// a terminal obeys and miette does not count as a line). `window` starts
/// at byte `start` of the file.
fn printable(window: &str, start: usize) -> bool {
    let mut chars = window.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let fine = match c {
            '\n' | '\t' => true,
            '\r' => chars.peek().is_some_and(|&(_, next)| next == '\n'),
            '\u{feff}' => start + i == 0,
            c => !crate::text::hidden(c),
        };
        if !fine {
            return false;
        }
    }
    true
}

/// Whether the lines of `span` (and one around) can be shown as a snippet.
fn showable(index: &LineIndex, text: &str, span: crate::syntax::Span) -> bool {
    let span = clamp(span, text);
    let (first, last) = (index.line_of(span.start), index.line_of(span.end));
    // miette shows a line of context on each side.
    let shown = index.lines_range(first.saturating_sub(1), last + 1);
    index.longest_line(first, last) <= MAX_SNIPPET_LINE && printable(&text[shown.clone()], shown.start)
}

/// Longest line shown in a snippet, in bytes.
const MAX_SNIPPET_LINE: usize = 500;

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
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
        let label = |l: &str| (!l.is_empty()).then(|| shown(l).into_owned());
        let primary = LabeledSpan::new_primary_with_span(label(&self.d.label), span(self.d.span));
        let secondary = self
            .d
            .labels
            .iter()
            .filter(|l| l.file.is_none())
            .map(move |l| LabeledSpan::new_with_span(label(&l.message), span(l.span)));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn miette::Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn miette::Diagnostic)))
    }
}

/// Findings shown per file unless `--max-findings-per-file` says otherwise.
pub const DEFAULT_MAX_FINDINGS_PER_FILE: usize = 200;

/// Snippets, file by file; at most `max_per_file` findings of each file
/// (0: all), then how many more there are.
pub struct Human {
    handler: GraphicalReportHandler,
    max_per_file: usize,
}

impl Human {
    pub fn new(options: &HumanOptions, max_per_file: usize) -> Self {
        let theme = if options.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        // Lines break at spaces only: textwrap would otherwise split words at
        // hyphens (`us-west-` / `2`) and at Unicode break opportunities
        // (after `/`), and cut a word longer than the line.
        let handler = GraphicalReportHandler::new_themed(theme)
            .with_width(options.width)
            .with_word_separator(textwrap::WordSeparator::AsciiSpace)
            .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
            .with_break_words(false)
            .with_links(false);
        Human { handler, max_per_file }
    }
}

impl Renderer for Human {
    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let index = LineIndex::new(&file.text);
        let path = file.shown_path();
        let shown_count = match self.max_per_file {
            0 => file.diagnostics.len(),
            n => n.min(file.diagnostics.len()),
        };
        for d in &file.diagnostics[..shown_count] {
            // miette heads each snippet with that snippet's position, which may
            // be a secondary label's; this line always names the primary one.
            let (start, _) = positions(&index, &file.text, d.span);
            let spans = std::iter::once(d.span).chain(d.labels.iter().filter(|l| l.file.is_none()).map(|l| l.span));
            let snippet = spans.into_iter().all(|span| showable(&index, &file.text, span));
            // Labels in other files: each file's lines indexed once per finding.
            let others: Vec<(&crate::diagnostic::Label, &crate::diagnostic::OtherFile, LineIndex)> = d
                .labels
                .iter()
                .filter_map(|l| l.file.as_deref().map(|f| (l, f, LineIndex::new(&f.text))))
                .collect();
            let other_paths: Vec<Cow<str>> = others.iter().map(|(_, f, _)| f.shown_path()).collect();
            let related = others
                .iter()
                .zip(&other_paths)
                .map(|((l, f, lines), path)| {
                    let (at, _) = positions(lines, &f.text, l.span);
                    Related {
                        at: format!("{path}:{}:{}", at.line, at.column),
                        heading: shown(&l.message).into_owned(),
                        label: "here".to_string(),
                        span: l.span,
                        source: Named {
                            name: path,
                            text: &f.text,
                            lines,
                        },
                        snippet: showable(lines, &f.text, l.span),
                    }
                })
                .collect();
            // A fixable finding says so in its heading, and names its fix under the help.
            let (mark, help) = match &d.fix {
                Some(fix) => {
                    let (mark, how) = match fix.applicability {
                        crate::fix::Applicability::Safe => (" [fix]", "--fix"),
                        crate::fix::Applicability::Unsafe => (" [unsafe fix]", "--fix --unsafe-fixes"),
                    };
                    let line = format!("fix: {} ({how})", shown(&fix.title));
                    let help = match d.help.as_deref().map(shown) {
                        Some(h) => format!("{h}\n{line}"),
                        None => line,
                    };
                    (mark, Some(Cow::Owned(help)))
                }
                None => ("", d.help.as_deref().map(shown)),
            };
            let report = Report {
                d,
                message: shown(&d.message),
                help,
                source: Named {
                    name: &path,
                    text: &file.text,
                    lines: &index,
                },
                code: format!("{}:{}:{} {} {}{mark}", path, start.line, start.column, d.code, d.rule),
                snippet,
                related,
            };
            // A renderer failure must not lose the finding, nor end the run.
            let mut rendered = String::new();
            let handler = &self.handler;
            let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                handler.render_report(&mut rendered, &report).is_ok()
            }));
            if !matches!(ok, Ok(true)) {
                rendered = format!(
                    "{}:{}:{}: {}[{} {}] {}\n",
                    path, start.line, start.column, d.severity, d.code, d.rule, report.message
                );
            }
            rendered.push('\n');
            out.write_all(rendered.as_bytes())?;
        }
        let hidden = file.diagnostics.len() - shown_count;
        if hidden > 0 {
            writeln!(
                out,
                "… and {hidden} more {} in {path} (`--max-findings-per-file 0` shows them all; machine formats always do)\n",
                if hidden == 1 { "finding" } else { "findings" }
            )?;
        }
        if file.omitted.total() > 0 {
            writeln!(out, "{path}: {}\n", file.omitted.message())?;
        }
        Ok(())
    }
}

pub fn render(files: &[FileResult], options: &HumanOptions) -> String {
    super::to_string(&mut Human::new(options, 0), files)
}

/// What fixing did (or, with `--diff`, would do): "N fixed, M remaining
/// (K fixable with --unsafe-fixes)."; without fixing, the findings `--fix`
/// would fix. Empty when there is nothing to say.
pub fn fix_summary(s: &Summary) -> String {
    use crate::fix::apply::Mode;
    let unsafe_hint = |n: usize| {
        if n > 0 {
            format!(" ({n} fixable with --unsafe-fixes)")
        } else {
            String::new()
        }
    };
    match s.fixing {
        Some(mode) => format!(
            "{} fixed, {} remaining{}.\n",
            s.fixed,
            s.findings(),
            unsafe_hint(if mode == Mode::Safe { s.unsafe_fixable } else { 0 })
        ),
        None if s.safe_fixable > 0 => format!(
            "{} fixable with --fix{}.\n",
            s.safe_fixable,
            unsafe_hint(s.unsafe_fixable)
                .replace(" (", ", ")
                .replace(" fixable with --unsafe-fixes)", " more with --fix --unsafe-fixes")
        ),
        None if s.unsafe_fixable > 0 => {
            format!("{} fixable with --fix --unsafe-fixes.\n", s.unsafe_fixable)
        }
        None => String::new(),
    }
}

/// `✖ 2 errors, 1 warning in 1 of 3 files`, or the all-clear; files that
/// could not be checked are counted, never passed off as clean; then what
/// fixing did, or could do.
pub fn summary(s: &Summary, options: &HumanOptions) -> String {
    format!("{}{}", findings_summary(s, options), fix_summary(s))
}

fn findings_summary(s: &Summary, options: &HumanOptions) -> String {
    let paint = |code: &str, text: String| {
        if options.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text
        }
    };
    let linted = s.files - s.failed;
    let failed = (s.failed > 0).then(|| {
        format!(
            "{} {} could not be checked (see the errors above).\n",
            paint("31", "✖".into()),
            plural(s.failed, "file")
        )
    });
    if s.findings() == 0 {
        return match failed {
            None => format!(
                "{} No problems found in {}.\n",
                paint("32", "✔".into()),
                plural(linted, "file")
            ),
            Some(failed) if linted == 0 => failed,
            Some(failed) if linted == 1 => format!("{failed}No problems found in the other file.\n"),
            Some(failed) => format!("{failed}No problems found in the other {linted} files.\n"),
        };
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
    format!(
        "{}{} {} in {} of {}.\nRun `ecrlint explain {}` for what a rule checks and how to fix it.\n",
        failed.unwrap_or_default(),
        paint("31", "✖".into()),
        parts.join(", "),
        s.with_findings,
        plural(linted, "file"),
        s.first_code.unwrap_or("CODE")
    )
}
