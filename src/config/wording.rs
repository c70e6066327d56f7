//! serde's words for a configuration that does not fit its layout ("invalid
//! type: string \"us-east-1\", expected a sequence") said in plain words,
//! with an example in TOML of what fits: "`allowed-regions` must be a list,
//! such as `allowed-regions = [\"us-east-1\"]`".

use crate::syntax::Span;
use std::path::{Path, PathBuf};

/// A message and help for the deserialiser's `message` about the value at
/// `span` of `text`. Messages it does not know (TOML syntax errors) are
/// kept, without help.
pub(super) fn plain(message: &str, text: &str, span: Span) -> (String, Option<String>) {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("invalid type: ") {
        if let Some((found, expected)) = rest.rsplit_once(", expected ") {
            return wrong_type(found, expected, text, span);
        }
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        return unknown_key(rest);
    }
    if let Some(field) = message.strip_prefix("missing field ") {
        let field = field.trim_matches('`');
        let table = header_above(text, span.start).unwrap_or_else(|| "this table".into());
        // A plural key holds a list (`files`, `repositories`).
        let value = if field.ends_with('s') {
            format!("[{}]", example(field, None))
        } else {
            example(field, None)
        };
        return (
            format!("{table} needs the key `{field}`"),
            Some(format!("add `{field} = {value}` to it")),
        );
    }
    (message.to_string(), None)
}

/// What the value is, as the deserialiser names it: `string "x"`,
/// `integer `5``, `map`, `sequence`, ... in words, and its text if any.
fn found_words(found: &str) -> (String, Option<String>) {
    let inner = |s: &str| s.trim().trim_matches(['`', '"']).to_string();
    match found.split_once(' ') {
        Some(("string", value)) => ("text".into(), Some(inner(value))),
        Some(("integer" | "float", value)) => (format!("the number {}", inner(value)), Some(inner(value))),
        Some(("boolean", value)) => (format!("`{}`", inner(value)), Some(inner(value))),
        _ => (
            match found {
                "map" => "a table".into(),
                "sequence" => "a list".into(),
                other => other.to_string(),
            },
            None,
        ),
    }
}

/// What the layout wants, in words.
fn expected_words(expected: &str) -> &'static str {
    if expected.contains("sequence") {
        "a list"
    } else if expected.contains("string") {
        "text in quotes"
    } else if expected.contains("i64") || expected.contains("integer") || expected.contains("u64") {
        "a whole number"
    } else if expected.contains("bool") {
        "`true` or `false`"
    } else {
        "a table"
    }
}

fn wrong_type(found: &str, expected: &str, text: &str, span: Span) -> (String, Option<String>) {
    let written = text.get(span.start..span.end).unwrap_or_default();
    let (found_text, value) = found_words(found);
    let wanted = expected_words(expected);
    // `[overrides]` where `[[overrides]]` is meant: a table for an array of tables.
    if found == "map" && wanted == "a list" {
        if let Some(name) = written.trim().strip_prefix('[').filter(|h| !h.starts_with('[')) {
            let name = name.trim_end_matches(']').trim();
            return (
                format!("`[{name}]` is a single table: use `[[{name}]]`, an array of tables"),
                Some(format!(
                    "write `[[{name}]]`, with double brackets, above each entry; each `[[{name}]]` starts another"
                )),
            );
        }
    }
    let (key, item) = key_of(text, span).unwrap_or_else(|| ("this value".into(), false));
    let named = match (key.as_str(), item) {
        ("this value", _) => key.clone(),
        (_, true) => format!("each item of `{key}`"),
        (_, false) => format!("`{key}`"),
    };
    let (message, help) = match wanted {
        "a list" => {
            let item = example(&key, value.as_deref());
            (
                format!("{named} must be a list, such as `{key} = [{item}]`, not {found_text}"),
                Some(format!(
                    "put the values in square brackets, separated by commas: `[{item}]`"
                )),
            )
        }
        // A rule's level: `ECR203 = 1`.
        "text in quotes" if crate::rules::find(&key).is_some() => (
            format!("the level of `{key}` must be text in quotes, not {found_text}"),
            Some(format!(
                "write `{key} = \"error\"`, `\"warning\"`, `\"info\"` or `\"off\"`"
            )),
        ),
        "text in quotes" => {
            // The same digits quoted for an account ID; a Region is a name.
            let quoted = match &value {
                Some(v) if !key.contains("region") => format!("\"{v}\""),
                _ => example(&key, None),
            };
            let why = if key.contains("registry-id") || key.contains("account") {
                " (a number would lose an account ID's leading zeros)"
            } else {
                ""
            };
            (
                format!("{named} must be text in quotes, not {found_text}{why}"),
                Some(if item {
                    format!("write each item in quotes, such as `{key} = [{quoted}]`")
                } else {
                    format!("write `{key} = {quoted}`")
                }),
            )
        }
        "a table" => (
            format!("{named} must be a table, not {found_text}"),
            Some(format!(
                "write it as a table: `[{key}]` on its own line, then one `name = value` per line"
            )),
        ),
        other => (format!("{named} must be {other}, not {found_text}"), None),
    };
    (message, help)
}

