//! Schema errors as our diagnostics: each placed on the key or value at
//! fault, in the words of the document's dialect, with help from the
//! schema's descriptions.

use super::SchemaFinding;
use crate::document::dialect::{Dialect, EmptyLists, KeyCase};
use crate::facts::facts;
use crate::rules::{self, RuleMeta};
use crate::syntax::{Node, NodeKind, Span};
use crate::text::{nearest, one_of};
use serde_json::Value;

pub(super) struct Mapper<'a> {
    /// The validated node; instance paths are relative to it.
    pub(super) root: &'a Node<'a>,
    /// The pointer of `root` in the document.
    pub(super) base: &'a str,
    pub(super) source: &'a str,
    pub(super) schema: &'a Value,
    pub(super) root_def: &'static str,
    /// The document is YAML (for type help).
    pub(super) yaml: bool,
    /// The dialect of the document, for its spelling and who rejects it.
    pub(super) dialect: Dialect,
    /// What the root is called in messages when it is a value of a field
    /// (an `Fn::If` branch, checked alone), else none.
    pub(super) root_name: Option<&'a str>,
}

/// Writes a 12-digit account ID number as the same digits in a string.
fn quote_number(span: Span, raw: &str) -> crate::fix::Fix {
    let edit = crate::fix::Edit::replace(span, format!("\"{raw}\""));
    crate::fix::Fix::safe(format!("Write `{raw}` as the string `\"{raw}\"`"), vec![edit])
}

/// The last token of a pointer: the field name, or an index.
fn field_name(pointer: &str) -> String {
    let last = pointer.rsplit('/').next().unwrap_or_default();
    crate::syntax::unescape_token(last)
}

/// The name of the list an item belongs to, for `/rules/0` → `rules`.
fn list_name(pointer: &str) -> Option<String> {
    let mut it = pointer.rsplit('/');
    let last = it.next()?;
    last.parse::<usize>().ok()?;
    it.next().map(crate::syntax::unescape_token)
}

impl<'a> Mapper<'a> {
    /// The field a value at `pointer` is written for.
    fn field_name(&self, pointer: &str) -> String {
        match self.root_name {
            Some(name) if pointer.is_empty() => name.to_string(),
            _ => field_name(pointer),
        }
    }

    pub(super) fn resolve(&self, pointer: &str) -> Option<(&'a Node<'a>, Option<Span>)> {
        self.root.resolve(pointer)
    }

