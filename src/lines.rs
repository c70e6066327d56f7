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
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        let mut ascii = Vec::new();
        let mut line_ascii = true;
        for (i, b) in text.bytes().enumerate() {
            line_ascii &= b.is_ascii();
            if b == b'\n' {
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
        let column = if self.ascii[line] {
            end - start
        } else {
            self.text[start..end].chars().count()
        } + 1;
        Position { line: line + 1, column }
    }
}