/// `unknown field `x`, expected one of `a`, `b``: the key, the nearest
/// allowed one, and the allowed ones.
fn unknown_key(rest: &str) -> (String, Option<String>) {
    let (key, allowed) = match rest.split_once(", expected ") {
        Some((key, allowed)) => (key, allowed),
        None => (rest.split(',').next().unwrap_or(rest), ""),
    };
    let key = key.trim().trim_matches('`');
    let allowed: Vec<&str> = allowed
        .trim_start_matches("one of ")
        .split(',')
        .map(|a| a.trim().trim_matches('`'))
        .filter(|a| !a.is_empty())
        .collect();
    if allowed.is_empty() {
        return (format!("unknown key `{key}`: this table has no keys"), None);
    }
    let suggestion = crate::text::nearest(key, allowed.iter().copied());
    let message = match suggestion {
        Some(s) => format!("unknown key `{key}`; did you mean `{s}`?"),
        None => format!("unknown key `{key}`"),
    };
    (
        message,
        Some(format!(
            "the keys allowed here are {}",
            crate::text::one_of(&allowed).replace(" or ", " and ")
        )),
    )
}

/// An example value for a key, in TOML: `value` itself when known.
fn example(key: &str, value: Option<&str>) -> String {
    if let Some(v) = value {
        return format!("\"{}\"", v.replace('\\', "\\\\").replace('"', "\\\""));
    }
    let k = key.to_ascii_lowercase();
    let v = if k.contains("region") || k == "extra" {
        "us-east-1"
    } else if k.contains("account") || k.contains("registry") {
        "012345678901"
    } else if k == "files" || k.contains("exclude") {
        "legacy/**"
    } else if k.contains("fixable") {
        "ECR203"
    } else if k.contains("repositories") {
        "prod"
    } else {
        "..."
    };
    format!("\"{v}\"")
}

/// The key a value at `span` belongs to (the dotted key before `=`), and
/// whether the value is an item of a list (`key = [1, 2]`, over lines too).
fn key_of(text: &str, span: Span) -> Option<(String, bool)> {
    let start = span.start.min(text.len());
    // An unclosed `[` before the value, within the same key's value.
    let mut depth = 0usize;
    let mut list_start = None;
    for (i, c) in text[..start].char_indices().rev() {
        match c {
            ']' => depth += 1,
            '[' if depth == 0 => {
                list_start = Some(i);
                break;
            }
            '[' => depth -= 1,
            '=' if depth == 0 => break,
            _ => {}
        }
    }
    // A table header (`[policy]` at the start of a line) is not a list.
    let list_start =
        list_start.filter(|&i| text[..i].rfind('\n').map_or(0, |n| n + 1) != i || text[..i].trim_end().ends_with('='));
    let at = list_start.unwrap_or(start);
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let (key, _) = text.get(line_start..at)?.rsplit_once('=')?;
    let key = key.trim().trim_matches(['"', '\'']).trim();
    (!key.is_empty()).then(|| (key.to_string(), list_start.is_some()))
}

/// The nearest table header at or above `at`: `[policy]`, `[[overrides]]`.
fn header_above(text: &str, at: usize) -> Option<String> {
    let at = at.min(text.len());
    let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    text[..end]
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .map(|h| format!("`{}`", h.split('#').next().unwrap_or(h).trim()))
}

