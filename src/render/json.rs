//! The machine-readable report, described by `schemas/report.schema.json`.
//! Written file by file: the envelope opens first and closes with the summary.

use super::{clamp, positions, shown, write_nested_json, FileResult, Renderer, Summary};
use crate::lines::{LineIndex, Position};
use serde::Serialize;
use std::borrow::Cow;
use std::io::{self, Write};

pub const REPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
    /// The name's bytes, only when it is not UTF-8 (`path` is then lossy).
    #[serde(skip_serializing_if = "Option::is_none")]
    path_bytes: Option<&'a [u8]>,
    document: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
    diagnostics: Vec<Diag<'a>>,
}

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
}

#[derive(Serialize)]
struct LabelOut<'a> {
    message: Cow<'a, str>,
    span: SpanOut,
    start: Position,
    end: Position,
}

fn file_out(f: &FileResult) -> File<'_> {
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
    File {
        path: &f.path,
        path_bytes: f.path_bytes.as_deref(),
        document: f.document,
        error: f.error.as_deref(),
        diagnostics: f
            .diagnostics
            .iter()
            .map(|d| {
                let (span, start, end) = located(d.span);
                Diag {
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
                            let (span, start, end) = located(l.span);
                            LabelOut {
                                message: shown(&l.message),
                                span,
                                start,
                                end,
                            }
                        })
                        .collect(),
                    help: d.help.as_deref().map(shown),
                }
            })
            .collect(),
    }
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
        write_nested_json(out, &file_out(file), 4)
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
