//! GitHub Actions workflow commands: one annotation per finding
//! (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`).

use super::{positions, shown, FileResult, Renderer};
use crate::diagnostic::Severity;
use crate::lines::LineIndex;
use std::io::{self, Write};

/// Escaping of a command's message, as in actions/toolkit `escapeData`.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escaping of a command's property values, as in actions/toolkit `escapeProperty`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub struct Github;

impl Renderer for Github {
    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let index = LineIndex::new(&file.text);
        // The name as it is, percent-encoded as GitHub reads properties (a
        // newline is `%0A`), so that the annotation lands on the file.
        let path = escape_property(&file.path);
        // A file that could not be checked fails the step visibly, not by the exit code alone.
        if let Some(error) = &file.error {
            writeln!(
                out,
                "::error file={path},title=ecrlint::{}",
                escape_data(&format!("{}: {}", file.shown_path(), shown(error)))
            )?;
        }
        for d in &file.diagnostics {
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "notice",
            };
            let (start, end) = positions(&index, &file.text, d.span);
            let mut props = format!("file={path},line={}", start.line);
            if start.line == end.line {
                // GitHub only accepts columns on single-line annotations.
                props.push_str(&format!(
                    ",col={},endLine={},endColumn={}",
                    start.column, end.line, end.column
                ));
            } else {
                props.push_str(&format!(",endLine={}", end.line));
            }
            props.push_str(&format!(
                ",title={}",
                escape_property(&format!("{} {}", d.code, d.rule))
            ));
            let mut message = shown(&d.message).into_owned();
            if let Some(help) = &d.help {
                message.push_str("\nhelp: ");
                message.push_str(&shown(help));
            }
            writeln!(out, "::{command} {props}::{}", escape_data(&message))?;
        }
        if file.omitted.total() > 0 {
            writeln!(
                out,
                "::notice file={path},title=ecrlint::{}",
                escape_data(&format!("{}: {}", file.shown_path(), file.omitted.message()))
            )?;
        }
        Ok(())
    }
}

pub fn render(files: &[FileResult]) -> String {
    super::to_string(&mut Github, files)
}
