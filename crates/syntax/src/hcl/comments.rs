//! The comments of a parsed `.tf` file. `hcl-edit` keeps them as raw
//! decor text, on some nodes and not others; what it does keep exactly is
//! where each string's text is (quoted strings, block labels, and the
//! literal parts of templates and heredocs, between their interpolations).
//! Outside those, a `#`, `//` or `/*` can only start a comment (`/` alone
//! is division), so the comments are the markers found outside the text.

use crate::comment::{comment_end, Comment, CommentKind};
use crate::Span;
use hcl_edit::structure::Body;
use hcl_edit::visit::Visit;
use hcl_edit::{Decorated, Span as _, Spanned};

/// Every comment of the text whose body (after `base`, a byte order mark)
/// the parser read as `body`, in order.
pub(super) fn of_body(text: &str, base: usize, body: &Body) -> Vec<Comment> {
    let mut found = Vec::new();
    in_range(
        text,
        base..text.len(),
        || strings(body, |r| Span::new(base + r.start, base + r.end)),
        &mut found,
    );
    found
}

/// The comments of `text[range]`, in order, appended to `found`; `strings`
/// says where the text of the strings there is (spans of `text`), read
/// only when the range has a comment marker at all.
pub(super) fn in_range(
    text: &str,
    range: std::ops::Range<usize>,
    strings: impl FnOnce() -> Vec<Span>,
    found: &mut Vec<Comment>,
) {
    let bytes = text.as_bytes();
    let marker = |i: usize| match bytes[i] {
        b'#' => Some(CommentKind::Hash),
        b'/' => match bytes.get(i + 1) {
            Some(b'/') => Some(CommentKind::Slashes),
            Some(b'*') => Some(CommentKind::Block),
            _ => None,
        },
        _ => None,
    };
    // Most files have no comment: no need to read where their strings are.
    if !range.clone().any(|i| marker(i).is_some()) {
        return;
    }
    let mut texts = strings();
    texts.sort_unstable();
    let mut next_text = 0;
    let mut i = range.start;
    while i < range.end {
        let Some(kind) = marker(i) else {
            i += 1;
            continue;
        };
        while texts.get(next_text).is_some_and(|t| t.end <= i) {
            next_text += 1;
        }
        if let Some(t) = texts.get(next_text).filter(|t| t.start <= i) {
            i = t.end;
            continue;
        }
        let end = comment_end(text, i, kind);
        found.push(Comment::new(text, Span::new(i, end), kind));
        i = end;
    }
}

/// Where the text of `body`'s strings is, `at` turning a range of the
/// parsed text into a span of the file.
pub(super) fn strings(body: &Body, at: impl Fn(std::ops::Range<usize>) -> Span) -> Vec<Span> {
    let mut strings = Strings(Vec::new());
    strings.visit_body(body);
    strings.0.into_iter().map(at).collect()
}

/// The ranges of string text in a body: a `#` or `//` there is text.
struct Strings(Vec<std::ops::Range<usize>>);

impl Visit for Strings {
    fn visit_string(&mut self, node: &Decorated<String>) {
        self.0.extend(node.span());
    }

    fn visit_literal(&mut self, node: &Spanned<String>) {
        self.0.extend(node.span());
    }
}

#[cfg(test)]
mod tests {
    use crate::hcl::parse_with_comments;
    use crate::CommentKind;

    fn texts(text: &str) -> Vec<&str> {
        parse_with_comments(text.as_bytes())
            .unwrap()
            .comments
            .iter()
            .map(|c| &text[c.span.start..c.span.end])
            .collect()
    }

    #[test]
    fn comments_outside_strings_heredocs_and_interpolations() {
        let text = concat!(
            "# c1\n",
            "a = \"x # no // no\" # c2\n",
            "b = \"esc \\\" # no\" // c3\n",
            "c = \"${var.x} # no ${\"nested # no\"} $${ # no\" # c4\n",
            "d = <<EOT\n",
            "  # not a comment\n",
            "  // nor this ${var.y} # no /* no */\n",
            "EOT\n",
            "e = <<-EOT\n",
            "    # no\n",
            "    EOT\n",
            "x = 2 # c5\n",
            "/* # no\n",
            "   // no */ f = 1 # c6\n",
            "g = { k = \"#\" } // c7\n",
            "h = \"%{ if true }# no%{ endif }\" #c8\n",
            "i = 1 / 2 # c9\n",
            "j = [\n",
            "  \"x\", # c10\n",
            "  <<EOT\n",
            "EOT is not the end # no\n",
            "EOT\n",
            "]\n",
            "k = lookup(var.m, \"k # no\", \"// no\") /* c11 */ # c12\n",
            "resource \"a#b\" \"c//d\" {}\n",
            "l = \"%{ for x in var.l }# no ${x}%{ endfor }\"\n",
        );
        assert_eq!(
            texts(text),
            [
                "# c1",
                "# c2",
                "// c3",
                "# c4",
                "# c5",
                "/* # no\n   // no */",
                "# c6",
                "// c7",
                "#c8",
                "# c9",
                "# c10",
                "/* c11 */",
                "# c12"
            ]
        );
    }

    #[test]
    fn kinds_and_places() {
        let text = "  # a\nx = 1 // b\n/* c\n */ y = 2 /* d */\n";
        let found = parse_with_comments(text.as_bytes()).unwrap().comments;
        let seen: Vec<(CommentKind, bool, &str)> = found.iter().map(|c| (c.kind, c.alone, c.text(text))).collect();
        assert_eq!(
            seen,
            [
                (CommentKind::Hash, true, " a"),
                (CommentKind::Slashes, false, " b"),
                (CommentKind::Block, true, " c\n "),
                (CommentKind::Block, false, " d "),
            ]
        );
    }

    #[test]
    fn crlf_line_endings_end_comments_before_the_carriage_return() {
        let text = "a = 1 # c1\r\nb = <<EOT\r\n# no\r\nEOT\r\n// c2\r\n";
        assert_eq!(texts(text), ["# c1", "// c2"]);
        let alone: Vec<bool> = parse_with_comments(text.as_bytes())
            .unwrap()
            .comments
            .iter()
            .map(|c| c.alone)
            .collect();
        assert_eq!(alone, [false, true]);
    }

    #[test]
    fn after_a_byte_order_mark_a_comment_is_alone_on_its_line() {
        let text = "\u{feff}# c1\na = 1\n";
        let found = parse_with_comments(text.as_bytes()).unwrap().comments;
        assert_eq!(found.len(), 1);
        assert_eq!((found[0].span.start, found[0].alone), (3, true));
    }

    #[test]
    fn no_comments_without_a_marker() {
        assert!(texts("a = \"https:/x\"\nb = 4 / 2\n").is_empty());
    }
}
