//! What a schema says an object may hold, for an editor: the keys at a
//! path below a definition, each with its description, and the values a
//! key takes (its `enum` and `const`s). A path's steps are keys; lists are
//! crossed without a step (an item is where its list is), and every branch
//! of a `$ref`, `allOf`, `anyOf`, `oneOf`, `if`/`then`/`else` counts.

use crate::document::shape::SchemaFile;
use crate::syntax::{json, Node, NodeKind};
use serde_json::Value;
use std::sync::{Mutex, OnceLock};

/// A key an object may have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub name: String,
    pub description: Option<String>,
    /// Its value is an object or a list of objects (a block, in HCL).
    pub holds_objects: bool,
}

/// A schema file as a span tree, which keeps its keys in the file's order
/// (the order offered); parsed once per process.
fn tree(file: &'static SchemaFile) -> &'static Node<'static> {
    static CACHE: OnceLock<Mutex<Vec<(&'static str, &'static Node<'static>)>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if let Some((_, node)) = cache.iter().find(|(id, _)| *id == file.id) {
        return node;
    }
    let node = json::parse(file.text.as_bytes()).expect("embedded schema is JSON (checked by tests)");
    // A handful of files, each read once: leaked for `'static` nodes.
    let node: &'static Node<'static> = Box::leak(Box::new(node));
    cache.push((file.id, node));
    node
}

/// A subschema and the file it is in (where its `$ref`s resolve).
type At = (&'static SchemaFile, &'static Node<'static>);

fn definition(file: &'static SchemaFile, def: &str) -> Option<At> {
    let node = &tree(file).get("$defs")?.value.get(def)?.value;
    Some((file, node))
}

/// Where a `$ref` leads: a definition of this file or of a file it imports.
fn follow(file: &'static SchemaFile, reference: &str) -> Option<At> {
    let (name, def) = reference.split_once("#/$defs/")?;
    let target = if name.is_empty() {
        file
    } else {
        file.imports.iter().copied().find(|i| i.name == name)?
    };
    definition(target, def)
}

/// The scalars an object is known to have (its keys written so far), which
/// pick an `if`'s branch: `value`'s enum follows the account setting's `name`.
type Known<'k> = &'k [(String, Option<String>)];

/// Which branches of a node's `if` may hold: `then` unless a key the `if`
/// fixes (`{"properties": {"name": {"const": …}}}`) is known to differ,
/// `else` unless all such keys are known to match.
fn branches(node: &Node, known: Known) -> (bool, bool) {
    let Some(condition) = node.get("if") else {
        return (true, true);
    };
    let mut all_match = true;
    let mut any_differs = false;
    for m in properties_of(&condition.value) {
        let Some(want) = m.value.get("const").and_then(|c| c.value.as_str()) else {
            all_match = false;
            continue;
        };
        match known.iter().find(|(k, _)| *k == m.key).and_then(|(_, v)| v.as_deref()) {
            Some(have) if have == want => {}
            Some(_) => any_differs = true,
            None => all_match = false,
        }
    }
    (!any_differs, !all_match || any_differs)
}

fn properties_of<'n>(node: &'n Node<'n>) -> &'n [crate::syntax::Member<'n>] {
    node.get("properties")
        .and_then(|p| p.value.as_object())
        .unwrap_or_default()
}

/// Subschemas reached without a step, the node first: `$ref`s, every
/// branch of `allOf`, `anyOf`, `oneOf`, `then` and `else` (as far as
/// `known` lets them hold), and list items.
fn expand(at: At, known: Known, out: &mut Vec<At>) {
    // Schemas are ours and shallow; the bound stops a `$ref` loop.
    if out.len() > 256 || out.iter().any(|(_, n)| std::ptr::eq(*n, at.1)) {
        return;
    }
    out.push(at);
    let (file, node) = at;
    if let Some(target) = node
        .get("$ref")
        .and_then(|r| r.value.as_str())
        .and_then(|r| follow(file, r))
    {
        expand(target, known, out);
    }
    for list in ["allOf", "anyOf", "oneOf"] {
        for sub in node.get(list).and_then(|m| m.value.as_array()).into_iter().flatten() {
            expand((file, sub), known, out);
        }
    }
    let (then, otherwise) = branches(node, known);
    for (key, holds) in [("then", then), ("else", otherwise), ("items", true)] {
        if let Some(sub) = node.get(key).filter(|m| holds && m.value.as_object().is_some()) {
            expand((file, &sub.value), known, out);
        }
    }
}

fn expanded(nodes: &[At]) -> Vec<At> {
    expanded_knowing(nodes, &[])
}

fn expanded_knowing(nodes: &[At], known: Known) -> Vec<At> {
    let mut out = Vec::new();
    for at in nodes {
        expand(*at, known, &mut out);
    }
    out
}

fn properties(node: &'static Node<'static>) -> &'static [crate::syntax::Member<'static>] {
    properties_of(node)
}

