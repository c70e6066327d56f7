//! The place of a cursor in HCL text being typed (Terraform's `.tf`): the
//! blocks open before it (`resource "aws_ecr_replication_configuration"
//! "x" {` gives the steps `resource`, the type and the name, as Terraform's
//! JSON syntax nests them), the object expressions (`jsonencode({`) and
//! lists, read past strings, heredocs and comments.

use super::{word_start, At, Frame, Place};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A block's body (or the file): `name = value` arguments and blocks.
    Body,
    /// An object expression: `key = value` or `key: value` items.
    Object,
    /// A list; its items are values of the key it belongs to.
    List,
    /// A function call's arguments (`jsonencode(`): transparent.
    Call,
}

struct Open {
    kind: Kind,
    frame: Frame,
    /// The words of the statement being read (a block's type and labels,
    /// or an argument's name) since the last newline or comma.
    words: Vec<String>,
    /// The argument whose value is being read, once its `=` (`:`) is seen.
    argument: Option<String>,
    /// The key a list's items belong to.
    list_of: Option<String>,
}

impl Open {
    fn new(kind: Kind, steps: Vec<String>) -> Open {
        Open {
            kind,
            frame: Frame {
                steps,
                members: Vec::new(),
            },
            words: Vec::new(),
            argument: None,
            list_of: None,
        }
    }

    fn end_statement(&mut self) {
        self.words.clear();
        self.argument = None;
    }
}

/// What the text before the cursor ends in.
enum Tail {
    Nothing,
    /// Inside a string opened at this byte.
    String(usize),
}

/// The place at `offset` in HCL text; `None` in a block's header, a
/// function call's arguments, or a heredoc.
pub fn place(text: &str, offset: usize) -> Option<Place> {
    let offset = offset.min(text.len());
    let bytes = &text.as_bytes()[..offset];
    let mut stack = vec![Open::new(Kind::Body, Vec::new())];
    let mut i = 0;
    let mut tail = Tail::Nothing;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'#' => i = skip_line(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'/') => i = skip_line(bytes, i),
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                match text[i + 2..offset].find("*/") {
                    Some(end) => i += end + 4,
                    None => return None,
                }
                continue;
            }
            b'"' => match string_end(bytes, i) {
                Some(end) => {
                    let value = text[i + 1..end].to_string();
                    word(&mut stack, value, true);
                    i = end + 1;
                    continue;
                }
                None => {
                    tail = Tail::String(i);
                    break;
                }
            },
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                match heredoc_end(text, i, offset) {
                    Some(end) => {
                        word(&mut stack, String::new(), false);
                        i = end;
                    }
                    None => return None,
                }
                continue;
            }
            b'\n' | b',' => {
                let top = stack.last_mut().expect("the file's body is never closed");
                if top.kind != Kind::Call {
                    top.end_statement();
                }
            }
            // `=`, not `==`, `!=`, `<=`, `>=` or a `for` expression's `=>`.
            b'=' if !matches!(bytes.get(i + 1), Some(b'=' | b'>'))
                && !matches!(i.checked_sub(1).map(|p| bytes[p]), Some(b'!' | b'<' | b'>' | b'=')) =>
            {
                assign(&mut stack)
            }
            b':' if stack.last().is_some_and(|t| t.kind == Kind::Object) => assign(&mut stack),
            b'{' => {
                let top = stack.last_mut().expect("the file's body is never closed");
                let open = match (top.kind, top.argument.take()) {
                    // `name "label" {`: a block.
                    (Kind::Body, None) if !top.words.is_empty() => {
                        let steps = std::mem::take(&mut top.words);
                        top.frame.members.push((steps[0].clone(), None));
                        Open::new(Kind::Body, steps)
                    }
                    (_, Some(argument)) => Open::new(Kind::Object, vec![argument]),
                    // An item of a list belongs to the list's key.
                    (Kind::List, None) => Open::new(Kind::Object, top.list_of.iter().cloned().collect()),
                    _ => Open::new(Kind::Object, Vec::new()),
                };
                stack.push(open);
            }
            b'[' => {
                let top = stack.last_mut().expect("the file's body is never closed");
                let of = top.argument.take().or_else(|| top.list_of.clone());
                let mut open = Open::new(Kind::List, Vec::new());
                open.list_of = of;
                stack.push(open);
            }
            b'(' => {
                let top = stack.last_mut().expect("the file's body is never closed");
                // The call's first object stands for the argument (`policy = jsonencode({`).
                let argument = top.argument.take();
                let mut open = Open::new(Kind::Call, Vec::new());
                open.argument = argument;
                stack.push(open);
            }
            b'}' | b']' | b')' => {
                if stack.len() > 1 {
                    stack.pop();
                }
                // The closed value ends the argument's value.
                if let Some(top) = stack
                    .last_mut()
                    .filter(|t| t.kind != Kind::Call && t.kind != Kind::List)
                {
                    top.argument = None;
                    top.words.clear();
                }
            }
            _ if is_word_byte(b) => {
                let end = i + bytes[i..].iter().take_while(|b| is_word_byte(**b)).count();
                if end == offset {
                    // The word being typed.
                    break;
                }
                word(&mut stack, text[i..end].to_string(), false);
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    let top = stack.last().expect("the file's body is never closed");
    let (typed, quote) = match tail {
        Tail::String(start) => ((start + 1, offset), false),
        Tail::Nothing => ((word_start(text, offset), offset), true),
    };
    let at = match top.kind {
        Kind::Call => return None,
        Kind::List => At::Value(top.list_of.clone()?),
        Kind::Body | Kind::Object => match &top.argument {
            Some(argument) => At::Value(argument.clone()),
            // A block header being written: its type and labels.
            None if !top.words.is_empty() => return None,
            // Keys are written bare (`Version = `), though an object's may be quoted.
            None if top.kind == Kind::Body && !quote => return None,
            None => At::Key,
        },
    };
    let block_body = top.kind == Kind::Body;
    let quote = quote && matches!(at, At::Value(_));
    let frames = stack
        .into_iter()
        .filter(|o| matches!(o.kind, Kind::Body | Kind::Object))
        .map(|o| o.frame)
        .collect();
    Some(Place {
        frames,
        at,
        typed,
        quote,
        block_body,
    })
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.' || b >= 0x80
}

