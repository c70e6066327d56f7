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

/// Where a document's lines start, and which are ASCII: what a
/// [`LineIndex`] needs beside the text. The language server keeps one per
/// open document and updates it with each edit ([`Lines::edit`]) instead
/// of scanning the whole text again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lines {
    starts: Vec<usize>,
    /// Whether each line is ASCII, where a column is a byte difference: a
    /// minified file is one long line, and counting characters from its
    /// start for every finding would be quadratic.
    ascii: Vec<bool>,
}

/// Whether a line ends at byte `i`: a `\n`, or a `\r` not followed by `\n`.
fn ends_line(bytes: &[u8], i: usize) -> bool {
    match bytes[i] {
        b'\n' => true,
        b'\r' => bytes.get(i + 1) != Some(&b'\n'),
        _ => false,
    }
}

/// Whether some byte of `word` may be below `n` (at most 128): never false
/// when one is (a borrow can only set the flag of a byte above a true one).
fn may_hold_byte_below(word: u64, n: u8) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = ONES * 0x80;
    word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS != 0
}

impl Lines {
    /// Lines end at `\n`, `\r\n` or a lone `\r`, as editors and miette
    /// count them, so that every format gives the same position.
    pub fn new(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        let mut i = 0;
        while i < bytes.len() {
            // Eight bytes at a time: a word with no byte at or below `\r`
            // (most of a line) is skipped whole, a byte-by-byte scan cost
            // 8 instructions a byte (3 % of a 1 MB file's check).
            if let Some(word) = bytes.get(i..i + 8) {
                let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
                if !may_hold_byte_below(word, b'\r' + 1) {
                    i += 8;
                    continue;
                }
            }
            if bytes[i] <= b'\r' && ends_line(bytes, i) {
                starts.push(i + 1);
            }
            i += 1;
        }
        let mut lines = Lines {
            starts,
            ascii: Vec::new(),
        };
        lines.ascii = (0..lines.starts.len()).map(|l| lines.line_is_ascii(bytes, l)).collect();
        lines
    }

    fn line_is_ascii(&self, bytes: &[u8], line: usize) -> bool {
        let end = self.starts.get(line + 1).copied().unwrap_or(bytes.len());
        bytes[self.starts[line]..end].is_ascii()
    }

    /// Follows an edit: `removed` bytes at `start` were replaced by
    /// `inserted` bytes, giving `after`. Only the lines the edit touches are
    /// scanned again; the starts of the lines after it move by the change
    /// in length.
    pub fn edit(&mut self, after: &str, start: usize, removed: usize, inserted: usize) {
        let bytes = after.as_bytes();
        let (old_end, new_end) = (start + removed, start + inserted);
        let mut first = self.starts.partition_point(|&s| s <= start) - 1;
        // Whether the byte before the edit ends a line depends on the byte
        // the edit puts after it (a `\r` joined to a new `\n`).
        if first > 0 && self.starts[first] == start {
            first -= 1;
        }
        let from = self.starts[first];
        // The old starts in (from, old_end] give way to those scanned anew.
        let rest = self.starts.partition_point(|&s| s <= old_end);
        for s in &mut self.starts[rest..] {
            *s = *s + inserted - removed;
        }
        let fresh: Vec<usize> = (from..new_end.min(bytes.len()))
            .filter(|&i| ends_line(bytes, i))
            .map(|i| i + 1)
            .collect();
        let added = fresh.len();
        self.starts.splice(first + 1..rest, fresh);
        let ascii: Vec<bool> = (first..=first + added).map(|l| self.line_is_ascii(bytes, l)).collect();
        self.ascii.splice(first..rest, ascii);
    }
}