/// The schemas of `key` in any of `nodes`.
fn step(nodes: &[At], key: &str) -> Vec<At> {
    step_knowing(nodes, key, &[])
}

/// The schemas of `key` in any of `nodes`, in the branches `known` allows.
fn step_knowing(nodes: &[At], key: &str, known: Known) -> Vec<At> {
    expanded_knowing(nodes, known)
        .into_iter()
        .filter_map(|(file, n)| properties(n).iter().find(|m| m.key == key).map(|m| (file, &m.value)))
        .collect()
}

/// The schemas of the value at `path` below `$defs/<def>`; empty when the
/// schema has no such place.
fn at(file: &'static SchemaFile, def: &str, path: &[&str]) -> Vec<At> {
    let mut nodes: Vec<At> = definition(file, def).into_iter().collect();
    for key in path {
        nodes = step(&nodes, key);
        if nodes.is_empty() {
            break;
        }
    }
    nodes
}

/// The first description among the schemas of a value.
fn description(nodes: &[At]) -> Option<String> {
    expanded(nodes)
        .into_iter()
        .find_map(|(_, n)| n.get("description").and_then(|d| d.value.as_str()).map(str::to_string))
}

fn holds_objects(nodes: &[At]) -> bool {
    let all = expanded(nodes);
    // A value typed a list alone is an argument even when it holds objects
    // (a module's `registry_replication_rules = [{…}]`); a block is an
    // object or a list of them (`["array", "object"]`).
    if all
        .iter()
        .any(|(_, n)| n.get("type").is_some_and(|t| t.value.as_str() == Some("array")))
    {
        return false;
    }
    all.into_iter().any(|(_, n)| {
        n.get("properties").is_some()
            || n.get("type").is_some_and(|t| match &t.value.kind {
                NodeKind::String(t) => t == "object",
                NodeKind::Array(ts) => ts.iter().any(|t| t.as_str() == Some("object")),
                _ => false,
            })
    })
}

/// The keys an object at `path` below `def` may have, in the schema's
/// order (Terraform's `//` comment key and read-only properties, which a
/// template does not set, left out). `None` when the schema does not
/// describe that place.
pub fn keys(file: &'static SchemaFile, def: &str, path: &[&str]) -> Option<Vec<KeyInfo>> {
    let nodes = at(file, def, path);
    if nodes.is_empty() {
        return None;
    }
    let mut keys: Vec<KeyInfo> = Vec::new();
    for (file, node) in expanded(&nodes) {
        for m in properties(node) {
            let read_only = m
                .value
                .get("readOnly")
                .is_some_and(|r| matches!(r.value.kind, crate::syntax::NodeKind::Bool(true)));
            if m.key == "//" || read_only || keys.iter().any(|k| k.name == m.key) {
                continue;
            }
            keys.push(KeyInfo {
                name: m.key.to_string(),
                description: description(&[(file, &m.value)]),
                holds_objects: holds_objects(&[(file, &m.value)]),
            });
        }
    }
    Some(keys)
}

/// The description of `key` in the object at `path` below `def`.
pub fn key_description(file: &'static SchemaFile, def: &str, path: &[&str], key: &str) -> Option<String> {
    description(&step(&at(file, def, path), key))
}

/// The values the schema lists for `key` in the object at `path` below
/// `def` (its `enum` and `const`s; `true` and `false` for a boolean),
/// or for the items of its list; `known`, the object's scalars written so
/// far, picks the branches of an `if` on them.
pub fn values(file: &'static SchemaFile, def: &str, path: &[&str], key: &str, known: Known) -> Vec<Value> {
    let mut values: Vec<Value> = Vec::new();
    let mut add = |v: Value| {
        if !values.contains(&v) {
            values.push(v);
        }
    };
    for (_, node) in expanded(&step_knowing(&at(file, def, path), key, known)) {
        for v in node.get("enum").and_then(|e| e.value.as_array()).into_iter().flatten() {
            add(v.to_value());
        }
        if let Some(c) = node.get("const") {
            add(c.value.to_value());
        }
        if node.get("type").and_then(|t| t.value.as_str()) == Some("boolean") {
            add(Value::Bool(true));
            add(Value::Bool(false));
        }
    }
    values
}

