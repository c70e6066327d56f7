//! Byte offsets ↔ LSP positions, in the encoding negotiated with the client.
//!
//! The rest of ecrlint speaks byte spans; only here are they turned into
//! (line, character) pairs, counted in UTF-8 bytes, UTF-16 code units or
//! code points. Lines end at `\n`, `\r\n` or a lone `\r`, as in every report.

use lsp_types::{Position, PositionEncodingKind, Range};

pub use crate::lines::{Encoding, Lines};

/// UTF-8 when the client offers it (no conversion at all), else UTF-16,
/// which every client must support.
pub fn negotiate(offered: Option<&[PositionEncodingKind]>) -> Encoding {
    match offered {
        Some(kinds) if kinds.contains(&PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

pub fn kind(encoding: Encoding) -> PositionEncodingKind {
    match encoding {
        Encoding::Utf8 => PositionEncodingKind::UTF8,
        Encoding::Utf16 => PositionEncodingKind::UTF16,
        Encoding::CodePoint => PositionEncodingKind::UTF32,
    }
}

/// One version of a document's text, in the negotiated encoding: the
/// report's line index, converted to the protocol's types.
pub struct LineIndex<'a> {
    lines: crate::lines::LineIndex<'a>,
    encoding: Encoding,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str, encoding: Encoding) -> Self {
        LineIndex {
            lines: crate::lines::LineIndex::new(text),
            encoding,
        }
    }

    /// The index of `text` from its lines, kept up to date with its edits.
    pub fn with_lines(text: &'a str, lines: &'a crate::lines::Lines, encoding: Encoding) -> Self {
        LineIndex {
            lines: crate::lines::LineIndex::with_lines(text, lines),
            encoding,
        }
    }

    pub fn position(&self, offset: usize) -> Position {
        let (line, character) = self.lines.position_in(offset, self.encoding);
        Position::new(line as u32, character as u32)
    }

    pub fn text(&self) -> &'a str {
        self.lines.text()
    }

    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range::new(self.position(start), self.position(end))
    }

    /// The byte offset of a position (clamped to its line and the text).
    pub fn offset(&self, position: Position) -> usize {
        self.lines
            .offset_in(position.line as usize, position.character as usize, self.encoding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"é😀\": \"x\"\n}";

    #[test]
    fn positions_count_in_the_negotiated_encoding() {
        let x = TEXT.find("\"x\"").unwrap();
        let expect = [(Encoding::Utf8, 12), (Encoding::Utf16, 9), (Encoding::CodePoint, 8)];
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
        assert_eq!(negotiate(Some(&both)), Encoding::Utf8);
        assert_eq!(negotiate(Some(&[PositionEncodingKind::UTF32])), Encoding::Utf16);
        assert_eq!(negotiate(None), Encoding::Utf16);
    }
}
