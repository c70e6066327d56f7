//! A large `.tf` file parsed a piece at a time. hcl-edit's tree is about
//! 15 times the text it parses; whole, for a 1 MB file, it was most of
//! what a lint held at its peak. Here a small scanner (aware of strings,
//! interpolations, heredocs, comments and brackets) finds where each
//! attribute and block of a body ends; consecutive ones are parsed together
//! by hcl-edit, about [`PIECE`] bytes at a time, converted, and dropped. A
//! block larger than that is not given to hcl-edit whole: its header (type
//! and labels) is, with an empty body, and its body is split in turn.
//!
//! The result is the whole parse's, node for node and comment for comment,
//! or nothing: any piece that does not parse, anything the scanner does not
//! expect, an attribute set twice across pieces (which hcl-edit reports
//! within one body) or a conversion error gives up, and the caller parses
//! the file whole, which reports the error as before. A piece inside split
//! blocks is parsed wrapped in as many blocks (`a {` … `}`), so hcl-edit's
//! nesting limit counts the levels above it as in the whole file.

use super::comments;
use super::{Cx, Members, Node, NodeKind, Parsed, Span};
use crate::comment::Comment;
use crate::Member;
use hcl_edit::structure::{Body, Structure};
use std::collections::HashSet;

/// About how many bytes are parsed at once, and the size from which a
/// block is split: hcl-edit's tree of a piece is then about half a
/// megabyte, and a piece's fixed costs are spread over hundreds of lines.
pub(super) const PIECE: usize = 32 * 1024;

/// Blocks are split at most this many levels deep (below, a block is one
/// piece): the splitting recurses, and hcl-edit refuses 64 levels anyway.
const MAX_SPLIT_DEPTH: usize = 16;

/// What one level of wrapping adds before a piece (see the module's text).
const WRAP_OPEN: &str = "a {\n";
const WRAP_CLOSE: &str = "\n}";

/// The tree and comments of `text` (its body after `base`, a byte order
/// mark), parsed in pieces of about `piece` bytes; `None` when the pieces
/// cannot be trusted to give the whole parse's result.
pub(super) fn parse(text: &str, base: usize, comments: bool, piece: usize) -> Option<Parsed<'_>> {
    let mut split = Split {
        text,
        piece,
        comments: comments.then(Vec::new),
    };
    let (plan, _) = scan_body(text.as_bytes(), base, text.len(), 0, piece)?;
    let members = split.body(plan, base, text.len(), 0, 1, true)?;
    Some(Parsed {
        root: Node {
            span: Span::new(0, text.len()),
            kind: NodeKind::Object(members.into()),
        },
        comments: split.comments.unwrap_or_default(),
    })
}

struct Split<'s> {
    text: &'s str,
    piece: usize,
    /// The comments found so far, in order, when asked for.
    comments: Option<Vec<Comment>>,
}

