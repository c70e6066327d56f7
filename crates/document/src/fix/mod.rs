//! Fixes as data: text edits on byte spans of the original file, with a
//! title and an applicability. A rule attaches one to its diagnostic; this
//! module only applies edits to text and knows nothing of ECR.

use crate::syntax::Span;

pub mod apply;
pub mod stamp;
pub mod write;

/// Whether a fix may be applied without asking.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Applicability {
    /// A plausible guess the user must confirm (`--unsafe-fixes`).
    Unsafe,
    /// The result means what the author evidently meant, and nothing else changes.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// Replace the bytes of `span` with `content`: an empty span inserts, empty
/// content deletes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub content: String,
}

impl Edit {
    pub fn replace(span: Span, content: impl Into<String>) -> Edit {
        Edit {
            span,
            content: content.into(),
        }
    }

    pub fn delete(span: Span) -> Edit {
        Edit::replace(span, "")
    }

    pub fn insert(at: usize, content: impl Into<String>) -> Edit {
        Edit::replace(Span::new(at, at), content)
    }
}

/// A fix's edits in little room, for fixes held by the hundred thousand
/// (those of the findings past the cap, which the fix loop applies): one
/// edit inline, by 32-bit offsets, its content boxed (a deletion allocates
/// nothing); several as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edits {
    One { start: u32, end: u32, content: Box<str> },
    Many(Box<[Edit]>),
}

impl Edits {
    pub fn new(edits: Vec<Edit>) -> Edits {
        match <[Edit; 1]>::try_from(edits) {
            Ok([edit]) => match (u32::try_from(edit.span.start), u32::try_from(edit.span.end)) {
                (Ok(start), Ok(end)) => Edits::One {
                    start,
                    end,
                    content: edit.content.into_boxed_str(),
                },
                _ => Edits::Many(Box::new([edit])),
            },
            Err(edits) => Edits::Many(edits.into_boxed_slice()),
        }
    }

    /// The edits as [`Fix::edits`] holds them.
    pub fn into_vec(self) -> Vec<Edit> {
        match self {
            Edits::One { start, end, content } => vec![Edit {
                span: Span::new(start as usize, end as usize),
                content: content.into_string(),
            }],
            Edits::Many(edits) => edits.into_vec(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What it does, as an imperative: "Replace `PREFIX` with `PREFIX_MATCH`".
    pub title: String,
    pub applicability: Applicability,
    /// Sorted by position, never overlapping one another.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn new(title: impl Into<String>, applicability: Applicability, mut edits: Vec<Edit>) -> Fix {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        Fix {
            title: title.into(),
            applicability,
            edits,
        }
    }

    pub fn safe(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Safe, edits)
    }

    pub fn unsafe_edit(title: impl Into<String>, edits: Vec<Edit>) -> Fix {
        Fix::new(title, Applicability::Unsafe, edits)
    }

    /// The bytes the fix touches, from its first edit's start to its last's end.
    pub fn range(&self) -> Span {
        range(&self.edits)
    }
}

/// The bytes `edits` (sorted) touch, from the first's start to the last's end.
fn range(edits: &[Edit]) -> Span {
    let start = edits.first().map_or(0, |e| e.span.start);
    let end = edits.iter().map(|e| e.span.end).max().unwrap_or(start);
    Span::new(start, end)
}

/// Applies the fixes that do not overlap one another, in order of position
/// (the first of two overlapping fixes wins; the other waits for another
/// pass over the new text). Returns the new text and the indices, into
/// `fixes`, of those applied. Edits outside the text or off a character
/// boundary make their fix unusable, never a panic.
pub fn apply(text: &str, fixes: &[&Fix]) -> (String, Vec<usize>) {
    let edits: Vec<&[Edit]> = fixes.iter().map(|f| &f.edits[..]).collect();
    apply_edits(text, &edits)
}

