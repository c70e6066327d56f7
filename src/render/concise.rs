//! One line per finding, `path:line:col: severity[CODE rule-name] message`:
//! what problem matchers, Vim's quickfix and Emacs' compile-mode parse.

use super::{positions, FileResult};
use crate::lines::LineIndex;

pub fn render(files: &[FileResult]) -> String {
    let mut out = String::new();
    for file in files {
        let index = LineIndex::new(&file.text);
        for d in &file.diagnostics {
            let (start, _) = positions(&index, &file.text, d.span);
            // A message never spans lines here: parsers read one line per finding.
            let message = d.message.replace(['\n', '\r'], " ");
            out.push_str(&format!(
                "{}:{}:{}: {}[{} {}] {}\n",
                file.path, start.line, start.column, d.severity, d.code, d.rule, message
            ));
        }
    }
    out
}
