//! Positions inside a string value: a document written as text in a string
//! (`"policyText": "{\"Version\": ...}"`) is parsed from the decoded text,
//! and its spans are mapped back to the bytes of the file through an offset
//! map built from the string's source, escape by escape.

use super::{Node, SourceFormat, Span};

/// How a string value was written, which decides how text is put back in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Quoting {
    /// A JSON string, or a YAML double-quoted scalar: `\"`, `\\`, `\n`, `\uXXXX`.
    Escaped,
    /// A YAML block scalar (`|`), a plain or single-quoted scalar written
    /// as it reads: text goes back verbatim (no line breaks or quotes).
    Verbatim,
    /// Anything else (folded or plain multi-line YAML): positions are mapped
    /// to the whole value, and no text is put back.
    Opaque,
}

/// Decoded byte offset → source byte offset, for one string value.
pub struct OffsetMap {
    /// `map[i]` is where the decoded character starting at (or holding) byte
    /// `i` begins in the source; `map[len]` is the end of the content.
    map: Vec<usize>,
    /// The whole value (quotes included): where opaque positions go.
    whole: Span,
    pub quoting: Quoting,
}

impl OffsetMap {
    /// The map for `node`, a string whose decoded text is `decoded`, in `source`.
    pub fn new(source: &str, node: &Node, decoded: &str, format: SourceFormat) -> OffsetMap {
        let whole = node.span;
        let raw = source.get(whole.start..whole.end).unwrap_or_default();
        let built = if format == SourceFormat::Hcl && raw.starts_with("<<") {
            heredoc(raw, decoded).map(|m| (m, Quoting::Verbatim))
        } else if format == SourceFormat::Json || raw.starts_with('"') {
            escaped(raw, decoded).map(|m| (m, Quoting::Escaped))
        } else {
            verbatim(raw, decoded).map(|m| (m, Quoting::Verbatim))
        };
        match built {
            Some((map, quoting)) => OffsetMap {
                map: map.into_iter().map(|o| o + whole.start).collect(),
                whole,
                quoting,
            },
            None => OffsetMap {
                map: Vec::new(),
                whole,
                quoting: Quoting::Opaque,
            },
        }
    }

    /// A span of the decoded text as a span of the file.
    pub fn span(&self, span: Span) -> Span {
        if self.quoting == Quoting::Opaque {
            return self.whole;
        }
        let at = |i: usize| self.map.get(i).or(self.map.last()).copied().unwrap_or(self.whole.start);
        let start = at(span.start);
        Span::new(start, at(span.end).max(start))
    }

    /// `text` as it must be written inside this string, or `None` when it
    /// cannot be (an opaque value, a line break in a block scalar).
    pub fn encode(&self, text: &str) -> Option<String> {
        match self.quoting {
            Quoting::Opaque => None,
            Quoting::Verbatim => (!text.contains(['\n', '\r', '\''])).then(|| text.to_string()),
            Quoting::Escaped => {
                let quoted = serde_json::to_string(text).ok()?;
                Some(quoted[1..quoted.len() - 1].to_string())
            }
        }
    }
}

/// The map for a double-quoted string (JSON escapes; YAML's double-quoted
/// escapes are a superset, and a value using the others is left opaque).
/// `None` when the source does not decode to `decoded`.
fn escaped(raw: &str, decoded: &str) -> Option<Vec<usize>> {
    let body = raw.strip_prefix('"')?.strip_suffix('"')?;
    let bytes = body.as_bytes();
    let mut map = Vec::with_capacity(decoded.len() + 1);
    let mut out = String::with_capacity(decoded.len());
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let c = if bytes[i] == b'\\' {
            let (c, len) = escape_at(body, i)?;
            i += len;
            c
        } else {
            let c = body[i..].chars().next()?;
            if c == '\n' || c == '\r' {
                // A line folded inside a YAML double-quoted scalar.
                return None;
            }
            i += c.len_utf8();
            c
        };
        out.push(c);
        // One source position per decoded byte of the character.
        map.extend(std::iter::repeat_n(start + 1, c.len_utf8()));
    }
    map.push(body.len() + 1);
    (out == decoded).then_some(map)
}

