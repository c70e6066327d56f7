//! Output formats. Renderers see files and diagnostics, never ECR concepts.
//! Each writes one file at a time as the files finish, so a report is never
//! held whole in memory; text from the file (messages quoting keys and
//! values, file names) is shown with its hidden characters escaped.

pub mod checkstyle;
pub mod concise;
pub mod diff;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod statistics;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lines::{LineIndex, Position};
use crate::syntax::Span;
use std::borrow::Cow;
use std::io::{self, Write};

/// One file's outcome, ready to render.
pub struct FileResult {
    /// The name shown and reported (lossy when the name is not UTF-8).
    pub path: String,
    /// The name's bytes when it is not UTF-8, so that it can still be opened.
    pub path_bytes: Option<Vec<u8>>,
    /// The file's text (lossy for invalid UTF-8), for snippets and positions.
    pub text: String,
    /// The document shape, when recognised.
    pub document: Option<&'static str>,
    pub diagnostics: Vec<Diagnostic>,
    /// Set when the file could not be read.
    pub error: Option<String>,
    /// What `--fix` did, when it ran: `text` and `diagnostics` are then
    /// those of the fixed text.
    pub fixed: Option<Box<Fixes>>,
    /// Findings past the cap on findings kept per file (`--max-findings`):
    /// counted, not kept. Every format says how many, and the exit code and
    /// the summary count them.
    pub omitted: Omitted,
}

/// Findings kept per file unless `--max-findings` says otherwise. A file
/// with more is almost always generated or pasted many times over; past
/// this, the findings of one rule repeat, and keeping each (a few hundred
/// bytes) would take more memory than the file (benchmarked in BENCHMARKS.md).
pub const DEFAULT_MAX_FINDINGS: usize = 10_000;

pub use crate::diagnostic::{Omitted, OmittedRule};

/// What fixing a file did.
pub struct Fixes {
    /// The text as read.
    pub original: String,
    /// The bytes as read, when they are not UTF-8 (`original` is then
    /// lossy, and nothing is fixed): what `--fix -` gives back.
    pub undecoded: Option<Vec<u8>>,
    /// The file as it was read, for the writer to check that it is still
    /// that file (none for standard input).
    pub read: Option<crate::fix::stamp::Stamp>,
    /// Fixes applied.
    pub applied: usize,
    /// How many fixes of each rule (code, name) were applied.
    pub applied_rules: Vec<(&'static str, &'static str, usize)>,
    /// Fixes dropped because they broke the file or added a finding.
    pub dropped: Vec<crate::fix::apply::Dropped>,
    /// The findings of the text as read, and those past the cap.
    pub before: Vec<Diagnostic>,
    pub before_omitted: Omitted,
}

impl FileResult {
    /// Whether fixing changed the text.
    pub fn changed(&self) -> bool {
        self.fixed.as_ref().is_some_and(|f| f.original != self.text)
    }

    /// Keeps the first `max` findings (0: all), of the text as read too,
    /// and counts the others ([`Omitted`]).
    pub fn cap(&mut self, max: usize) {
        self.omitted.cap(&mut self.diagnostics, max);
        if let Some(f) = &mut self.fixed {
            f.before_omitted.cap(&mut f.before, max);
        }
    }

    /// Forgets the fixes (the fixed text could not be written): the file
    /// is reported as it was read.
    pub fn unfix(&mut self) {
        if let Some(f) = self.fixed.take() {
            self.text = f.original;
            self.diagnostics = f.before;
            self.omitted = f.before_omitted;
        }
    }
}

impl FileResult {
    /// The name for text formats: one line, hidden characters escaped.
    pub fn shown_path(&self) -> Cow<'_, str> {
        match &self.path_bytes {
            Some(bytes) => Cow::Owned(crate::text::escape_bytes(bytes)),
            None => crate::text::escape_name(&self.path),
        }
    }

    /// The name's real bytes.
    pub fn raw_path(&self) -> &[u8] {
        self.path_bytes.as_deref().unwrap_or(self.path.as_bytes())
    }
}

/// Text for an XML attribute or element: markup characters as entities,
/// and characters XML 1.0 cannot hold at all (most control characters,
/// U+FFFE, U+FFFF) as U+FFFD, so the document stays well-formed whatever
/// a file holds.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A line break in an attribute would be read as a space: keep it.
            '\n' => out.push_str("&#10;"),
            '\t' | '\r' => out.push_str(&format!("&#{};", c as u32)),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

