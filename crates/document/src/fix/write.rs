//! Edits written in the file's own style: a scalar quoted as JSON or YAML
//! wants (keeping the quotes it had), a key renamed inside its quotes, and a
//! list item or object member removed with its comma or its lines, so that
//! what remains is still valid JSON or YAML.

use super::Edit;
use crate::syntax::{Node, NodeKind, SourceFormat, Span};

/// `value` as a scalar in `format`, quoted as `original` (the text it
/// replaces) was: JSON always double-quotes; YAML keeps single quotes,
/// double quotes, or plain style when the plain text reads back as the same
/// string (never as a number, boolean or null) where the original stood,
/// else double-quotes.
pub fn scalar(format: SourceFormat, original: &str, value: &str) -> String {
    let double = || serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\""));
    match format {
        SourceFormat::Json => double(),
        SourceFormat::Yaml if original.starts_with('\'') => format!("'{}'", value.replace('\'', "''")),
        SourceFormat::Yaml if original.starts_with('"') => double(),
        SourceFormat::Yaml if plain_is_safe(value, original) => value.to_string(),
        SourceFormat::Yaml => double(),
        SourceFormat::Hcl => hcl_string(value),
    }
}

/// `value` as an HCL quoted string: JSON's escapes (HCL reads them all),
/// and the template markers `${`/`%{` escaped as `$${`/`%%{`.
fn hcl_string(value: &str) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| format!("\"{value}\""))
        .replace("${", "$${")
        .replace("%{", "%%{")
}

/// `value` always as a string scalar: a number turned into text is quoted
/// in either format.
pub fn string(format: SourceFormat, original: &str, value: &str) -> String {
    match format {
        SourceFormat::Yaml if original.starts_with('\'') => format!("'{}'", value.replace('\'', "''")),
        SourceFormat::Hcl => hcl_string(value),
        _ => serde_json::to_string(value).unwrap_or_else(|_| format!("\"{value}\"")),
    }
}

/// Whether `value` written plain in YAML, in place of the plain scalar
/// `original`, reads back as that string: a conservative character set, and
/// our own YAML reader agrees. A colon inside (a type token,
/// `aws:ecr:ReplicationConfiguration`) only where the original had one
/// inside too: the place reads such a plain scalar (a flow collection in
/// YAML 1.1 may not), and never last, where it would end a key.
fn plain_is_safe(value: &str, original: &str) -> bool {
    let inner_colon = |s: &str| s.trim_end_matches(':').contains(':');
    let colon_ok = inner_colon(original) && !value.ends_with(':');
    let simple = value.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/') || (c == ':' && colon_ok));
    // A number to any YAML reader (1.2 reads `1e5` as one, 1.1 does not).
    let numeric = value.replace('_', "").parse::<f64>().is_ok()
        || ["0x", "0o", "0b"]
            .iter()
            .any(|p| value.to_ascii_lowercase().starts_with(p));
    simple
        && !numeric
        && crate::syntax::yaml::parse(value.as_bytes())
            .is_ok_and(|n| matches!(&n.kind, NodeKind::String(s) if s == value))
}

/// A scalar's text written by [`scalar`] for one place (`content`),
/// written again in the style of the scalar `original` (a fix made at a
/// use, `${region}`, moved to the value it reads, `default: "eu-wst-1"`).
/// JSON and HCL write every string alike: their content is kept.
pub fn restyle(format: SourceFormat, content: &str, original: &str) -> String {
    if format != SourceFormat::Yaml {
        return content.to_string();
    }
    let value = if content.starts_with('"') {
        serde_json::from_str::<String>(content).ok()
    } else if let Some(inner) = content.strip_prefix('\'').and_then(|c| c.strip_suffix('\'')) {
        Some(inner.replace("''", "'"))
    } else {
        Some(content.to_string())
    };
    match value {
        Some(value) => scalar(format, original, &value),
        None => content.to_string(),
    }
}

/// Replaces the scalar at `span` of `text` with `value`, in the file's style.
pub fn replace_scalar(format: SourceFormat, text: &str, span: Span, value: &str) -> Option<Edit> {
    let original = text.get(span.start..span.end)?;
    Some(Edit::replace(span, scalar(format, original, value)))
}

