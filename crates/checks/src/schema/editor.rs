//! `schemas/editor.schema.json`, the schema editors map files to, as
//! generated from the shape table: one `anyOf` branch per shape of
//! [`shapes::SHAPES`], its description listing them. A shape read at its
//! root in the API's spelling is its schema file's definition, referred to;
//! a template, Terraform or Pulumi document is a definition that repeats
//! its schema file's with the dialect's expressions allowed where a value
//! goes (`Fn::If`, `${…}`). Those of a CloudFormation replication
//! configuration are made from the CloudFormation schema file's definitions
//! ([`cloudformation_values`]); those of the resource that holds it, of a
//! Terraform or Pulumi replication resource, a terraform-aws-modules/ecr
//! block, a Terraform or CloudFormation creation template and a
//! CloudFormation or Pulumi registry policy from theirs
//! ([`editor_dialect`]). The wrappers that say where a dialect's document
//! holds its resources (a template's `Resources`, a plan's
//! `resource_changes[].change.after`) and the expressions, which no schema
//! file holds, are kept in `editor_dialects.json` beside this file, each
//! with a `$comment` saying so. `tests/editor_schema.rs` fails when the
//! checked-in file differs.

use super::editor_dialect::{self, pretty};
use crate::document::shape::SchemaTarget;
use crate::document::shapes;
use crate::syntax::{json, Node, NodeKind};

/// The dialect definitions, in the order the file lists them.
const DIALECT_DEFS: &str = include_str!("editor_dialects.json");

/// The definitions of `editor_dialects.json` that a shape written in a
/// dialect is (a Terraform file is a configuration, or a module's input
/// alone), by the shape's name.
const DIALECT_BRANCHES: &[(&str, &[&str])] = &[
    ("cloudformation-properties", &["cloudformationProperties"]),
    ("cloudformation-template", &["cloudformationTemplate"]),
    ("terraform", &["terraformConfiguration", "terraformModuleFragment"]),
    ("terraform-plan", &["terraformPlan"]),
    ("pulumi", &["pulumiProgram"]),
];

/// What the description says after the list of shapes.
const NOTES: &str = "In templates, intrinsic functions are accepted where a value goes (both branches of Fn::If are checked) and numbers deploy as text; in Terraform, a `${...}` expression may stand for any value, except that a filter template's literal text is checked, and numbers become text; in Pulumi YAML, `${...}` and `fn::` expressions are accepted where a value goes. get-registry-policy's policyText is JSON inside a string, so a schema can only check that it is a string (ecrlint lints the policy inside). Values and bounds come from the schema files the definitions refer to. Map replication files to this schema (VS Code `json.schemas`, `yaml.schemas`); ecrlint checks more than a schema can (Regions, quotas, duplicates, policy grants).";

