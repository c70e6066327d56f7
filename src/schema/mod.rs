//! Validates a document against the JSON Schema in `schemas/` and turns each
//! schema error into one of our diagnostics, placed on the key or value at
//! fault (jsonschema reports `required` and `additionalProperties` on the
//! parent object; we map them to the key).

use crate::diagnostic::Diagnostic;
use crate::document::{Document, DocumentKind};
use crate::facts::facts;
use crate::rules::{self, RuleMeta};
use crate::syntax::{Node, NodeKind, Span};
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
    /// The value as written is not the value checked: rules' findings on
    /// the same value (which read the deployed value) are dropped.
    pub replaces_rules: bool,
}

/// The schema files: the API shapes, and CloudFormation's resource, which
/// refers to the API file for every shared field and bound.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SchemaFile {
    Api,
    CloudFormation,
}

/// The API schema's file name, as the CloudFormation schema's `$ref`s name it.
const API_FILE: &str = "replication-configuration.schema.json";

/// The schema a validator is built from, with `$ref`s to the API file made
/// local (the API's `$defs` copied in under `api:`), so no resolver or
/// network is involved.
fn schema_value(file: SchemaFile) -> &'static Value {
    static CFN: OnceLock<Value> = OnceLock::new();
    match file {
        SchemaFile::Api => &facts().api_schema,
        SchemaFile::CloudFormation => CFN.get_or_init(|| {
            let mut cfn: Value = serde_json::from_str(crate::facts::CFN_SCHEMA).expect("embedded schema is JSON");
            let api_defs = facts().api_schema["$defs"].as_object().cloned().unwrap_or_default();
            let defs = cfn["$defs"]
                .as_object_mut()
                .expect("the CloudFormation schema has $defs");
            for (name, mut def) in api_defs {
                rewrite_refs(&mut def, "#/$defs/", "#/$defs/api:");
                defs.insert(format!("api:{name}"), def);
            }
            rewrite_refs(&mut cfn, &format!("{API_FILE}#/$defs/"), "#/$defs/api:");
            cfn
        }),
    }
}

fn rewrite_refs(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::Object(map) => {
            for (k, child) in map.iter_mut() {
                match child {
                    Value::String(r) if k == "$ref" && r.starts_with(from) && !r.starts_with(to) => {
                        *r = format!("{to}{}", &r[from.len()..]);
                    }
                    _ => rewrite_refs(child, from, to),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|i| rewrite_refs(i, from, to)),
        _ => {}
    }
}

/// A compiled validator, by schema file and definition.
type Compiled = ((SchemaFile, &'static str), &'static Validator<SpanJson>);

/// Compiled once per shape, and only for shapes that occur: a single-file
/// run pays for one validator.
fn validator(file: SchemaFile, def: &'static str) -> &'static Validator<SpanJson> {
    static CACHE: OnceLock<std::sync::Mutex<Vec<Compiled>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some((_, v)) = cache.iter().find(|(k, _)| *k == (file, def)) {
        return v;
    }
    // A handful of shapes exist, each compiled once per process: leaking
    // them gives `'static` validators without a lifetime on every caller.
    let v: &'static Validator<SpanJson> = Box::leak(Box::new(validator_for_def(schema_value(file), def)));
    cache.push(((file, def), v));
    v
}

/// The root `$ref` picks which `$defs` entry a document is checked against,
/// so one schema file serves every shape (and editors use it as-is).
fn validator_for_def(schema: &Value, def: &str) -> Validator<SpanJson> {
    let schema = compile_form(schema, def);
    jsonschema::options_for::<SpanJson>()
        .with_draft(jsonschema::Draft::Draft7)
        // The schema's patterns need no look-around: the plain regex engine
        // compiles faster and matches in linear time.
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(&schema)
        .expect("embedded schema compiles (checked by tests)")
}

/// What the validator needs of a schema file for one definition: the
/// `$defs` reachable from it, without annotations (titles, descriptions,
/// `x-ecrlint-*`; messages read those from the full file). Compiled as
/// draft 7, whose meta-schema jsonschema checks several times faster than
/// 2020-12's vocabularies: 0.4 ms of a 3 ms start-up. The keywords used
/// mean the same in both drafts once annotations are gone (no `$ref` keeps
/// a sibling); a test checks both forms agree on every fixture.
fn compile_form(schema: &Value, def: &str) -> Value {
    fn strip(v: &Value) -> Value {
        match v {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(k, _)| {
                        !matches!(k.as_str(), "title" | "description" | "readOnly") && !k.starts_with("x-")
                    })
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
            other => other.clone(),
        }
    }
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    match (k.as_str(), child) {
                        ("$ref", Value::String(r)) => out.extend(r.strip_prefix("#/$defs/").map(str::to_string)),
                        _ => refs(child, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|i| refs(i, out)),
            _ => {}
        }
    }
    let defs = &schema["$defs"];
    let mut keep = serde_json::Map::new();
    let mut todo = vec![def.to_string()];
    while let Some(name) = todo.pop() {
        if keep.contains_key(&name) {
            continue;
        }
        let Some(d) = defs.get(&name) else { continue };
        refs(d, &mut todo);
        keep.insert(name, strip(d));
    }
    serde_json::json!({
        "$ref": format!("#/$defs/{def}"),
        "$defs": keep,
    })
}

/// One node to validate against one definition; pointers in findings are
/// `base` + the path inside `node`.
struct Target<'a> {
    file: SchemaFile,
    def: &'static str,
    node: &'a Node<'a>,
    base: String,
}