/// Text from a file, as every format shows it.
pub(crate) fn shown(s: &str) -> Cow<'_, str> {
    crate::text::escape_hidden(s)
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    /// Files that could not be read or checked.
    #[serde(skip)]
    pub failed: usize,
    /// Files with at least one finding.
    #[serde(skip)]
    pub with_findings: usize,
    /// The first rule code found, in code order (for the `explain` hint).
    #[serde(skip)]
    pub first_code: Option<&'static str>,
    /// Fixes applied (`--fix`).
    #[serde(skip)]
    pub fixed: usize,
    /// Findings left with a safe fix, and with an unsafe one.
    #[serde(skip)]
    pub safe_fixable: usize,
    #[serde(skip)]
    pub unsafe_fixable: usize,
    /// Which fixes the run applied, when it fixed.
    #[serde(skip)]
    pub fixing: Option<crate::fix::apply::Mode>,
}

impl Summary {
    pub fn of(files: &[FileResult]) -> Summary {
        let mut s = Summary::default();
        for f in files {
            s.add(f);
        }
        s
    }

    pub fn add(&mut self, file: &FileResult) {
        self.files += 1;
        self.failed += usize::from(file.error.is_some());
        self.with_findings += usize::from(!file.diagnostics.is_empty() || file.omitted.total() > 0);
        for d in &file.diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
                Severity::Info => self.infos += 1,
            }
            if self.first_code.is_none_or(|c| d.code < c) {
                self.first_code = Some(d.code);
            }
            match d.fix.as_ref().map(|f| f.applicability) {
                Some(crate::fix::Applicability::Safe) => self.safe_fixable += 1,
                Some(crate::fix::Applicability::Unsafe) => self.unsafe_fixable += 1,
                None => {}
            }
        }
        for r in &file.omitted.by_rule {
            match r.severity {
                Severity::Error => self.errors += r.count,
                Severity::Warning => self.warnings += r.count,
                Severity::Info => self.infos += r.count,
            }
            if self.first_code.is_none_or(|c| r.code < c) {
                self.first_code = Some(r.code);
            }
            self.safe_fixable += r.safe_fixable;
            self.unsafe_fixable += r.unsafe_fixable;
        }
        self.fixed += file.fixed.as_ref().map_or(0, |f| f.applied);
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

/// A format, written file by file.
pub trait Renderer {
    /// What comes before the first file (a JSON envelope's opening).
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()>;

    /// What comes after the last file.
    fn end(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// A whole report as a string, for tests and callers that have every file.
pub fn to_string(renderer: &mut dyn Renderer, files: &[FileResult]) -> String {
    let mut out = Vec::new();
    let written = renderer
        .begin(&mut out)
        .and_then(|()| files.iter().try_for_each(|f| renderer.file(&mut out, f)))
        .and_then(|()| renderer.end(&mut out, &Summary::of(files)));
    debug_assert!(written.is_ok(), "writing to memory does not fail");
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Writes `value` as pretty JSON nested `indent` spaces deep: strings never
/// hold a raw line break, so indenting every line is exact.
pub(crate) fn write_nested_json(out: &mut dyn Write, value: &impl serde::Serialize, indent: usize) -> io::Result<()> {
    let mut text = Vec::with_capacity(1024);
    let base = " ".repeat(indent);
    let mut serializer = serde_json::Serializer::with_formatter(
        &mut text,
        Nested {
            base: base.as_bytes(),
            depth: 0,
            has_value: false,
        },
    );
    value.serialize(&mut serializer).map_err(io::Error::other)?;
    out.write_all(&text)
}

/// `serde_json`'s pretty printing (two spaces a level) with every line
/// after the first indented by `base` too, written as it goes: indenting
/// the printed text afterwards searched and copied it again (a third of a
/// large report's time).
struct Nested<'a> {
    base: &'a [u8],
    depth: usize,
    has_value: bool,
}

impl Nested<'_> {
    fn new_line<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b"\n")?;
        writer.write_all(self.base)?;
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl serde_json::ser::Formatter for Nested<'_> {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(writer)?;
        }
        writer.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        self.new_line(writer)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            self.new_line(writer)?;
        }
        writer.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        self.begin_array_value(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