/// Whether the value at `path` below `def` is a list of scalars (where, in
/// YAML, a `- ` starts a value, not an object).
pub fn is_scalar_list(file: &'static SchemaFile, def: &str, path: &[&str]) -> bool {
    let items: Vec<At> = expanded(&at(file, def, path))
        .into_iter()
        .filter_map(|(file, n)| n.get("items").map(|i| (file, &i.value)))
        .collect();
    !items.is_empty() && !holds_objects(&items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::shapes;

    fn names(keys: Option<Vec<KeyInfo>>) -> Vec<String> {
        keys.unwrap().into_iter().map(|k| k.name).collect()
    }

    #[test]
    fn keys_follow_refs_lists_and_imported_files() {
        let api = &shapes::API_SCHEMA;
        assert_eq!(names(keys(api, "replicationConfiguration", &[])), ["rules"]);
        assert_eq!(
            names(keys(
                api,
                "putReplicationConfigurationRequest",
                &["replicationConfiguration", "rules"]
            )),
            ["destinations", "repositoryFilters", "deleteReplication"]
        );
        let cfn = &shapes::CLOUDFORMATION_SCHEMA;
        let at = ["Properties", "ReplicationConfiguration", "Rules", "Destinations"];
        let destination = keys(cfn, "resource", &at).unwrap();
        assert_eq!(destination[0].name, "Region");
        assert_eq!(
            destination[0].description.as_deref(),
            Some("The Region to replicate to, such as us-west-2.")
        );
        assert_eq!(keys(cfn, "resource", &["Properties", "Nope"]), None);
        assert_eq!(
            values(cfn, "resource", &at[..3], "RepositoryFilters", &[]),
            Vec::<Value>::new()
        );
        assert_eq!(
            values(
                cfn,
                "resource",
                &["Properties", "ReplicationConfiguration", "Rules", "RepositoryFilters"],
                "FilterType",
                &[]
            ),
            [Value::from("PREFIX_MATCH")]
        );
        assert_eq!(
            values(cfn, "resource", &[], "Type", &[]),
            [Value::from("AWS::ECR::ReplicationConfiguration")]
        );
        assert_eq!(
            values(
                api,
                "replicationConfiguration",
                &["rules", "deleteReplication"],
                "enabled",
                &[]
            ),
            [Value::Bool(true), Value::Bool(false)]
        );
    }

    #[test]
    fn an_if_on_a_known_key_picks_the_values() {
        let setting = &crate::document::schema_at::ACCOUNT_SETTING_SCHEMA;
        let named = |name: &str| vec![("name".to_string(), Some(name.to_string()))];
        assert_eq!(
            values(
                setting,
                "terraformAccountSetting",
                &[],
                "value",
                &named("REGISTRY_POLICY_SCOPE")
            ),
            ["V1", "V2"].map(Value::from)
        );
        assert_eq!(
            values(
                setting,
                "terraformAccountSetting",
                &[],
                "value",
                &named("BLOB_MOUNTING")
            ),
            ["ENABLED", "DISABLED"].map(Value::from)
        );
        // Unknown: every setting's values.
        assert_eq!(values(setting, "terraformAccountSetting", &[], "value", &[]).len(), 6);
        assert_eq!(
            values(setting, "terraformAccountSetting", &[], "name", &[]),
            ["BASIC_SCAN_TYPE_VERSION", "BLOB_MOUNTING", "REGISTRY_POLICY_SCOPE"].map(Value::from)
        );
    }

    #[test]
    fn terraform_blocks_hold_objects_and_lists_of_scalars_are_told() {
        let tf = &shapes::terraform::SCHEMA;
        let resource = keys(tf, "resource", &[]).unwrap();
        assert_eq!(resource[0].name, "replication_configuration");
        assert!(resource[0].holds_objects);
        assert!(!resource.iter().any(|k| k.name == "//"));
        assert_eq!(
            names(keys(
                tf,
                "resource",
                &["replication_configuration", "rule", "destination"]
            )),
            ["region", "registry_id"]
        );
        let template = &shapes::TEMPLATE_SCHEMA;
        assert!(is_scalar_list(template, "cloudformationProperties", &["AppliedFor"]));
        assert!(!is_scalar_list(template, "cloudformationProperties", &["ResourceTags"]));
        assert_eq!(
            values(
                template,
                "createRepositoryCreationTemplateRequest",
                &[],
                "appliedFor",
                &[]
            ),
            ["REPLICATION", "PULL_THROUGH_CACHE", "CREATE_ON_PUSH"].map(Value::from)
        );
    }

    #[test]
    fn read_only_properties_are_described_but_not_offered() {
        // CloudFormation ignores a written RegistryId (ECR315 flags it): not a key to offer.
        let cfn = &shapes::CLOUDFORMATION_SCHEMA;
        assert_eq!(
            names(keys(cfn, "resource", &["Properties"])),
            ["ReplicationConfiguration"]
        );
        assert_eq!(
            key_description(cfn, "resource", &["Properties"], "RegistryId").as_deref(),
            Some("Read-only: CloudFormation ignores it in a template and configures the stack's own registry (ECR315 when written).")
        );
    }
}
