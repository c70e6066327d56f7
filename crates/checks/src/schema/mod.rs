//! Validates a document against the JSON Schema in `schemas/` and turns each
//! schema error into one of our diagnostics, placed on the key or value at
//! fault (jsonschema reports `required` and `additionalProperties` on the
//! parent object; we map them to the key).

use crate::diagnostic::Diagnostic;
use crate::document::shape::{SchemaFile, SchemaTarget};
use crate::document::{shapes, Dialect, Document};
use crate::syntax::{Node, Span};
use jsonschema::error::ValidationErrorKind;

mod compile;
pub mod editor;
mod editor_dialect;
mod instance;
mod messages;
pub mod outline;
pub use compile::prepare_in_background;
use compile::{schema_value, validator};
use instance::Instance;
use messages::Mapper;

/// A schema finding; `value_level` ones (pattern, enum, length) are also
/// checked by a rule with a more specific message, which then wins.
pub struct SchemaFinding {
    pub diagnostic: Diagnostic,
    pub value_level: bool,
    /// The value as written is not the value checked: rules' findings on
    /// the same value (which read the deployed value) are dropped.
    pub replaces_rules: bool,
}

/// One node to validate against one definition; pointers in findings are
/// `base` + the path inside `node`.
struct Target<'a> {
    file: &'static SchemaFile,
    def: &'static str,
    node: &'a Node<'a>,
    base: String,
    dialect: Dialect,
    /// The field the node is the value of, when the node is a value
    /// checked alone (an `Fn::If` branch).
    name: Option<String>,
}

