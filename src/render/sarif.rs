//! SARIF 2.1.0 for code-scanning services. Columns are counted in Unicode
//! code points (`columnKind: unicodeCodePoints`), as everywhere in ecrlint.

use super::{clamp, positions, shown, write_nested_json, FileResult, Renderer, Summary};
use crate::diagnostic::Severity;
use crate::lines::{LineIndex, Position};
use crate::syntax::Span;
use serde_json::{json, Value};
use std::io::{self, Write};

/// What the report says about the tool and its rules.
pub struct Tool<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub information_uri: &'a str,
    pub rules: Vec<RuleInfo<'a>>,
}

pub struct RuleInfo<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub short_description: &'a str,
    pub full_description: String,
    pub help_uri: String,
    pub help_markdown: &'a str,
    /// `None`: off by default.
    pub default_level: Option<Severity>,
}

fn level(severity: Option<Severity>) -> &'static str {
    match severity {
        Some(Severity::Error) => "error",
        Some(Severity::Warning) => "warning",
        Some(Severity::Info) => "note",
        None => "none",
    }
}

fn region(index: &LineIndex, text: &str, span: Span) -> Value {
    let (start, end): (Position, Position) = positions(index, text, span);
    let span = clamp(span, text);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
        "byteOffset": span.start,
        "byteLength": span.len(),
    })
}

/// A relative path as a URI reference: the name's real bytes, percent-encoded
/// (so a name that is not UTF-8 still opens). Only Windows separates with `\\`;
/// elsewhere it is a character of the name.
fn uri_of(path: &[u8]) -> String {
    let mut out = String::new();
    for &b in path {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else if b == b'\\' && cfg!(windows) {
            out.push('/');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The SARIF log: the envelope, each result as its file finishes, then the
/// tool and its rules. Keys are in the order `serde_json` sorts them.
pub struct Sarif<'t> {
    tool: &'t Tool<'t>,
    results_written: usize,
    /// Files that could not be checked: the run's notifications.
    failures: Vec<Value>,
    /// Files with findings past `--max-findings`: notifications too (notes).
    omitted: Vec<Value>,
}

impl<'t> Sarif<'t> {
    pub fn new(tool: &'t Tool<'t>) -> Self {
        Sarif {
            tool,
            results_written: 0,
            failures: Vec::new(),
            omitted: Vec::new(),
        }
    }
}

impl Renderer for Sarif<'_> {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(
            b"{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"runs\": [\n    {\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [",
        )
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let index = LineIndex::new(&file.text);
        let uri = uri_of(file.raw_path());
        if let Some(error) = &file.error {
            self.failures.push(json!({
                "level": "error",
                "message": { "text": format!("{}: {}", file.shown_path(), shown(error)) },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri } } }],
            }));
        }
        if file.omitted.total() > 0 {
            self.omitted.push(json!({
                "level": "note",
                "message": { "text": format!("{}: {}", file.shown_path(), file.omitted.message()) },
                "locations": [{ "physicalLocation": { "artifactLocation": { "uri": uri } } }],
            }));
        }
        let location = |span| {
            json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri },
                    "region": region(&index, &file.text, span),
                }
            })
        };
        for d in &file.diagnostics {
            let mut message = shown(&d.message).into_owned();
            if let Some(help) = &d.help {
                message.push_str(&format!(" Help: {}", shown(help)));
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": level(Some(d.severity)),
                "message": { "text": message },
                "locations": [location(d.span)],
            });
            if let Some(i) = self.tool.rules.iter().position(|r| r.id == d.code) {
                result["ruleIndex"] = json!(i);
            }
            result["properties"] = json!({ "pointer": d.pointer, "rule": d.rule });
            if let Some(fix) = &d.fix {
                let replacements: Vec<Value> = fix
                    .edits
                    .iter()
                    .map(|e| {
                        json!({
                            "deletedRegion": region(&index, &file.text, e.span),
                            "insertedContent": { "text": e.content },
                        })
                    })
                    .collect();
                result["fixes"] = json!([{
                    "description": { "text": shown(&fix.title) },
                    "artifactChanges": [{
                        "artifactLocation": { "uri": uri },
                        "replacements": replacements,
                    }],
                    "properties": { "applicability": fix.applicability.as_str() },
                }]);
            }
            if !d.labels.is_empty() {
                result["relatedLocations"] = Value::Array(
                    d.labels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| {
                            let mut loc = match &l.file {
                                None => location(l.span),
                                // A label in another file: its own URI and positions.
                                Some(other) => json!({
                                    "physicalLocation": {
                                        "artifactLocation": { "uri": uri_of(other.raw_path()) },
                                        "region": region(&LineIndex::new(&other.text), &other.text, l.span),
                                    }
                                }),
                            };
                            loc["id"] = json!(i + 1);
                            loc["message"] = json!({ "text": shown(&l.message) });
                            loc
                        })
                        .collect(),
                );
            }
            out.write_all(if self.results_written == 0 {
                b"\n        "
            } else {
                b",\n        "
            })?;
            self.results_written += 1;
            write_nested_json(out, &result, 8)?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let tool = self.tool;
        let rules: Vec<Value> = tool
            .rules
            .iter()
            .map(|r| {
                json!({
                    "id": r.id,
                    "name": r.name,
                    "shortDescription": { "text": r.short_description },
                    "fullDescription": { "text": r.full_description },
                    "helpUri": r.help_uri,
                    "help": { "text": r.help_markdown, "markdown": r.help_markdown },
                    "defaultConfiguration": { "level": level(r.default_level), "enabled": r.default_level.is_some() },
                })
            })
            .collect();
        let driver = json!({ "driver": {
            "name": tool.name,
            "version": tool.version,
            "informationUri": tool.information_uri,
            "rules": rules,
        }});
        if self.results_written > 0 {
            out.write_all(b"\n      ")?;
        }
        // Whether every file was checked, and which were not: a run with
        // unreadable files is not a clean one. Findings not shown are notes.
        let successful = self.failures.is_empty();
        let mut notifications = std::mem::take(&mut self.failures);
        notifications.append(&mut self.omitted);
        let invocations = json!([{
            "executionSuccessful": successful,
            "toolExecutionNotifications": notifications,
        }]);
        out.write_all(b"],\n      \"invocations\": ")?;
        write_nested_json(out, &invocations, 6)?;
        out.write_all(b",\n      \"tool\": ")?;
        write_nested_json(out, &driver, 6)?;
        out.write_all(b"\n    }\n  ],\n  \"version\": \"2.1.0\"\n}\n")
    }
}

pub fn render(files: &[FileResult], tool: &Tool) -> String {
    super::to_string(&mut Sarif::new(tool), files)
}
