//! Validates a document against the JSON Schema in `schemas/` and turns each
//! schema error into one of our diagnostics, placed on the key or value at
//! fault (jsonschema reports `required` and `additionalProperties` on the
//! parent object; we map them to the key).

use crate::diagnostic::Diagnostic;
use crate::document::{Document, DocumentKind};
use crate::facts::facts;
use crate::json::{Node, Span};
use crate::rules::{self, RuleMeta};
use crate::text::{nearest, one_of};
use jsonschema::error::ValidationErrorKind;
use jsonschema::Validator;

mod instance;
use instance::{Instance, SpanJson};
use serde_json::Value;
use std::sync::OnceLock;

/// A schema finding; `value_level` ones (pattern, enum, length) are also
/// checked by a rule with a more specific message, which then wins.
pub struct SchemaFinding {
    pub diagnostic: Diagnostic,
    pub value_level: bool,
}

/// Compiled once per shape, and only for shapes that occur: a single-file
/// run pays for one validator.
fn validator(kind: DocumentKind) -> &'static Validator<SpanJson> {
    static CONFIGURATION: OnceLock<Validator<SpanJson>> = OnceLock::new();
    static REQUEST: OnceLock<Validator<SpanJson>> = OnceLock::new();
    static DESCRIBE_REGISTRY: OnceLock<Validator<SpanJson>> = OnceLock::new();
    let cell = match kind {
        DocumentKind::Configuration => &CONFIGURATION,
        DocumentKind::Request => &REQUEST,
        DocumentKind::DescribeRegistry => &DESCRIBE_REGISTRY,
    };
    cell.get_or_init(|| validator_for_def(&facts().api_schema, root_def(kind)))
}

/// The root `$ref` picks which `$defs` entry a document is checked against,
/// so one schema file serves every shape (and editors use it as-is).
fn validator_for_def(schema: &Value, def: &str) -> Validator<SpanJson> {
    let mut schema = schema.clone();
    schema["$ref"] = Value::String(format!("#/$defs/{def}"));
    jsonschema::options_for::<SpanJson>()
        .with_draft(jsonschema::Draft::Draft202012)
        // The schema's patterns need no look-around: the plain regex engine
        // compiles faster and matches in linear time.
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(&schema)
        .expect("embedded schema compiles (checked by tests)")
}

fn root_def(kind: DocumentKind) -> &'static str {
    match kind {
        DocumentKind::Configuration => "replicationConfiguration",
        DocumentKind::Request => "putReplicationConfigurationRequest",
        DocumentKind::DescribeRegistry => "describeRegistryResponse",
    }
}

pub fn check(doc: &Document, source: &str) -> Vec<SchemaFinding> {
    let validator = validator(doc.kind);
    let schema = &facts().api_schema;
    let mapper = Mapper {
        root: doc.root,
        source,
        schema,
        root_def: root_def(doc.kind),
    };

    // Most files are valid: the short-circuiting check is much cheaper.
    if validator.is_valid(Instance::Tree(doc.root, source)) {
        return Vec::new();
    }
    let errors: Vec<_> = validator.iter_errors(Instance::Tree(doc.root, source)).collect();
    // Keys that an unknown key stands in for: those are not also "missing".
    let mut suggested: Vec<(String, String)> = Vec::new();
    let mut out = Vec::new();
    for e in &errors {
        if let ValidationErrorKind::AdditionalProperties { unexpected } = e.kind() {
            let pointer = e.instance_path().as_str();
            for key in unexpected {
                let (finding, suggestion) = mapper.unknown_key(pointer, key);
                if let Some(s) = suggestion {
                    suggested.push((pointer.to_string(), s));
                }
                out.extend(finding);
            }
        }
    }
    for e in &errors {
        let pointer = e.instance_path().as_str();
        let finding = match e.kind() {
            ValidationErrorKind::AdditionalProperties { .. } => continue,
            ValidationErrorKind::Required { property } => {
                let property = property.as_str().unwrap_or_default();
                if suggested.iter().any(|(p, k)| p == pointer && k == property) {
                    continue;
                }
                mapper.missing_key(pointer, property)
            }
            ValidationErrorKind::Type { .. } => mapper.wrong_type(pointer),
            ValidationErrorKind::MinItems { limit } => mapper.too_few(pointer, *limit as usize),
            ValidationErrorKind::MaxItems { limit } => mapper.too_many(pointer, *limit as usize),
            _ => mapper.bad_value(pointer, &e.to_string()),
        };
        out.extend(finding);
    }
    out
}