/// Renames the key at `span` to `name`, keeping its quotes (a key with
/// escapes or odd quoting gets no edit).
/// `from` is the key as parsed: a span that does not hold exactly it (an
/// escape, a character the parser dropped) gets no edit.
pub fn rename_key(text: &str, span: Span, from: &str, name: &str) -> Option<Edit> {
    let original = text.get(span.start..span.end)?;
    let inner = match original.as_bytes().first()? {
        b'"' | b'\'' if original.len() >= 2 && original.ends_with(&original[..1]) => {
            Span::new(span.start + 1, span.end - 1)
        }
        b'"' | b'\'' => return None,
        _ => span,
    };
    let body = &text[inner.start..inner.end];
    if body != from
        || body.contains(['\\', '"', '\''])
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '_')
    {
        return None;
    }
    Some(Edit::replace(inner, name))
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at].rfind('\n').map_or(0, |i| i + 1)
}

fn next_line_start(text: &str, at: usize) -> usize {
    text[at..].find('\n').map_or(text.len(), |i| at + i + 1)
}

/// Whether `text[from..to]` is blanks only.
fn blank(text: &str, from: usize, to: usize) -> bool {
    text.get(from..to)
        .is_some_and(|s| s.chars().all(|c| c == ' ' || c == '\t'))
}

/// Whether the collection at `span` is written in flow style (`[...]`, `{...}`).
fn is_flow(text: &str, span: Span) -> bool {
    matches!(text.as_bytes().get(span.start), Some(b'[' | b'{'))
}

/// Removes part `i` of a comma-separated collection of `len` parts, part
/// `k` covering `span_of(k)`: with the comma and blanks after it, or, for
/// the last, the comma before. It looks at its neighbours only, so a fix
/// for each of many items costs time in proportion to their number.
fn remove_separated(len: usize, span_of: impl Fn(usize) -> Span, i: usize) -> Option<Edit> {
    remove_separated_runs(len, span_of, &[i])?.pop()
}

/// Removes the lines from `start`'s line to the end of `end`'s line, when
/// nothing but `lead` (a `- ` item marker, or nothing) and blanks is before
/// `start` on its line and nothing but blanks or a comment after `end` on its.
fn remove_lines(text: &str, start: usize, end: usize, item_marker: bool) -> Option<Edit> {
    let from = line_start(text, start);
    let before = text.get(from..start)?;
    let lead_ok = if item_marker {
        let t = before.trim_start_matches([' ', '\t']);
        t.strip_prefix('-')
            .is_some_and(|rest| rest.chars().all(|c| c == ' ' || c == '\t'))
            && before.matches('-').count() == 1
    } else {
        before.chars().all(|c| c == ' ' || c == '\t')
    };
    let to = next_line_start(text, end);
    let after = text
        .get(end..to)?
        .trim_end_matches(['\n', '\r'])
        .trim_start_matches([' ', '\t']);
    (lead_ok && (after.is_empty() || after.starts_with('#'))).then(|| Edit::delete(Span::new(from, to)))
}

/// Removes item `i` of the array `list`: in JSON and YAML flow style with
/// its comma, in YAML block style with its whole line(s); in HCL, a tuple's
/// item with its comma, a block with its whole lines.
pub fn remove_item(format: SourceFormat, text: &str, list: &Node, i: usize) -> Option<Edit> {
    let items = list.as_array()?;
    let item = items.get(i)?;
    if format == SourceFormat::Hcl {
        // A tuple (`[a, b]`) is comma-separated.
        if text.get(list.span.start..)?.starts_with('[') {
            return remove_separated(items.len(), |k| items[k].span, i);
        }
        // A block (`destination { … }`; the item is its body) alone on its
        // lines, with no labels.
        let from = line_start(text, item.span.start);
        let head = text.get(from..item.span.start)?;
        let ident = head.trim();
        let plain = ident
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && ident.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
        if !plain || !text.get(item.span.start..)?.starts_with('{') {
            return None;
        }
        let start = from + (head.len() - head.trim_start().len());
        return remove_lines(text, start, item.span.end, false);
    }
    if format == SourceFormat::Json || is_flow(text, list.span) {
        return remove_separated(items.len(), |k| items[k].span, i);
    }
    remove_lines(text, item.span.start, item.span.end, true)
}

