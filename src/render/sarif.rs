//! SARIF 2.1.0 for code-scanning services. Columns are counted in Unicode
//! code points (`columnKind: unicodeCodePoints`), as everywhere in ecrlint.

use super::{clamp, positions, FileResult};
use crate::diagnostic::Severity;
use crate::json::Span;
use crate::lines::{LineIndex, Position};
use serde_json::{json, Value};

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

/// A relative path as a URI reference (forward slashes, percent-encoded).
fn uri(path: &str) -> String {
    let mut out = String::new();
    for b in path.replace('\\', "/").bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn render(files: &[FileResult], tool: &Tool) -> String {
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
    let mut results = Vec::new();
    for file in files {
        let index = LineIndex::new(&file.text);
        let location = |span| {
            json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&file.path) },
                    "region": region(&index, &file.text, span),
                }
            })
        };
        for d in &file.diagnostics {
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message.push_str(&format!(" Help: {help}"));
            }
            let mut result = json!({
                "ruleId": d.code,
                "level": level(Some(d.severity)),
                "message": { "text": message },
                "locations": [location(d.span)],
            });
            if let Some(i) = tool.rules.iter().position(|r| r.id == d.code) {
                result["ruleIndex"] = json!(i);
            }
            result["properties"] = json!({ "pointer": d.pointer, "rule": d.rule });
            if !d.labels.is_empty() {
                result["relatedLocations"] = Value::Array(
                    d.labels
                        .iter()
                        .enumerate()
                        .map(|(i, l)| {
                            let mut loc = location(l.span);
                            loc["id"] = json!(i + 1);
                            loc["message"] = json!({ "text": l.message });
                            loc
                        })
                        .collect(),
                );
            }
            results.push(result);
        }
    }
    let report = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": tool.name,
                "version": tool.version,
                "informationUri": tool.information_uri,
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}