/// The character an escape at `i` stands for, and its length in the source.
fn escape_at(body: &str, i: usize) -> Option<(char, usize)> {
    let next = *body.as_bytes().get(i + 1)?;
    let simple = match next {
        b'"' => '"',
        b'\\' => '\\',
        b'/' => '/',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'n' => '\n',
        b'r' => '\r',
        b't' => '\t',
        b'u' => {
            let unit = |at: usize| u32::from_str_radix(body.get(at..at + 4)?, 16).ok();
            let hi = unit(i + 2)?;
            if (0xD800..0xDC00).contains(&hi) && body.get(i + 6..i + 8) == Some("\\u") {
                let lo = unit(i + 8)?;
                let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo.checked_sub(0xDC00)?))?;
                return Some((c, 12));
            }
            return Some((char::from_u32(hi)?, 6));
        }
        _ => return None,
    };
    Some((simple, 2))
}

/// The map for an HCL heredoc (`<<EOT` or `<<-EOT`, whose span runs from
/// `<<` to the closing delimiter): its lines lie between the opening line
/// and the closing one, written as they read, less the indentation `<<-`
/// removes.
fn heredoc(raw: &str, decoded: &str) -> Option<Vec<usize>> {
    let start = raw.find('\n')? + 1;
    let end = raw.trim_end().rfind('\n').map_or(start, |i| i + 1).max(start);
    // The first line's stripped indentation (later lines' is skipped as read).
    let blanks = |t: &str| t.len() - t.trim_start_matches([' ', '\t']).len();
    let start = start + blanks(&raw[start..end]).saturating_sub(blanks(decoded));
    let body = &raw[start..end];
    if body.starts_with('\'') {
        return None;
    }
    let map = verbatim(body, decoded)?;
    Some(map.into_iter().map(|o| o + start).collect())
}