/// Removes member `i` of the object `object`, key and value.
pub fn remove_member(format: SourceFormat, text: &str, object: &Node, i: usize) -> Option<Edit> {
    remove_members(format, text, object, &[i])?.pop()
}

/// Removes the members at `indices` (ascending) of the object `object`, as
/// edits that do not overlap one another (one fix); none unless every one
/// of them can be removed.
pub fn remove_members(format: SourceFormat, text: &str, object: &Node, indices: &[usize]) -> Option<Vec<Edit>> {
    let members = object.as_object()?;
    if indices.is_empty() || indices.iter().any(|&i| i >= members.len()) {
        return None;
    }
    if format == SourceFormat::Json || (format == SourceFormat::Yaml && is_flow(text, object.span)) {
        let span_of = |k: usize| Span::new(members[k].key_span.start, members[k].value.span.end);
        return remove_separated_runs(members.len(), span_of, indices);
    }
    indices
        .iter()
        .map(|&i| {
            let m = &members[i];
            if format == SourceFormat::Hcl {
                // An attribute (`key = value`) alone on its lines; never a
                // group of blocks, whose span may hold other members.
                let between = text.get(m.key_span.end..m.value.span.start)?.trim();
                if between != "=" || !blank(text, line_start(text, m.key_span.start), m.key_span.start) {
                    return None;
                }
                return remove_lines(text, m.key_span.start, m.value.span.end, false);
            }
            // A block mapping that is an item (`- Key: v`) starts on the marker's line.
            if !blank(text, line_start(text, m.key_span.start), m.key_span.start) {
                return None;
            }
            remove_lines(text, m.key_span.start, m.value.span.end.max(m.key_span.end), false)
        })
        .collect()
}

