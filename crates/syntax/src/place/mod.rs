//! Where a cursor is in a document being typed: the keys that lead to it
//! and whether a key or a value is being written. A half-typed document
//! rarely parses, so each notation has a tolerant scanner of the text
//! before the cursor: the open containers and their keys in JSON, the
//! indentation of the lines above in YAML, the open blocks and brackets in
//! HCL ([`hcl`]).

pub mod hcl;

/// The place of a cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Place {
    /// The objects (HCL bodies) open at the cursor, outermost first.
    pub frames: Vec<Frame>,
    pub at: At,
    /// Byte range the completion replaces (what is typed so far).
    pub typed: (usize, usize),
    /// What is inserted needs quotes: the cursor is not inside a string
    /// (JSON keys and values, HCL values).
    pub quote: bool,
    /// The cursor is in an HCL body, where an object-valued key is a block
    /// (`rule {`), not an argument (`region =`).
    pub block_body: bool,
}

/// An object open at the cursor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// The path steps that lead from the enclosing frame to this one: the
    /// key it is the value of (or an item of), or an HCL block's type and
    /// labels. Empty for the root.
    pub steps: Vec<String>,
    /// Its keys before the cursor, each with its value when that is a
    /// scalar written on the key's line.
    pub members: Vec<(String, Option<String>)>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum At {
    /// A key of the innermost frame (in YAML, after `- `, possibly an item
    /// of a list of scalars).
    #[default]
    Key,
    /// The value of this key of the innermost frame, or an item of its list.
    Value(String),
}

impl Place {
    /// The keys from the root to the innermost frame.
    pub fn path(&self) -> Vec<&str> {
        self.frames
            .iter()
            .flat_map(|f| f.steps.iter().map(String::as_str))
            .collect()
    }

    /// The keys the innermost frame has before the cursor.
    pub fn present(&self) -> Vec<&str> {
        self.frames
            .last()
            .map(|f| f.members.iter().map(|(k, _)| k.as_str()).collect())
            .unwrap_or_default()
    }

    /// The scalar value of `key` in the frame that `depth` path steps lead
    /// to (a CloudFormation resource's `Type`).
    pub fn scalar_at(&self, depth: usize, key: &str) -> Option<&str> {
        let mut steps = 0;
        for frame in &self.frames {
            steps += frame.steps.len();
            if steps == depth {
                return frame
                    .members
                    .iter()
                    .find(|(k, _)| k == key)
                    .and_then(|(_, v)| v.as_deref());
            }
            if steps > depth {
                break;
            }
        }
        None
    }
}

/// The end of the key the cursor is in (a key under a hover), from the
/// start of what is typed: keys are words (`registry_id`, `Fn::If` aside).
pub fn word_end(text: &str, from: usize) -> usize {
    let rest = &text[from.min(text.len())..];
    from + rest
        .find(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '-')))
        .unwrap_or(rest.len())
}

/// Where a word being typed outside a string starts.
fn word_start(text: &str, offset: usize) -> usize {
    text[..offset]
        .char_indices()
        .rfind(|(_, c)| !(c.is_alphanumeric() || matches!(c, '_' | '-' | ':' | '.')))
        .map_or(0, |(i, c)| i + c.len_utf8())
}