/// The map for text written as it reads: a plain or single-quoted scalar
/// without escapes, or a block scalar (`|`, whose span starts at its first
/// line's content) whose lines are the source's lines less their
/// indentation. Each decoded character is matched in order, skipping only
/// indentation after a line break; a final line break that chomping added
/// maps to the end. Folded lines do not match, and give `None`.
fn verbatim(raw: &str, decoded: &str) -> Option<Vec<usize>> {
    let quoted = raw.starts_with('\'');
    if quoted && (raw.len() < 2 || raw[1..raw.len() - 1].contains("''") || raw.contains('\n')) {
        return None;
    }
    let end = if quoted { raw.len() - 1 } else { raw.len() };
    let mut pos = usize::from(quoted);
    let bytes = raw.as_bytes();
    let mut map = Vec::with_capacity(decoded.len() + 1);
    let mut line_start = false;
    let blanks = |t: &[u8]| t.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
    for (i, c) in decoded.char_indices() {
        // The block's indentation: the source line's blanks beyond the text's.
        if line_start {
            let extra = blanks(&bytes[pos.min(end)..end]).saturating_sub(blanks(&decoded.as_bytes()[i..]));
            pos += extra;
        }
        if pos < end && raw[pos..end].starts_with(c) {
            map.extend(std::iter::repeat_n(pos, c.len_utf8()));
            pos += c.len_utf8();
        } else if c == '\n' && pos >= end {
            map.push(end);
        } else {
            return None;
        }
        line_start = c == '\n';
    }
    map.push(pos.min(end));
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map_json(source: &str) -> (OffsetMap, String) {
        let root = crate::json::parse(source.as_bytes()).unwrap();
        let node = &root.get("t").unwrap().value;
        let decoded = node.as_str().unwrap().to_string();
        (OffsetMap::new(source, node, &decoded, SourceFormat::Json), decoded)
    }

    /// The source text a decoded span maps to.
    fn source_of<'s>(source: &'s str, map: &OffsetMap, decoded: &str, needle: &str) -> &'s str {
        let start = decoded.find(needle).unwrap();
        let span = map.span(Span::new(start, start + needle.len()));
        &source[span.start..span.end]
    }

    #[test]
    fn escapes_map_to_their_source_bytes() {
        let source = r#"{"t": "{\"Action\": \"ecr:Repl\u0069cateImage\",\n \"x\": \"\ud83d\ude00é\\\"}"}"#;
        let (map, decoded) = map_json(source);
        assert_eq!(map.quoting, Quoting::Escaped);
        assert_eq!(source_of(source, &map, &decoded, "Action"), "Action");
        assert_eq!(source_of(source, &map, &decoded, "\"Action\""), r#"\"Action\""#);
        assert_eq!(
            source_of(source, &map, &decoded, "ecr:ReplicateImage"),
            r"ecr:Repl\u0069cateImage"
        );
        assert_eq!(source_of(source, &map, &decoded, "\n \"x"), r#"\n \"x"#);
        assert_eq!(source_of(source, &map, &decoded, "😀é\\"), r"\ud83d\ude00é\\");
        // The end of the text is the closing quote.
        let end = map.span(Span::new(decoded.len(), decoded.len()));
        assert_eq!(&source[end.start..=end.start], "\"");
    }

    #[test]
    fn text_is_encoded_for_the_string_it_goes_into() {
        let (map, _) = map_json(r#"{"t": "x"}"#);
        assert_eq!(map.encode("\"arn\"\n").as_deref(), Some(r#"\"arn\"\n"#));
    }

    #[test]
    fn a_yaml_block_scalar_maps_past_its_indentation() {
        let source = "t: |\n  {\"a\":\n    \"b\"}\n";
        let root = crate::yaml::parse(source.as_bytes()).unwrap();
        let node = &root.get("t").unwrap().value;
        let decoded = node.as_str().unwrap().to_string();
        let map = OffsetMap::new(source, node, &decoded, SourceFormat::Yaml);
        assert_eq!(map.quoting, Quoting::Verbatim);
        assert_eq!(source_of(source, &map, &decoded, "\"b\""), "\"b\"");
        assert_eq!(source_of(source, &map, &decoded, "{\"a\""), "{\"a\"");
        assert_eq!(map.encode("x\ny"), None);
    }

    fn map_hcl(source: &str) -> (OffsetMap, String) {
        let root = crate::hcl::parse(source.as_bytes()).unwrap();
        let node = &root.get("t").unwrap().value;
        let decoded = node.as_str().unwrap().to_string();
        (OffsetMap::new(source, node, &decoded, SourceFormat::Hcl), decoded)
    }

    #[test]
    fn a_heredoc_maps_to_its_lines() {
        let source = "t = <<EOF\n{\"a\":\n  \"b\"}\nEOF\n";
        let (map, decoded) = map_hcl(source);
        assert_eq!(map.quoting, Quoting::Verbatim);
        assert_eq!(source_of(source, &map, &decoded, "\"b\""), "\"b\"");
        assert_eq!(source_of(source, &map, &decoded, "{\"a\""), "{\"a\"");
    }

    #[test]
    fn an_indented_heredoc_maps_past_the_indentation_it_strips() {
        let source = "t = <<-EOT\n    {\"a\":\n      \"b\",\n\n    \"c\": 1}\n  EOT\n";
        let (map, decoded) = map_hcl(source);
        assert_eq!(map.quoting, Quoting::Verbatim, "{decoded:?}");
        assert!(decoded.starts_with("{\"a\""), "{decoded:?}");
        for needle in ["{\"a\"", "\"b\"", "\"c\": 1}"] {
            assert_eq!(source_of(source, &map, &decoded, needle), needle);
        }
        let at = source.find("\"c\"").unwrap();
        let span = map.span(Span::new(
            decoded.find("\"c\"").unwrap(),
            decoded.find("\"c\"").unwrap() + 3,
        ));
        assert_eq!(span, Span::new(at, at + 3));
    }

    #[test]
    fn a_quoted_hcl_string_maps_its_escapes() {
        let source = "t = \"{\\\"a\\\": \\\"b\\\"}\"\n";
        let (map, decoded) = map_hcl(source);
        assert_eq!(decoded, "{\"a\": \"b\"}");
        assert_eq!(map.quoting, Quoting::Escaped);
        assert_eq!(source_of(source, &map, &decoded, "\"b\""), "\\\"b\\\"");
    }

    #[test]
    fn a_folded_scalar_maps_to_the_whole_value() {
        let source = "t: >\n  {\"a\":\n  \"b\"}\n";
        let root = crate::yaml::parse(source.as_bytes()).unwrap();
        let node = &root.get("t").unwrap().value;
        let decoded = node.as_str().unwrap().to_string();
        let map = OffsetMap::new(source, node, &decoded, SourceFormat::Yaml);
        assert_eq!(map.quoting, Quoting::Opaque);
        assert_eq!(map.span(Span::new(1, 3)), node.span);
        assert_eq!(map.encode("x"), None);
    }
}