fn targets<'a>(doc: &Document<'a>) -> Vec<Target<'a>> {
    let api = |def| {
        vec![Target {
            file: SchemaFile::Api,
            def,
            node: doc.root,
            base: String::new(),
        }]
    };
    let mut all = match doc.kind {
        DocumentKind::Configuration => api("replicationConfiguration"),
        DocumentKind::Request => api("putReplicationConfigurationRequest"),
        DocumentKind::DescribeRegistry => api("describeRegistryResponse"),
        DocumentKind::CloudFormationProperties => {
            vec![Target {
                file: SchemaFile::CloudFormation,
                def: "properties",
                node: doc.root,
                base: String::new(),
            }]
        }
        DocumentKind::CloudFormationTemplate => doc
            .resources
            .iter()
            .map(|r| Target {
                file: SchemaFile::CloudFormation,
                def: "resource",
                node: r.node,
                base: doc.root.pointer_at(r.node.span).to_string(),
            })
            .collect(),
    };
    // The branches of `Fn::If` items are what CloudFormation may deploy:
    // each is checked against its item's definition.
    let branch = |def, node: &'a Node<'a>| Target {
        file: SchemaFile::CloudFormation,
        def,
        node,
        base: doc.root.pointer_at(node.span).to_string(),
    };
    for config in doc
        .configurations
        .iter()
        .filter(|c| c.dialect == crate::document::Dialect::CloudFormation)
    {
        if config.branch {
            all.push(branch("replicationConfiguration", config.node));
        }
        all.extend(
            config
                .rules
                .iter()
                .flat_map(|l| &l.branches)
                .map(|r| branch("replicationRule", r.node)),
        );
        for rule in config.candidate_rules() {
            all.extend(
                rule.destinations
                    .iter()
                    .flat_map(|l| &l.branches)
                    .map(|d| branch("replicationDestination", d.node)),
            );
            all.extend(
                rule.repository_filters
                    .iter()
                    .flat_map(|l| &l.branches)
                    .map(|f| branch("repositoryFilter", f.node)),
            );
        }
    }
    all
}

/// Whether the path from `node` along `pointer` passes through a dynamic
/// value: such values are unknown until deployment, never schema errors.
fn through_dynamic(node: &Node, pointer: &str) -> bool {
    node.dynamic().is_some() || node.path(pointer).any(|(n, _)| n.dynamic().is_some())
}

pub fn check(doc: &Document, source: &str, yaml: bool) -> Vec<SchemaFinding> {
    let mut out = Vec::new();
    for target in targets(doc) {
        check_target(&target, source, yaml, &mut out);
    }
    if_branch_scalars(doc, source, yaml, &mut out);
    out
}

