//! A JSON document's findings after edits that only add or remove blanks
//! between its tokens (a space typed in the indentation, a line broken
//! after a comma): the tree is the same but for positions, so its findings
//! and facts are the last lint's, moved. A language server then answers
//! such a keystroke without linting the whole document again.

use crate::crosscheck::FileFacts;
use crate::diagnostic::Diagnostic;
use crate::document::shape::Shape;
use crate::rules;
use crate::settings::Settings;
use crate::syntax::{ReadAs, SourceFormat, Span, UTF8_BOM};

/// One change to a text: `removed` bytes at byte `at` replaced by `inserted`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub at: usize,
    pub removed: usize,
    pub inserted: String,
}

/// Most changes replayed at once: each copies the text, and a burst of
/// keystrokes longer than this is linted once instead.
const MAX_CHANGES: usize = 64;

/// What a lint of a text gave: the shape it read the text as, its
/// findings and its facts.
#[derive(Clone, Copy, Debug)]
pub struct Linted<'l> {
    pub shape: &'static Shape,
    pub found: &'l [Diagnostic],
    pub facts: &'l FileFacts,
}

/// The findings and facts of `after`, which `changes` (in order) made of
/// `before`, moved from those the lint of `before` with the same `read_as`
/// and `settings` gave, when every change adds or removes only JSON blanks
/// between tokens and no span they hold has an end in the blanks it
/// changes. `None`: lint `after` itself.
///
/// The checks read tokens and their spans, not the blanks between them,
/// but for the length of a policy sent as written (ECR510); a check that
/// reads blanks must be named here (`tests/blank_edits.rs` edits every
/// JSON fixture at random and compares with a lint).
pub fn moved(
    before: &str,
    after: &str,
    read_as: ReadAs,
    settings: &Settings,
    changes: &[Change],
    linted: Linted,
) -> Option<(Vec<Diagnostic>, FileFacts)> {
    // A Terraform file reads its folder's other files; a parse error's
    // message and place depend on the text around it; a byte order mark
    // is a finding of its own.
    if changes.is_empty()
        || rules::policy_too_long::is_policy_text(linted.shape, SourceFormat::Json)
        || changes.len() > MAX_CHANGES
        || settings.terraform_folder.is_some()
        || settings.terraform_module.is_some()
        || before.as_bytes().starts_with(UTF8_BOM)
        || read_as.resolve(before.as_bytes()) != Some(SourceFormat::Json)
        || linted.found.iter().any(|d| d.code == rules::invalid_json::META.code)
    {
        return None;
    }
    // Before copying the text and the findings: most edits type a letter.
    if !changes.iter().all(|c| c.inserted.bytes().all(is_blank)) || !between_tokens(before, &changes[0]) {
        return None;
    }
    let mut text = before.to_string();
    let (mut found, mut facts) = (linted.found.to_vec(), linted.facts.clone());
    for change in changes {
        if !between_tokens(&text, change) {
            return None;
        }
        let mut touched = false;
        let mut map = |span: Span| match (move_offset(span.start, change), move_offset(span.end, change)) {
            (Some(start), Some(end)) => Span::new(start, end),
            _ => {
                touched = true;
                span
            }
        };
        for d in &mut found {
            d.span = map(d.span);
            for label in d.labels.iter_mut().filter(|l| l.file.is_none()) {
                label.span = map(label.span);
            }
            for edit in d.fix.iter_mut().flat_map(|f| f.edits.iter_mut()) {
                edit.span = map(edit.span);
            }
        }
        facts.map_spans(&mut map);
        if touched {
            return None;
        }
        text.replace_range(change.at..change.at + change.removed, &change.inserted);
    }
    // The changes are what made `after`, or nothing here holds.
    (text == after && read_as.resolve(after.as_bytes()) == Some(SourceFormat::Json)).then_some((found, facts))
}

/// Where `offset` is after `change`; `None` when it is in or at either end
/// of the blanks changed (a span ending there may or may not take the new ones).
fn move_offset(offset: usize, change: &Change) -> Option<usize> {
    let end = change.at + change.removed;
    if offset < change.at {
        Some(offset)
    } else if offset > end {
        Some(offset - change.removed + change.inserted.len())
    } else {
        None
    }
}

fn is_blank(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Whether `change` to `text` (valid JSON) only adds or removes blanks
/// outside strings without joining or splitting a token.
fn between_tokens(text: &str, change: &Change) -> bool {
    let bytes = text.as_bytes();
    let end = change.at + change.removed;
    let Some(removed) = bytes.get(change.at..end) else {
        return false;
    };
    if (change.removed == 0 && change.inserted.is_empty())
        || !removed.iter().copied().all(is_blank)
        || !change.inserted.bytes().all(is_blank)
    {
        return false;
    }
    // A number or literal (`123`, `true`) on both sides: one token, split or joined.
    let word = |b: Option<&u8>| {
        b.is_some_and(|&b| !is_blank(b) && !matches!(b, b'{' | b'}' | b'[' | b']' | b',' | b':' | b'"'))
    };
    if word(change.at.checked_sub(1).and_then(|i| bytes.get(i))) && word(bytes.get(end)) {
        return false;
    }
    !in_string(&bytes[..change.at])
}

/// Whether the end of `prefix` of a JSON text is inside a string.
fn in_string(prefix: &[u8]) -> bool {
    let (mut inside, mut escaped) = (false, false);
    for &b in prefix {
        if escaped {
            escaped = false;
        } else if inside && b == b'\\' {
            escaped = true;
        } else if b == b'"' {
            inside = !inside;
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(at: usize, removed: usize, inserted: &str) -> Change {
        Change {
            at,
            removed,
            inserted: inserted.into(),
        }
    }

    #[test]
    fn blanks_between_tokens_only() {
        let text = r#"{"a": [12, "b c\" d", true]}"#;
        assert!(between_tokens(text, &change(5, 1, "")));
        assert!(between_tokens(text, &change(6, 0, "\n  ")));
        assert!(between_tokens(text, &change(10, 0, "\r\n")));
        // In a number, in strings (one after an escaped quote), in a key.
        assert!(!between_tokens(text, &change(8, 0, " ")));
        assert!(!between_tokens(text, &change(14, 1, "")));
        assert!(!between_tokens(text, &change(17, 0, " ")));
        assert!(!between_tokens(text, &change(2, 0, " ")));
        // Not blanks, or nothing at all.
        assert!(!between_tokens(text, &change(5, 0, "x")));
        assert!(!between_tokens(text, &change(4, 1, "")));
        assert!(!between_tokens(text, &change(5, 0, "")));
        assert!(!between_tokens(text, &change(5, 0, "\u{c}")));
    }

    #[test]
    fn offsets_at_the_changed_blanks_do_not_move() {
        let c = change(10, 2, " ");
        assert_eq!(move_offset(9, &c), Some(9));
        assert_eq!(move_offset(10, &c), None);
        assert_eq!(move_offset(12, &c), None);
        assert_eq!(move_offset(13, &c), Some(12));
    }
}
