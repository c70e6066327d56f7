//! Small string helpers: suggestions, and showing untrusted text safely.

use std::borrow::Cow;

/// Edit distance over chars, counting a swap of two neighbours as one edit
/// (optimal string alignment: `ruels` is one slip from `rules`), when it
/// is at most `max` (`None` otherwise), at the cost of the rows it needs:
/// a long word far from every candidate is ruled out at once.
pub fn edit_distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    distance_within(&a, &b, max)
}

/// [`edit_distance_within`] of two char slices when it is at most `max`, else
/// `None`, found without filling the whole table: the lengths alone may
/// rule it out, and the work stops at the first row whose every cell is
/// over `max` (cells never decrease down a column's diagonal path).
fn distance_within(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    // Three rows: the one before the previous is needed for transpositions.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for i in 0..a.len() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for j in 0..b.len() {
            let cost = usize::from(a[i] != b[j]);
            let mut best = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            if i > 0 && j > 0 && a[i] == b[j - 1] && a[i - 1] == b[j] {
                best = best.min(before[j - 1] + 1);
            }
            cur[j + 1] = best;
            row_min = row_min.min(best);
        }
        // A transposition reads two rows back, so both rows must be over.
        if row_min > max && prev.iter().all(|&d| d > max) {
            return None;
        }
        std::mem::swap(&mut before, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|&d| d <= max)
}

/// The candidate closest to `word`: same letters ignoring case and `_`/`-`,
/// a singular/plural slip, or a few typos away. `None` when nothing is close.
pub fn nearest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    // Letters and digits, lower case, into a buffer used again for each
    // candidate: recognition asks this of every key of every file.
    fn normalise_into(s: &str, out: &mut Vec<char>) {
        out.clear();
        for c in s.chars().filter(|c| c.is_alphanumeric()) {
            out.extend(c.to_lowercase());
        }
    }
    // Normalised when a candidate's length is close enough to need it.
    let w_letters = word.chars().filter(|c| c.is_alphanumeric()).count();
    let mut w = Vec::new();
    // `a` is `b` with an `s` added.
    let plural_of = |a: &[char], b: &[char]| a.len() == b.len() + 1 && a.starts_with(b) && a.last() == Some(&'s');
    let mut n = Vec::new();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // Too long or too short to be within the typos allowed (nor a
        // plural): no need to normalise it.
        let letters = c.chars().filter(|c| c.is_alphanumeric()).count();
        if letters.abs_diff(w_letters) > (letters / 3).max(1) {
            continue;
        }
        if w.is_empty() {
            normalise_into(word, &mut w);
        }
        normalise_into(c, &mut n);
        let score = if n == w {
            0
        } else if plural_of(&n, &w) || plural_of(&w, &n) {
            1
        } else {
            let Some(d) = distance_within(&w, &n, (n.len() / 3).max(1)) else {
                continue;
            };
            1 + d
        };
        if best.is_none_or(|(s, _)| score < s) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

/// Whether `text` matches an IAM-style `pattern` (`*`: any run of
/// characters, `?`: any one), ASCII letters compared without case, as IAM
/// compares action names. Greedy with one backtrack point: linear for the
/// patterns policies hold, O(n·m) at worst.
pub fn wildcard_match_ignore_case(pattern: &str, text: &str) -> bool {
    let (p, t) = (pattern.as_bytes(), text.as_bytes());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == b'?' || p[pi].eq_ignore_ascii_case(&t[ti])) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == b'*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&b| b == b'*')
}

