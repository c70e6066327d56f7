//! The machine-readable report, described by `schemas/report.schema.json`.
//! Written file by file: the envelope opens first and closes with the summary.

use super::{clamp, positions, shown, write_nested_json, FileResult, Renderer, Summary};
use crate::lines::{LineIndex, Position};
use serde::Serialize;
use std::borrow::Cow;
use std::io::{self, Write};

pub const REPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct SpanOut {
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct Diag<'a> {
    code: &'a str,
    rule: &'a str,
    severity: &'a str,
    message: Cow<'a, str>,
    pointer: &'a str,
    span: SpanOut,
    start: Position,
    end: Position,
    labels: Vec<LabelOut<'a>>,
    help: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixOut<'a>>,
}

#[derive(Serialize)]
struct FixOut<'a> {
    applicability: &'static str,
    title: Cow<'a, str>,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct EditOut<'a> {
    span: SpanOut,
    start: Position,
    end: Position,
    /// The text to write, exactly (not escaped for display).
    content: &'a str,
}

#[derive(Serialize)]
struct LabelOut<'a> {
    message: Cow<'a, str>,
    /// The file the label is in, when it is not the finding's own.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    span: SpanOut,
    start: Position,
    end: Position,
}

/// One file's object, written a finding at a time: a file with millions of
/// findings is never serialised whole in memory. The layout is exactly
/// `serde_json`'s pretty printing, nested in the `files` list.
fn write_file(out: &mut dyn Write, f: &FileResult) -> io::Result<()> {
    write!(out, "{{\n      \"path\": {}", compact(&f.path)?)?;
    if let Some(bytes) = &f.path_bytes {
        // Only when the name is not UTF-8 (`path` is then lossy).
        out.write_all(b",\n      \"path_bytes\": ")?;
        write_nested_json(out, bytes, 6)?;
    }
    write!(out, ",\n      \"document\": {}", compact(&f.document)?)?;
    if let Some(error) = &f.error {
        write!(out, ",\n      \"error\": {}", compact(error)?)?;
    }
    out.write_all(b",\n      \"diagnostics\": [")?;
    let index = LineIndex::new(&f.text);
    let located = |span| {
        let (start, end) = positions(&index, &f.text, span);
        let span = clamp(span, &f.text);
        (
            SpanOut {
                start: span.start,
                end: span.end,
            },
            start,
            end,
        )
    };
    for (i, d) in f.diagnostics.iter().enumerate() {
        let (span, start, end) = located(d.span);
        let diag = Diag {
            code: d.code,
            rule: d.rule,
            severity: d.severity.as_str(),
            message: shown(&d.message),
            pointer: &d.pointer,
            span,
            start,
            end,
            labels: d
                .labels
                .iter()
                .map(|l| {
                    let (span, start, end) = match &l.file {
                        None => located(l.span),
                        Some(other) => {
                            let index = LineIndex::new(&other.text);
                            let (start, end) = positions(&index, &other.text, l.span);
                            let span = clamp(l.span, &other.text);
                            (
                                SpanOut {
                                    start: span.start,
                                    end: span.end,
                                },
                                start,
                                end,
                            )
                        }
                    };
                    LabelOut {
                        message: shown(&l.message),
                        path: l.file.as_ref().map(|f| f.path.as_str()),
                        span,
                        start,
                        end,
                    }
                })
                .collect(),
            help: d.help.as_deref().map(shown),
            fix: d.fix.as_ref().map(|fix| FixOut {
                applicability: fix.applicability.as_str(),
                title: shown(&fix.title),
                edits: fix
                    .edits
                    .iter()
                    .map(|e| {
                        let (span, start, end) = located(e.span);
                        EditOut {
                            span,
                            start,
                            end,
                            content: &e.content,
                        }
                    })
                    .collect(),
            }),
        };
        out.write_all(if i == 0 { b"\n        " } else { b",\n        " })?;
        write_nested_json(out, &diag, 8)?;
    }
    if !f.diagnostics.is_empty() {
        out.write_all(b"\n      ")?;
    }
    out.write_all(b"]")?;
    if f.omitted.total() > 0 {
        out.write_all(b",\n      \"omitted\": ")?;
        write_nested_json(out, &omitted(&f.omitted), 6)?;
    }
    out.write_all(b"\n    }")
}

/// The findings past `--max-findings`: how many, of which rules, and the
/// sentence other formats show.
fn omitted(o: &super::Omitted) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = o
        .by_rule
        .iter()
        .map(|r| serde_json::json!({"code": r.code, "rule": r.rule, "severity": r.severity.as_str(), "count": r.count}))
        .collect();
    serde_json::json!({"count": o.total(), "kept": o.kept, "message": o.message(), "rules": rules})
}

/// Compact JSON of one value, for a field on its own line.
fn compact(value: &impl Serialize) -> io::Result<String> {
    serde_json::to_string(value).map_err(io::Error::other)
}

/// `{"version": 1, "files": [...], "summary": {...}}`, pretty-printed.
#[derive(Default)]
pub struct Json {
    files_written: usize,
}

impl Renderer for Json {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(out, "{{\n  \"version\": {REPORT_VERSION},\n  \"files\": [")
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        out.write_all(if self.files_written == 0 { b"\n    " } else { b",\n    " })?;
        self.files_written += 1;
        write_file(out, file)
    }

    fn end(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        if self.files_written > 0 {
            out.write_all(b"\n  ")?;
        }
        out.write_all(b"],\n  \"summary\": ")?;
        write_nested_json(out, summary, 2)?;
        out.write_all(b"\n}\n")
    }
}

pub fn render(files: &[FileResult]) -> String {
    super::to_string(&mut Json::default(), files)
}