impl<'s> Split<'s> {
    /// The members of the body written in `from..to`, its structures as
    /// `plan` says, inside `wrap` split blocks, at `depth` of the tree
    /// (`top`: the file's body).
    fn body(
        &mut self,
        plan: Vec<Mark>,
        from: usize,
        to: usize,
        wrap: usize,
        depth: usize,
        top: bool,
    ) -> Option<Vec<Member<'s>>> {
        let mut members = Members::default();
        let mut attributes = HashSet::new();
        let mut piece = from;
        for mark in plan {
            match mark {
                Mark::End(end) => {
                    if end < to && end + 1 - piece >= self.piece {
                        self.piece(piece, end + 1, wrap, depth, top, &mut members, &mut attributes)?;
                        piece = end + 1;
                    }
                }
                Mark::Split { at, open, close, body } => {
                    self.piece(piece, at, wrap, depth, top, &mut members, &mut attributes)?;
                    self.block(body, at, open, close, wrap, depth, top, &mut members)?;
                    piece = close + 1;
                }
            }
        }
        self.piece(piece, to, wrap, depth, top, &mut members, &mut attributes)?;
        Some(members.finish())
    }

    /// Parses and converts the structures written in `from..to` into
    /// `members`; `attributes`: the names the body's pieces set so far.
    #[allow(clippy::too_many_arguments)]
    fn piece(
        &mut self,
        from: usize,
        to: usize,
        wrap: usize,
        depth: usize,
        top: bool,
        members: &mut Members<'s>,
        attributes: &mut HashSet<String>,
    ) -> Option<()> {
        if from >= to {
            return Some(());
        }
        let text = self.text;
        let wrapped;
        let source = if wrap == 0 {
            &text[from..to]
        } else {
            wrapped = [
                WRAP_OPEN.repeat(wrap).as_str(),
                &text[from..to],
                &WRAP_CLOSE.repeat(wrap),
            ]
            .concat();
            wrapped.as_str()
        };
        let mut body = hcl_edit::parser::parse_body(source).ok()?;
        for _ in 0..wrap {
            let Structure::Block(block) = only(body)? else {
                return None;
            };
            body = block.body;
        }
        let cx = Cx {
            text,
            base: from,
            skip: wrap * WRAP_OPEN.len(),
        };
        if let Some(found) = &mut self.comments {
            let strings = || comments::strings(&body, |r| cx.span(Some(r), Span::default()));
            comments::in_range(text, from..to, strings, found);
        }
        for structure in body {
            if let Structure::Attribute(a) = &structure {
                if !attributes.insert(a.key.as_str().to_string()) {
                    return None;
                }
            }
            cx.structure(structure, depth, top, members).ok()?;
        }
        Some(())
    }

    /// The block written from `at` to its body's `}` at `close` (`{` at
    /// `open`), its body split in turn.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        plan: Vec<Mark>,
        at: usize,
        open: usize,
        close: usize,
        wrap: usize,
        depth: usize,
        top: bool,
        members: &mut Members<'s>,
    ) -> Option<()> {
        let text = self.text;
        let source = [&text[at..=open], "}"].concat();
        let Structure::Block(block) = only(hcl_edit::parser::parse_body(&source).ok()?)? else {
            return None;
        };
        let cx = Cx {
            text,
            base: at,
            skip: 0,
        };
        let header = cx.header(&block, Span::new(at, close + 1));
        if header.body_span.start != open {
            return None;
        }
        if let Some(found) = &mut self.comments {
            let strings = || {
                let mut labels = Body::new();
                labels.push(block);
                comments::strings(&labels, |r| cx.span(Some(r), Span::default()))
            };
            comments::in_range(text, at..open + 1, strings, found);
        }
        let body_depth = cx.body_depth(&header, depth, top).ok()?;
        let body = self.body(plan, open + 1, close, wrap + 1, body_depth, false)?;
        members.place(header, top, body);
        Some(())
    }
}

/// The one structure of a body.
fn only(body: Body) -> Option<Structure> {
    let mut structures = body.into_iter();
    let first = structures.next()?;
    structures.next().is_none().then_some(first)
}

/// Where the structures of a body end, read in one pass over the text:
/// what is needed to parse it in pieces.
enum Mark {
    /// An attribute or block, parsed in a piece, ending at this newline
    /// (or the body's end).
    End(usize),
    /// A block from `at`, its body (between `open` and `close`) split in
    /// turn as `body` says.
    Split {
        at: usize,
        open: usize,
        close: usize,
        body: Vec<Mark>,
    },
}