/// The text of `schemas/editor.schema.json`.
pub fn editor_schema() -> String {
    let dialects = json::parse(DIALECT_DEFS.as_bytes()).expect("editor_dialects.json is JSON (checked by tests)");
    let mut generated = cloudformation_values();
    // The resource holding the configuration, which is made above with
    // both branches of each `Fn::If` checked.
    generated.extend(editor_dialect::definitions(
        &shapes::CLOUDFORMATION_SCHEMA,
        &["resource"],
        "cloudformation",
        &editor_dialect::CLOUDFORMATION_EXPRESSIONS,
        &[("replicationConfiguration", "configuration")],
    ));
    generated.extend(editor_dialect::definitions(
        &shapes::POLICY_SCHEMA,
        &["cloudformationResource"],
        "cloudformationRegistryPolicy",
        &editor_dialect::CLOUDFORMATION_EXPRESSIONS,
        &[],
    ));
    let terraform = editor_dialect::definitions(
        &shapes::terraform::SCHEMA,
        &["resource", "moduleBlock"],
        "terraform",
        &editor_dialect::TERRAFORM_EXPRESSIONS,
        &[],
    );
    let mut pulumi = editor_dialect::definitions(
        &shapes::pulumi::SCHEMA,
        &["resource"],
        "pulumi",
        &editor_dialect::PULUMI_EXPRESSIONS,
        &[],
    );
    pulumi.extend(editor_dialect::definitions(
        &shapes::POLICY_SCHEMA,
        &["pulumiResource"],
        "pulumiRegistryPolicy",
        &editor_dialect::PULUMI_EXPRESSIONS,
        &[],
    ));
    let templates = [
        editor_dialect::definitions(
            &shapes::TEMPLATE_SCHEMA,
            &["terraformResource"],
            "terraformCreationTemplate",
            &editor_dialect::TERRAFORM_EXPRESSIONS,
            &[],
        ),
        editor_dialect::definitions(
            &shapes::TEMPLATE_SCHEMA,
            &["cloudformationResource"],
            "cloudformationCreationTemplate",
            &editor_dialect::CLOUDFORMATION_EXPRESSIONS,
            &[],
        ),
    ];
    let kept = dialects.as_object().unwrap_or_default().iter().map(|m| {
        let mut text = String::new();
        pretty(&m.value, 0, &mut text);
        format!("{}: {text}", quote(&m.key))
    });
    let made = |defs: Vec<(String, String)>| {
        defs.into_iter()
            .map(|(name, def)| format!("{}: {def}", quote(&name)))
            .collect::<Vec<_>>()
    };
    let defs_text = format!(
        "{{{}}}",
        made(generated)
            .into_iter()
            .chain(kept)
            .chain(made(terraform))
            .chain(made(pulumi))
            .chain(templates.into_iter().flat_map(made))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let defs = json::parse(defs_text.as_bytes()).expect("the definitions are JSON");
    let names: Vec<&str> = defs
        .as_object()
        .unwrap_or_default()
        .iter()
        .map(|m| m.key.as_ref())
        .collect();
    for (i, name) in names.iter().enumerate() {
        assert!(!names[..i].contains(name), "two definitions are named {name}");
    }
    let has_def = |name: &str| defs.get(name).is_some();
    let mut branches: Vec<String> = Vec::new();
    let mut add = |branch: String| {
        if !branches.contains(&branch) {
            branches.push(branch);
        }
    };
    // Most common first, as ECR003's help lists them; a statement saved
    // alone is a mistake (ECR509), not a document to map.
    let listed = shapes::SHAPES
        .iter()
        .rev()
        .filter(|s| !std::ptr::eq(**s, &shapes::registry_policy::LONE_STATEMENT_SHAPE));
    for shape in listed {
        match (DIALECT_BRANCHES.iter().find(|(name, _)| *name == shape.name), shape.target) {
            (Some((_, local)), _) => {
                for def in *local {
                    assert!(has_def(def), "editor_dialects.json has no definition {def}");
                    add(format!("{{\"$ref\": \"#/$defs/{def}\"}}"));
                }
            }
            (None, SchemaTarget::Root(def)) => add(format!("{{\"$ref\": \"{}#/$defs/{def}\"}}", shape.schema.name)),
            (None, SchemaTarget::EachResource(_)) => panic!(
                "shape {}: add its definition with the dialect's expressions to editor_dialects.json and DIALECT_BRANCHES",
                shape.name
            ),
        }
    }
    let id = schema_id("editor.schema.json");
    let description = format!(
        "For editors: any document ecrlint reads: {}. {NOTES}",
        shapes::describe_all()
    );
    let mut out = String::new();
    out.push_str("{\n");
    out.push_str("  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n");
    out.push_str(&format!("  \"$id\": {},\n", quote(&id)));
    out.push_str("  \"title\": \"ECR replication document\",\n");
    out.push_str(&format!("  \"description\": {},\n", quote(&description)));
    out.push_str("  \"anyOf\": [\n");
    for (i, branch) in branches.iter().enumerate() {
        let node = json::parse(branch.as_bytes()).expect("a branch is JSON");
        out.push_str("    ");
        pretty(&node, 2, &mut out);
        out.push_str(if i + 1 < branches.len() { ",\n" } else { "\n" });
    }
    out.push_str("  ],\n");
    out.push_str("  \"$defs\": ");
    pretty(&defs, 1, &mut out);
    out.push_str("\n}\n");
    out
}

/// Where a CloudFormation replication configuration's values may be an
/// intrinsic function: every value but `Fn::If` (whose branches are each
/// checked as the value) is known only at deploy time.
const OTHER_INTRINSIC: &str = r#"{"description": "A CloudFormation intrinsic function other than Fn::If ({\"Ref\": ...}, {\"Fn::Sub\": ...}): its value is known only when the stack is deployed.", "type": "object", "minProperties": 1, "maxProperties": 1, "propertyNames": {"pattern": "^(Ref|Condition|Fn::[A-Za-z]+)$"}, "not": {"required": ["Fn::If"]}}"#;

/// Scalars CloudFormation also accepts for a value, deploying them as text.
const DEPLOYED_AS_TEXT: &[(&str, &str)] = &[
    (
        "registryId",
        r#"{"description": "A 12-digit number: CloudFormation deploys it as text.", "type": "integer", "minimum": 100000000000, "maximum": 999999999999}"#,
    ),
    (
        "filter",
        r#"{"description": "CloudFormation deploys a number or true/false as text.", "type": ["number", "boolean"]}"#,
    ),
];

/// A definition's members that say what a value is (not its title,
/// description or ecrlint's annotations, nor an empty list's `minItems: 0`).
fn checks<'n>(node: &'n Node<'n>) -> impl Iterator<Item = &'n crate::syntax::Member<'n>> {
    node.as_object().unwrap_or_default().iter().filter(|m| {
        let annotation = matches!(m.key.as_ref(), "title" | "description") || m.key.starts_with("x-");
        let no_bound = m.key == "minItems" && matches!(&m.value.kind, NodeKind::Number(n) if n == "0");
        !(annotation || no_bound)
    })
}

