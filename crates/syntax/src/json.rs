//! Strict RFC 8259 JSON: a recursive-descent parser over bytes. Input is
//! validated as UTF-8 first, so every byte offset it reports is also a char
//! boundary.

use super::{decode_utf8, Member, Node, NodeKind, ParseError, Span, Str, MAX_DEPTH};
use std::borrow::Cow;

/// Parses a whole document. A UTF-8 byte-order mark at the very start is
/// skipped (RFC 8259 §8.1 lets parsers ignore it; Windows editors add it);
/// spans still count its three bytes, so they index the original input.
pub fn parse(bytes: &[u8]) -> Result<Node<'_>, ParseError> {
    let text = decode_utf8(bytes)?;
    let mut p = Parser {
        src: text.as_bytes(),
        text,
        pos: 0,
        depth: 0,
        members: Vec::new(),
        items: Vec::new(),
    };
    if text.starts_with('\u{feff}') {
        p.pos = 3;
    }
    p.skip_ws()?;
    if p.pos >= p.src.len() {
        return Err(ParseError {
            span: Span::new(p.pos, p.pos),
            message: "the input is empty: expected a JSON value".into(),
            label: "expected a value here".into(),
            help: Some(r#"a replication configuration starts with `{"rules": [`"#.into()),
        });
    }
    let value = p.value()?;
    p.skip_ws()?;
    if p.pos < p.src.len() {
        return Err(p.trailing_content(&value));
    }
    Ok(value)
}

/// A closed container's own entries, off the top of `stack`, in a vector of
/// exactly their number.
fn take_top<T>(stack: &mut Vec<T>, base: usize) -> Vec<T> {
    // A long list that is all the stack holds (a big file's list of rules or
    // destinations) is the stack itself, shrunk in place: a copy would hold
    // it twice at the peak (+10 % of the input in peak memory, measured).
    if base == 0 && stack.len() > 1024 {
        let mut own = std::mem::take(stack);
        own.shrink_to_fit();
        return own;
    }
    stack.drain(base..).collect()
}