/// The structures of the body written from `from`, inside `wrap` blocks:
/// to the `}` closing it (or `to`, for the file's body), and where that is.
/// A block larger than `piece` is marked to be split when hcl-edit would
/// read its body as a body of its own ([`splittable`]).
fn scan_body(b: &[u8], from: usize, to: usize, wrap: usize, piece: usize) -> Option<(Vec<Mark>, usize)> {
    let mut marks = Vec::new();
    let mut at = from;
    loop {
        at = skip_trivia(b, at, to)?;
        if at >= to {
            return (wrap == 0).then_some((marks, to));
        }
        if b[at] == b'}' {
            return (wrap > 0).then_some((marks, at));
        }
        let end = match line(b, at, to, true)? {
            Stop::Newline(end) => end,
            Stop::Close(close) => {
                marks.push(Mark::End(close));
                return (wrap > 0).then_some((marks, close));
            }
            Stop::Open(open) => {
                let (body, close) = if wrap < MAX_SPLIT_DEPTH {
                    scan_body(b, open + 1, to, wrap + 1, piece)?
                } else {
                    (Vec::new(), matching(b, open, to)?)
                };
                match line(b, close + 1, to, false)? {
                    Stop::Newline(end)
                        if close + 1 - at > piece && wrap < MAX_SPLIT_DEPTH && splittable(b, open, close, end) =>
                    {
                        marks.push(Mark::Split { at, open, close, body });
                        at = end;
                        continue;
                    }
                    Stop::Newline(end) => end,
                    Stop::Close(outer) => {
                        marks.push(Mark::End(outer));
                        return (wrap > 0).then_some((marks, outer));
                    }
                    Stop::Open(_) => return None,
                }
            }
        };
        marks.push(Mark::End(end));
        at = end;
    }
}

/// The `}` matching the `{` at `open`.
fn matching(b: &[u8], open: usize, to: usize) -> Option<usize> {
    let mut at = open + 1;
    loop {
        match line(b, at, to, false)? {
            Stop::Newline(end) if end < to => at = end + 1,
            Stop::Close(close) => return Some(close),
            _ => return None,
        }
    }
}

/// Where [`line`] stopped.
enum Stop {
    /// At the newline ending the line (or `to`), outside brackets.
    Newline(usize),
    /// At a block's `{` (the line starting a structure).
    Open(usize),
    /// At a `}` closing what was open before the line.
    Close(usize),
}

/// Past spaces, newlines and comments; `None` for a `/*` not closed
/// before `to`.
fn skip_trivia(b: &[u8], mut i: usize, to: usize) -> Option<usize> {
    while i < to {
        match b[i] {
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b'#' => i = line_end(b, i, to),
            b'/' if b.get(i + 1) == Some(&b'/') => i = line_end(b, i, to),
            b'/' if b.get(i + 1) == Some(&b'*') => i = block_comment_end(b, i, to)?,
            _ => return Some(i),
        }
    }
    Some(to)
}

/// Reads from `at` to the first newline outside brackets, strings,
/// heredocs and comments, or to a `}` closing what was open before `at`.
/// `head`: `at` starts a structure, which must be an identifier, and a `{`
/// before any `=` opens a block's body (where it stops). `None` when
/// brackets or strings are not closed before the line ends or `to`.
fn line(b: &[u8], at: usize, to: usize, head: bool) -> Option<Stop> {
    if head && !(b[at].is_ascii_alphabetic() || b[at] == b'_' || b[at] >= 0x80) {
        return None;
    }
    // Open brackets; `"` marks an interpolation (`${`, `%{`) whose `}`
    // goes back into its string.
    let mut open: Vec<u8> = Vec::new();
    let mut in_string = false;
    let mut decided = !head;
    let mut i = at;
    while i < to {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => i += 1,
                b'"' => in_string = false,
                b'\n' => return None,
                b'$' | b'%' if b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') => i += 2,
                b'$' | b'%' if b.get(i + 1) == Some(&b'{') => {
                    open.push(b'"');
                    in_string = false;
                    i += 1;
                }
                _ => {}
            }
            i += 1;
            continue;
        }
        match c {
            b'\n' if open.is_empty() => return Some(Stop::Newline(i)),
            b'"' => in_string = true,
            b'#' => {
                i = line_end(b, i, to);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                i = line_end(b, i, to);
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i = block_comment_end(b, i, to)?;
                continue;
            }
            b'<' if b.get(i + 1) == Some(&b'<') => {
                i = heredoc_end(b, i, to)?;
                continue;
            }
            b'=' if open.is_empty() => decided = true,
            b'{' if open.is_empty() && !decided => return Some(Stop::Open(i)),
            b'{' | b'[' | b'(' => open.push(c),
            b'}' | b']' | b')' => {
                let opener = match c {
                    b'}' => b'{',
                    b']' => b'[',
                    _ => b'(',
                };
                match open.pop() {
                    Some(o) if o == opener => {}
                    Some(b'"') if c == b'}' => in_string = true,
                    None if c == b'}' => return Some(Stop::Close(i)),
                    _ => return None,
                }
            }
            _ => {}
        }
        i += 1;
    }
    (open.is_empty() && !in_string).then_some(Stop::Newline(to))
}