    /// Follows `$ref`s within the schema file.
    pub(super) fn deref(&self, mut s: &'a Value) -> &'a Value {
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

    /// A keyword of a sub-schema, or of a definition its `allOf` refers to
    /// (Terraform's block definitions share their arguments that way).
    pub(super) fn lookup(&self, s: &'a Value, keyword: &str) -> Option<&'a Value> {
        s.get(keyword).or_else(|| {
            s.get("allOf")?
                .as_array()?
                .iter()
                .find_map(|part| self.deref(part).get(keyword))
        })
    }

    /// The sub-schema that applies at an instance pointer.
    pub(super) fn subschema(&self, pointer: &str) -> Option<&'a Value> {
        let mut s = self.deref(&self.schema["$defs"][self.root_def]);
        if pointer.is_empty() {
            return Some(s);
        }
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = crate::syntax::unescape_token(token);
            s = if token.parse::<usize>().is_ok() && s.get("items").is_some() {
                self.deref(&s["items"])
            } else {
                self.deref(self.lookup(s, "properties")?.get(&token)?)
            };
        }
        Some(s)
    }

    /// What the object at `pointer` is called in messages ("rule", "destination").
    pub(super) fn object_title(&self, pointer: &str) -> String {
        self.subschema(pointer)
            .and_then(|s| s.get("title"))
            .and_then(Value::as_str)
            .unwrap_or("object")
            .to_string()
    }

    /// Where to point for a problem with a whole object: its key if it has
    /// one, else its opening brace.
    pub(super) fn object_span(&self, node: &Node, key_span: Option<Span>) -> Span {
        key_span.unwrap_or(Span::new(node.span.start, node.span.start + 1))
    }

    /// `stands_for`: the missing required key this one replaces, when
    /// nothing closer is found.
    pub(super) fn unknown_key(
        &self,
        pointer: &str,
        key: &str,
        key_span: Span,
        stands_for: Option<&str>,
    ) -> (Option<SchemaFinding>, Option<String>) {
        // `//` (a comment in Terraform's JSON syntax) is allowed, never suggested.
        let allowed: Vec<&str> = self
            .subschema(pointer)
            .and_then(|s| self.lookup(s, "properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).filter(|k| *k != "//").collect())
            .unwrap_or_default();
        let suggestion = nearest(key, allowed.iter().copied()).or(stands_for.filter(|s| allowed.contains(s)));
        let title = self.object_title(pointer);
        // A schema file (or the definition checked, for a resource of
        // another tool) may say who rejects its documents, and that its
        // keys are spelt alike in every dialect (IAM policies).
        let rejecter = self.schema["$defs"][self.root_def]
            .get("x-ecrlint-rejecter")
            .or_else(|| self.schema.get("x-ecrlint-rejecter"))
            .and_then(Value::as_str)
            .unwrap_or(self.dialect.rejecter);
        let one_spelling = self.schema.get("x-ecrlint-key-style").and_then(Value::as_str) == Some("IAM");
        let pascal = self.dialect.key_case == KeyCase::Pascal;
        let mut d = rules::unknown_field::META
            .diagnostic(key_span, format!("unknown key `{key}` in this {title}: {rejecter}"))
            .at_pointer(format!("{}{pointer}/{}", self.base, crate::syntax::escape_token(key)))
            .with_primary_label("unknown key");
        // Keys CloudFormation lacks (the schema says why), and the dialects' spellings.
        let unsupported = self
            .subschema(pointer)
            .and_then(|s| self.lookup(s, "x-ecrlint-unsupported"))
            .and_then(Value::as_object)
            .and_then(|u| u.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
            .and_then(|(_, why)| why.as_str());
        let starts_upper = key.chars().next().is_some_and(char::is_uppercase);
        d = match (unsupported, suggestion) {
            (Some(why), _) => d.with_help(why.to_string()),
            // The key it resembles is set too: a rename would duplicate it.
            (None, Some(s))
                if self
                    .resolve(pointer)
                    .is_some_and(|(node, _)| node.get(s).is_some()) =>
            {
                d.with_help(format!(
                    "`{s}` is already set in this {title}: remove `{key}`, or remove `{s}` and rename `{key}` to it if this one holds the value meant"
                ))
            }
            (None, Some(s)) => {
                // Renamed only to the one close key: a key that stands in
                // for a missing one is a guess too far.
                let close = nearest(key, allowed.iter().copied()) == Some(s);
                if let Some(edit) = crate::fix::write::rename_key(self.source, key_span, key, s).filter(|_| close) {
                    d = d.with_fix(crate::fix::Fix::unsafe_edit(
                        format!("Rename `{key}` to `{s}`"),
                        vec![edit],
                    ));
                }
                let snake = self.dialect.key_case == KeyCase::Snake;
                let why = if one_spelling {
                    if s.eq_ignore_ascii_case(key) {
                        " (keys are case-sensitive)"
                    } else {
                        ""
                    }
                } else if pascal && !starts_upper {
                    " (camelCase is the API's spelling; CloudFormation uses PascalCase)"
                } else if snake && starts_upper {
                    " (PascalCase is CloudFormation's spelling; Terraform uses snake_case)"
                } else if snake && key.chars().any(char::is_uppercase) {
                    " (camelCase is the API's spelling; Terraform uses snake_case)"
                } else if !pascal && starts_upper {
                    &format!(" (PascalCase is CloudFormation's spelling; {} use camelCase)", self.dialect.writers)
                } else if s.eq_ignore_ascii_case(key) {
                    " (keys are case-sensitive)"
                } else {
                    ""
                };
                d.with_help(format!("did you mean `{s}`?{why}"))
            }
            (None, None) if allowed.is_empty() => d.with_help(format!("remove `{key}`")),
            (None, None) => d.with_help(format!("remove `{key}`; a {title} allows only {}", one_of(&allowed))),
        };
        (
            Some(SchemaFinding {
                diagnostic: d,
                value_level: false,
                replaces_rules: false,
            }),
            suggestion.map(str::to_string),
        )
    }

    pub(super) fn missing_key(&self, pointer: &str, property: &str) -> Option<SchemaFinding> {
        let (node, key_span) = self.resolve(pointer)?;
        let title = self.object_title(pointer);
        let description = self
            .subschema(pointer)
            .and_then(|s| self.lookup(s, "properties")?.get(property))
            .map(|p| self.deref(p))
            .and_then(|p| p.get("description"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        let d = rules::missing_field::META
            .diagnostic(
                self.object_span(node, key_span),
                format!("this {title} is missing the required key `{property}`"),
            )
            .at_pointer(format!("{}{pointer}", self.base))
            .with_primary_label(format!("no `{property}` here"))
            .with_help(format!("add `\"{property}\"`: {}", lowercase_first(description)));
        Some(SchemaFinding {
            diagnostic: d,
            value_level: false,
            replaces_rules: false,
        })
    }

    pub(super) fn wrong_type(&self, pointer: &str) -> Option<SchemaFinding> {
        let (node, _) = self.resolve(pointer)?;
        let types = self.subschema(pointer).and_then(|s| s.get("type"));
        // `["string", "array"]`: "a string or an array".
        let listed: Option<String> = types.and_then(Value::as_array).map(|ts| {
            let names: Vec<String> = ts.iter().filter_map(Value::as_str).map(article).collect();
            names.join(" or ")
        });
        let expected = types.and_then(Value::as_str).unwrap_or("another type");
        let found = node.type_name();
        let field = self.field_name(pointer);
        let what = match list_name(pointer) {
            Some(list) => format!("each item of `{list}`"),
            None if pointer.is_empty() => "the document".to_string(),
            None => format!("`{field}`"),
        };
        let mut d = rules::wrong_type::META
            .diagnostic(
                node.span,
                format!(
                    "{what} must be {}, found {found}",
                    listed.clone().unwrap_or_else(|| article(expected))
                ),
            )
            .at_pointer(format!("{}{pointer}", self.base))
            .with_primary_label(format!("this is {}", article(found)));
        let raw = &self.source[node.span.start..node.span.end];
        if self.dialect.reads_scalars_as_text && expected == "string" && matches!(found, "number" | "boolean") {
            return self.template_scalar(node, pointer, &field);
        }
        if field.eq_ignore_ascii_case("registryId") && found == "number" && self.yaml {
            let value = match &node.kind {
                NodeKind::Number(n) => n.as_ref(),
                _ => raw,
            };
            let digits = raw.trim_start_matches(['-', '+']);
            let help = if digits.len() > 1 && digits.starts_with('0') && value != raw {
                format!("an unquoted account ID is a number in YAML, and YAML 1.1 reads this one as the octal number {value}: quote it, `{field}: \"{raw}\"`")
            } else {
                // `210_987_654_321` is 210987654321: quoted, the underscores would stay.
                let text: String = raw.chars().filter(|&c| c != '_').collect();
                format!("an unquoted account ID is a number in YAML: quote it, `{field}: \"{text}\"`")
            };
            d = d.with_help(help);
            // Twelve digits as written, no leading zero YAML 1.1 could read as octal.
            if raw.len() == 12 && raw.bytes().all(|b| b.is_ascii_digit()) && !raw.starts_with('0') && value == raw {
                d = d.with_fix(quote_number(node.span, raw));
            }
        } else if field.eq_ignore_ascii_case("registryId") && found == "number" {
            let mut help = format!("account IDs are strings: write `\"{raw}\"`");
            if raw.len() == 12 && raw.bytes().all(|b| b.is_ascii_digit()) {
                d = d.with_fix(quote_number(node.span, raw));
            }
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
            replaces_rules: false,
        })
    }

    /// A number or boolean where a template expects a string: CloudFormation
    /// passes scalar properties to the handler as strings, so it deploys as
    /// its text. A finding only when that text is not what was written (YAML
    /// 1.1 read `on` as a boolean, `012345670123` as octal) or, for an account
    /// ID, when the number lost leading zeros.
    pub(super) fn template_scalar(&self, node: &Node, pointer: &str, field: &str) -> Option<SchemaFinding> {
        let deployed: &str = match &node.kind {
            NodeKind::Number(n) => n,
            NodeKind::Bool(true) => "true",
            NodeKind::Bool(false) => "false",
            _ => return None,
        };
        let raw = &self.source[node.span.start..node.span.end];
        let is_number = matches!(node.kind, NodeKind::Number(_));
        // `!!int "0123"`: a core tag made the quoted text a number.
        let tag = self.yaml.then(|| tag_before(self.source, node.span.start)).flatten();
        let unquoted = raw
            .strip_prefix('"')
            .and_then(|r| r.strip_suffix('"'))
            .or_else(|| raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')));
        let raw = unquoted.filter(|_| tag.is_some()).unwrap_or(raw);
        let written: String = if is_number {
            raw.strip_prefix('+')
                .unwrap_or(raw)
                .chars()
                .filter(|&c| c != '_')
                .collect()
        } else {
            raw.to_string()
        };
        let is_account = field == "RegistryId" || field == "registry_id";
        let lost_zero =
            is_account && deployed.len() < 12 && !deployed.is_empty() && deployed.bytes().all(|b| b.is_ascii_digit());
        if deployed == written && !lost_zero {
            return None;
        }
        let (message, help) = if deployed == written {
            (
                format!(
                    "`{field}` is the number {deployed}, {} digits: an account ID has 12, and a number loses leading zeros",
                    deployed.len()
                ),
                format!(
                    "write the account ID as a string with all 12 digits, such as {}",
                    self.quoted(field, pointer, &format!("{deployed:0>12}"))
                ),
            )
        } else {
            let digits = raw.trim_start_matches(['-', '+']);
            let what = if !is_number {
                "a boolean".to_string()
            } else if digits.len() > 1 && digits.starts_with('0') && digits.as_bytes()[1].is_ascii_digit() {
                format!("the octal number {deployed}")
            } else {
                format!("the number {deployed}")
            };
            match tag {
                Some(tag) => (
                    format!("the `{tag}` tag makes `{raw}` {what}: CloudFormation deploys `{field}` as \"{deployed}\""),
                    format!("remove the tag to keep the text: {}", self.quoted(field, pointer, raw)),
                ),
                None => (
                    format!("YAML 1.1 reads `{raw}` as {what}: CloudFormation deploys `{field}` as \"{deployed}\""),
                    format!("quote it to keep the text: {}", self.quoted(field, pointer, raw)),
                ),
            }
        };
        let mut d = rules::wrong_type::META
            .diagnostic(node.span, message)
            .at_pointer(format!("{}{pointer}", self.base))
            .with_primary_label(format!("deploys as \"{deployed}\""))
            .with_help(help);
        // The template deploys, with another value than written: a warning.
        if field_accepts(field, deployed) {
            d.severity = crate::diagnostic::Severity::Warning;
        }
        Some(SchemaFinding {
            diagnostic: d,
            value_level: false,
            replaces_rules: true,
        })
    }

    /// `Field: "value"` in YAML, `"Field": "value"` in JSON; a value inside
    /// a function (an `Fn::If` branch) is shown alone.
    pub(super) fn quoted(&self, field: &str, pointer: &str, value: &str) -> String {
        if self.field_name(pointer) != field {
            format!("`\"{value}\"`")
        } else if self.yaml {
            format!("`{field}: \"{value}\"`")
        } else {
            format!("`\"{field}\": \"{value}\"`")
        }
    }

    pub(super) fn too_few(&self, pointer: &str, limit: usize) -> Option<SchemaFinding> {
        let (node, key_span) = self.resolve(pointer)?;
        let field = self.field_name(pointer);
        let count = node.as_array().map_or(0, <[Node]>::len);
        // Whose minimum it is: the dialect's schema (CloudFormation's resource
        // schema asks for a destination where the API accepts none).
        let requirer = format!("{} requires", self.dialect.minimum_owner);
        let mut d = rules::list_length::META
            .diagnostic(
                node.span,
                format!(
                    "`{field}` has {count} item{}; {requirer} at least {limit}",
                    plural(count)
                ),
            )
            .at_pointer(format!("{}{pointer}", self.base))
            .with_primary_label("too few items");
        if let Some(k) = key_span {
            d = d.with_label(k, "in this list");
        }
        if field == "repositoryFilters" && count == 0 {
            d = d.with_help("remove `repositoryFilters` to replicate every repository, or add a filter");
        } else if self.dialect.empty_lists == EmptyLists::FailToDeploy && field == "Destinations" {
            d = d.with_help(format!(
                "add a destination, or remove the rule: the API itself accepts an empty `destinations` list (a rule that replicates nowhere), but CloudFormation validates the resource against its own schema, whose minimum is {limit}, and rejects it"
            ));
        } else {
            d = d.with_help(format!("add at least {limit} item{}", plural(limit)));
        }
        Some(SchemaFinding {
            diagnostic: d,
            value_level: false,
            replaces_rules: false,
        })
    }

    pub(super) fn too_many(&self, pointer: &str, limit: usize) -> Option<SchemaFinding> {
        let (node, key_span) = self.resolve(pointer)?;
        let items = node.as_array()?;
        let field = self.field_name(pointer);
        let first_extra = items.get(limit)?;
        let mut d = rules::list_length::META
            .diagnostic(
                first_extra.span,
                format!(
                    "`{field}` has {} items; {} allows at most {limit}",
                    items.len(),
                    self.dialect.limit_owner
                ),
            )
            .at_pointer(format!("{}{pointer}/{limit}", self.base))
            .with_primary_label(format!("item {} is over the limit", limit + 1));
        let stricter = self
            .subschema(pointer)
            .and_then(|s| s.get("x-ecrlint-stricter-than-api"))
            .and_then(Value::as_str);
        let remove = format!(
            "remove {} item{} or split the configuration",
            items.len() - limit,
            plural(items.len() - limit)
        );
        d = d.with_help(match stricter {
            Some(why) => format!("{remove}; {why}"),
            None => remove,
        });
        if let Some(k) = key_span {
            d = d.with_label(k, "the list starts here");
        }
        Some(SchemaFinding {
            diagnostic: d,
            value_level: false,
            replaces_rules: false,
        })
    }

    /// A string that is none of its field's values (`applied_for =
    /// ["REPLICATON"]`), named by its key (a list's, for an item), with the
    /// value meant and a fix to it, as ECR201 reports a filter type: safe
    /// when only the case differs, unsafe for the one close value.
    pub(super) fn not_one_of(&self, pointer: &str, options: &Value) -> Option<SchemaFinding> {
        let (node, _) = self.resolve(pointer)?;
        let value = node.as_str()?;
        let options: Vec<&str> = options.as_array()?.iter().map(Value::as_str).collect::<Option<_>>()?;
        let field = list_name(pointer).unwrap_or_else(|| self.field_name(pointer));
        let meta: &RuleMeta = rules::value_rule_for_field(&field).unwrap_or(&rules::wrong_type::META);
        let mut d = meta
            .diagnostic(
                node.span,
                format!("{field} `\"{value}\"` is not valid: it must be {}", one_of(&options)),
            )
            .at_pointer(format!("{}{pointer}", self.base))
            .with_primary_label("invalid value");
        let case_only = options.iter().copied().find(|o| o.eq_ignore_ascii_case(value));
        if let Some(meant) = case_only.or_else(|| nearest(value, options.iter().copied())) {
            d = d.with_help(match case_only {
                Some(_) => format!("values are case-sensitive: use `\"{meant}\"`"),
                None => format!("did you mean `\"{meant}\"`?"),
            });
            let format = if self.yaml {
                crate::syntax::SourceFormat::Yaml
            } else {
                crate::syntax::SourceFormat::Json
            };
            if let Some(edit) = crate::fix::write::replace_scalar(format, self.source, node.span, meant) {
                let applicability = if case_only.is_some() {
                    crate::fix::Applicability::Safe
                } else {
                    crate::fix::Applicability::Unsafe
                };
                d = d.with_fix(crate::fix::Fix::new(
                    format!("Replace `{value}` with `{meant}`"),
                    applicability,
                    vec![edit],
                ));
            }
        }
        Some(SchemaFinding {
            diagnostic: d,
            value_level: true,
            replaces_rules: false,
        })
    }

    pub(super) fn bad_value(&self, pointer: &str, detail: &str) -> Option<SchemaFinding> {
        let (node, _) = self.resolve(pointer)?;
        let field = self.field_name(pointer);
        let meta: &RuleMeta = rules::value_rule_for_field(&field).unwrap_or(&rules::wrong_type::META);
        let d = meta
            .diagnostic(node.span, format!("`{field}` is not valid: {detail}"))
            .at_pointer(format!("{}{pointer}", self.base))
            .with_primary_label("invalid value");
        Some(SchemaFinding {
            diagnostic: d,
            value_level: true,
            replaces_rules: false,
        })
    }
}

/// The YAML tag written just before a value (`!!int` in `!!int "10"`).
fn tag_before(source: &str, start: usize) -> Option<&str> {
    let before = source.get(..start)?.trim_end_matches([' ', '\t']);
    let token = before.rsplit(char::is_whitespace).next()?;
    token.starts_with('!').then_some(token)
}

/// Whether a field's value is valid as text (a template that sets it deploys).
fn field_accepts(field: &str, text: &str) -> bool {
    let f = facts();
    match field {
        "RegistryId" | "registryId" | "registry_id" => f.registry_id_pattern.is_match(text),
        "Region" | "region" => f.region(text).is_some(),
        "Filter" | "filter" => {
            (f.filter_min_len..=f.filter_max_len).contains(&text.len()) && f.filter_pattern.is_match(text)
        }
        "FilterType" | "filterType" | "filter_type" => f.filter_types.iter().any(|t| t == text),
        _ => false,
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

pub(super) fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}