fn skip_line(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |n| from + n)
}

/// A word or string read in the statement of the innermost container:
/// an argument's value when after `=`, else a statement word.
fn word(stack: &mut [Open], value: String, string: bool) {
    let top = stack.last_mut().expect("the file's body is never closed");
    match top.kind {
        Kind::Call | Kind::List => {}
        Kind::Body | Kind::Object => match &top.argument {
            Some(argument) => {
                if string {
                    if let Some(member) = top.frame.members.iter_mut().rev().find(|(k, _)| k == argument) {
                        member.1 = Some(value);
                    }
                }
            }
            None => top.words.push(value),
        },
    }
}

/// `name =`: the statement is an argument.
fn assign(stack: &mut [Open]) {
    let top = stack.last_mut().expect("the file's body is never closed");
    if top.argument.is_none() && top.words.len() == 1 {
        let name = top.words.remove(0);
        top.frame.members.push((name.clone(), None));
        top.argument = Some(name);
    }
}

/// The closing quote of the string opened at `start`, past escapes and
/// `${…}` interpolations (which may hold strings); `None` when the text
/// ends first.
fn string_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut i = start + 1;
    let mut depth = 0usize;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'$' | b'%' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b'"' if depth > 0 => i = string_end(bytes, i)?,
            b'"' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The end of a heredoc (`<<EOF` or `<<-EOF` … `EOF`) that starts at `start`,
/// after its closing line; `None` when the cursor is inside it.
fn heredoc_end(text: &str, start: usize, offset: usize) -> Option<usize> {
    let header = text[start + 2..offset].trim_start_matches('-');
    let marker: String = header
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if marker.is_empty() {
        return Some(start + 2);
    }
    let body_start = start + text[start..offset].find('\n')? + 1;
    let mut at = body_start;
    for line in text[body_start..offset].split_inclusive('\n') {
        at += line.len();
        if line.trim() == marker {
            return Some(at);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at_cursor(text: &str) -> Option<Place> {
        let offset = text.find('|').unwrap();
        place(&text.replace('|', ""), offset)
    }

    #[test]
    fn blocks_give_their_type_and_labels() {
        let text = "# a comment {\nresource \"aws_ecr_replication_configuration\" \"x\" {\n  replication_configuration {\n    rule {\n      destination {\n        region = \"us-west-2\"\n        re|";
        let p = at_cursor(text).unwrap();
        assert_eq!(
            p.path(),
            [
                "resource",
                "aws_ecr_replication_configuration",
                "x",
                "replication_configuration",
                "rule",
                "destination"
            ]
        );
        assert_eq!(p.at, At::Key);
        assert!(p.block_body);
        assert_eq!(p.present(), ["region"]);
        assert_eq!(p.frames.last().unwrap().members[0].1.as_deref(), Some("us-west-2"));
        assert_eq!(p.typed.1 - p.typed.0, 2);
    }

    #[test]
    fn values_after_an_equals_sign_and_in_lists() {
        let p = at_cursor("resource \"t\" \"x\" {\n  repository_filter {\n    filter_type = |").unwrap();
        assert_eq!(p.at, At::Value("filter_type".into()));
        assert!(p.quote);
        let p = at_cursor("resource \"t\" \"x\" {\n  applied_for = [\"REPLICATION\", \"PU|").unwrap();
        assert_eq!(p.at, At::Value("applied_for".into()));
        assert!(!p.quote);
        assert_eq!(p.path(), ["resource", "t", "x"]);
        // A closed value ends the argument: the next line is a key.
        let p = at_cursor("resource \"t\" \"x\" {\n  applied_for = [\"REPLICATION\"]\n  |").unwrap();
        assert_eq!(p.at, At::Key);
        assert_eq!(p.present(), ["applied_for"]);
    }

    #[test]
    fn object_expressions_in_calls_continue_the_path() {
        let text = "resource \"aws_ecr_registry_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Sid = \"x${var.a}\"\n      Effect = \"Allow\"\n      |";
        let p = at_cursor(text).unwrap();
        assert_eq!(
            p.path(),
            ["resource", "aws_ecr_registry_policy", "p", "policy", "Statement"]
        );
        assert_eq!(p.present(), ["Sid", "Effect"]);
        assert!(!p.block_body);
        let p = at_cursor("locals {\n  x = <<EOF\n{ \"a\": 1\nEOF\n  |").unwrap();
        assert_eq!(p.path(), ["locals"]);
        assert_eq!(p.present(), ["x"]);
        // In a block's header or a heredoc: no place.
        assert_eq!(at_cursor("resource \"aws_ecr_|"), None);
        assert_eq!(at_cursor("locals {\n  x = <<EOF\n  |"), None);
    }
}
