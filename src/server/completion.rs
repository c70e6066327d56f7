//! Completion: the keys allowed where the cursor is, in the document's
//! spelling (camelCase API payloads, PascalCase CloudFormation), the filter
//! type, and Region codes with their names (the source's partition first).
//!
//! While typing, the text rarely parses, so the place is read from the text
//! before the cursor: the open containers and their keys in JSON, the
//! indentation of the lines above in YAML.

use super::engine;
use super::position::{Encoding, LineIndex};
use super::DocView;
use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Position, TextEdit};

/// Where the cursor is: the keys of the enclosing objects (outermost
/// first), and whether a key or the value of which key is being typed.
#[derive(Debug, PartialEq, Eq)]
struct Place {
    enclosing: Vec<String>,
    at: At,
    /// Byte range the completion replaces (what is typed so far).
    typed: (usize, usize),
    /// JSON needs quotes around what is inserted outside a string.
    quote: bool,
    /// Keys the object already has before the cursor: not offered again.
    present: Vec<String>,
}

#[derive(Debug, PartialEq, Eq)]
enum At {
    Key,
    Value(String),
}

pub fn complete(doc: &DocView, position: Position, encoding: Encoding) -> Vec<CompletionItem> {
    let index = LineIndex::with_lines(&doc.text, &doc.lines, encoding);
    let offset = index.offset(position);
    let json = match doc.path.as_ref().and_then(|p| p.extension()).and_then(|e| e.to_str()) {
        Some("json") => true,
        Some("yaml" | "yml") => false,
        // Terraform: the key names are Terraform's, not the API's.
        Some(ext) if ext.eq_ignore_ascii_case("tf") => return Vec::new(),
        _ => doc.text.trim_start().starts_with(['{', '[']),
    };
    let place = if json {
        json_place(&doc.text, offset)
    } else {
        yaml_place(&doc.text, offset)
    };
    let Some(place) = place else { return Vec::new() };
    let cloudformation = is_cloudformation(&place.enclosing, &doc.text);
    let range = index.range(place.typed.0, place.typed.1);
    let item = |label: String, kind: CompletionItemKind, detail: Option<String>, sort: String, insert: String| {
        CompletionItem {
            label,
            kind: Some(kind),
            detail,
            sort_text: Some(sort),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, insert))),
            ..Default::default()
        }
    };
    match &place.at {
        At::Key => allowed_keys(&place.enclosing, cloudformation)
            .into_iter()
            .filter(|k| !place.present.iter().any(|p| p == k))
            .enumerate()
            .map(|(i, k)| {
                let insert = if place.quote {
                    format!("\"{k}\": ")
                } else {
                    k.to_string()
                };
                item(
                    k.to_string(),
                    CompletionItemKind::PROPERTY,
                    None,
                    format!("{i:03}"),
                    insert,
                )
            })
            .collect(),
        At::Value(key) => {
            let quoted = |v: &str| if place.quote { format!("\"{v}\"") } else { v.to_string() };
            match key.to_ascii_lowercase().as_str() {
                "filtertype" => engine::filter_types()
                    .into_iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let insert = quoted(&t);
                        item(t, CompletionItemKind::ENUM_MEMBER, None, format!("{i:03}"), insert)
                    })
                    .collect(),
                "region" => {
                    let first = doc
                        .settings
                        .source_region
                        .as_deref()
                        .and_then(engine::partition_of)
                        .unwrap_or_else(|| "aws".to_string());
                    engine::regions()
                        .into_iter()
                        .enumerate()
                        .map(|(i, r)| {
                            let rank = u8::from(r.partition != first);
                            let detail = format!("{} ({})", r.name, r.partition);
                            let insert = quoted(&r.code);
                            item(
                                r.code,
                                CompletionItemKind::VALUE,
                                Some(detail),
                                format!("{rank}{i:03}"),
                                insert,
                            )
                        })
                        .collect()
                }
                "type" if cloudformation => {
                    let t = "AWS::ECR::ReplicationConfiguration".to_string();
                    vec![item(
                        t.clone(),
                        CompletionItemKind::VALUE,
                        None,
                        "000".into(),
                        quoted(&t),
                    )]
                }
                _ => Vec::new(),
            }
        }
    }
}