struct Mapper<'a> {
    root: &'a Node<'a>,
    source: &'a str,
    schema: &'a Value,
    root_def: &'static str,
}

/// The last token of a pointer: the field name, or an index.
fn field_name(pointer: &str) -> String {
    let last = pointer.rsplit('/').next().unwrap_or_default();
    last.replace("~1", "/").replace("~0", "~")
}

/// The name of the list an item belongs to, for `/rules/0` → `rules`.
fn list_name(pointer: &str) -> Option<String> {
    let mut it = pointer.rsplit('/');
    let last = it.next()?;
    last.parse::<usize>().ok()?;
    it.next().map(|s| s.replace("~1", "/").replace("~0", "~"))
}

impl<'a> Mapper<'a> {
    fn resolve(&self, pointer: &str) -> Option<(&'a Node<'a>, Option<Span>)> {
        self.root.resolve(pointer)
    }

    /// Follows `$ref`s within the schema file.
    fn deref(&self, mut s: &'a Value) -> &'a Value {
        for _ in 0..16 {
            match s
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/$defs/"))
            {
                Some(name) => s = &self.schema["$defs"][name],
                None => break,
            }
        }
        s
    }

    /// The sub-schema that applies at an instance pointer.
    fn subschema(&self, pointer: &str) -> Option<&'a Value> {
        let mut s = self.deref(&self.schema["$defs"][self.root_def]);
        if pointer.is_empty() {
            return Some(s);
        }
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            s = if token.parse::<usize>().is_ok() && s.get("items").is_some() {
                self.deref(&s["items"])
            } else {
                self.deref(s.get("properties")?.get(&token)?)
            };
        }
        Some(s)
    }

    /// What the object at `pointer` is called in messages ("rule", "destination").
    fn object_title(&self, pointer: &str) -> String {
        self.subschema(pointer)
            .and_then(|s| s.get("title"))
            .and_then(Value::as_str)
            .unwrap_or("object")
            .to_string()
    }

    /// Where to point for a problem with a whole object: its key if it has
    /// one, else its opening brace.
    fn object_span(&self, node: &Node, key_span: Option<Span>) -> Span {
        key_span.unwrap_or(Span::new(node.span.start, node.span.start + 1))
    }

    fn unknown_key(&self, pointer: &str, key: &str) -> (Option<SchemaFinding>, Option<String>) {
        let Some((node, _)) = self.resolve(pointer) else {
            return (None, None);
        };
        let Some(member) = node.as_object().and_then(|ms| ms.iter().rev().find(|m| m.key == key)) else {
            return (None, None);
        };
        let allowed: Vec<&str> = self
            .subschema(pointer)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let suggestion = nearest(key, allowed.iter().copied());
        let title = self.object_title(pointer);
        let mut d = rules::unknown_field::META
            .diagnostic(
                member.key_span,
                format!("unknown key `{key}` in this {title}: the API rejects the whole configuration"),
            )
            .at_pointer(format!("{pointer}/{}", crate::json::escape_token(key)))
            .with_primary_label("unknown key");
        d = match suggestion {
            Some(s) => {
                let why = if s.eq_ignore_ascii_case(key) {
                    " (keys are case-sensitive camelCase)".to_string()
                } else if key.chars().next().is_some_and(char::is_uppercase) {
                    " (PascalCase is CloudFormation's spelling; API payloads use camelCase)".to_string()
                } else {
                    String::new()
                };
                d.with_help(format!("did you mean `{s}`?{why}"))
            }
            None if allowed.is_empty() => d.with_help(format!("remove `{key}`")),
            None => d.with_help(format!("remove `{key}`; a {title} allows only {}", one_of(&allowed))),
        };
        (
            Some(SchemaFinding {
                diagnostic: d,
                value_level: false,
            }),
            suggestion.map(str::to_string),
        )
    }

    fn missing_key(&self, pointer: &str, property: &str) -> Option<SchemaFinding> {
        let (node, key_span) = self.resolve(pointer)?;
        let title = self.object_title(pointer);
        let description = self
            .subschema(pointer)
            .and_then(|s| s.get("properties")?.get(property))
            .map(|p| self.deref(p))
            .and_then(|p| p.get("description"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let d = rules::missing_field::META
            .diagnostic(
                self.object_span(node, key_span),
                format!("this {title} is missing the required key `{property}`"),
            )
            .at_pointer(pointer)
            .with_primary_label(format!("no `{property}` here"))
            .with_help(format!("add `\"{property}\"`: {}", lowercase_first(description)));
        Some(SchemaFinding {
            diagnostic: d,
            value_level: false,
        })
    }

    fn wrong_type(&self, pointer: &str) -> Option<SchemaFinding> {
        let (node, _) = self.resolve(pointer)?;
        let expected = self
            .subschema(pointer)
            .and_then(|s| s.get("type"))
            .and_then(Value::as_str)
            .unwrap_or("another type");
        let found = node.type_name();
        let field = field_name(pointer);
        let what = match list_name(pointer) {
            Some(list) => format!("each item of `{list}`"),
            None if pointer.is_empty() => "the document".to_string(),
            None => format!("`{field}`"),
        };
        let mut d = rules::wrong_type::META
            .diagnostic(
                node.span,
                format!("{what} must be {}, found {found}", article(expected)),
            )
            .at_pointer(pointer)
            .with_primary_label(format!("this is {}", article(found)));
        let raw = &self.source[node.span.start..node.span.end];
        if field == "registryId" && found == "number" {
            let mut help = format!("account IDs are strings: write `\"{raw}\"`");
            if raw.len() < 12 && raw.bytes().all(|b| b.is_ascii_digit()) {
                help.push_str(&format!(
                    " (it has {} digits: as a number it lost any leading zeros; account IDs have 12)",
                    raw.len()
                ));
            } else {
                help.push_str(" (a number loses leading zeros, and real account IDs can start with 0)");
            }
            d = d.with_help(help);
        } else if expected == "boolean" && matches!(node.as_str(), Some("true" | "false")) {
            d = d.with_help(format!("write {} without quotes", node.as_str().unwrap_or_default()));
        } else if expected == "array" && found == "object" {
            d = d.with_help("wrap the object in a list: `[ { ... } ]`");
        } else if expected == "string" && matches!(found, "number" | "boolean") {
            d = d.with_help(format!("put the value in double quotes: `\"{raw}\"`"));
        }
        Some(SchemaFinding {
            diagnostic: d,
            value_level: false,
        })
    }

    fn too_few(&self, pointer: &str, limit: usize) -> Option<SchemaFinding> {
        let (node, key_span) = self.resolve(pointer)?;
        let field = field_name(pointer);
        let count = node.as_array().map_or(0, <[Node]>::len);
        let mut d = rules::list_length::META
            .diagnostic(
                node.span,
                format!(
                    "`{field}` has {count} item{}; the API requires at least {limit}",
                    plural(count)
                ),
            )
            .at_pointer(pointer)
            .with_primary_label("too few items");
        if let Some(k) = key_span {
            d = d.with_label(k, "in this list");
        }
        if field == "repositoryFilters" && count == 0 {
            d = d.with_help("remove `repositoryFilters` to replicate every repository, or add a filter");
        } else {
            d = d.with_help(format!("add at least {limit} item{}", plural(limit)));
        }
        Some(SchemaFinding {
            diagnostic: d,
            value_level: false,
        })
    }

    fn too_many(&self, pointer: &str, limit: usize) -> Option<SchemaFinding> {
        let (node, key_span) = self.resolve(pointer)?;
        let items = node.as_array()?;
        let field = field_name(pointer);
        let first_extra = items.get(limit)?;
        let mut d = rules::list_length::META
            .diagnostic(
                first_extra.span,
                format!("`{field}` has {} items; the API allows at most {limit}", items.len()),
            )
            .at_pointer(format!("{pointer}/{limit}"))
            .with_primary_label(format!("item {} is over the limit", limit + 1))
            .with_help(format!(
                "remove {} item{} or split the configuration",
                items.len() - limit,
                plural(items.len() - limit)
            ));
        if let Some(k) = key_span {
            d = d.with_label(k, "the list starts here");
        }
        Some(SchemaFinding {
            diagnostic: d,
            value_level: false,
        })
    }

    fn bad_value(&self, pointer: &str, detail: &str) -> Option<SchemaFinding> {
        let (node, _) = self.resolve(pointer)?;
        let field = field_name(pointer);
        let meta: &RuleMeta = rules::value_rule_for_field(&field).unwrap_or(&rules::wrong_type::META);
        let d = meta
            .diagnostic(node.span, format!("`{field}` is not valid: {detail}"))
            .at_pointer(pointer)
            .with_primary_label("invalid value");
        Some(SchemaFinding {
            diagnostic: d,
            value_level: true,
        })
    }
}

fn article(word: &str) -> String {
    let an = matches!(word.as_bytes().first(), Some(b'a' | b'e' | b'i' | b'o' | b'u'));
    format!("{} {word}", if an { "an" } else { "a" })
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