/// The schema never looks inside functions, so a template's `Fn::If` branch
/// that YAML 1.1 reads as another value (`!If [IsProd, on, prod]` deploys
/// `"true"`) is checked here, as ECR103 checks any other value.
fn if_branch_scalars(doc: &Document, source: &str, yaml: bool, out: &mut Vec<SchemaFinding>) {
    use crate::document::Dialect;
    let mapper = Mapper {
        root: doc.root,
        base: "",
        source,
        schema: schema_value(SchemaFile::CloudFormation),
        root_def: "properties",
        yaml,
    };
    let keys = Dialect::CloudFormation.keys();
    for config in doc
        .configurations
        .iter()
        .filter(|c| c.dialect == Dialect::CloudFormation)
    {
        let destinations = config
            .candidate_destinations()
            .flat_map(|d| [(keys.region, &d.region), (keys.registry_id, &d.registry_id)]);
        let filters = config
            .candidate_rules()
            .flat_map(|r| r.candidate_filters())
            .flat_map(|f| [(keys.filter, &f.filter), (keys.filter_type, &f.filter_type)]);
        for (field, scalar) in destinations.chain(filters) {
            let Some(scalar) = scalar else { continue };
            if scalar.node.dynamic().is_none() {
                continue;
            }
            for branch in scalar.candidates() {
                let pointer = doc.root.pointer_at(branch.span()).to_string();
                out.extend(mapper.template_scalar(branch.node, &pointer, field));
            }
        }
    }
}

fn check_target(target: &Target, source: &str, yaml: bool, out: &mut Vec<SchemaFinding>) {
    let validator = validator(target.file, target.def);
    // Most files are valid: the short-circuiting check is much cheaper.
    if validator.is_valid(Instance::Tree(target.node, source)) {
        return;
    }
    let mapper = Mapper {
        root: target.node,
        base: &target.base,
        source,
        schema: schema_value(target.file),
        root_def: target.def,
        yaml,
    };
    let errors: Vec<_> = validator
        .iter_errors(Instance::Tree(target.node, source))
        .filter(|e| !through_dynamic(target.node, e.instance_path().as_str()))
        .collect();
    // Keys that an unknown key stands in for: those are not also "missing".
    let mut suggested: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    // A blank key where one required key is missing is that key: one
    // finding, with the suggestion (an unrelated word keeps both).
    let mut missing: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    for e in &errors {
        if let ValidationErrorKind::Required { property } = e.kind() {
            if let Some(p) = property.as_str() {
                missing.entry(e.instance_path().as_str()).or_default().push(p);
            }
        }
    }
    for e in &errors {
        if let ValidationErrorKind::AdditionalProperties { unexpected } = e.kind() {
            let pointer = e.instance_path().as_str();
            let stands_for = match (unexpected.as_slice(), missing.get(pointer).map(Vec::as_slice)) {
                ([key], Some([only])) if key.trim().is_empty() => Some(*only),
                _ => None,
            };
            let Some(members) = mapper.resolve(pointer).and_then(|(node, _)| node.as_object()) else {
                continue;
            };
            // One index per object rather than a scan of its members per
            // unknown key (100,000 unknown keys were quadratic). The last of
            // duplicated keys is the one in force.
            let key_spans: std::collections::HashMap<&str, Span> =
                members.iter().map(|m| (m.key.as_ref(), m.key_span)).collect();
            for key in unexpected {
                let Some(&key_span) = key_spans.get(key.as_str()) else {
                    continue;
                };
                let (finding, suggestion) = mapper.unknown_key(pointer, key, key_span, stands_for);
                if let Some(s) = suggestion {
                    suggested.insert((pointer.to_string(), s));
                }
                out.extend(finding);
            }
        }
    }
    // A value of the wrong type is one mistake: its enum or pattern errors
    // say the same again.
    let wrong_type: std::collections::HashSet<&str> = errors
        .iter()
        .filter(|e| matches!(e.kind(), ValidationErrorKind::Type { .. }))
        .map(|e| e.instance_path().as_str())
        .collect();
    for e in &errors {
        let pointer = e.instance_path().as_str();
        let finding = match e.kind() {
            ValidationErrorKind::AdditionalProperties { .. } => continue,
            ValidationErrorKind::Type { .. } => mapper.wrong_type(pointer),
            _ if wrong_type.contains(pointer) => continue,
            ValidationErrorKind::Required { property } => {
                let property = property.as_str().unwrap_or_default();
                if suggested.contains(&(pointer.to_string(), property.to_string())) {
                    continue;
                }
                mapper.missing_key(pointer, property)
            }
            ValidationErrorKind::MinItems { limit } => mapper.too_few(pointer, *limit as usize),
            ValidationErrorKind::MaxItems { limit } => mapper.too_many(pointer, *limit as usize),
            _ => mapper.bad_value(pointer, &e.to_string()),
        };
        out.extend(finding);
    }
}