/// PascalCase keys around the cursor, or a template's top-level words.
fn is_cloudformation(enclosing: &[String], text: &str) -> bool {
    match enclosing.last() {
        Some(k) => enclosing.iter().any(|k| k == "Resources" || k == "Properties") || k.starts_with(char::is_uppercase),
        None => text.contains("Resources") || text.contains("AWSTemplateFormatVersion"),
    }
}

fn allowed_keys(enclosing: &[String], cloudformation: bool) -> Vec<&'static str> {
    let k = engine::keys(cloudformation);
    let parent = enclosing.last().map(|s| s.to_ascii_lowercase());
    let grandparent = enclosing.len().checked_sub(2).map(|i| enclosing[i].as_str());
    match parent.as_deref() {
        None if cloudformation => vec!["Resources"],
        None => vec![k.rules, "replicationConfiguration"],
        Some("destinations") => vec![k.region, k.registry_id],
        Some("repositoryfilters") => vec![k.filter, k.filter_type],
        Some("rules") if cloudformation => vec![k.destinations, k.repository_filters],
        Some("rules") => vec![k.destinations, k.repository_filters, k.delete_replication],
        Some("deletereplication") => vec![k.enabled],
        Some("replicationconfiguration") => vec![k.rules],
        Some("properties") => vec!["ReplicationConfiguration"],
        Some(_) if grandparent == Some("Resources") => vec!["Type", "Properties"],
        Some(_) => Vec::new(),
    }
}

/// The place in JSON text: the containers open at `offset`.
fn json_place(text: &str, offset: usize) -> Option<Place> {
    struct Frame {
        object: bool,
        key: Option<String>,
        expect_key: bool,
        keys: Vec<String>,
    }
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    let mut string_start: Option<usize> = None;
    let mut last_string = String::new();
    let mut escaped = false;
    for (i, &b) in bytes.iter().enumerate() {
        if let Some(start) = string_start {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                last_string = text[start + 1..i].to_string();
                string_start = None;
            }
            continue;
        }
        match b {
            b'"' => string_start = Some(i),
            b'{' | b'[' => stack.push(Frame {
                object: b == b'{',
                key: None,
                expect_key: b == b'{',
                keys: Vec::new(),
            }),
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(top) = stack.last_mut().filter(|f| f.object) {
                    let key = std::mem::take(&mut last_string);
                    top.keys.push(key.clone());
                    top.key = Some(key);
                    top.expect_key = false;
                }
            }
            b',' => {
                if let Some(top) = stack.last_mut().filter(|f| f.object) {
                    top.expect_key = true;
                }
            }
            _ => {}
        }
    }
    let top = stack.last()?;
    let enclosing: Vec<String> = stack[..stack.len() - 1].iter().filter_map(|f| f.key.clone()).collect();
    let (typed, quote) = match string_start {
        Some(start) => ((start + 1, offset), false),
        None => ((offset, offset), true),
    };
    let at = if top.object && top.expect_key {
        At::Key
    } else if top.object {
        At::Value(top.key.clone()?)
    } else {
        return None;
    };
    Some(Place {
        enclosing,
        at,
        typed,
        quote,
        present: top.keys.clone(),
    })
}

/// A YAML line's key indentation (after any `- `), and the line from there.
fn yaml_line(line: &str) -> (usize, Option<usize>, &str) {
    let mut rest = line.trim_start_matches(' ');
    let mut dash = None;
    while let Some(after) = rest.strip_prefix("- ").or_else(|| (rest == "-").then_some("")) {
        dash.get_or_insert(line.len() - rest.len());
        rest = after.trim_start_matches(' ');
    }
    (line.len() - rest.len(), dash, rest)
}

/// The YAML key of a line (`Key:` or `Key: value`), unquoted.
fn yaml_key(rest: &str) -> Option<(&str, usize)> {
    let colon = rest.find(": ").or_else(|| rest.strip_suffix(':').map(|k| k.len()))?;
    let key = rest[..colon].trim();
    let key = key.trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && !key.starts_with('#')).then_some((key, colon))
}

