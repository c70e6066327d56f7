//! The comments of a parsed YAML file. The parser (saphyr) skips them
//! without an event; what it does report is where each scalar is, and a
//! `#` is a comment where it starts a line or follows a space or tab,
//! outside every scalar (so `"a # b"` and a block scalar's lines are text).

use crate::comment::{comment_end, Comment, CommentKind};
use crate::{Node, ScalarSpans, Span};

/// Every comment of `text`, whose tree is `root`, in order.
pub(super) fn of_tree(text: &str, root: &Node) -> Vec<Comment> {
    // Most files have no comment: no need to read where their scalars are.
    if !text.contains('#') {
        return Vec::new();
    }
    let scalars = ScalarSpans::of(root, |_| true);
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let line_end = text[i..].find(['\n', '\r']).map_or(text.len(), |n| i + n);
        // A byte order mark is not part of the first line.
        let line_start = if i == 0 && text.starts_with('\u{feff}') { 3 } else { i };
        let mut j = line_start;
        while j < line_end {
            if bytes[j] == b'#' && (j == line_start || matches!(bytes[j - 1], b' ' | b'\t')) && !scalars.holds(j) {
                let end = comment_end(text, j, CommentKind::Hash);
                found.push(Comment::new(text, Span::new(j, end), CommentKind::Hash));
                break;
            }
            j += 1;
        }
        i = line_end + 1;
    }
    found
}

#[cfg(test)]
mod tests {
    use crate::yaml::parse_with_reuse;

    fn texts(text: &str) -> Vec<&str> {
        let (parsed, _) = parse_with_reuse(text.as_bytes()).unwrap();
        parsed
            .comments
            .iter()
            .map(|c| &text[c.span.start..c.span.end])
            .collect()
    }

    #[test]
    fn comments_are_found_outside_scalars_only() {
        let text = "a: \"x # no\" # c1\nb: 'y''s # no' # c2\nc: z#no # c3\nd: \"multi\n  # no\" # c4\ne: | # c5\n  # not a comment\n  text\nf: [p, \"# no\"] # c6\ng: !Ref \"h\" # c7\n# c8\n";
        assert_eq!(
            texts(text),
            ["# c1", "# c2", "# c3", "# c4", "# c5", "# c6", "# c7", "# c8"]
        );
    }

    #[test]
    fn block_scalars_and_folded_plain_scalars_hold_no_comments() {
        let text = "a: >-\n  # no\n  x # no\nb: plain\n  continued # c1\n# c2\nc: |\n\n  # no, after a blank line\n";
        assert_eq!(texts(text), ["# c1", "# c2"]);
    }

    #[test]
    fn places_and_line_ends() {
        let text = "\u{feff}# c1\r\na: 1 # c2\r\n  # c3\r\n";
        let (parsed, _) = parse_with_reuse(text.as_bytes()).unwrap();
        let seen: Vec<(&str, bool)> = parsed
            .comments
            .iter()
            .map(|c| (&text[c.span.start..c.span.end], c.alone))
            .collect();
        assert_eq!(seen, [("# c1", true), ("# c2", false), ("# c3", true)]);
    }
}