/// A configuration file's path as findings show paths: relative to the
/// current folder when it lies inside it, as written otherwise.
pub fn shown_path(path: &Path) -> PathBuf {
    let Ok(cwd) = std::env::current_dir() else {
        return path.to_path_buf();
    };
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match abs.strip_prefix(&cwd) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
        _ => path.to_path_buf(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn say(text: &str) -> (String, Option<String>) {
        let e = toml::from_str::<super::super::raw::RawConfig>(text)
            .err()
            .expect("a mistake");
        let span = e.span().map(|r| Span::new(r.start, r.end)).unwrap_or_default();
        plain(e.message(), text, span)
    }

    #[test]
    fn a_string_for_a_list_gets_the_list_it_should_be() {
        let (m, h) = say("[policy]\nallowed-regions = \"us-east-1\"\n");
        assert_eq!(
            m,
            "`allowed-regions` must be a list, such as `allowed-regions = [\"us-east-1\"]`, not text"
        );
        assert!(h.unwrap().contains("square brackets"));
        let (m, _) = say("[regions]\nextra = 5\n");
        assert_eq!(m, "`extra` must be a list, such as `extra = [\"5\"]`, not the number 5");
    }

    #[test]
    fn a_table_for_an_array_of_tables_says_to_double_the_brackets() {
        let (m, h) = say("[overrides]\nfiles = [\"legacy/**\"]\n");
        assert_eq!(
            m,
            "`[overrides]` is a single table: use `[[overrides]]`, an array of tables"
        );
        assert!(h.unwrap().contains("double brackets"));
        let (m, _) = say("[policy.required-destinations]\nregion = \"us-east-1\"\nregistry-id = \"012345678901\"\n");
        assert!(m.contains("use `[[policy.required-destinations]]`"), "{m}");
    }

    #[test]
    fn a_number_for_text_says_to_quote_it() {
        let (m, h) = say("[source]\nregion = 5\n");
        assert_eq!(m, "`region` must be text in quotes, not the number 5");
        assert_eq!(h.as_deref(), Some("write `region = \"us-east-1\"`"));
        let (m, h) = say("[source]\nregistry-id = 12345678901\n");
        assert!(m.contains("leading zeros"), "{m}");
        assert_eq!(h.as_deref(), Some("write `registry-id = \"12345678901\"`"));
    }

    #[test]
    fn an_unknown_key_gets_the_nearest_one() {
        let (m, h) = say("[polcy]\n");
        assert_eq!(m, "unknown key `polcy`; did you mean `policy`?");
        let h = h.unwrap();
        assert!(h.starts_with("the keys allowed here are `extend`"), "{h}");
        assert!(h.contains("`source`") && h.contains("`policy`"), "{h}");
        let (m, _) = say("[policy]\nallowed-region = [\"us-east-1\"]\n");
        assert_eq!(m, "unknown key `allowed-region`; did you mean `allowed-regions`?");
    }

    #[test]
    fn a_number_in_a_list_of_text_names_the_list() {
        let (m, h) = say("[policy]\nallowed-accounts = [\n  \"012345678901\",\n  210987654321,\n]\n");
        assert_eq!(
            m,
            "each item of `allowed-accounts` must be text in quotes, not the number 210987654321 (a number would lose an account ID's leading zeros)"
        );
        assert_eq!(
            h.as_deref(),
            Some("write each item in quotes, such as `allowed-accounts = [\"210987654321\"]`")
        );
    }

    #[test]
    fn a_level_that_is_not_text_lists_the_levels() {
        let (m, h) = say("[rules]\nECR310 = 0\n");
        assert_eq!(m, "the level of `ECR310` must be text in quotes, not the number 0");
        assert!(h.unwrap().contains("\"off\""));
    }

    #[test]
    fn a_missing_key_names_its_table() {
        let (m, h) = say("[[overrides]]\nrules = { ECR310 = \"off\" }\n");
        assert_eq!(m, "`[[overrides]]` needs the key `files`");
        assert_eq!(h.as_deref(), Some("add `files = [\"legacy/**\"]` to it"));
    }

    #[test]
    fn a_path_inside_the_current_folder_is_shown_relative() {
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(shown_path(&cwd.join("a/.ecrlint.toml")), Path::new("a/.ecrlint.toml"));
        assert_eq!(
            shown_path(Path::new("/elsewhere/.ecrlint.toml")),
            Path::new("/elsewhere/.ecrlint.toml")
        );
    }
}
