//! One line per finding, `path:line:col: severity[CODE rule-name] message`:
//! what problem matchers, Vim's quickfix and Emacs' compile-mode parse.
//! A finding `--fix` can fix has `[*] ` before its message, one only
//! `--unsafe-fixes` fixes `[*unsafe] ` (ruff marks fixable findings with
//! `[*]` there).

use super::{positions, shown, FileResult, Renderer};
use crate::lines::LineIndex;
use std::io::{self, Write};

pub struct Concise;

impl Renderer for Concise {
    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let index = LineIndex::new(&file.text);
        // Escaped, a name or message never spans lines: parsers read one line per finding.
        let path = file.shown_path();
        for d in &file.diagnostics {
            let (start, _) = positions(&index, &file.text, d.span);
            writeln!(
                out,
                "{}:{}:{}: {}[{} {}] {}{}",
                path,
                start.line,
                start.column,
                d.severity,
                d.code,
                d.rule,
                fixable_mark(d),
                shown(&d.message)
            )?;
        }
        // Not `path:line:col:`, so that no parser takes it for a finding.
        if file.omitted.total() > 0 {
            writeln!(out, "{path}: {}", file.omitted.message())?;
        }
        Ok(())
    }
}

/// What a concise line says of the finding's fix.
fn fixable_mark(d: &crate::diagnostic::Diagnostic) -> &'static str {
    match d.fix.as_ref().map(|f| f.applicability) {
        Some(crate::fix::Applicability::Safe) => "[*] ",
        Some(crate::fix::Applicability::Unsafe) => "[*unsafe] ",
        None => "",
    }
}

pub fn render(files: &[FileResult]) -> String {
    super::to_string(&mut Concise, files)
}
