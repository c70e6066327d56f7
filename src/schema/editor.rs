//! `schemas/editor.schema.json`, the schema editors map files to, as
//! generated from the shape table: one `anyOf` branch per shape of
//! [`shapes::SHAPES`], its description listing them. A shape read at its
//! root in the API's spelling is its schema file's definition, referred to;
//! a template, Terraform or Pulumi document is a definition that repeats
//! its schema file's with the dialect's expressions allowed where a value
//! goes (`Fn::If`, `${…}`), kept in `editor_dialects.json` beside this file.
//! `tests/editor_schema.rs` fails when the checked-in file differs.

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
    let defs = json::parse(DIALECT_DEFS.as_bytes()).expect("editor_dialects.json is JSON (checked by tests)");
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

/// JSON text of a node, indented two spaces a level as `serde_json`'s
/// pretty printer does, keys in the source's order.
fn pretty(node: &Node, level: usize, out: &mut String) {
    let indent = |level: usize| "  ".repeat(level);
    match &node.kind {
        NodeKind::Null => out.push_str("null"),
        NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeKind::Number(n) => out.push_str(n),
        NodeKind::String(s) => out.push_str(&quote(s)),
        NodeKind::Array(items) if items.is_empty() => out.push_str("[]"),
        NodeKind::Object(members) if members.is_empty() => out.push_str("{}"),
        NodeKind::Array(items) => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                out.push_str(&indent(level + 1));
                pretty(item, level + 1, out);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            out.push_str(&indent(level));
            out.push(']');
        }
        NodeKind::Object(members) => {
            out.push_str("{\n");
            for (i, m) in members.iter().enumerate() {
                out.push_str(&indent(level + 1));
                out.push_str(&quote(&m.key));
                out.push_str(": ");
                pretty(&m.value, level + 1, out);
                out.push_str(if i + 1 < members.len() { ",\n" } else { "\n" });
            }
            out.push_str(&indent(level));
            out.push('}');
        }
    }
}