struct Parser<'a> {
    src: &'a [u8],
    text: &'a str,
    pos: usize,
    depth: usize,
    /// The members and items of the objects and arrays still open, each
    /// container's above its parent's: a closed one takes its own off the
    /// top into a vector of exactly its length. Growing a vector per
    /// container and shrinking it at the end was 40 % of the parse of a
    /// 10 MB file (reallocations, callgrind).
    members: Vec<Member<'a>>,
    items: Vec<Node<'a>>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.src.get(self.pos).copied()
    }

    /// Span of the (whole) character at `at`, or an empty span at the end.
    fn char_span(&self, at: usize) -> Span {
        match self.text[at..].chars().next() {
            Some(c) => Span::new(at, at + c.len_utf8()),
            None => Span::new(at, at),
        }
    }

    fn describe_at(&self, at: usize) -> String {
        match self.text[at..].chars().next() {
            None => "end of input".into(),
            Some(c) if c.is_control() || c.is_whitespace() => format!("{c:?}"),
            Some(c) => format!("`{c}`"),
        }
    }

    fn error(&self, span: Span, message: String, label: &str, help: Option<&str>) -> ParseError {
        ParseError::new(span, message, label, help)
    }

    fn skip_ws(&mut self) -> Result<(), ParseError> {
        while let Some(b) = self.peek() {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'/' if matches!(self.src.get(self.pos + 1), Some(b'/' | b'*')) => {
                    return Err(self.comment_error());
                }
                b'#' => return Err(self.comment_error()),
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    fn comment_error(&self) -> ParseError {
        let start = self.pos;
        let rest = &self.text[start..];
        let len = if rest.starts_with("/*") {
            rest.find("*/").map(|i| i + 2).unwrap_or(rest.len())
        } else {
            rest.find('\n').unwrap_or(rest.len())
        };
        let end = start + rest[..len].trim_end().len();
        self.error(
            Span::new(start, end),
            "comments are not allowed in JSON".into(),
            "comment",
            Some("remove the comment: the AWS CLI and SDKs reject JSON with comments"),
        )
    }

    fn value(&mut self) -> Result<Node<'a>, ParseError> {
        match self.peek() {
            Some(b'{') => self.nested(Self::object),
            Some(b'[') => self.nested(Self::array),
            Some(b'"') => {
                let start = self.pos;
                let s = self.string()?;
                Ok(Node {
                    span: Span::new(start, self.pos),
                    kind: NodeKind::String(s.into()),
                })
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true", NodeKind::Bool(true)),
            Some(b'f') => self.literal("false", NodeKind::Bool(false)),
            Some(b'n') => self.literal("null", NodeKind::Null),
            Some(b'\'') => Err(self.single_quote_error()),
            Some(b) if b.is_ascii_alphabetic() => Err(self.bare_word_error()),
            _ => Err(self.error(
                self.char_span(self.pos),
                format!("expected a JSON value, found {}", self.describe_at(self.pos)),
                "expected a value",
                None,
            )),
        }
    }

    fn nested(&mut self, f: fn(&mut Self) -> Result<Node<'a>, ParseError>) -> Result<Node<'a>, ParseError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.error(
                Span::new(self.pos, self.pos + 1),
                format!("nesting is deeper than {MAX_DEPTH} levels"),
                "too deep",
                Some("no replication configuration nests this deep: check for a generated or corrupted file"),
            ));
        }
        self.depth += 1;
        let node = f(self);
        self.depth -= 1;
        node
    }

    fn single_quote_error(&self) -> ParseError {
        let start = self.pos;
        let rest = &self.text[start + 1..];
        let end = rest
            .find(['\'', '\n'])
            .map(|i| start + 1 + i + usize::from(rest.as_bytes()[i] == b'\''))
            .unwrap_or(self.src.len());
        self.error(
            Span::new(start, end),
            "strings must use double quotes, not single quotes".into(),
            "single-quoted",
            Some("replace the single quotes with double quotes"),
        )
    }

    fn literal(&mut self, word: &str, kind: NodeKind<'a>) -> Result<Node<'a>, ParseError> {
        let start = self.pos;
        if self.src[start..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            return Ok(Node {
                span: Span::new(start, self.pos),
                kind,
            });
        }
        Err(self.bare_word_error())
    }

    fn bare_word_error(&self) -> ParseError {
        let start = self.pos;
        let end = start
            + self.text[start..]
                .find(|c: char| !c.is_alphanumeric() && c != '_')
                .unwrap_or(self.text.len() - start);
        let end = end.max(start + 1);
        let found = &self.text[start..end];
        self.error(
            Span::new(start, end),
            format!("expected a JSON value, found `{found}`"),
            "not a JSON value",
            Some("text values must be in double quotes; the only bare words are true, false and null"),
        )
    }

    fn object(&mut self) -> Result<Node<'a>, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let base = self.members.len();
        self.skip_ws()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Node {
                span: Span::new(start, self.pos),
                kind: NodeKind::Object(Vec::new().into()),
            });
        }
        loop {
            let key_start = self.pos;
            let key = match self.peek() {
                Some(b'"') => self.string()?,
                Some(b'\'') => return Err(self.single_quote_error()),
                Some(b'}') if self.members.len() > base => return Err(self.trailing_comma(b'}')),
                None => return Err(self.unclosed(start, '}')),
                Some(b) if b.is_ascii_alphabetic() || b == b'_' || b == b'$' => {
                    let len = self.text[key_start..]
                        .find(|c: char| !c.is_alphanumeric() && c != '_' && c != '$')
                        .unwrap_or(self.text.len() - key_start);
                    return Err(self.error(
                        Span::new(key_start, key_start + len),
                        "object keys must be double-quoted strings".into(),
                        "unquoted key",
                        Some("put the key in double quotes"),
                    ));
                }
                _ => {
                    return Err(self.error(
                        self.char_span(self.pos),
                        format!("expected a double-quoted key, found {}", self.describe_at(self.pos)),
                        "expected a key",
                        None,
                    ))
                }
            };
            let key_span = Span::new(key_start, self.pos);
            self.skip_ws()?;
            if self.peek() != Some(b':') {
                return Err(self.error(
                    self.char_span(self.pos),
                    format!("expected `:` after the key, found {}", self.describe_at(self.pos)),
                    "expected `:`",
                    None,
                ));
            }
            self.pos += 1;
            self.skip_ws()?;
            if self.peek().is_none() {
                return Err(self.unclosed(start, '}'));
            }
            let value = self.value()?;
            self.members.push(Member {
                key: key.into(),
                key_span,
                value,
            });
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws()?;
                }
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Node {
                        span: Span::new(start, self.pos),
                        kind: NodeKind::Object(take_top(&mut self.members, base).into()),
                    });
                }
                None => return Err(self.unclosed(start, '}')),
                Some(b'"') => return Err(self.missing_comma()),
                _ => {
                    return Err(self.error(
                        self.char_span(self.pos),
                        format!(
                            "expected `,` or `}}` after an object member, found {}",
                            self.describe_at(self.pos)
                        ),
                        "expected `,` or `}`",
                        None,
                    ))
                }
            }
        }
    }

    fn array(&mut self) -> Result<Node<'a>, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let base = self.items.len();
        self.skip_ws()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Node {
                span: Span::new(start, self.pos),
                kind: NodeKind::Array(Vec::new().into()),
            });
        }
        loop {
            match self.peek() {
                None => return Err(self.unclosed(start, ']')),
                Some(b']') if self.items.len() > base => return Err(self.trailing_comma(b']')),
                _ => {}
            }
            let item = self.value()?;
            self.items.push(item);
            self.skip_ws()?;
            match self.peek() {
                Some(b',') => {
                    self.pos += 1;
                    self.skip_ws()?;
                }
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Node {
                        span: Span::new(start, self.pos),
                        kind: NodeKind::Array(take_top(&mut self.items, base).into()),
                    });
                }
                None => return Err(self.unclosed(start, ']')),
                Some(b'"' | b'{' | b'[') => return Err(self.missing_comma()),
                _ => {
                    return Err(self.error(
                        self.char_span(self.pos),
                        format!(
                            "expected `,` or `]` after an array item, found {}",
                            self.describe_at(self.pos)
                        ),
                        "expected `,` or `]`",
                        None,
                    ))
                }
            }
        }
    }

    /// Called with `pos` on the closing bracket that follows a comma.
    fn trailing_comma(&self, close: u8) -> ParseError {
        let comma = self.text[..self.pos].rfind(',').unwrap_or(self.pos);
        self.error(
            Span::new(comma, comma + 1),
            format!("trailing comma before `{}`", close as char),
            "remove this comma",
            Some("JSON does not allow a comma after the last item"),
        )
    }

    fn missing_comma(&self) -> ParseError {
        self.error(
            self.char_span(self.pos),
            format!("expected `,` before {}", self.describe_at(self.pos)),
            "missing `,` before this",
            Some("separate items with commas"),
        )
    }

    fn unclosed(&self, open: usize, close: char) -> ParseError {
        self.error(
            Span::new(open, open + 1),
            format!(
                "unexpected end of input: `{}` is never closed",
                self.text.as_bytes()[open] as char
            ),
            "opened here",
            Some(&format!("add the missing `{close}`")),
        )
    }

    /// Borrows the text when the string has no escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, ParseError> {
        let start = self.pos;
        self.pos += 1;
        let mut out: Option<String> = None;
        let mut run = self.pos;
        loop {
            // Scan the plain run quickly, then handle the byte that ended it.
            while let Some(&b) = self.src.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            match self.peek() {
                None => {
                    let line_end = self.text[start..].find('\n').map_or(self.src.len(), |i| start + i);
                    return Err(self.error(
                        Span::new(start, line_end.max(start + 1)),
                        "unterminated string".into(),
                        "this string has no closing quote",
                        Some("add the closing `\"`"),
                    ));
                }
                Some(b'"') => {
                    let plain = &self.text[run..self.pos];
                    self.pos += 1;
                    return Ok(match out {
                        None => Cow::Borrowed(plain),
                        Some(mut owned) => {
                            owned.push_str(plain);
                            Cow::Owned(owned)
                        }
                    });
                }
                Some(b'\\') => {
                    let owned = out.get_or_insert_with(String::new);
                    owned.push_str(&self.text[run..self.pos]);
                    self.escape(owned)?;
                    run = self.pos;
                }
                Some(b) => {
                    let (message, help) = if b == b'\n' || b == b'\r' {
                        (
                            "unterminated string: a line break inside a string".to_string(),
                            "close the string on this line, or write the line break as \\n",
                        )
                    } else {
                        (
                            format!("control character U+{b:04X} in a string"),
                            "control characters must be escaped, for example \\t or \\u0009",
                        )
                    };
                    return Err(self.error(
                        Span::new(self.pos, self.pos + 1),
                        message,
                        "not allowed here",
                        Some(help),
                    ));
                }
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), ParseError> {
        let at = self.pos;
        let c = match self.src.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let first = self.hex4(at)?;
                self.pos = at + 6;
                let c = match first {
                    0xD800..=0xDBFF => {
                        if self.src.get(self.pos) == Some(&b'\\') && self.src.get(self.pos + 1) == Some(&b'u') {
                            let second = self.hex4(self.pos)?;
                            if (0xDC00..=0xDFFF).contains(&second) {
                                self.pos += 6;
                                char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                            } else {
                                None
                            }
                        } else {
                            None
                        }
                    }
                    _ => char::from_u32(first),
                };
                return match c {
                    Some(c) => {
                        out.push(c);
                        Ok(())
                    }
                    None => Err(self.error(
                        Span::new(at, at + 6),
                        format!("lone UTF-16 surrogate \\u{first:04X} in a string"),
                        "not a character",
                        Some("a surrogate escape must be a high/low pair such as \\uD83D\\uDE00"),
                    )),
                };
            }
            None => {
                return Err(self.error(
                    Span::new(at, at + 1),
                    "unterminated string".into(),
                    "ends inside an escape",
                    Some("add the closing `\"`"),
                ))
            }
            Some(_) => {
                let span = Span::new(at, self.char_span(at + 1).end);
                return Err(self.error(
                    span,
                    format!("invalid escape `{}`", &self.text[span.start..span.end]),
                    "invalid escape",
                    Some(r#"valid escapes are \" \\ \/ \b \f \n \r \t and \uXXXX; write a backslash as \\"#),
                ));
            }
        };
        out.push(c);
        self.pos = at + 2;
        Ok(())
    }

    /// Reads the four hex digits of `\uXXXX` starting at the backslash `at`.
    fn hex4(&self, at: usize) -> Result<u32, ParseError> {
        let digits = self
            .src
            .get(at + 2..at + 6)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit));
        match digits {
            Some(d) => Ok(u32::from_str_radix(std::str::from_utf8(d).unwrap_or("0"), 16).unwrap_or(0)),
            None => {
                let end = (at + 2..(at + 6).min(self.src.len()))
                    .find(|&i| !self.src[i].is_ascii_hexdigit())
                    .unwrap_or((at + 6).min(self.src.len()));
                Err(self.error(
                    Span::new(at, self.char_span(end).end.max(at + 2)),
                    "invalid \\u escape: expected four hex digits".into(),
                    "invalid escape",
                    None,
                ))
            }
        }
    }

    fn number(&mut self) -> Result<Node<'a>, ParseError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let from = p.pos;
            while p.peek().is_some_and(|b| b.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos - from
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    digits(self);
                    return Err(self.number_error(
                        start,
                        "numbers must not have leading zeros",
                        Some("if this is an account ID, write it as a string: \"012345678901\""),
                    ));
                }
            }
            Some(b'1'..=b'9') => {
                digits(self);
            }
            _ => return Err(self.number_error(start, "expected a digit after `-`", None)),
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.number_error(start, "expected a digit after the decimal point", None));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.number_error(start, "expected a digit in the exponent", None));
            }
        }
        Ok(Node {
            span: Span::new(start, self.pos),
            kind: NodeKind::Number(Str::borrowed(&self.text[start..self.pos])),
        })
    }

    fn number_error(&mut self, start: usize, message: &str, help: Option<&str>) -> ParseError {
        let end = start
            + self.text[start..]
                .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '+')))
                .unwrap_or(self.text.len() - start);
        self.error(
            Span::new(start, end.max(start + 1)),
            format!("invalid number: {message}"),
            "invalid number",
            help,
        )
    }

    fn trailing_content(&self, value: &Node<'a>) -> ParseError {
        let start = self.pos;
        let line_end = self.text[start..].find('\n').map_or(self.src.len(), |i| start + i);
        let end = start + self.text[start..line_end].trim_end().len();
        let fragment = matches!(value.kind, NodeKind::String(_)) && self.src[start] == b':';
        self.error(
            Span::new(start, end.max(start + 1)),
            "unexpected content after the JSON value: a JSON document holds exactly one value".into(),
            "extra content",
            Some(if fragment {
                "this looks like a fragment of a larger object: wrap it in `{ }`"
            } else {
                "remove everything after the first value, or wrap several values in an array"
            }),
        )
    }
}
