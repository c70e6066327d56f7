//! The line comments (`#` and `//`) of a Terraform HCL file, found by a scan
//! that follows HCL's lexical structure: quoted templates (with `\` escapes,
//! `$${`/`%%{` literals and `${…}`/`%{…}` holding expressions, which hold
//! strings in turn), heredocs (`<<ID`/`<<-ID` up to the line that is only
//! `ID`, with interpolations too) and `/* … */` comments. A `#` or `//`
//! inside any of them is text. The scan never fails: on text that is not
//! valid HCL it still ends, and its answer is then only a best guess (such
//! a file is not linted anyway: it does not parse).

use crate::syntax::Span;

/// A line comment: from its `#` or `//` to the end of its line (before any
/// `\r`), and the length of its marker (1 or 2).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineComment {
    pub span: Span,
    pub marker: usize,
}

enum Ctx {
    /// Structure or expression text; `depth` counts open `{` since the
    /// interpolation (or the file) began.
    Expr { depth: usize },
    /// Inside `"…"`.
    Quoted,
    /// Inside a heredoc's body, closed by a line that is only `id`.
    Heredoc { id: (usize, usize), line_start: bool },
}

/// Where the line holding `from` ends: at its `\r` or `\n`, or the end.
fn line_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'\n' || c == b'\r')
        .map_or(b.len(), |j| from + j)
}

/// A heredoc opener at `i` (`<<`): its identifier's range and where its
/// body starts (after the newline).
fn heredoc_opener(b: &[u8], i: usize) -> Option<((usize, usize), usize)> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let start = j;
    if !b.get(j).is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_') {
        return None;
    }
    while b
        .get(j)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
    {
        j += 1;
    }
    let end = j;
    if b.get(j) == Some(&b'\r') {
        j += 1;
    }
    (b.get(j) == Some(&b'\n')).then_some(((start, end), j + 1))
}

/// Every `#` and `//` comment of `text`, in order. `read` gives the end of
/// a string or heredoc that the parser read starting at a position, which
/// the scan then skips whole (the scan reads the others itself).
pub fn line_comments(text: &str, read: impl Fn(usize) -> Option<usize>) -> Vec<LineComment> {
    let b = text.as_bytes();
    let mut found = Vec::new();
    let mut stack = vec![Ctx::Expr { depth: 0 }];
    let mut i = 0;
    let at = |i: usize, s: &[u8]| b.get(i..i + s.len()) == Some(s);
    while i < b.len() {
        let nested = stack.len() > 1;
        let Some(ctx) = stack.last_mut() else { break };
        match ctx {
            Ctx::Expr { depth } => match b[i] {
                b'"' | b'<' if read(i).is_some_and(|end| end > i) => {
                    i = read(i).unwrap_or(i + 1);
                }
                b'"' => {
                    stack.push(Ctx::Quoted);
                    i += 1;
                }
                b'#' | b'/' if b[i] == b'#' || at(i, b"//") => {
                    let end = line_end(b, i);
                    found.push(LineComment {
                        span: Span::new(i, end),
                        marker: if b[i] == b'#' { 1 } else { 2 },
                    });
                    i = end;
                }
                b'/' if at(i, b"/*") => {
                    i = text[i + 2..].find("*/").map_or(b.len(), |j| i + 2 + j + 2);
                }
                b'<' if at(i, b"<<") => match heredoc_opener(b, i) {
                    Some((id, body)) => {
                        stack.push(Ctx::Heredoc { id, line_start: true });
                        i = body;
                    }
                    None => i += 2,
                },
                b'{' => {
                    *depth += 1;
                    i += 1;
                }
                b'}' => {
                    if *depth == 0 && nested {
                        stack.pop();
                    } else {
                        *depth = depth.saturating_sub(1);
                    }
                    i += 1;
                }
                _ => i += 1,
            },
            Ctx::Quoted => {
                if b[i] == b'\\' {
                    i += 2;
                } else if b[i] == b'"' || b[i] == b'\n' {
                    // (A newline ends an unclosed string: HCL's strings are one line.)
                    stack.pop();
                    i += 1;
                } else if at(i, b"$${") || at(i, b"%%{") {
                    i += 3;
                } else if at(i, b"${") || at(i, b"%{") {
                    stack.push(Ctx::Expr { depth: 0 });
                    i += 2;
                } else {
                    i += 1;
                }
            }
            Ctx::Heredoc { id, line_start } => {
                if *line_start {
                    *line_start = false;
                    let end = line_end(b, i);
                    let line = text[i..end]
                        .trim_start_matches([' ', '\t'])
                        .trim_end_matches([' ', '\t']);
                    if line == &text[id.0..id.1] {
                        stack.pop();
                        i = end;
                        continue;
                    }
                }
                if at(i, b"$${") || at(i, b"%%{") {
                    i += 3;
                } else if at(i, b"${") || at(i, b"%{") {
                    stack.push(Ctx::Expr { depth: 0 });
                    i += 2;
                } else {
                    *line_start = b[i] == b'\n';
                    i += 1;
                }
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<&str> {
        line_comments(text, |_| None)
            .iter()
            .map(|c| &text[c.span.start..c.span.end])
            .collect()
    }

    #[test]
    fn comments_outside_strings_heredocs_and_block_comments() {
        let text = concat!(
            "# c1\n",
            "a = \"x # no // no\" # c2\n",
            "b = \"esc \\\" # no\" // c3\n",
            "c = \"${var.x} # no ${\"nested # no\"} $${ # no\" # c4\n",
            "d = <<EOT\n",
            "  # not a comment\n",
            "  // nor this ${var.y} # no\n",
            "EOT\n",
            "e = <<-EOT\n",
            "    # no\n",
            "    EOT\n",
            "x = 2 # c5\n",
            "/* # no\n",
            "   // no */ f = 1 # c6\n",
            "g = { k = \"#\" } // c7\n",
            "h = \"%{ if true }# no%{ endif }\" #c8\n",
            "i = 1 / 2 # c9\n",
            "j = [\n",
            "  \"x\", # c10\n",
            "  <<EOT\n",
            "EOT is not the end # no\n",
            "EOT\n",
            "]\n",
        );
        assert_eq!(
            texts(text),
            ["# c1", "# c2", "// c3", "# c4", "# c5", "# c6", "// c7", "#c8", "# c9", "# c10"]
        );
    }

    #[test]
    fn crlf_line_endings_end_comments_before_the_carriage_return() {
        let text = "a = 1 # c1\r\nb = <<EOT\r\n# no\r\nEOT\r\n// c2\r\n";
        assert_eq!(texts(text), ["# c1", "// c2"]);
        let markers: Vec<usize> = line_comments(text, |_| None).iter().map(|c| c.marker).collect();
        assert_eq!(markers, [1, 2]);
    }

    #[test]
    fn broken_text_ends_without_a_panic() {
        for text in ["\"${", "<<EOT\n", "/*", "a = \"x", "}}}", "${{{", "<<-\n", "\\", "\"\\"] {
            let _ = line_comments(text, |_| None);
            let _ = line_comments(text, |at| Some(at + 100));
        }
    }
}