struct Mapper<'a> {
    /// The validated node; instance paths are relative to it.
    root: &'a Node<'a>,
    /// The pointer of `root` in the document.
    base: &'a str,
    source: &'a str,
    schema: &'a Value,
    root_def: &'static str,
    /// The document is YAML (for type help).
    yaml: bool,
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
            let token = crate::syntax::unescape_token(token);
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

    /// `stands_for`: the missing required key this one replaces, when
    /// nothing closer is found.
    fn unknown_key(
        &self,
        pointer: &str,
        key: &str,
        key_span: Span,
        stands_for: Option<&str>,
    ) -> (Option<SchemaFinding>, Option<String>) {
        let allowed: Vec<&str> = self
            .subschema(pointer)
            .and_then(|s| s.get("properties"))
            .and_then(Value::as_object)
            .map(|p| p.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let suggestion = nearest(key, allowed.iter().copied()).or(stands_for.filter(|s| allowed.contains(s)));
        let title = self.object_title(pointer);
        let pascal = self.cloudformation();
        let rejecter = if pascal {
            "CloudFormation rejects the resource"
        } else {
            "the API rejects the whole configuration"
        };
        let mut d = rules::unknown_field::META
            .diagnostic(key_span, format!("unknown key `{key}` in this {title}: {rejecter}"))
            .at_pointer(format!("{}{pointer}/{}", self.base, crate::syntax::escape_token(key)))
            .with_primary_label("unknown key");
        // Keys CloudFormation lacks (the schema says why), and the dialects' spellings.
        let unsupported = self
            .subschema(pointer)
            .and_then(|s| s.get("x-ecrlint-unsupported"))
            .and_then(Value::as_object)
            .and_then(|u| u.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)))
            .and_then(|(_, why)| why.as_str());
        let starts_upper = key.chars().next().is_some_and(char::is_uppercase);
        d = match (unsupported, suggestion) {
            (Some(why), _) => d.with_help(why.to_string()),
            (None, Some(s)) => {
                let why = if pascal && !starts_upper {
                    " (camelCase is the API's spelling; CloudFormation uses PascalCase)"
                } else if !pascal && starts_upper {
                    " (PascalCase is CloudFormation's spelling; API payloads use camelCase)"
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
            .at_pointer(format!("{}{pointer}", self.base))
            .with_primary_label(format!("no `{property}` here"))
            .with_help(format!("add `\"{property}\"`: {}", lowercase_first(description)));
        Some(SchemaFinding {
            diagnostic: d,
            value_level: false,
            replaces_rules: false,
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
            .at_pointer(format!("{}{pointer}", self.base))
            .with_primary_label(format!("this is {}", article(found)));
        let raw = &self.source[node.span.start..node.span.end];
        if self.cloudformation() && expected == "string" && matches!(found, "number" | "boolean") {
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
        } else if field.eq_ignore_ascii_case("registryId") && found == "number" {
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
            replaces_rules: false,
        })
    }

    fn cloudformation(&self) -> bool {
        self.schema.get("x-ecrlint-key-style").and_then(Value::as_str) == Some("PascalCase")
    }

    /// A number or boolean where a template expects a string: CloudFormation
    /// passes scalar properties to the handler as strings, so it deploys as
    /// its text. A finding only when that text is not what was written (YAML
    /// 1.1 read `on` as a boolean, `012345670123` as octal) or, for an account
    /// ID, when the number lost leading zeros.
    fn template_scalar(&self, node: &Node, pointer: &str, field: &str) -> Option<SchemaFinding> {
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
        let is_account = field == "RegistryId";
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
    fn quoted(&self, field: &str, pointer: &str, value: &str) -> String {
        if field_name(pointer) != field {
            format!("`\"{value}\"`")
        } else if self.yaml {
            format!("`{field}: \"{value}\"`")
        } else {
            format!("`\"{field}\": \"{value}\"`")
        }
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
            .at_pointer(format!("{}{pointer}", self.base))
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
            replaces_rules: false,
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
            .at_pointer(format!("{}{pointer}/{limit}", self.base))
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
            replaces_rules: false,
        })
    }

    fn bad_value(&self, pointer: &str, detail: &str) -> Option<SchemaFinding> {
        let (node, _) = self.resolve(pointer)?;
        let field = field_name(pointer);
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
        "RegistryId" | "registryId" => f.registry_id_pattern.is_match(text),
        "Region" | "region" => f.region(text).is_some(),
        "Filter" | "filter" => {
            (f.filter_min_len..=f.filter_max_len).contains(&text.len()) && f.filter_pattern.is_match(text)
        }
        "FilterType" | "filterType" => f.filter_types.iter().any(|t| t == text),
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

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFS: &[(SchemaFile, &str)] = &[
        (SchemaFile::Api, "replicationConfiguration"),
        (SchemaFile::Api, "putReplicationConfigurationRequest"),
        (SchemaFile::Api, "describeRegistryResponse"),
        (SchemaFile::CloudFormation, "properties"),
        (SchemaFile::CloudFormation, "resource"),
        (SchemaFile::CloudFormation, "replicationConfiguration"),
        (SchemaFile::CloudFormation, "replicationRule"),
        (SchemaFile::CloudFormation, "replicationDestination"),
        (SchemaFile::CloudFormation, "repositoryFilter"),
    ];

    fn no_ref_siblings(v: &Value) -> bool {
        match v {
            Value::Object(map) => {
                (!map.contains_key("$ref") || map.keys().all(|k| k == "$ref" || k == "$defs"))
                    && map.values().all(no_ref_siblings)
            }
            Value::Array(items) => items.iter().all(no_ref_siblings),
            _ => true,
        }
    }

    /// Every fixture and example, as JSON values (YAML through our parser).
    fn instances() -> Vec<(String, Value)> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = std::fs::read_dir(root.join("tests/fixtures"))
            .unwrap()
            .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap().map(|e| e.unwrap().path()))
            .chain(
                std::fs::read_dir(root.join("examples"))
                    .unwrap()
                    .map(|e| e.unwrap().path()),
            )
            .collect();
        files.sort();
        files
            .into_iter()
            .filter_map(|p| {
                let bytes = std::fs::read(&p).ok()?;
                let node = match p.extension()?.to_str()? {
                    "json" => crate::syntax::json::parse(&bytes).ok()?,
                    "yaml" | "yml" => crate::syntax::yaml::parse(&bytes).ok()?,
                    _ => return None,
                };
                Some((p.display().to_string(), node.to_value()))
            })
            .collect()
    }

    #[test]
    fn the_compiled_form_agrees_with_the_schema_file() {
        let cases = instances();
        assert!(cases.len() > 100);
        for &(file, def) in DEFS {
            let compiled = compile_form(schema_value(file), def);
            assert!(no_ref_siblings(&compiled), "{def}: a $ref keeps a sibling");
            let draft7 = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft7)
                .build(&compiled)
                .unwrap();
            let mut full = schema_value(file).clone();
            full["$ref"] = Value::String(format!("#/$defs/{def}"));
            let full = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(&full)
                .unwrap();
            for (name, value) in &cases {
                // The documents and every object inside them, so each shape meets each definition.
                let mut stack = vec![value];
                while let Some(v) = stack.pop() {
                    let errors = |validator: &jsonschema::Validator| {
                        let mut e: Vec<String> = validator
                            .iter_errors(v)
                            .map(|e| format!("{} {:?}", e.instance_path(), e.kind()))
                            .collect();
                        e.sort();
                        e
                    };
                    assert_eq!(errors(&draft7), errors(&full), "{def} on {name}");
                    match v {
                        Value::Object(m) => stack.extend(m.values().filter(|c| c.is_object())),
                        Value::Array(items) => stack.extend(items.iter().filter(|c| c.is_object())),
                        _ => {}
                    }
                }
            }
        }
    }
}
