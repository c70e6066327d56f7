//! The machine-readable report, described by `schemas/report.schema.json`.

use super::{clamp, positions, FileResult, Summary};
use crate::lines::{LineIndex, Position};
use serde::Serialize;

pub const REPORT_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    files: Vec<File<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct File<'a> {
    path: &'a str,
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
    message: &'a str,
    pointer: &'a str,
    span: SpanOut,
    start: Position,
    end: Position,
    labels: Vec<LabelOut<'a>>,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct LabelOut<'a> {
    message: &'a str,
    span: SpanOut,
    start: Position,
    end: Position,
}

pub fn render(files: &[FileResult]) -> String {
    let report = Report {
        version: REPORT_VERSION,
        summary: Summary::of(files),
        files: files
            .iter()
            .map(|f| {
                let index = LineIndex::new(&f.text);
                File {
                    path: &f.path,
                    document: f.document,
                    error: f.error.as_deref(),
                    diagnostics: f
                        .diagnostics
                        .iter()
                        .map(|d| {
                            let (start, end) = positions(&index, &f.text, d.span);
                            let span = clamp(d.span, &f.text);
                            Diag {
                                code: d.code,
                                rule: d.rule,
                                severity: d.severity.as_str(),
                                message: &d.message,
                                pointer: &d.pointer,
                                span: SpanOut {
                                    start: span.start,
                                    end: span.end,
                                },
                                start,
                                end,
                                labels: d
                                    .labels
                                    .iter()
                                    .map(|l| {
                                        let (start, end) = positions(&index, &f.text, l.span);
                                        let span = clamp(l.span, &f.text);
                                        LabelOut {
                                            message: &l.message,
                                            span: SpanOut {
                                                start: span.start,
                                                end: span.end,
                                            },
                                            start,
                                            end,
                                        }
                                    })
                                    .collect(),
                                help: d.help.as_deref(),
                            }
                        })
                        .collect(),
                }
            })
            .collect(),
    };
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}