/// The CloudFormation replication configuration with an intrinsic function
/// allowed for every value: for each value of the CloudFormation schema
/// file's `replicationConfiguration` (its keys' camelCase names: `rules`,
/// `destination`...), the value as the file says with its own values so
/// wrapped, or `Fn::If` of two of them, or another function; deepest values
/// first. Each definition as JSON text.
fn cloudformation_values() -> Vec<(String, String)> {
    let file = &shapes::CLOUDFORMATION_SCHEMA;
    let root = json::parse(file.text.as_bytes()).expect("embedded schema is JSON (checked by tests)");
    let def = |name: &str| -> &Node {
        let r = name.strip_prefix("#/$defs/").unwrap_or(name);
        &root
            .get("$defs")
            .and_then(|d| d.value.get(r))
            .expect("the schema's $ref resolves")
            .value
    };
    // (depth, name, the value as written, with its values referred to).
    let mut found: Vec<(usize, String, String)> = Vec::new();
    fn camel(key: &str) -> String {
        let mut chars = key.chars();
        chars
            .next()
            .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
            .unwrap_or_default()
    }
    fn walk<'n>(
        node: &'n Node<'n>,
        name: String,
        depth: usize,
        def: &dyn Fn(&str) -> &'n Node<'n>,
        found: &mut Vec<(usize, String, String)>,
    ) {
        let local = |n: &str| format!("{{\"$ref\": \"#/$defs/{n}\"}}");
        let mut members: Vec<String> = Vec::new();
        let mut inner: Vec<(&'n Node<'n>, String)> = Vec::new();
        for m in checks(node) {
            let value = match m.key.as_ref() {
                "items" => {
                    let target = m
                        .value
                        .get("$ref")
                        .and_then(|r| r.value.as_str())
                        .map(def)
                        .unwrap_or(&m.value);
                    let item = name.strip_suffix('s').unwrap_or(&name).to_string();
                    inner.push((target, item.clone()));
                    local(&item)
                }
                "properties" => {
                    let props: Vec<String> = m
                        .value
                        .as_object()
                        .unwrap_or_default()
                        .iter()
                        .map(|p| {
                            let key = camel(&p.key);
                            inner.push((&p.value, key.clone()));
                            format!("{}: {}", quote(&p.key), local(&key))
                        })
                        .collect();
                    format!("{{{}}}", props.join(", "))
                }
                _ => {
                    let mut text = String::new();
                    pretty(&m.value, 0, &mut text);
                    text
                }
            };
            members.push(format!("{}: {value}", quote(&m.key)));
        }
        // A value the file defines elsewhere is referred to as it is (a
        // scalar of the API's file); one defined here is walked.
        let plain = match node.get("$ref").and_then(|r| r.value.as_str()) {
            Some(r) if r.starts_with("#/") => return walk(def(r), name, depth, def, found),
            Some(r) => format!("{{\"$ref\": {}}}", quote(r)),
            None => format!("{{{}}}", members.join(", ")),
        };
        found.push((depth, name, plain));
        for (node, name) in inner {
            walk(node, name, depth + 1, def, found);
        }
    }
    walk(
        def("replicationConfiguration"),
        "configuration".to_string(),
        0,
        &def,
        &mut found,
    );
    found.sort_by_key(|(depth, _, _)| std::cmp::Reverse(*depth));
    let mut defs = vec![("otherIntrinsic".to_string(), OTHER_INTRINSIC.to_string())];
    for (_, name, plain) in found {
        let mut branches = vec![plain];
        branches.extend(
            DEPLOYED_AS_TEXT
                .iter()
                .filter(|(n, _)| *n == name)
                .map(|(_, b)| b.to_string()),
        );
        branches.push(format!("{{\"$ref\": \"#/$defs/{name}If\"}}"));
        branches.push("{\"$ref\": \"#/$defs/otherIntrinsic\"}".to_string());
        let either = editor_dialect::CLOUDFORMATION_EXPRESSIONS
            .either
            .expect("CloudFormation has Fn::If")
            .replace("$SELF", &format!("#/$defs/{name}"));
        defs.push((name.clone(), format!("{{\"anyOf\": [{}]}}", branches.join(", "))));
        defs.push((format!("{name}If"), either));
    }
    defs
}

/// The published address of a schema file: the API schema's, with its name.
fn schema_id(name: &str) -> String {
    let api: serde_json::Value = serde_json::from_str(shapes::API_SCHEMA.text).expect("embedded schema is JSON");
    let api_id = api["$id"].as_str().expect("the API schema has an $id");
    let base = &api_id[..api_id.rfind('/').map_or(0, |i| i + 1)];
    format!("{base}{name}")
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}