/// The place in JSON text: the containers open at `offset`. `None` at the
/// top level or in a list of lists.
pub fn json(text: &str, offset: usize) -> Option<Place> {
    struct Open {
        object: bool,
        /// The key whose value this container is (an array's items inherit it).
        name: Option<String>,
        /// The member being written (objects).
        key: Option<String>,
        expect_key: bool,
        members: Vec<(String, Option<String>)>,
    }
    let offset = offset.min(text.len());
    let bytes = &text.as_bytes()[..offset];
    let mut stack: Vec<Open> = Vec::new();
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
                // A string value: the member's scalar.
                if let Some(top) = stack.last_mut().filter(|f| f.object && !f.expect_key) {
                    if let Some(member) = top.members.last_mut() {
                        member.1 = Some(last_string.clone());
                    }
                }
            }
            continue;
        }
        match b {
            b'"' => string_start = Some(i),
            b'{' | b'[' => {
                let name = match stack.last() {
                    Some(parent) if parent.object => parent.key.clone(),
                    Some(parent) => parent.name.clone(),
                    None => None,
                };
                stack.push(Open {
                    object: b == b'{',
                    name,
                    key: None,
                    expect_key: b == b'{',
                    members: Vec::new(),
                });
            }
            b'}' | b']' => {
                stack.pop();
            }
            b':' => {
                if let Some(top) = stack.last_mut().filter(|f| f.object) {
                    let key = std::mem::take(&mut last_string);
                    top.members.push((key.clone(), None));
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
    let (typed, quote) = match string_start {
        Some(start) => ((start + 1, offset), false),
        None => ((word_start(text, offset), offset), true),
    };
    let at = if top.object && top.expect_key {
        At::Key
    } else if top.object {
        At::Value(top.key.clone()?)
    } else {
        At::Value(top.name.clone()?)
    };
    let frames = stack
        .iter()
        .enumerate()
        .filter(|(_, f)| f.object)
        .map(|(i, f)| Frame {
            steps: if i == 0 {
                Vec::new()
            } else {
                f.name.iter().cloned().collect()
            },
            members: f.members.clone(),
        })
        .collect();
    Some(Place {
        frames,
        at,
        typed,
        quote,
        block_body: false,
    })
}

/// A YAML line's key indentation (after any `- `), the column of its first
/// `- `, and the line from its key.
fn yaml_line(line: &str) -> (usize, Option<usize>, &str) {
    let mut rest = line.trim_start_matches(' ');
    let mut dash = None;
    while let Some(after) = rest.strip_prefix("- ").or_else(|| (rest == "-").then_some("")) {
        dash.get_or_insert(line.len() - rest.len());
        rest = after.trim_start_matches(' ');
    }
    (line.len() - rest.len(), dash, rest)
}

/// The YAML key of a line (`Key:` or `Key: value`), unquoted, and where its
/// colon is.
fn yaml_key(rest: &str) -> Option<(&str, usize)> {
    let colon = rest.find(": ").or_else(|| rest.strip_suffix(':').map(|k| k.len()))?;
    let key = rest[..colon].trim();
    let key = key.trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && !key.starts_with('#')).then_some((key, colon))
}

/// A key's scalar on its line (`Type: AWS::ECR::…`), unquoted.
fn yaml_scalar(rest: &str, colon: usize) -> Option<String> {
    let value = rest[colon + 1..].trim();
    let value = value.split(" #").next().unwrap_or_default().trim();
    let value = value.trim_matches(|c| c == '"' || c == '\'');
    (!value.is_empty() && !value.starts_with(['{', '[', '|', '>', '&', '*'])).then(|| value.to_string())
}

/// The place in YAML text, read from the indentation of the lines above.
pub fn yaml(text: &str, offset: usize) -> Option<Place> {
    let offset = offset.min(text.len());
    // Lines end at `\n`, `\r\n` or a lone `\r` (YAML's line breaks, and
    // the editor's): read up to `\n` alone, a file with lone `\r` line ends
    // was one line, and what was typed reached over every line break.
    let line_start = text[..offset].rfind(['\n', '\r']).map_or(0, |i| i + 1);
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
    // The innermost frame's keys are at `key_col`; its parent's key starts
    // left of `limit` (the item's `- ` when the frame is a list item).
    let mut key_col = indent;
    let mut limit = dash.unwrap_or(indent);
    let mut item = dash.is_some();
    // Siblings are the keys at `key_col` up to the item's `- ` (or the parent).
    let mut siblings = dash.is_none();
    let mut frames: Vec<Frame> = Vec::new();
    let mut current = Frame::default();
    for above in text[..line_start].split(['\n', '\r']).rev() {
        let (i, d, r) = yaml_line(above);
        if r.is_empty() || r.starts_with('#') {
            continue;
        }
        if siblings && i == key_col {
            if let Some((key, colon)) = yaml_key(r) {
                current.members.push((key.to_string(), yaml_scalar(r, colon)));
            }
            siblings = d.is_none();
            continue;
        }
        // A list may sit at its key's column (`Rules:` over `- Destinations:`).
        let parent = i < limit || (item && i == limit && d.is_none());
        if !parent {
            continue;
        }
        let Some((key, colon)) = yaml_key(r) else {
            break;
        };
        current.steps = vec![key.to_string()];
        frames.push(std::mem::take(&mut current));
        current.members.push((key.to_string(), yaml_scalar(r, colon)));
        key_col = i;
        limit = d.unwrap_or(i);
        item = d.is_some();
        siblings = d.is_none();
    }
    frames.push(current);
    frames.reverse();
    for f in &mut frames {
        f.members.reverse();
    }
    Some(Place {
        frames,
        at,
        typed,
        quote: false,
        block_body: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_cursor(text: &str, read: fn(&str, usize) -> Option<Place>) -> Place {
        let offset = text.find('|').unwrap();
        let text = text.replace('|', "");
        read(&text, offset).unwrap()
    }

    #[test]
    fn json_keys_and_values_by_their_containers() {
        let p = at_cursor(r#"{"rules": [{"destinations": [{"region": "us-east-1", "re|"#, json);
        assert_eq!(p.path(), ["rules", "destinations"]);
        assert_eq!(p.at, At::Key);
        assert!(!p.quote);
        assert_eq!(p.present(), ["region"]);
        assert_eq!(
            p.frames[2].members,
            [("region".to_string(), Some("us-east-1".to_string()))]
        );
        let p = at_cursor(r#"{"rules": [{"repositoryFilters": [{"filterType": |"#, json);
        assert_eq!(p.at, At::Value("filterType".into()));
        assert!(p.quote);
        // A bare word typed outside quotes is replaced whole.
        let p = at_cursor(r#"{"rules": [{"repositoryFilters": [{"filterType": PRE|"#, json);
        assert_eq!(p.typed, (49, 52));
        // A list's items are values of its key.
        let p = at_cursor(r#"{"appliedFor": ["REPLICATION", |"#, json);
        assert_eq!(p.at, At::Value("appliedFor".into()));
        assert_eq!(p.path(), Vec::<&str>::new());
        let p = at_cursor(
            r#"{"Resources": {"R": {"Type": "AWS::ECR::RegistryPolicy", "Properties": {|"#,
            json,
        );
        assert_eq!(p.path(), ["Resources", "R", "Properties"]);
        assert_eq!(p.scalar_at(2, "Type"), Some("AWS::ECR::RegistryPolicy"));
    }

    #[test]
    fn yaml_keys_by_indentation() {
        let template = "Resources:\n  Repl:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: us-west-2\n                Reg|\n";
        let p = at_cursor(template, yaml);
        assert_eq!(
            p.path(),
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
        assert_eq!(p.present(), ["Region"]);
        assert_eq!(p.scalar_at(2, "Type"), Some("AWS::ECR::ReplicationConfiguration"));
        let p = at_cursor("Resources:\n  Repl:\n    Prop|", yaml);
        assert_eq!(p.path(), ["Resources", "Repl"]);
        // Keys the object has already are not offered again.
        let p = at_cursor("rules:\n  - destinations:\n      - region: us-east-1\n        |", yaml);
        assert_eq!(p.present(), ["region"]);
        let p = at_cursor("rules:\n  - destinations:\n      - region: us-east-1\n      - |", yaml);
        assert_eq!(p.present(), Vec::<&str>::new());
        let p = at_cursor("rules:\n  - repositoryFilters:\n      - filterType: PRE|", yaml);
        assert_eq!(p.path(), ["rules", "repositoryFilters"]);
        assert_eq!(p.at, At::Value("filterType".into()));
        assert_eq!(p.typed, (50, 53));
        // A list at its key's column.
        let p = at_cursor("rules:\n- destinations:\n  - region: us-east-1\n    |", yaml);
        assert_eq!(p.path(), ["rules", "destinations"]);
        assert_eq!(p.present(), ["region"]);
    }
}
