//! `check --diff`: what `--fix` would change, as a unified diff that
//! `patch(1)` and `git apply` read. Lines are split at `\n` only, as those
//! tools split them: a `\r` (of a `\r\n`, or a lone one) is part of its
//! line's text, so a file with lone-CR line ends is one line to them, and
//! to the diff.

use std::fmt::Write;

/// The unified diff from `old` to `new`, with three lines of context;
/// empty when they are equal.
pub fn unified(old: &str, new: &str, old_name: &str, new_name: &str) -> String {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let diff = similar::TextDiff::from_slices(&old_lines, &new_lines);
    let mut out = String::new();
    for group in diff.grouped_ops(3) {
        if out.is_empty() {
            let _ = writeln!(out, "--- {old_name}\n+++ {new_name}");
        }
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let (old_start, new_start) = (first.old_range().start, first.new_range().start);
        let (old_len, new_len) = (last.old_range().end - old_start, last.new_range().end - new_start);
        let _ = writeln!(
            out,
            "@@ -{} +{} @@",
            range(old_start, old_len),
            range(new_start, new_len)
        );
        for op in &group {
            for change in diff.iter_changes(op) {
                let sign = match change.tag() {
                    similar::ChangeTag::Equal => ' ',
                    similar::ChangeTag::Delete => '-',
                    similar::ChangeTag::Insert => '+',
                };
                let line = change.value();
                out.push(sign);
                out.push_str(line);
                if !line.ends_with('\n') {
                    out.push_str("\n\\ No newline at end of file\n");
                }
            }
        }
    }
    out
}

/// A hunk's range: 1-based first line and count; an empty range names
/// the line before it.
fn range(start: usize, len: usize) -> String {
    match len {
        0 => format!("{start},0"),
        1 => format!("{}", start + 1),
        n => format!("{},{n}", start + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hunks_split_at_newlines_only_and_mark_a_missing_last_newline() {
        let old = "a\rb\rc\r";
        let new = "a\rB\rc\r";
        assert_eq!(
            unified(old, new, "a/x", "b/x"),
            "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\rb\rc\r\n\\ No newline at end of file\n+a\rB\rc\r\n\\ No newline at end of file\n"
        );
        let old = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        let new = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";
        assert_eq!(
            unified(old, new, "a/x", "b/x"),
            "--- a/x\n+++ b/x\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
        assert_eq!(
            unified("x\n", "x\ny\n", "a", "b"),
            "--- a\n+++ b\n@@ -1 +1,2 @@\n x\n+y\n"
        );
        assert_eq!(unified("", "y\n", "a", "b"), "--- a\n+++ b\n@@ -0,0 +1 @@\n+y\n");
        assert_eq!(unified("same\r\n", "same\r\n", "a", "b"), "");
    }
}
