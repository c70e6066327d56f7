//! ecrlint's findings as LSP diagnostics.

use super::engine::{self, ConfigError, Severity};
use super::position::{Encoding, LineIndex};
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri,
};
use std::str::FromStr;

pub const SOURCE: &str = "ecrlint";

fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The message, then the help on its own line, as `check` shows them.
fn message(message: &str, help: Option<&str>) -> String {
    match help {
        Some(help) => format!("{message}\nhelp: {help}"),
        None => message.to_string(),
    }
}

pub fn diagnostic(uri: &Uri, index: &LineIndex, d: &engine::Diagnostic) -> Diagnostic {
    let related: Vec<_> = d
        .labels
        .iter()
        .filter_map(|l| {
            let location = match &l.file {
                None => Location::new(uri.clone(), index.range(l.span.start, l.span.end)),
                // A file of the check across files: named by its URI.
                Some(file) => {
                    let other = LineIndex::new(&file.text, index.encoding());
                    // A file of a Terraform module folder is named by its path.
                    let named = std::path::Path::new(&file.path);
                    let other_uri = if named.is_absolute() {
                        super::uri::from_path(named)?
                    } else {
                        Uri::from_str(&file.path).ok()?
                    };
                    Location::new(other_uri, other.range(l.span.start, l.span.end))
                }
            };
            Some(DiagnosticRelatedInformation {
                location,
                message: l.message.clone(),
            })
        })
        .collect();
    Diagnostic {
        range: index.range(d.span.start, d.span.end),
        severity: Some(severity(d.severity)),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: engine::rule_summary(d.code)
            .and_then(|(_, url)| Uri::from_str(&url).ok())
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_string()),
        message: message(&d.message, d.help.as_deref()),
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: None,
    }
}

pub fn diagnostics(uri: &Uri, index: &LineIndex, found: &[engine::Diagnostic]) -> Vec<Diagnostic> {
    found.iter().map(|d| diagnostic(uri, index, d)).collect()
}

/// A configuration file's error, at the value at fault.
pub fn config_error(e: &ConfigError, encoding: Encoding) -> Diagnostic {
    let index = LineIndex::new(&e.text, encoding);
    Diagnostic {
        range: index.range(e.span.start, e.span.end),
        severity: Some(DiagnosticSeverity::ERROR),
        code: Some(NumberOrString::String("config".into())),
        code_description: None,
        source: Some(SOURCE.to_string()),
        message: message(&e.message, e.help.as_deref()),
        related_information: None,
        tags: None,
        data: None,
    }
}