fn targets<'a>(doc: &Document<'a>) -> Vec<Target<'a>> {
    let shape = doc.shape;
    let at_as = |def, node: &'a Node<'a>, dialect: Dialect| Target {
        file: shape.schema,
        def,
        node,
        base: if std::ptr::eq(node, doc.root) {
            String::new()
        } else {
            doc.root.pointer_at(node.span).to_string()
        },
        dialect,
        name: None,
    };
    let at = |def, node: &'a Node<'a>| at_as(def, node, shape.dialect);
    let mut all = match shape.target {
        SchemaTarget::Root(def) => vec![at(def, doc.root)],
        SchemaTarget::EachResource(def) => doc
            .resources
            .iter()
            .map(|r| at_as(r.schema_def.unwrap_or(def), r.node, r.dialect))
            .collect(),
    };
    // A list under a misspelt key (`destination`) is read as the list it
    // stands for: the schema stops at the unknown key (ECR102), so its items
    // are checked here against their definitions.
    // (Only with a schema file that has the item definitions: a shape with
    // its own layout names them otherwise.)
    let has_defs = ["replicationRule", "replicationDestination", "repositoryFilter"]
        .iter()
        .all(|d| schema_value(shape.schema)["$defs"].get(d).is_some());
    for config in doc.configurations.iter().filter(|_| has_defs) {
        let keys = config.dialect.keys;
        let misspelt = |parent: &Node, key: &str| parent.get(key).is_none();
        // A module's input under a slip of its name is its resource's target.
        let own_rules = config.dialect.reads_misspelt_rules_key;
        if let Some(rules) = config
            .rules
            .as_ref()
            .filter(|_| own_rules && misspelt(config.node, keys.rules))
        {
            all.extend(rules.items.iter().map(|r| at("replicationRule", r.node)));
        }
        for rule in config.candidate_rules() {
            if let Some(l) = rule
                .destinations
                .as_ref()
                .filter(|_| misspelt(rule.node, keys.destinations))
            {
                all.extend(l.items.iter().map(|d| at("replicationDestination", d.node)));
            }
            if let Some(l) = rule
                .repository_filters
                .as_ref()
                .filter(|_| misspelt(rule.node, keys.repository_filters))
            {
                all.extend(l.items.iter().map(|f| at("repositoryFilter", f.node)));
            }
        }
    }
    // An object under a slip of its key (a Pulumi resource's `propertis`).
    all.extend(doc.misspelt_objects.iter().map(|o| Target {
        file: o.file,
        ..at(o.def, o.node)
    }));
    // A `dynamic` block under a misspelt label (`dynamic "destinaton"`) is
    // read as the block it stands for: the schema stops at the label, so its
    // body is checked here as a dynamic block (its `content` is a branch).
    for r in doc.resources.iter().filter(|r| r.dialect.dynamic_blocks) {
        all.extend(misspelt_dynamic_blocks(r.node).map(|b| at("dynamicBlock", b)));
    }
    // Registry policy resources of a template, and policies written as
    // objects inside another shape: each against its own definition.
    let policy = |def, node: &'a Node<'a>| Target {
        file: &shapes::POLICY_SCHEMA,
        ..at(def, node)
    };
    all.extend(
        doc.policy_resources
            .iter()
            .map(|r| policy(r.schema_def.unwrap_or("cloudformationResource"), r.node)),
    );
    all.extend(
        doc.argument_resources
            .iter()
            .filter_map(|r| Some(at_as(r.schema_def?, r.node, r.dialect))),
    );
    all.extend(doc.template_resources.iter().map(|r| Target {
        file: &shapes::TEMPLATE_SCHEMA,
        ..at_as(r.schema_def.unwrap_or("cloudformationResource"), r.node, r.dialect)
    }));
    // What an `Fn::If` of a creation template's property may deploy: each
    // branch, checked against that property's definition.
    for r in &doc.template_resources {
        let def = r.schema_def.unwrap_or("cloudformationResource");
        for (def, name, branch) in if_branches(&shapes::TEMPLATE_SCHEMA, def, r.node, r.dialect) {
            all.push(Target {
                file: &shapes::TEMPLATE_SCHEMA,
                name: Some(name),
                ..at_as(def, branch, r.dialect)
            });
        }
    }
    all.extend(
        doc.policies
            .iter()
            .filter(|p| !std::ptr::eq(p.node, doc.root))
            .map(|p| policy("registryPolicy", p.node)),
    );
    // Statements under a misspelt `Statement` (read as it): the schema stops
    // at the key, so each statement is checked here.
    for p in doc.policies.iter().filter(|p| p.node.get("Statement").is_none()) {
        all.extend(p.statements.iter().map(|s| policy("statement", s.node)));
    }
    // The resources of a kind that names its own schema (no shape validates them).
    for kind in crate::model::KINDS {
        let Some(schema) = &kind.schema else { continue };
        all.extend((schema.resources)(doc).into_iter().map(|node| Target {
            file: schema.file,
            ..at(schema.def, node)
        }));
    }
    // The branches of `Fn::If` items are what CloudFormation may deploy:
    // each is checked against its item's definition.
    let branch = at;
    for config in doc.configurations.iter().filter(|c| c.dialect.deploy_time_values) {
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

/// The branches of each `Fn::If` under `node` (which is checked against
/// `def` of `file`) whose place has a definition of its own (a property
/// `$ref`s one), each with that definition and the field it is written
/// for; those inside a branch likewise. The schema looks inside no
/// function, so a branch is checked alone, as what CloudFormation deploys.
fn if_branches<'a>(
    file: &'static SchemaFile,
    def: &'static str,
    node: &'a Node<'a>,
    dialect: Dialect,
) -> Vec<(&'static str, String, &'a Node<'a>)> {
    let schema = schema_value(file);
    let mut found = Vec::new();
    let mut stack = vec![(node, def, String::new())];
    while let Some((n, def, pointer)) = stack.pop() {
        if dialect.is_dynamic(n) {
            let Some(("Fn::If", _)) = n.dynamic() else { continue };
            let Some(branch_def) = def_at(schema, def, &pointer) else {
                continue;
            };
            let name = pointer
                .rsplit('/')
                .map(crate::syntax::unescape_token)
                .find(|t| t.parse::<usize>().is_err())
                .unwrap_or_default();
            for branch in crate::document::if_leaves(n)
                .into_iter()
                .filter(|b| !dialect.is_dynamic(b))
            {
                found.push((branch_def, name.clone(), branch));
                stack.push((branch, branch_def, String::new()));
            }
            continue;
        }
        if let Some(items) = n.as_array() {
            stack.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (item, def, format!("{pointer}/{i}"))),
            );
        }
        for m in n.as_object().unwrap_or_default() {
            let token = crate::syntax::escape_token(&m.key);
            stack.push((&m.value, def, format!("{pointer}/{token}")));
        }
    }
    found
}