fn yaml_place(text: &str, offset: usize) -> Option<Place> {
    let offset = offset.min(text.len());
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    let (indent, dash, rest) = yaml_line(line);
    let (at, typed) = match yaml_key(rest) {
        Some((key, colon)) => {
            let after = line_start + indent + colon + 1;
            let value = &text[after..offset];
            let start = after + (value.len() - value.trim_start_matches([' ', '"', '\'']).len());
            (At::Value(key.to_string()), (start, offset))
        }
        None if rest.contains(':') => return None,
        None => (At::Key, (line_start + indent, offset)),
    };
    // A parent's key starts left of this column.
    let mut limit = dash.unwrap_or(indent);
    let mut enclosing = Vec::new();
    let mut present = Vec::new();
    // Siblings are the keys at the cursor's indentation up to its item's
    // `- ` (or its parent).
    let mut siblings = dash.is_none();
    for above in text[..line_start].lines().rev() {
        if limit == 0 {
            break;
        }
        let (indent, dash, rest) = yaml_line(above);
        if siblings && enclosing.is_empty() && indent == limit {
            present.extend(yaml_key(rest).map(|(k, _)| k.to_string()));
            siblings = dash.is_none();
        }
        if rest.is_empty() || rest.starts_with('#') || indent >= limit {
            continue;
        }
        if let Some((key, _)) = yaml_key(rest) {
            enclosing.push(key.to_string());
        }
        limit = dash.unwrap_or(indent);
    }
    enclosing.reverse();
    Some(Place {
        enclosing,
        at,
        typed,
        quote: false,
        present,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_cursor(text: &str, json: bool) -> Place {
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        if json {
            json_place(&text, offset)
        } else {
            yaml_place(&text, offset)
        }
        .unwrap()
    }

    #[test]
    fn json_keys_and_values_by_their_containers() {
        let p = at_cursor(r#"{"rules": [{"destinations": [{"region": "us-east-1", "re|"#, true);
        assert_eq!(p.enclosing, ["rules", "destinations"]);
        assert_eq!(p.at, At::Key);
        assert!(!p.quote);
        assert_eq!(allowed_keys(&p.enclosing, false), ["region", "registryId"]);
        assert_eq!(p.present, ["region"]);
        let p = at_cursor(r#"{"rules": [{"repositoryFilters": [{"filterType": |"#, true);
        assert_eq!(p.at, At::Value("filterType".into()));
        assert!(p.quote);
        let p = at_cursor(r#"{"replicationConfiguration": {|}}"#, true);
        assert_eq!(allowed_keys(&p.enclosing, false), ["rules"]);
    }

    #[test]
    fn yaml_keys_by_indentation() {
        let template = "Resources:\n  Repl:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: us-west-2\n                Reg|\n";
        let p = at_cursor(template, false);
        assert_eq!(
            p.enclosing,
            [
                "Resources",
                "Repl",
                "Properties",
                "ReplicationConfiguration",
                "Rules",
                "Destinations"
            ]
        );
        assert_eq!(p.at, At::Key);
        assert_eq!(allowed_keys(&p.enclosing, true), ["Region", "RegistryId"]);
        let p = at_cursor("Resources:\n  Repl:\n    Prop|", false);
        assert_eq!(allowed_keys(&p.enclosing, true), ["Type", "Properties"]);
        // Keys the object has already are not offered again.
        let p = at_cursor("rules:\n  - destinations:\n      - region: us-east-1\n        |", false);
        assert_eq!(p.present, ["region"]);
        let p = at_cursor("rules:\n  - destinations:\n      - region: us-east-1\n      - |", false);
        assert_eq!(p.present, Vec::<String>::new());
        let p = at_cursor("rules:\n  - repositoryFilters:\n      - filterType: PRE|", false);
        assert_eq!(p.enclosing, ["rules", "repositoryFilters"]);
        assert_eq!(p.at, At::Value("filterType".into()));
    }
}