/// Whether a block whose body's braces are at `open` and `close`, its line
/// ending at `end`, is written as hcl-edit reads a block whose body is a
/// body of its own: the `{` ends its line (a line comment may follow), the
/// `}` starts its line (after blanks) and ends it (a line comment may follow).
fn splittable(b: &[u8], open: usize, close: usize, end: usize) -> bool {
    let Some(first_newline) = b[open..close].iter().position(|&c| c == b'\n').map(|j| open + j) else {
        return false;
    };
    let last_newline = b[open..close]
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(open, |j| open + j);
    let closes_alone = b[last_newline + 1..close].iter().all(|&c| c == b' ' || c == b'\t');
    let ends_line = end == b.len() || b[end] == b'\n';
    closes_alone && ends_line && rest_of_line(b, open + 1, first_newline) && rest_of_line(b, close + 1, end)
}

/// Whether `b[from..end]`, the rest of a line ending at `end`, is blanks
/// and at most a line comment (with no carriage return but before `\n`).
fn rest_of_line(b: &[u8], from: usize, end: usize) -> bool {
    let end = if end > from && b[end - 1] == b'\r' && end < b.len() {
        end - 1
    } else {
        end
    };
    let rest = &b[from..end];
    let blanks = rest.iter().take_while(|&&c| c == b' ' || c == b'\t').count();
    let rest = &rest[blanks..];
    rest.is_empty() || ((rest[0] == b'#' || rest.starts_with(b"//")) && !rest.contains(&b'\r'))
}

/// The newline ending the line at `i` (or `to`).
fn line_end(b: &[u8], i: usize, to: usize) -> usize {
    b[i..to].iter().position(|&c| c == b'\n').map_or(to, |j| i + j)
}

/// Past the `*/` closing the comment opened at `i`.
fn block_comment_end(b: &[u8], i: usize, to: usize) -> Option<usize> {
    let from = (i + 2).min(to);
    b[from..to].windows(2).position(|w| w == b"*/").map(|j| from + j + 2)
}

/// The newline ending the closing line of the heredoc opened at `i`
/// (`<<ID` or `<<-ID`, then a line break); `None` for anything else.
fn heredoc_end(b: &[u8], i: usize, to: usize) -> Option<usize> {
    let mut j = i + 2;
    if b.get(j) == Some(&b'-') {
        j += 1;
    }
    let id_start = j;
    while j < to && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'-') {
        j += 1;
    }
    let id = &b[id_start..j];
    if id.is_empty() {
        return None;
    }
    if b.get(j) == Some(&b'\r') {
        j += 1;
    }
    if b.get(j) != Some(&b'\n') {
        return None;
    }
    let mut line = j + 1;
    while line < to {
        let end = line_end(b, line, to);
        if b[line..end].trim_ascii() == id {
            return Some(end);
        }
        line = end + 1;
    }
    None
}

#[cfg(test)]
mod tests;