/// The definition a value at `pointer` inside a value of `def` is checked
/// against, when its place names one (`{"$ref": "#/$defs/prefix"}`).
fn def_at(schema: &'static serde_json::Value, def: &'static str, pointer: &str) -> Option<&'static str> {
    let named = |s: &'static serde_json::Value| s.get("$ref")?.as_str()?.strip_prefix("#/$defs/");
    let deref = |mut s: &'static serde_json::Value| {
        for _ in 0..16 {
            match named(s) {
                Some(name) => s = &schema["$defs"][name],
                None => break,
            }
        }
        s
    };
    let mut s: &'static serde_json::Value = &schema["$defs"][def];
    for token in pointer.split('/').skip(1) {
        let here = deref(s);
        s = match token.parse::<usize>() {
            Ok(_) => here.get("items")?,
            Err(_) => here
                .get("properties")?
                .get(crate::syntax::unescape_token(token).as_str())?,
        };
    }
    named(s)
}

/// The bodies of the `dynamic` blocks under `node` whose label is a slip of
/// one of the resource's block names.
fn misspelt_dynamic_blocks<'a>(node: &'a Node<'a>) -> impl Iterator<Item = &'a Node<'a>> {
    const BLOCKS: &[&str] = &["replication_configuration", "rule", "destination", "repository_filter"];
    let mut found = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        if let Some(items) = n.as_array() {
            stack.extend(items);
            continue;
        }
        for m in n.as_object().unwrap_or_default() {
            if m.key == "dynamic" {
                let labels =
                    crate::document::terraform::bodies(&m.value).flat_map(|b| b.as_object().unwrap_or_default());
                for label in labels {
                    if !BLOCKS.contains(&label.key.as_ref())
                        && crate::text::nearest(&label.key, BLOCKS.iter().copied()).is_some()
                    {
                        found.push(&label.value);
                    }
                }
            }
            stack.push(&m.value);
        }
    }
    found.into_iter()
}

/// Whether the path from `node` along `pointer` passes through a dynamic
/// value (as the dialect reads values): such values are unknown until
/// deployment, never schema errors.
fn through_dynamic(dialect: Dialect, node: &Node, pointer: &str) -> bool {
    dialect.is_dynamic(node) || node.path(pointer).any(|(n, _)| dialect.is_dynamic(n))
}

/// The block whose `dynamic` blocks are at `pointer` (`…/dynamic` or
/// `…/dynamic/<n>`, as HCL writes them), if they are.
fn dynamic_parent(pointer: &str) -> Option<&str> {
    let (rest, last) = pointer.rsplit_once('/')?;
    if last == "dynamic" {
        return Some(rest);
    }
    let (parent, key) = rest.rsplit_once('/')?;
    (key == "dynamic" && last.bytes().all(|b| b.is_ascii_digit())).then_some(parent)
}

pub fn check(doc: &Document, source: &str, yaml: bool) -> Vec<SchemaFinding> {
    let mut out = Vec::new();
    for target in targets(doc) {
        check_target(&target, source, yaml, &mut out);
    }
    if_branch_scalars(doc, source, yaml, &mut out);
    misspelt_list_bounds(doc, source, yaml, &mut out);
    out
}

