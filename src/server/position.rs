//! Byte offsets ↔ LSP positions, in the encoding negotiated with the client.
//!
//! The rest of ecrlint speaks byte spans; only here are they turned into
//! (line, character) pairs, counted in UTF-8 bytes, UTF-16 code units or
//! code points. Lines end at `\n` (a `\r` before it is part of the line's
//! end, never of a position a finding points at).

use lsp_types::{Position, PositionEncodingKind, Range};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf16,
    Utf32,
}

impl Encoding {
    /// UTF-8 when the client offers it (no conversion at all), else UTF-16,
    /// which every client must support.
    pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
        match offered {
            Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
            _ => Encoding::Utf16,
        }
    }

    pub fn kind(self) -> PositionEncodingKind {
        match self {
            Encoding::Utf8 => PositionEncodingKind::UTF8,
            Encoding::Utf16 => PositionEncodingKind::UTF16,
            Encoding::Utf32 => PositionEncodingKind::UTF32,
        }
    }

    fn units(self, c: char) -> usize {
        match self {
            Encoding::Utf8 => c.len_utf8(),
            Encoding::Utf16 => c.len_utf16(),
            Encoding::Utf32 => 1,
        }
    }
}

/// Where each line starts, for one version of a document's text.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts, encoding }
    }

    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let prefix = &self.text[self.starts[line]..offset];
        let character = if self.encoding == Encoding::Utf8 || prefix.is_ascii() {
            prefix.len()
        } else {
            prefix.chars().map(|c| self.encoding.units(c)).sum()
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of a position. A line past the end is the end of the
    /// text; a character past the end of its line is the end of the line; a
    /// position inside a character (half of a surrogate pair, or of a UTF-8
    /// sequence) is the start of that character.
    pub fn offset(&self, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(self.text.len(), |&next| next - 1);
        let line = &self.text[start..end];
        let wanted = position.character as usize;
        let mut units = 0;
        for (i, c) in line.char_indices() {
            let next = units + self.encoding.units(c);
            if next > wanted {
                return start + i;
            }
            units = next;
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"é😀\": \"x\"\n}";

    #[test]
    fn positions_count_in_the_negotiated_encoding() {
        let x = TEXT.find("\"x\"").unwrap();
        let expect = [(Encoding::Utf8, 12), (Encoding::Utf16, 9), (Encoding::Utf32, 8)];
        for (encoding, character) in expect {
            let index = LineIndex::new(TEXT, encoding);
            assert_eq!(index.position(x), Position::new(1, character), "{encoding:?}");
            assert_eq!(index.offset(Position::new(1, character)), x, "{encoding:?}");
        }
    }

    #[test]
    fn offsets_clamp_to_the_line_and_the_text() {
        let index = LineIndex::new(TEXT, Encoding::Utf16);
        assert_eq!(index.offset(Position::new(0, 99)), 1);
        assert_eq!(index.offset(Position::new(9, 0)), TEXT.len());
        // Between the two halves of the emoji's surrogate pair: its start.
        let emoji = TEXT.find('😀').unwrap();
        assert_eq!(index.offset(Position::new(1, 5)), emoji);
        assert_eq!(index.position(TEXT.len()), Position::new(2, 1));
    }

    #[test]
    fn utf8_is_chosen_only_when_offered() {
        let both = [PositionEncodingKind::UTF16, PositionEncodingKind::UTF8];
        assert_eq!(Encoding::negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(
            Encoding::negotiate(Some(&[PositionEncodingKind::UTF32])),
            Encoding::Utf16
        );
        assert_eq!(Encoding::negotiate(None), Encoding::Utf16);
    }
}