pub struct LineIndex<'a> {
    text: &'a str,
    lines: std::borrow::Cow<'a, Lines>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> Self {
        LineIndex {
            text,
            lines: std::borrow::Cow::Owned(Lines::new(text)),
        }
    }

    /// The index of `text` from its lines, kept up to date by the caller.
    pub fn with_lines(text: &'a str, lines: &'a Lines) -> Self {
        debug_assert_eq!(lines.ascii.len(), lines.starts.len());
        LineIndex {
            text,
            lines: std::borrow::Cow::Borrowed(lines),
        }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.lines.starts.partition_point(|&s| s <= offset.min(self.text.len())) - 1
    }

    /// Byte range of lines `first` to `last` (0-based, clamped), with the
    /// last line's newline.
    pub fn lines_range(&self, first: usize, last: usize) -> std::ops::Range<usize> {
        let start = self.lines.starts[first.min(self.lines.starts.len() - 1)];
        let end = self
            .lines
            .starts
            .get(last + 1)
            .copied()
            .unwrap_or(self.text.len())
            .max(start);
        start..end
    }

    /// The longest of lines `first` to `last` (0-based), in bytes.
    pub fn longest_line(&self, first: usize, last: usize) -> usize {
        (first..=last.min(self.lines.starts.len() - 1))
            .map(|l| self.lines.starts.get(l + 1).copied().unwrap_or(self.text.len()) - self.lines.starts[l])
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
        let line = self.lines.starts.partition_point(|&s| s <= offset) - 1;
        // The `\n` of a `\r\n` is where the line ends, as its `\r` is: a
        // span on the `\r` ends at the line's end, not a column past it.
        let offset = offset.min(self.line_end(line));
        // Offsets from the parser are char boundaries; clamp defensively for
        // spans into invalid UTF-8 (lossy text may differ in length).
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let start = self.line_start(line).min(end);
        let column = if self.lines.ascii[line] || encoding == Encoding::Utf8 {
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
        if line >= self.lines.starts.len() {
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
            _ => self.lines.starts[line],
        }
    }

    /// Where a line's text ends, before its `\n`, `\r\n` or `\r`.
    fn line_end(&self, line: usize) -> usize {
        let Some(&next) = self.lines.starts.get(line + 1) else {
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

    /// The word-at-a-time scan finds the line starts a byte-by-byte one
    /// finds, with line ends on either side of word edges, bytes just above
    /// `\r`, tabs and multi-byte characters.
    #[test]
    fn line_starts_match_a_byte_scan() {
        let naive = |text: &str| -> Vec<usize> {
            let bytes = text.as_bytes();
            std::iter::once(0)
                .chain((0..bytes.len()).filter(|&i| ends_line(bytes, i)).map(|i| i + 1))
                .collect()
        };
        let pieces = [
            "a",
            "\n",
            "\r",
            "\r\n",
            "\u{e}",
            "\t",
            "é",
            "\u{c}",
            "{\"k\": 1}",
            "        ",
        ];
        let mut seed: u64 = 7;
        for _ in 0..2000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed = seed
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                text.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
            }
            seed = seed.wrapping_add(13);
            assert_eq!(Lines::new(&text).starts, naive(&text), "{text:?}");
        }
        assert_eq!(Lines::new("0123456\r\n89").starts, vec![0, 9]);
        assert_eq!(Lines::new("01234567\r").starts, vec![0, 9]);
    }

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
        assert_eq!(at(text, 4), (2, 2), "the \\n of \\r\\n ends line 2 too");
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

    #[test]
    fn an_edited_index_is_the_index_of_the_edited_text() {
        // Edits that join and split `\r\n`, add and remove lines and
        // non-ASCII characters, at the start, the middle and the end.
        let alphabet = ["a", "\n", "\r", "\r\n", "é", ""];
        let mut text = String::from("a\r\nb\rc\né\n\r");
        let mut lines = Lines::new(&text);
        let mut seed: u64 = 7;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for _ in 0..5000 {
            let mut start = next(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + next(4)).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let inserted: String = (0..next(3)).map(|_| alphabet[next(alphabet.len())]).collect();
            text.replace_range(start..end, &inserted);
            lines.edit(&text, start, end - start, inserted.len());
            assert_eq!(
                lines,
                Lines::new(&text),
                "after replacing {start}..{end} by {inserted:?}: {text:?}"
            );
        }
    }
}