/// Deletes the items at `indices` (ascending) of a comma-separated list of
/// `len` items, item `k` spanning `span_of(k)`: each run of neighbours with
/// the separator before the next item kept, or, for a run at the end, after
/// the last item kept; so no two deletions overlap.
fn remove_separated_runs(len: usize, span_of: impl Fn(usize) -> Span, indices: &[usize]) -> Option<Vec<Edit>> {
    if indices.iter().any(|&i| i >= len) {
        return None;
    }
    let mut edits = Vec::new();
    let mut k = 0;
    while k < indices.len() {
        let first = indices[k];
        let mut last = first;
        while k + 1 < indices.len() && indices[k + 1] == last + 1 {
            k += 1;
            last += 1;
        }
        k += 1;
        let next = (last + 1 < len).then(|| span_of(last + 1));
        let span = match (next, first.checked_sub(1).map(&span_of)) {
            (Some(next), _) => Span::new(span_of(first).start, next.start),
            (None, Some(prev)) => Span::new(prev.end, span_of(last).end),
            (None, None) => Span::new(span_of(first).start, span_of(last).end),
        };
        edits.push(Edit::delete(span));
    }
    Some(edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{json, yaml};

    #[test]
    fn scalars_keep_their_quotes() {
        use SourceFormat::*;
        assert_eq!(scalar(Json, "\"PREFIX\"", "PREFIX_MATCH"), "\"PREFIX_MATCH\"");
        assert_eq!(scalar(Yaml, "'PREFIX'", "PREFIX_MATCH"), "'PREFIX_MATCH'");
        assert_eq!(scalar(Yaml, "\"PREFIX\"", "PREFIX_MATCH"), "\"PREFIX_MATCH\"");
        assert_eq!(scalar(Yaml, "PREFIX", "PREFIX_MATCH"), "PREFIX_MATCH");
        assert_eq!(scalar(Yaml, "Yes", "yes"), "\"yes\"");
        assert_eq!(scalar(Yaml, "x", "1e5"), "\"1e5\"");
        assert_eq!(scalar(Yaml, "x", "a: b"), "\"a: b\"");
        assert_eq!(scalar(Yaml, "'x'", "it's"), "'it''s'");
        // A plain type token stays plain where the one it replaces was.
        assert_eq!(
            scalar(Yaml, "aws:ecr:ReplicationConfig", "aws:ecr:ReplicationConfiguration"),
            "aws:ecr:ReplicationConfiguration"
        );
        assert_eq!(
            scalar(
                Yaml,
                "AWS::ECR::ReplicationConfig",
                "AWS::ECR::ReplicationConfiguration"
            ),
            "AWS::ECR::ReplicationConfiguration"
        );
        // A colon where the original had none may end a key or start a flow mapping's value.
        assert_eq!(scalar(Yaml, "prod", "prod:x"), "\"prod:x\"");
        assert_eq!(scalar(Yaml, "a:b", "a:"), "\"a:\"");
        // Content written for one scalar, restyled for another.
        assert_eq!(restyle(Yaml, "eu-west-1", "\"eu-wst-1\""), "\"eu-west-1\"");
        assert_eq!(restyle(Yaml, "eu-west-1", "'eu-wst-1'"), "'eu-west-1'");
        assert_eq!(restyle(Yaml, "\"eu-west-1\"", "eu-wst-1"), "eu-west-1");
        assert_eq!(restyle(Yaml, "'it''s'", "\"x\""), "\"it's\"");
        assert_eq!(restyle(Json, "\"eu-west-1\"", "\"x\""), "\"eu-west-1\"");
        assert_eq!(string(Yaml, "111122223333", "111122223333"), "\"111122223333\"");
    }

    #[test]
    fn members_removed_together_leave_valid_json() {
        let cases = [
            (r#"{"a": 1, "b": 2, "a": 3}"#, "a", r#"{"b": 2}"#),
            (r#"{"b": 2, "a": 1, "a": 3}"#, "a", r#"{"b": 2}"#),
            (r#"{"a": 1, "a": 3, "b": 2}"#, "a", r#"{"b": 2}"#),
            (r#"{"a": 1, "a": 3}"#, "a", r#"{}"#),
            (r#"{"a": 1, "b": 2, "a": 3, "c": 4}"#, "a", r#"{"b": 2, "c": 4}"#),
        ];
        for (text, key, expected) in cases {
            let root = json::parse(text.as_bytes()).unwrap();
            let members = root.as_object().unwrap();
            let indices: Vec<usize> = (0..members.len()).filter(|&i| members[i].key == key).collect();
            let edits = remove_members(SourceFormat::Json, text, &root, &indices).unwrap();
            let fix = crate::fix::Fix::safe("t", edits);
            assert!(fix.edits.windows(2).all(|w| w[0].span.end <= w[1].span.start), "{text}");
            let mut out = text.to_string();
            for e in fix.edits.iter().rev() {
                out.replace_range(e.span.start..e.span.end, &e.content);
            }
            assert_eq!(out, expected, "{text}");
        }
    }

    #[test]
    fn keys_are_renamed_inside_their_quotes() {
        let text = r#"{"destination": 1}"#;
        let e = rename_key(text, Span::new(1, 14), "destination", "destinations").unwrap();
        // A span that does not hold the key as parsed (the fuzzer found YAML
        // keys whose span stops before control characters) gets no edit.
        assert_eq!(
            rename_key("rules\u{b}: 1", Span::new(0, 5), "rules\u{b}", "rules"),
            None
        );
        assert_eq!(e.span, Span::new(2, 13));
        assert_eq!(
            rename_key("destination: 1", Span::new(0, 11), "destination", "destinations")
                .unwrap()
                .span,
            Span::new(0, 11)
        );
    }

    fn apply(text: &str, e: Edit) -> String {
        let f = super::super::Fix::safe("t", vec![e]);
        super::super::apply(text, &[&f]).0
    }

    #[test]
    fn json_items_go_with_their_comma() {
        let text = "[1, 2, 3]";
        let root = json::parse(text.as_bytes()).unwrap();
        let f = |i| apply(text, remove_item(SourceFormat::Json, text, &root, i).unwrap());
        assert_eq!((f(0), f(1), f(2)), ("[2, 3]".into(), "[1, 3]".into(), "[1, 2]".into()));
    }

    #[test]
    fn yaml_block_items_go_with_their_lines() {
        let text = "a:\r\n  - x: 1\r\n    y: 2\r\n  - x: 3 # c\r\nb: 1\r\n";
        let root = yaml::parse(text.as_bytes()).unwrap();
        let list = &root.get("a").unwrap().value;
        let f = |i| apply(text, remove_item(SourceFormat::Yaml, text, list, i).unwrap());
        assert_eq!(f(0), "a:\r\n  - x: 3 # c\r\nb: 1\r\n");
        assert_eq!(f(1), "a:\r\n  - x: 1\r\n    y: 2\r\nb: 1\r\n");
        let flow = "a: [x, y]\n";
        let root = yaml::parse(flow.as_bytes()).unwrap();
        let list = &root.get("a").unwrap().value;
        assert_eq!(
            apply(flow, remove_item(SourceFormat::Yaml, flow, list, 1).unwrap()),
            "a: [x]\n"
        );
    }

    #[test]
    fn members_go_with_their_comma_or_lines() {
        let text = "{\n  \"a\": 1,\n  \"b\": 2\n}";
        let root = json::parse(text.as_bytes()).unwrap();
        assert_eq!(
            apply(text, remove_member(SourceFormat::Json, text, &root, 1).unwrap()),
            "{\n  \"a\": 1\n}"
        );
        let text = "P:\n  A: 1\n  B:\n    - x\n  C: 3\n";
        let root = yaml::parse(text.as_bytes()).unwrap();
        let p = &root.get("P").unwrap().value;
        assert_eq!(
            apply(text, remove_member(SourceFormat::Yaml, text, p, 1).unwrap()),
            "P:\n  A: 1\n  C: 3\n"
        );
    }

    #[test]
    fn hcl_blocks_go_with_their_lines_tuple_items_with_their_comma() {
        use crate::syntax::hcl;
        let text = "r {\n  d {\n    a = 1\n  }\n  f {\n    x = 1\n  }\n  d {\n    a = 2\n  }\n}\n";
        let root = hcl::parse(text.as_bytes()).unwrap();
        let d = &root.get("r").unwrap().value.as_array().unwrap()[0]
            .get("d")
            .unwrap()
            .value;
        assert_eq!(
            apply(text, remove_item(SourceFormat::Hcl, text, d, 1).unwrap()),
            "r {\n  d {\n    a = 1\n  }\n  f {\n    x = 1\n  }\n}\n"
        );
        assert_eq!(
            apply(text, remove_item(SourceFormat::Hcl, text, d, 0).unwrap()),
            "r {\n  f {\n    x = 1\n  }\n  d {\n    a = 2\n  }\n}\n"
        );
        // A block sharing its line with another is left alone.
        let text = "d { a = 1 }\nd { a = 2 } # c\nx = 1 d { a = 3 }\n";
        if let Ok(root) = hcl::parse(text.as_bytes()) {
            let d = &root.get("d").unwrap().value;
            assert_eq!(remove_item(SourceFormat::Hcl, text, d, 2), None);
        }
        let text = "t = [{ a = 1 }, { a = 2 }]\n";
        let root = hcl::parse(text.as_bytes()).unwrap();
        let t = &root.get("t").unwrap().value;
        assert_eq!(
            apply(text, remove_item(SourceFormat::Hcl, text, t, 0).unwrap()),
            "t = [{ a = 2 }]\n"
        );
        // An attribute alone on its line; never a group of blocks.
        let text = "b {\n  x = 1\n  y = \"2\"\n}\n";
        let root = hcl::parse(text.as_bytes()).unwrap();
        let body = &root.get("b").unwrap().value.as_array().unwrap()[0];
        assert_eq!(
            apply(text, remove_member(SourceFormat::Hcl, text, body, 0).unwrap()),
            "b {\n  y = \"2\"\n}\n"
        );
        assert_eq!(remove_member(SourceFormat::Hcl, text, &root, 0), None);
        assert_eq!(scalar(SourceFormat::Hcl, "\"x\"", "a${b}\"c"), "\"a$${b}\\\"c\"");
    }
}
