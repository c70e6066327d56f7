//! Byte offset to 1-based line and column, computed only when rendering.

/// Line and column, both 1-based; the column counts Unicode scalar values.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    /// Whether each line is ASCII, where a column is a byte difference: a
    /// minified file is one long line, and counting characters from its
    /// start for every finding would be quadratic.
    ascii: Vec<bool>,
}

impl<'a> LineIndex<'a> {
    /// Lines end at `\n`, `\r\n` or a lone `\r`, as editors and miette
    /// count them, so that every format gives the same position.
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            line_ascii &= b.is_ascii();
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
                ascii.push(line_ascii);
                line_ascii = true;
            }
        }
        ascii.push(line_ascii);
        LineIndex { text, starts, ascii }
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset.min(self.text.len())) - 1
    }

    /// Byte range of lines `first` to `last` (0-based, clamped), with the
    /// last line's newline.
    pub fn lines_range(&self, first: usize, last: usize) -> std::ops::Range<usize> {
        let start = self.starts[first.min(self.starts.len() - 1)];
        let end = self.starts.get(last + 1).copied().unwrap_or(self.text.len()).max(start);
        start..end
    }

    /// The longest of lines `first` to `last` (0-based), in bytes.
    pub fn longest_line(&self, first: usize, last: usize) -> usize {
        (first..=last.min(self.starts.len() - 1))
            .map(|l| self.starts.get(l + 1).copied().unwrap_or(self.text.len()) - self.starts[l])
            .max()
            .unwrap_or(0)
    }

    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        // Offsets from the parser are char boundaries; clamp defensively for
        // spans into invalid UTF-8 (lossy text may differ in length).
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        // A byte-order mark is not part of the first line's text: never a column.
        let start = match line {
            0 if self.text.starts_with('\u{feff}') => end.min(3),
            _ => start,
        };
        let column = if self.ascii[line] {
            end - start
        } else {
            self.text[start..end].chars().count()
        } + 1;
        Position { line: line + 1, column }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, offset: usize) -> (usize, usize) {
        let p = LineIndex::new(text).position(offset);
        (p.line, p.column)
    }

    #[test]
    fn lines_break_at_lf_crlf_and_a_lone_cr() {
        let text = "a\nb\r\nc\rd";
        assert_eq!(at(text, 0), (1, 1));
        assert_eq!(at(text, 2), (2, 1));
        assert_eq!(at(text, 3), (2, 2), "the \\r of \\r\\n ends line 2");
        assert_eq!(at(text, 5), (3, 1));
        assert_eq!(at(text, 7), (4, 1));
    }

    #[test]
    fn a_byte_order_mark_is_never_a_column() {
        let text = "\u{feff}{\"a\": 1}";
        assert_eq!(at(text, 3), (1, 1));
        assert_eq!(at(text, 4), (1, 2));
        assert_eq!(at(text, 0), (1, 1));
        assert_eq!(at(text, 1), (1, 1), "inside the mark");
    }
}