/// [`apply`] for fixes given by their edits alone (each sorted).
pub fn apply_edits(text: &str, fixes: &[&[Edit]]) -> (String, Vec<usize>) {
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| {
        let range = range(fixes[i]);
        (range.start, range.end)
    });
    let usable = |edits: &[Edit]| {
        edits.iter().all(|e| {
            e.span.start <= e.span.end
                && e.span.end <= text.len()
                && text.is_char_boundary(e.span.start)
                && text.is_char_boundary(e.span.end)
        }) && edits.windows(2).all(|w| w[0].span.end <= w[1].span.start)
    };
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    // The end of the last fix applied, and whether its last edit inserts
    // there: ranges that touch conflict when either inserts at the place
    // they meet (two insertions at one place have no order); deletions and
    // replacements side by side do not (removing each of many neighbouring
    // duplicates, all in one pass).
    let mut last_end: Option<(usize, bool)> = None;
    let mut applied = Vec::new();
    for i in order {
        let edits = fixes[i];
        let inserts_first = edits.first().is_some_and(|e| e.span.start == e.span.end);
        let clear = last_end.is_none_or(|(end, inserted)| {
            let start = range(edits).start;
            start > end || (start == end && !inserted && !inserts_first)
        });
        if edits.is_empty() || !clear || !usable(edits) {
            continue;
        }
        let mut inserted = false;
        for edit in edits {
            out.push_str(&text[done..edit.span.start]);
            out.push_str(&edit.content);
            done = edit.span.end;
            inserted = edit.span.start == edit.span.end;
        }
        last_end = Some((done, inserted));
        applied.push(i);
    }
    out.push_str(&text[done..]);
    (out, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn replace(start: usize, end: usize, content: &str) -> Fix {
        Fix::safe("t", vec![Edit::replace(Span::new(start, end), content)])
    }

    #[test]
    fn applies_non_overlapping_fixes_in_position_order() {
        let text = r#"{"a": "PREFIX", "b": "US-EAST-1"}"#;
        let second = replace(21, 32, "\"us-east-1\"");
        let first = replace(6, 14, "\"PREFIX_MATCH\"");
        let (out, applied) = apply(text, &[&second, &first]);
        assert_eq!(out, r#"{"a": "PREFIX_MATCH", "b": "us-east-1"}"#);
        assert_eq!(applied, [1, 0]);
    }

    #[test]
    fn an_overlapping_fix_waits_for_the_next_pass() {
        let text = "abcdef";
        let a = replace(1, 4, "X");
        let b = replace(3, 5, "Y");
        let (out, applied) = apply(text, &[&a, &b]);
        assert_eq!(out, "aXef");
        assert_eq!(applied, [0]);
    }

    #[test]
    fn neighbouring_deletions_go_together_insertions_at_one_place_do_not() {
        let text = "[1, 1, 1, 2]";
        let first = Fix::safe("d", vec![Edit::delete(Span::new(1, 4))]);
        let second = Fix::safe("d", vec![Edit::delete(Span::new(4, 7))]);
        let (out, applied) = apply(text, &[&first, &second]);
        assert_eq!((out.as_str(), applied.len()), ("[1, 2]", 2));
        let a = Fix::safe("a", vec![Edit::insert(1, "x")]);
        let b = Fix::safe("b", vec![Edit::insert(1, "y")]);
        let (out, applied) = apply(text, &[&a, &b]);
        assert_eq!((out.as_str(), applied.len()), ("[x1, 1, 1, 2]", 1));
        let c = Fix::safe("c", vec![Edit::replace(Span::new(1, 2), "9")]);
        let (_, applied) = apply(text, &[&c, &b]);
        assert_eq!(applied.len(), 1, "an insertion where a replacement ends waits");
    }

    #[test]
    fn deletions_insertions_and_multi_edit_fixes() {
        let text = "[1, 2, 3]";
        let delete_two = Fix::safe("d", vec![Edit::delete(Span::new(3, 6))]);
        let (out, _) = apply(text, &[&delete_two]);
        assert_eq!(out, "[1, 3]");
        let wrap = Fix::safe("w", vec![Edit::insert(1, "\""), Edit::insert(2, "\"")]);
        let (out, applied) = apply(text, &[&wrap]);
        assert_eq!((out.as_str(), applied.len()), ("[\"1\", 2, 3]", 1));
    }

    #[test]
    fn edits_off_the_text_or_a_char_boundary_are_refused() {
        let text = "é";
        let inside = replace(1, 2, "x");
        let past = replace(0, 9, "x");
        let (out, applied) = apply(text, &[&inside, &past]);
        assert_eq!((out.as_str(), applied.len()), ("é", 0));
    }
}
