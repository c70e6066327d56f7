//! Byte offsets to lines and columns, and back, computed only when
//! rendering: 1-based code-point columns for reports, 0-based UTF-8 or
//! UTF-16 units for the language server, all from one line index.

/// What a column counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (the Language Server Protocol's default).
    Utf16,
    /// Unicode scalar values (SARIF, the reports, editors' "columns").
    CodePoint,
}

impl Encoding {
    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::CodePoint => 1,
        }
    }
}

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

    /// 1-based line and code-point column, as reports show them.
    pub fn position(&self, offset: usize) -> Position {
        let (line, column) = self.position_in(offset, Encoding::CodePoint);
        Position {
            line: line + 1,
            column: column + 1,
        }
    }

    /// 0-based line and column in `encoding`'s units.
    pub fn position_in(&self, offset: usize, encoding: Encoding) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        // Offsets from the parser are char boundaries; clamp defensively for
        // spans into invalid UTF-8 (lossy text may differ in length).
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let start = self.line_start(line).min(end);
        let column = if self.ascii[line] || encoding == Encoding::Utf8 {
            end - start
        } else {
            self.text[start..end].chars().map(|c| encoding.units(c)).sum()
        };
        (line, column)
    }

    /// The byte offset of a 0-based line and column in `encoding`'s units.
    /// A line past the end is the end of the text; a column past the end of
    /// its line is the end of the line; a column inside a character (half a
    /// surrogate pair, or part of a UTF-8 sequence) is that character's start.
    pub fn offset_in(&self, line: usize, column: usize, encoding: Encoding) -> usize {
        if line >= self.starts.len() {
            return self.text.len();
        }
        let start = self.line_start(line);
        let end = self.line_end(line);
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            let next = units + encoding.units(c);
            if next > column {
                return start + i;
            }
            units = next;
        }
        end
    }

    /// Where a line's text starts: a byte-order mark is not part of the
    /// first line's text, so never a column.
    fn line_start(&self, line: usize) -> usize {
        match line {
            0 if self.text.starts_with('\u{feff}') => 3,
            _ => self.starts[line],
        }
    }

    /// Where a line's text ends, before its `\n`, `\r\n` or `\r`.
    fn line_end(&self, line: usize) -> usize {
        let Some(&next) = self.starts.get(line + 1) else {
            return self.text.len();
        };
        let text = &self.text.as_bytes()[..next];
        match text {
            [.., b'\r', b'\n'] => next - 2,
            _ => next - 1,
        }
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

    #[test]
    fn columns_count_in_each_encoding_and_map_back() {
        let text = "{\n  \"é😀\": \"x\"\r\n}";
        let x = text.find("\"x\"").unwrap();
        let index = LineIndex::new(text);
        for (encoding, column) in [(Encoding::Utf8, 12), (Encoding::Utf16, 9), (Encoding::CodePoint, 8)] {
            assert_eq!(index.position_in(x, encoding), (1, column), "{encoding:?}");
            assert_eq!(index.offset_in(1, column, encoding), x, "{encoding:?}");
        }
        // Past the line's end: before its `\r\n`; past the text: its end.
        assert_eq!(index.offset_in(1, 99, Encoding::Utf16), text.find('\r').unwrap());
        assert_eq!(index.offset_in(9, 0, Encoding::Utf16), text.len());
        // Between the two halves of the emoji's surrogate pair: its start.
        let emoji = text.find('😀').unwrap();
        assert_eq!(index.offset_in(1, 5, Encoding::Utf16), emoji);
    }
}