/// A list under a misspelt key (see `targets`) has the bounds of the list it
/// stands for: `repositoryFilter: []` is too short as `repositoryFilters: []` is.
fn misspelt_list_bounds(doc: &Document, source: &str, yaml: bool, out: &mut Vec<SchemaFinding>) {
    for config in &doc.configurations {
        let keys = config.dialect.keys;
        // (parent object, its definition, the key the list stands for, the list)
        let mut lists: Vec<(&Node, &'static str, &str, &Node, Span)> = Vec::new();
        let own_rules = config.dialect.reads_misspelt_rules_key;
        if let Some(l) = config
            .rules
            .as_ref()
            .filter(|_| own_rules && config.node.get(keys.rules).is_none())
        {
            lists.push((config.node, "replicationConfiguration", keys.rules, l.node, l.key_span));
        }
        for rule in config.candidate_rules() {
            if let Some(l) = rule
                .destinations
                .as_ref()
                .filter(|_| rule.node.get(keys.destinations).is_none())
            {
                lists.push((rule.node, "replicationRule", keys.destinations, l.node, l.key_span));
            }
            if let Some(l) = rule
                .repository_filters
                .as_ref()
                .filter(|_| rule.node.get(keys.repository_filters).is_none())
            {
                lists.push((
                    rule.node,
                    "replicationRule",
                    keys.repository_filters,
                    l.node,
                    l.key_span,
                ));
            }
        }
        for (parent, def, key, list, key_span) in lists {
            let Some(count) = list.as_array().map(<[Node]>::len) else {
                continue;
            };
            let Some(written) = parent
                .as_object()
                .and_then(|ms| ms.iter().find(|m| m.key_span == key_span))
            else {
                continue;
            };
            let base = doc.root.pointer_at(parent.span).to_string();
            let mapper = Mapper {
                root: parent,
                base: &base,
                source,
                schema: schema_value(doc.shape.schema),
                root_def: def,
                yaml,
                dialect: config.dialect,
                root_name: None,
            };
            let Some(property) = mapper.subschema(&format!("/{}", crate::syntax::escape_token(key))) else {
                continue;
            };
            let bound = |name: &str| {
                property.get(name).and_then(serde_json::Value::as_u64).or_else(|| {
                    property
                        .get("allOf")?
                        .as_array()?
                        .iter()
                        .find_map(|s| mapper.deref(s).get(name)?.as_u64())
                })
            };
            let pointer = format!("/{}", crate::syntax::escape_token(&written.key));
            match (bound("minItems"), bound("maxItems")) {
                (Some(min), _) if (count as u64) < min => out.extend(mapper.too_few(&pointer, min as usize)),
                (_, Some(max)) if count as u64 > max => out.extend(mapper.too_many(&pointer, max as usize)),
                _ => {}
            }
        }
    }
}

/// The schema never looks inside functions, so a template's `Fn::If` branch
/// that YAML 1.1 reads as another value (`!If [IsProd, on, prod]` deploys
/// `"true"`) is checked here, as ECR103 checks any other value.
fn if_branch_scalars(doc: &Document, source: &str, yaml: bool, out: &mut Vec<SchemaFinding>) {
    let mapper = Mapper {
        root: doc.root,
        base: "",
        source,
        schema: schema_value(doc.shape.schema),
        root_def: "properties",
        yaml,
        dialect: doc.shape.dialect,
        root_name: None,
    };
    for config in doc.configurations.iter().filter(|c| c.dialect.deploy_time_values) {
        let keys = config.dialect.keys;
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
    let layer = validator(target.file, target.def);
    // Most files are valid: the short-circuiting check is much cheaper.
    if layer.whole().is_valid(Instance::Tree(target.node, source)) {
        return;
    }
    let mapper = Mapper {
        root: target.node,
        base: &target.base,
        source,
        schema: schema_value(target.file),
        root_def: target.def,
        yaml,
        dialect: target.dialect,
        root_name: target.name.as_deref(),
    };
    let mut errors = Vec::new();
    errors_under(
        layer,
        target.node,
        source,
        WALKED_WHOLE_UP_TO,
        &mut String::new(),
        &mut errors,
    );
    errors.retain(|(pointer, _)| !through_dynamic(target.dialect, target.node, pointer));
    // Keys that an unknown key stands in for: those are not also "missing".
    let mut suggested: std::collections::HashSet<(String, String)> = std::collections::HashSet::new();
    // A blank key where one required key is missing is that key: one
    // finding, with the suggestion (an unrelated word keeps both).
    let mut missing: std::collections::HashMap<&str, Vec<&str>> = std::collections::HashMap::new();
    for (pointer, e) in &errors {
        if let ValidationErrorKind::Required { property } = e.kind() {
            if let Some(p) = property.as_str() {
                missing.entry(pointer.as_str()).or_default().push(p);
            }
        }
    }
    for (pointer, e) in &errors {
        if let ValidationErrorKind::AdditionalProperties { unexpected } = e.kind() {
            let pointer = pointer.as_str();
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
                    // A misspelt `dynamic` label stands for the blocks of its parent.
                    if let Some(parent) = dynamic_parent(pointer) {
                        suggested.insert((parent.to_string(), s.clone()));
                    }
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
        .filter(|(_, e)| matches!(e.kind(), ValidationErrorKind::Type { .. }))
        .map(|(pointer, _)| pointer.as_str())
        .collect();
    for (pointer, e) in &errors {
        let pointer = pointer.as_str();
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
            ValidationErrorKind::Enum { options } => mapper
                .not_one_of(pointer, options)
                .or_else(|| mapper.bad_value(pointer, &e.to_string())),
            _ => mapper.bad_value(pointer, &e.to_string()),
        };
        out.extend(finding);
    }
}

/// Values written in at most this many bytes are walked whole for their
/// errors: splitting checks each level again on the way down, which costs a
/// small file more than the one walk (+5.5 % on 200 small files to fix).
const WALKED_WHOLE_UP_TO: usize = 4096;

/// The errors of `node`, which fails `layer`, each with its pointer (`path`
/// followed by its place under `node`): the schema's own checks on `node`,
/// then, for each value under it that fails its property's or item's
/// schema, that value's errors. Valid values are passed over after a check that stops at
/// the first error, instead of walked for errors they do not have. A value
/// of at most `whole_up_to` bytes is walked whole.
fn errors_under<'t>(
    layer: &'static compile::Layer,
    node: &'t Node<'t>,
    source: &'t str,
    whole_up_to: usize,
    path: &mut String,
    out: &mut Vec<(String, jsonschema::ValidationError<'t>)>,
) {
    if node.span.end - node.span.start <= whole_up_to {
        out.extend(
            layer
                .whole()
                .iter_errors(Instance::Tree(node, source))
                .map(|e| (format!("{path}{}", e.instance_path().as_str()), e)),
        );
        return;
    }
    let split = layer.split();
    let own = split.shallow.as_ref().unwrap_or_else(|| layer.whole());
    out.extend(
        own.iter_errors(Instance::Tree(node, source))
            .map(|e| (format!("{path}{}", e.instance_path().as_str()), e)),
    );
    let mut under = |child: &'static compile::Layer, value: &'t Node<'t>, step: &str| {
        if !child.whole().is_valid(Instance::Tree(value, source)) {
            let len = path.len();
            path.push('/');
            path.push_str(step);
            errors_under(child, value, source, whole_up_to, path, out);
            path.truncate(len);
        }
    };
    if let Some(members) = node.as_object() {
        for (name, child) in &split.properties {
            // The last of duplicated keys is the one in force, as the
            // validator reads objects.
            if let Some(m) = members.iter().rev().find(|m| m.key == name.as_str()) {
                under(child, &m.value, &crate::syntax::escape_token(name));
            }
        }
    }
    if let (Some(items), Some(child)) = (node.as_array(), &split.items) {
        for (i, item) in items.iter().enumerate() {
            under(child, item, &i.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    /// The schema's own wording quotes the value: a YAML plain scalar is
    /// not JSON text, and was once quoted as `null`.
    #[test]
    fn a_yaml_value_is_quoted_as_read_never_as_null() {
        let text = "rules:\n  - destinations:\n      - region: US_EAST_1\n        registryId: \"210987654321\"\n";
        let root = crate::syntax::yaml::parse(text.as_bytes()).unwrap();
        let shape = crate::document::shapes::shape_of(&root).unwrap();
        let doc = crate::document::Document::build(&root, shape);
        let found = super::check(&doc, text, true);
        let messages: Vec<&str> = found.iter().map(|f| f.diagnostic.message.as_str()).collect();
        assert!(messages.iter().any(|m| m.contains("\"US_EAST_1\"")), "{messages:?}");
        assert!(messages.iter().all(|m| !m.contains("null")), "{messages:?}");
    }
}
