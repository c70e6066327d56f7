//! One line per finding, `path:line:col: severity[CODE rule-name] message`:
//! what problem matchers, Vim's quickfix and Emacs' compile-mode parse.

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
                "{}:{}:{}: {}[{} {}] {}",
                path,
                start.line,
                start.column,
                d.severity,
                d.code,
                d.rule,
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

pub fn render(files: &[FileResult]) -> String {
    super::to_string(&mut Concise, files)
}