/// `"a"`, `"a" or "b"`, `"a", "b" or "c"`.
pub fn one_of(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// Whether `c` must not reach a reader raw: control characters (escape
/// sequences, `\r`, NUL), whitespace other than a plain space, and the
/// invisible or reordering format characters (zero-width spaces and
/// joiners, bidirectional controls such as U+202E, the BOM, tags).
pub fn hidden(c: char) -> bool {
    c.is_control()
        || (c.is_whitespace() && c != ' ')
        || matches!(c,
            '\u{ad}' | '\u{34f}' | '\u{61c}' | '\u{600}'..='\u{605}' | '\u{6dd}' | '\u{70f}'
            | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' | '\u{180b}'..='\u{180f}'
            | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}'
            | '\u{3164}' | '\u{fe00}'..='\u{fe0f}' | '\u{feff}' | '\u{ffa0}'
            | '\u{fff0}'..='\u{fffb}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

/// `s` with every hidden character written as `\u{1b}`: what a message
/// quoting a file's keys and values shows, in every format, so that file
/// content can neither drive a terminal nor hide or reorder what it says.
pub fn escape_hidden(s: &str) -> Cow<'_, str> {
    // Printable ASCII hides nothing: one pass over the bytes answers for
    // nearly every message (the test per character was 5 % of a report).
    if s.bytes().all(|b| (b' '..=b'~').contains(&b)) || !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A file name as text, hidden characters escaped and bytes that are not
/// UTF-8 written as `\xff`: one line, and enough to tell the file apart.
/// Outside Windows (where it separates folders) a backslash is doubled, so
/// that a name holding the four characters `\xff` differs from one holding
/// the byte.
pub fn escape_bytes(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' if !cfg!(windows) => out.push_str("\\\\"),
                c if hidden(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// A file name given as text, as [`escape_bytes`] shows it; borrowed when
/// nothing in it needs escaping.
pub fn escape_name(name: &str) -> Cow<'_, str> {
    if name.chars().any(|c| c == '\\' || hidden(c)) {
        Cow::Owned(escape_bytes(name.as_bytes()))
    } else {
        Cow::Borrowed(name)
    }
}

/// A path for messages, as [`escape_bytes`] shows it.
pub fn escape_path(path: &std::path::Path) -> String {
    escape_bytes(path.as_os_str().as_encoded_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_wildcards_match_as_iam_matches_action_names() {
        let cases = [
            ("*", "", true),
            ("*", "BatchGetImage", true),
            ("Get*", "GetDownloadUrlForLayer", true),
            ("get*", "GetDownloadUrlForLayer", true),
            ("Get*", "BatchGetImage", false),
            ("*Image", "BatchGetImage", true),
            ("*Image", "BatchGetImages", false),
            ("Batch*Image", "BatchGetImage", true),
            ("Batch*Image", "BatchImportUpstreamImage", true),
            ("B?tchGetImage", "BatchGetImage", true),
            ("B?tchGetImage", "BtchGetImage", false),
            ("*a*b*", "xxaxxbxx", true),
            ("*a*b*", "xxbxxaxx", false),
            ("ReplicateImage", "replicateimage", true),
            ("ReplicateImage", "ReplicateImages", false),
            ("**", "x", true),
            ("", "x", false),
        ];
        for (pattern, text, expected) in cases {
            assert_eq!(
                wildcard_match_ignore_case(pattern, text),
                expected,
                "{pattern} ~ {text}"
            );
        }
    }

    #[test]
    fn a_bounded_distance_agrees_with_the_whole_table() {
        // The whole table, as the distance was computed before it had a bound.
        fn full(a: &[char], b: &[char]) -> usize {
            let mut t = vec![vec![0usize; b.len() + 1]; a.len() + 1];
            for (i, row) in t.iter_mut().enumerate() {
                row[0] = i;
            }
            t[0] = (0..=b.len()).collect();
            for i in 1..=a.len() {
                for j in 1..=b.len() {
                    let cost = usize::from(a[i - 1] != b[j - 1]);
                    let mut best = (t[i - 1][j - 1] + cost).min(t[i - 1][j] + 1).min(t[i][j - 1] + 1);
                    if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                        best = best.min(t[i - 2][j - 2] + 1);
                    }
                    t[i][j] = best;
                }
            }
            t[a.len()][b.len()]
        }
        proptest::proptest!(|(a in "[abc]{0,9}", b in "[abc]{0,9}", max in 0usize..6)| {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let d = full(&a, &b);
            proptest::prop_assert_eq!(distance_within(&a, &b, max), (d <= max).then_some(d));
            proptest::prop_assert_eq!(distance_within(&a, &b, usize::MAX), Some(d));
        });
    }

    #[test]
    fn a_swap_of_neighbours_is_one_edit() {
        assert_eq!(edit_distance_within("ruels", "rules", usize::MAX), Some(1));
        assert_eq!(edit_distance_within("destinatons", "destinations", usize::MAX), Some(1));
        assert_eq!(edit_distance_within("", "rules", usize::MAX), Some(5));
        assert_eq!(edit_distance_within("abc", "abc", usize::MAX), Some(0));
        assert_eq!(edit_distance_within("ca", "abc", usize::MAX), Some(3));
        assert_eq!(nearest("ruels", ["rules", "region"]), Some("rules"));
    }

    #[test]
    fn terminal_controls_and_invisible_characters_are_escaped() {
        assert_eq!(escape_hidden("us-west-2"), "us-west-2");
        assert_eq!(escape_hidden("\u{1b}[2K\r"), "\\u{1b}[2K\\u{d}");
        assert_eq!(escape_hidden("us-\u{200b}west-2"), "us-\\u{200b}west-2");
        assert_eq!(escape_hidden("a\u{202e}b\0c"), "a\\u{202e}b\\u{0}c");
        assert_eq!(escape_hidden("tab\there\u{a0}"), "tab\\u{9}here\\u{a0}");
        assert_eq!(escape_hidden("é ü 東京"), "é ü 東京");
    }

    #[test]
    fn file_names_show_bytes_that_are_not_utf8() {
        assert_eq!(escape_bytes(b"caf\xe9\n.json"), "caf\\xe9\\u{a}.json");
        #[cfg(not(windows))]
        {
            // A literal backslash differs from an escaped byte or character.
            assert_eq!(escape_bytes(b"caf\\xe9.json"), "caf\\\\xe9.json");
            assert_eq!(escape_name("a\\u{a}.json"), "a\\\\u{a}.json");
            assert_ne!(escape_bytes(b"\\xe9"), escape_bytes(b"\xe9"));
        }
        assert!(matches!(escape_name("plain.json"), Cow::Borrowed(_)));
    }
}
