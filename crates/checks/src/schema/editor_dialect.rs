//! The editor schema's definitions of resources written in a dialect
//! (Terraform, Pulumi and CloudFormation replication resources, creation
//! templates and registry policies), made from their schema files: each
//! definition a file's resource reaches is repeated under a prefix
//! (`terraform`, `pulumiRegistryPolicy`, `cloudformationCreationTemplate`),
//! with the dialect's expression accepted wherever a value goes, so that a
//! change to `schemas/*.schema.json` flows into `schemas/editor.schema.json`.
//!
//! What the dialect adds to its file is data here, since no schema file
//! holds it: which expression stands for a value (and CloudFormation's
//! `Fn::If`, whose branches are each checked as the value), the scalars it
//! deploys as text, what it writes as structure rather than as a value (a
//! Terraform block, a Pulumi resource's `properties`), that a Terraform
//! `dynamic "L"` block's `content` is the block `L` it makes, and that a
//! resource's policy argument ([`schema_at::POLICY_INSIDE`]) holds the
//! file's registry policy, as an object or as JSON text (Pulumi's
//! `fn::toJSON` of one). A scalar definition (a pattern, an enum) is
//! referred to in its file, the dialect's forms beside it, rather than
//! repeated.

use crate::document::schema_at;
use crate::document::shape::SchemaFile;
use crate::syntax::{json, Node, NodeKind};

/// How a dialect writes the values of its schema file: its expressions.
pub struct Expressions {
    /// The prefix of the definitions made (`terraformRegion`).
    pub prefix: &'static str,
    /// The editor schema's definition of an expression in the dialect.
    pub expression: &'static str,
    /// Scalars the dialect also accepts for a value of the API's file,
    /// converting them to text, by that value's definition name.
    pub as_text: &'static [(&'static str, &'static str)],
    /// Further forms a value of the API's file may take (a Terraform
    /// template whose literal text is still checked), by definition name.
    pub also: &'static [(&'static str, &'static str)],
    /// Whether an object-or-list (`"type": ["array", "object"]`) is a
    /// block, written as bodies and never as an expression (Terraform).
    pub blocks: bool,
    /// Definitions written as structure of the program, not as a value an
    /// expression may stand for (a Pulumi resource's `properties`).
    pub structure: &'static [&'static str],
    /// A function choosing between two values, each checked as the value
    /// (CloudFormation's `Fn::If`): its schema, `$SELF` standing for the
    /// value's.
    pub either: Option<&'static str>,
}

/// Terraform (`.tf.json`, and the span tree `.tf` gives).
pub static TERRAFORM_EXPRESSIONS: Expressions = Expressions {
    prefix: "terraform",
    expression: "terraformExpression",
    as_text: &[
        (
            "registryId",
            r#"{"description": "A 12-digit number: Terraform converts it to text.", "type": "integer", "minimum": 100000000000, "maximum": 999999999999}"#,
        ),
        (
            "filter",
            r#"{"description": "Terraform converts a number or true/false to text.", "type": ["number", "boolean"]}"#,
        ),
    ],
    also: &[(
        "filter",
        r##"{"description": "A template: its value is known at plan time, but its literal text (outside `${...}`) holds no glob character, upper-case letter or white space, whatever the interpolations give.", "allOf": [{"$ref": "#/$defs/terraformExpression"}], "pattern": "^(?:[^*?\\[A-Z\\s]|[$%]\\{[^}]*\\})*$"}"##,
    )],
    blocks: true,
    structure: &[],
    either: None,
};

/// CloudFormation: `Fn::If` of two values, or another intrinsic function,
/// which stands for any value.
pub static CLOUDFORMATION_EXPRESSIONS: Expressions = Expressions {
    prefix: "cloudformation",
    expression: "otherIntrinsic",
    as_text: &[],
    also: &[],
    blocks: false,
    // A resource's `Properties` (`properties` in the replication file).
    structure: &["cloudformationProperties", "properties"],
    either: Some(
        r#"{"description": "Fn::If: both branches are checked (either may be {\"Ref\": \"AWS::NoValue\"}).", "type": "object", "required": ["Fn::If"], "additionalProperties": false, "properties": {"Fn::If": {"type": "array", "minItems": 3, "maxItems": 3, "prefixItems": [{"type": "string"}, {"$ref": "$SELF"}, {"$ref": "$SELF"}]}}}"#,
    ),
};

/// Pulumi YAML.
pub static PULUMI_EXPRESSIONS: Expressions = Expressions {
    prefix: "pulumi",
    expression: "pulumiExpression",
    as_text: &[
        (
            "registryId",
            r#"{"description": "A 12-digit number: the provider reads it as text.", "type": "integer", "minimum": 100000000000, "maximum": 999999999999}"#,
        ),
        (
            "filter",
            r#"{"description": "The provider reads a number or true/false as text.", "type": ["number", "boolean"]}"#,
        ),
    ],
    also: &[],
    blocks: false,
    // A resource's `properties` (`pulumiProperties` in the policy file).
    structure: &["properties", "pulumiProperties"],
    either: None,
};

/// The definitions a dialect's schema file makes, from `roots` (its
/// definitions the editor schema refers to), each as JSON text under its
/// name: `naming` and the file's name for it, less a leading dialect word
/// (`resource` → `terraformResource`; with `terraformCreationTemplate`,
/// `terraformResource` → `terraformCreationTemplateResource`), or `naming`
/// alone for the definition it names (`registryPolicy` with
/// `pulumiRegistryPolicy`). `given` names the file's definitions the
/// editor schema makes otherwise, with the dialect's expressions already
/// (CloudFormation's replication configuration, `configuration`).
pub fn definitions(
    file: &'static SchemaFile,
    roots: &[&str],
    naming: &'static str,
    dialect: &'static Expressions,
    given: &'static [(&'static str, &'static str)],
) -> Vec<(String, String)> {
    let root = json::parse(file.text.as_bytes()).expect("embedded schema is JSON (checked by tests)");
    let mut maker = Maker {
        file,
        root: &root,
        naming,
        dialect,
        given,
        policy_at: Vec::new(),
        made: Vec::new(),
    };
    for name in roots {
        maker.policy_at.extend(maker.policy_argument(name));
    }
    for name in roots {
        maker.local(name);
    }
    maker
        .made
        .into_iter()
        .filter_map(|(name, text)| Some((name, text?)))
        .collect()
}

struct Maker<'n> {
    file: &'static SchemaFile,
    root: &'n Node<'n>,
    naming: &'static str,
    dialect: &'static Expressions,
    given: &'static [(&'static str, &'static str)],
    /// Where a resource's policy argument is, as a pointer into the editor
    /// schema (`#/$defs/pulumiRegistryPolicyProperties/properties/policy`),
    /// and the function that may wrap the policy there.
    policy_at: Vec<(String, Option<&'static str>)>,
    /// Each definition made, in the order first named (its text is filled
    /// in when made, so a definition that refers to itself ends).
    made: Vec<(String, Option<String>)>,
}

impl<'n> Maker<'n> {
    fn def(&self, name: &str) -> &'n Node<'n> {
        &self
            .root
            .get("$defs")
            .and_then(|d| d.value.get(name))
            .unwrap_or_else(|| panic!("{}: no definition {name}", self.file.name))
            .value
    }

    fn named(&self, def: &str) -> String {
        if let Some(&(_, name)) = self.given.iter().find(|(d, _)| *d == def) {
            return name.to_string();
        }
        let def = def
            .strip_prefix(self.dialect.prefix)
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
            .unwrap_or(def);
        let mut chars = def.chars();
        let first = chars
            .next()
            .map(|c| c.to_ascii_uppercase().to_string())
            .unwrap_or_default();
        let own = format!("{first}{}", chars.as_str());
        if self.naming.ends_with(&own) {
            return self.naming.to_string();
        }
        format!("{}{own}", self.naming)
    }

    /// Where the resource `root` holds its policy, if it does: the pointer
    /// of that argument in the definitions made, found by following
    /// [`schema_at::POLICY_INSIDE`]'s keys through the file, and the
    /// function that may wrap the policy.
    fn policy_argument(&self, root: &str) -> Option<(String, Option<&'static str>)> {
        let inside = schema_at::POLICY_INSIDE.iter().find(|p| p.resource == root)?;
        let (key, through) = inside.steps.split_last()?;
        let mut def = root.to_string();
        for step in through {
            def = properties_of(self.def(&def))
                .iter()
                .find(|m| m.key == *step)
                .and_then(|m| m.value.get("$ref"))
                .and_then(|r| r.value.as_str())
                .and_then(|r| r.strip_prefix("#/$defs/"))
                .unwrap_or_else(|| panic!("{}: {root} has no {step} definition", self.file.name))
                .to_string();
        }
        let at = format!("#/$defs/{}/properties/{}", self.named(&def), pointer_key(key));
        Some((at, inside.to_json))
    }

    /// Whether the file's definition `def` is a scalar value (a pattern,
    /// an enum): referred to as it is, with the dialect's forms beside it.
    fn is_scalar(&self, def: &str) -> bool {
        let node = self.def(def);
        match node.get("type").map(|t| &t.value) {
            Some(t) => t.as_str().is_some_and(|t| t != "object" && t != "array"),
            None => node.get("enum").is_some() || node.get("const").is_some(),
        }
    }

    /// Whether `name` is made or being made; else reserves it.
    fn reserve(&mut self, name: &str) -> bool {
        if self.made.iter().any(|(n, _)| n == name) {
            return false;
        }
        self.made.push((name.to_string(), None));
        true
    }

    fn fill(&mut self, name: &str, text: String) {
        if let Some(slot) = self.made.iter_mut().find(|(n, _)| n == name) {
            slot.1 = Some(text);
        }
    }

    /// The definition made of the file's definition `def`: its name.
    fn local(&mut self, def: &str) -> String {
        let name = self.named(def);
        let given = self.given.iter().any(|(d, _)| *d == def);
        if !given && self.reserve(&name) {
            let text = self.schema(self.def(def), false, &format!("#/$defs/{name}"));
            self.fill(&name, text);
        }
        name
    }

    /// A value of another file (the API's `region`): it, the scalars the
    /// dialect converts to it, or an expression.
    fn imported(&mut self, reference: &str) -> String {
        let def = reference.rsplit('/').next().unwrap_or(reference);
        let name = self.named(def);
        if self.reserve(&name) {
            let d = self.dialect;
            let mut branches = vec![format!("{{\"$ref\": {}}}", quote(reference))];
            for (_, text) in d.as_text.iter().chain(d.also).filter(|(n, _)| *n == def) {
                branches.push(text.to_string());
            }
            branches.extend(d.either.map(|e| e.replace("$SELF", &format!("#/$defs/{name}"))));
            // A form the dialect adds is itself an expression, checked further.
            if !d.also.iter().any(|(n, _)| *n == def) {
                branches.push(local_ref(d.expression));
            }
            self.fill(&name, format!("{{\"anyOf\": [{}]}}", branches.join(", ")));
        }
        name
    }

    /// Whether an expression may stand for the value `node` describes: it
    /// checks something and is not structure (a block, `properties`).
    fn takes_expression(&self, node: &Node) -> bool {
        if let Some(r) = node.get("$ref").and_then(|r| r.value.as_str()) {
            return match r.strip_prefix("#/$defs/") {
                // Made with the dialect's expressions already.
                Some(def) if self.given.iter().any(|(d, _)| *d == def) => false,
                Some(def) if self.is_scalar(def) => false,
                Some(def) => !self.dialect.structure.contains(&def) && self.takes_expression(self.def(def)),
                None => false,
            };
        }
        let Some(ty) = node.get("type") else {
            return false;
        };
        !(self.dialect.blocks && is_block_type(&ty.value))
    }

    /// `node` with the dialect's definitions referred to, and an expression
    /// accepted for it when it is a `value`; `at` is where the text made
    /// goes in the editor schema, for an `Fn::If` to check its branches as
    /// this value.
    fn schema(&mut self, node: &'n Node<'n>, value: bool, at: &str) -> String {
        let block = self.dialect.blocks && node.get("type").is_some_and(|t| is_block_type(&t.value));
        let wrapped = value && self.takes_expression(node);
        // A value an expression may stand for is the first of its branches.
        let inner = if wrapped {
            format!("{at}/anyOf/0")
        } else {
            at.to_string()
        };
        let mut members: Vec<String> = Vec::new();
        let mut notes: Vec<String> = Vec::new();
        for m in node.as_object().unwrap_or_default() {
            let key = m.key.as_ref();
            let text = match key {
                _ if key.starts_with("x-") => continue,
                "$ref" => {
                    let r = m.value.as_str().unwrap_or_default();
                    let made = match r.strip_prefix("#/$defs/") {
                        Some(def) if self.is_scalar(def) => self.imported(&format!("{}{r}", self.file.name)),
                        Some(def) => self.local(def),
                        None => self.imported(r),
                    };
                    quote(&format!("#/$defs/{made}"))
                }
                "properties" => self.properties(&m.value, &format!("{inner}/properties")),
                // What a condition leads to is a value as written here; the condition is the file's.
                "then" | "else" => self.schema(&m.value, false, &format!("{inner}/{key}")),
                "items" => self.schema(&m.value, !block, &format!("{inner}/items")),
                "allOf" | "anyOf" | "oneOf" => {
                    let each: Vec<String> = m
                        .value
                        .as_array()
                        .unwrap_or_default()
                        .iter()
                        .enumerate()
                        .map(|(i, s)| self.schema(s, false, &format!("{inner}/{key}/{i}")))
                        .collect();
                    format!("[{}]", each.join(", "))
                }
                _ => self.qualified(&m.value),
            };
            let member = format!("{}: {text}", quote(key));
            if value && matches!(key, "title" | "description") {
                notes.push(member);
            } else {
                members.push(member);
            }
        }
        if !wrapped {
            members.splice(0..0, notes);
            return format!("{{{}}}", members.join(", "));
        }
        let mut branches = vec![format!("{{{}}}", members.join(", "))];
        branches.extend(self.dialect.either.map(|e| e.replace("$SELF", at)));
        branches.push(local_ref(self.dialect.expression));
        notes.push(format!("\"anyOf\": [{}]", branches.join(", ")));
        format!("{{{}}}", notes.join(", "))
    }

    fn properties(&mut self, node: &'n Node<'n>, at: &str) -> String {
        let members = node.as_object().unwrap_or_default();
        let mut out: Vec<String> = Vec::new();
        for m in members {
            let here = format!("{at}/{}", pointer_key(&m.key));
            let text = if self.dialect.blocks && m.key == "dynamic" {
                self.dynamic(&m.value, members)
            } else if let Some(&(_, to_json)) = self.policy_at.iter().find(|(at, _)| *at == here) {
                self.policy(&m.value, &here, to_json)
            } else {
                self.schema(&m.value, true, &here)
            };
            out.push(format!("{}: {text}", quote(&m.key)));
        }
        format!("{{{}}}", out.join(", "))
    }

    /// A resource's policy argument (`node` in the file, `at` in the
    /// editor schema): the file's registry policy made with the dialect's
    /// expressions, JSON text (which ecrlint lints, a schema cannot), the
    /// JSON function `to_json` of a policy, or an expression.
    fn policy(&mut self, node: &'n Node<'n>, at: &str, to_json: Option<&str>) -> String {
        let policy = local_ref(&self.local(schema_at::POLICY_DEF));
        let d = self.dialect;
        let mut branches = vec![
            r#"{"description": "JSON text: ecrlint lints the policy inside it.", "type": "string"}"#.to_string(),
            policy.clone(),
        ];
        let expression = local_ref(d.expression);
        match to_json {
            Some(name) => {
                let f = quote(name);
                branches.push(format!(
                    r#"{{"description": "`{name}` of a policy.", "type": "object", "required": [{f}], "properties": {{{f}: {policy}}}}}"#
                ));
                branches.extend(d.either.map(|e| e.replace("$SELF", at)));
                branches.push(format!(
                    r#"{{"description": "Another expression: known only at deploy time.", "allOf": [{expression}, {{"not": {{"type": "object", "required": [{f}]}}}}]}}"#
                ));
            }
            None => {
                branches.extend(d.either.map(|e| e.replace("$SELF", at)));
                branches.push(expression);
            }
        }
        let mut members: Vec<String> = ["title", "description"]
            .iter()
            .filter_map(|k| node.get(k))
            .map(|m| format!("{}: {}", quote(&m.key), self.qualified(&m.value)))
            .collect();
        members.push(format!("\"anyOf\": [{}]", branches.join(", ")));
        format!("{{{}}}", members.join(", "))
    }

    /// A Terraform block's `dynamic` blocks: by label (the file's
    /// `dynamicIn…Labels`), each a dynamic block whose `content` is checked
    /// as the sibling block of that name, however many it makes.
    fn dynamic(&mut self, node: &'n Node<'n>, siblings: &'n [crate::syntax::Member<'n>]) -> String {
        let labels_def = node
            .get("allOf")
            .and_then(|a| a.value.as_array())
            .and_then(|a| a.first())
            .and_then(|s| s.get("$ref"))
            .and_then(|r| r.value.as_str())
            .and_then(|r| r.strip_prefix("#/$defs/"))
            .expect("a block's `dynamic` refers to its labels' definition");
        let labels_name = self.named(labels_def);
        if self.reserve(&labels_name) {
            let labels = self.def(labels_def);
            let mut each: Vec<String> = Vec::new();
            for m in properties_of(labels) {
                let made = m.value.get("$ref").and_then(|r| r.value.as_str()).map(|r| {
                    let dynamic_def = r.strip_prefix("#/$defs/").expect("a local definition");
                    let block = siblings
                        .iter()
                        .find(|s| s.key == m.key)
                        .unwrap_or_else(|| panic!("a dynamic block makes a block of its parent: {}", m.key));
                    self.dynamic_block(dynamic_def, &m.key, &block.value)
                });
                let text = made.unwrap_or_else(|| self.qualified(&m.value));
                each.push(format!("{}: {text}", quote(&m.key)));
            }
            let body = self.with_properties(labels, &each);
            self.fill(&labels_name, body);
        }
        let mut out: Vec<String> = Vec::new();
        for m in node.as_object().unwrap_or_default() {
            match m.key.as_ref() {
                "items" | "allOf" => {}
                key if key.starts_with("x-") => {}
                key => out.push(format!("{}: {}", quote(key), self.qualified(&m.value))),
            }
        }
        out.push(format!("\"items\": {}", local_ref(&labels_name)));
        out.push(format!("\"allOf\": [{}]", local_ref(&labels_name)));
        format!("{{{}}}", out.join(", "))
    }

    /// The file's dynamic block (`dynamicBlock`) making the block `label`
    /// (`block`, its schema in the parent): its arguments, with `content`
    /// checked as that block's bodies (with no bound on how many).
    fn dynamic_block(&mut self, dynamic_def: &str, label: &str, block: &'n Node<'n>) -> String {
        let name = format!("{}Dynamic{}", self.naming, camel_case(label));
        if self.reserve(&name) {
            let arguments_def = self
                .def(dynamic_def)
                .get("allOf")
                .and_then(|a| a.value.as_array())
                .and_then(|a| a.first())
                .and_then(|s| s.get("$ref"))
                .and_then(|r| r.value.as_str())
                .and_then(|r| r.strip_prefix("#/$defs/"))
                .expect("the dynamic block refers to its arguments");
            let arguments = self.def(arguments_def);
            let mut content: Vec<String> = Vec::new();
            for m in block.as_object().unwrap_or_default() {
                if matches!(m.key.as_ref(), "type" | "items" | "allOf") {
                    let at = format!("#/$defs/{name}/properties/content/{}", m.key);
                    content.push(format!(
                        "{}: {}",
                        quote(&m.key),
                        self.schema_member(&m.value, &m.key, &at)
                    ));
                }
            }
            let mut props: Vec<String> = Vec::new();
            for m in properties_of(arguments) {
                let text = if m.key == "content" {
                    let mut own: Vec<String> = ["title", "description"]
                        .iter()
                        .filter_map(|k| m.value.get(k))
                        .map(|d| format!("{}: {}", quote(&d.key), self.qualified(&d.value)))
                        .collect();
                    own.extend(content.iter().cloned());
                    format!("{{{}}}", own.join(", "))
                } else {
                    self.qualified(&m.value)
                };
                props.push(format!("{}: {text}", quote(&m.key)));
            }
            let body = self.with_properties(arguments, &props);
            self.fill(&name, body);
        }
        let r = local_ref(&name);
        format!("{{\"type\": [\"array\", \"object\"], \"items\": {r}, \"allOf\": [{r}]}}")
    }

    /// A block's `items` or `allOf` as [`Self::schema`] makes it, `at` in
    /// the editor schema.
    fn schema_member(&mut self, node: &'n Node<'n>, key: &str, at: &str) -> String {
        match key {
            "items" => self.schema(node, false, at),
            "allOf" => {
                let each: Vec<String> = node
                    .as_array()
                    .unwrap_or_default()
                    .iter()
                    .enumerate()
                    .map(|(i, s)| self.schema(s, false, &format!("{at}/{i}")))
                    .collect();
                format!("[{}]", each.join(", "))
            }
            _ => self.qualified(node),
        }
    }

    /// The definition `def` copied with `properties` (each `"key": schema`)
    /// in place of its own, its `x-` extensions left out.
    fn with_properties(&self, def: &Node, properties: &[String]) -> String {
        let mut body: Vec<String> = Vec::new();
        for m in def.as_object().unwrap_or_default() {
            match m.key.as_ref() {
                "properties" => body.push(format!("\"properties\": {{{}}}", properties.join(", "))),
                key if key.starts_with("x-") => {}
                key => body.push(format!("{}: {}", quote(key), self.qualified(&m.value))),
            }
        }
        format!("{{{}}}", body.join(", "))
    }

    /// A part of the file copied as it is (a condition, an enum), its
    /// references to the file's own definitions made to name the file.
    fn qualified(&self, node: &Node) -> String {
        let mut text = String::new();
        pretty(node, 0, &mut text);
        text.replace("\"#/$defs/", &format!("\"{}#/$defs/", self.file.name))
    }
}

fn is_block_type(ty: &Node) -> bool {
    let names: Vec<&str> = ty
        .as_array()
        .unwrap_or_default()
        .iter()
        .filter_map(Node::as_str)
        .collect();
    names.contains(&"array") && names.contains(&"object")
}

fn properties_of<'n>(node: &'n Node<'n>) -> &'n [crate::syntax::Member<'n>] {
    node.get("properties")
        .and_then(|p| p.value.as_object())
        .unwrap_or_default()
}

/// `repository_filter` → `RepositoryFilter`.
fn camel_case(key: &str) -> String {
    key.split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A key as a step of a JSON pointer (RFC 6901).
fn pointer_key(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn local_ref(name: &str) -> String {
    format!("{{\"$ref\": \"#/$defs/{name}\"}}")
}

fn quote(text: &str) -> String {
    serde_json::to_string(text).expect("a string serialises")
}

/// JSON text of a node, indented two spaces a level as `serde_json`'s
/// pretty printer does, keys in the source's order.
pub(super) fn pretty(node: &Node, level: usize, out: &mut String) {
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

#[cfg(test)]
mod tests {
    use super::*;

    static FILE: SchemaFile = SchemaFile {
        id: "test",
        name: "test.schema.json",
        text: r##"{"$defs": {
            "resource": {"type": "object", "properties": {
                "rule": {"type": ["array", "object"], "maxItems": 2, "items": {"$ref": "#/$defs/rule"}, "allOf": [{"$ref": "#/$defs/rule"}], "x-note": "dropped"},
                "names": {"type": "array", "description": "Names.", "items": {"$ref": "x.schema.json#/$defs/registryId"}},
                "meta": {"description": "Anything."}
            }},
            "rule": {"required": ["region"], "properties": {"region": {"$ref": "x.schema.json#/$defs/region"}}, "if": {"$ref": "#/$defs/rule"}}
        }}"##,
        imports: &[],
    };

    /// A block stays structure, a list becomes a value an expression may
    /// stand for, an imported value gains the dialect's scalars and
    /// expression, and the file's own references in a condition name it.
    #[test]
    fn a_schema_files_definitions_are_made_with_the_dialects_expressions() {
        let made = definitions(&FILE, &["resource"], "terraform", &TERRAFORM_EXPRESSIONS, &[]);
        let names: Vec<&str> = made.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "terraformResource",
                "terraformRule",
                "terraformRegion",
                "terraformRegistryId"
            ]
        );
        let compact = |text: &str| {
            let value: serde_json::Value = serde_json::from_str(text).unwrap();
            value.to_string()
        };
        assert_eq!(
            compact(&made[0].1),
            compact(
                r##"{"type": "object", "properties": {
                    "rule": {"type": ["array", "object"], "maxItems": 2, "items": {"$ref": "#/$defs/terraformRule"}, "allOf": [{"$ref": "#/$defs/terraformRule"}]},
                    "names": {"description": "Names.", "anyOf": [{"type": "array", "items": {"$ref": "#/$defs/terraformRegistryId"}}, {"$ref": "#/$defs/terraformExpression"}]},
                    "meta": {"description": "Anything."}
                }}"##
            )
        );
        assert_eq!(
            compact(&made[1].1),
            compact(
                r##"{"required": ["region"], "properties": {"region": {"$ref": "#/$defs/terraformRegion"}}, "if": {"$ref": "test.schema.json#/$defs/rule"}}"##
            )
        );
        assert_eq!(
            compact(&made[2].1),
            compact(
                r##"{"anyOf": [{"$ref": "x.schema.json#/$defs/region"}, {"$ref": "#/$defs/terraformExpression"}]}"##
            )
        );
        assert_eq!(
            compact(&made[3].1),
            compact(&format!(
                r##"{{"anyOf": [{{"$ref": "x.schema.json#/$defs/registryId"}}, {}, {{"$ref": "#/$defs/terraformExpression"}}]}}"##,
                TERRAFORM_EXPRESSIONS.as_text[0].1
            ))
        );
    }

    static TEMPLATE_FILE: SchemaFile = SchemaFile {
        id: "test-template",
        name: "t.schema.json",
        text: r##"{"$defs": {
            "cloudformationResource": {"type": "object", "properties": {
                "Properties": {"$ref": "#/$defs/cloudformationProperties"}
            }},
            "cloudformationProperties": {"type": "object", "properties": {"Prefix": {"$ref": "#/$defs/prefix"}},
                "if": {"required": ["Prefix"]}, "then": {"properties": {"Prefix": {"$ref": "#/$defs/prefix"}}}},
            "prefix": {"type": "string", "pattern": "^[a-z]+$"}
        }}"##,
        imports: &[],
    };

    /// A scalar of the file is referred to there with `Fn::If` of it and the
    /// expression beside it; a definition named with the dialect's word loses it; structure
    /// (`cloudformationProperties`) takes no expression; what an `if`
    /// leads to is made like any value.
    #[test]
    fn a_scalar_definition_is_referred_to_and_a_condition_leads_to_values_made() {
        let made = definitions(
            &TEMPLATE_FILE,
            &["cloudformationResource"],
            "cloudformationCreationTemplate",
            &CLOUDFORMATION_EXPRESSIONS,
            &[],
        );
        let compact = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap().to_string();
        let made: Vec<(String, String)> = made.into_iter().map(|(n, t)| (n, compact(&t))).collect();
        let expected = [
            (
                "cloudformationCreationTemplateResource",
                r##"{"type": "object", "properties": {"Properties": {"$ref": "#/$defs/cloudformationCreationTemplateProperties"}}}"##,
            ),
            (
                "cloudformationCreationTemplateProperties",
                r##"{"type": "object", "properties": {"Prefix": {"$ref": "#/$defs/cloudformationCreationTemplatePrefix"}}, "if": {"required": ["Prefix"]}, "then": {"properties": {"Prefix": {"$ref": "#/$defs/cloudformationCreationTemplatePrefix"}}}}"##,
            ),
            (
                "cloudformationCreationTemplatePrefix",
                r##"{"anyOf": [{"$ref": "t.schema.json#/$defs/prefix"}, $IF, {"$ref": "#/$defs/otherIntrinsic"}]}"##,
            ),
        ];
        // `Fn::If` checks both its branches as the value it stands for.
        let either = CLOUDFORMATION_EXPRESSIONS
            .either
            .unwrap()
            .replace("$SELF", "#/$defs/cloudformationCreationTemplatePrefix");
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(n, t)| (n.to_string(), compact(&t.replace("$IF", &either))))
            .collect();
        assert_eq!(made, expected);
    }

    static POLICY_FILE: SchemaFile = SchemaFile {
        id: "test-policy",
        name: "p.schema.json",
        text: r##"{"$defs": {
            "pulumiResource": {"type": "object", "properties": {
                "properties": {"$ref": "#/$defs/pulumiProperties"},
                "config": {"$ref": "#/$defs/settings"}
            }},
            "pulumiProperties": {"type": "object", "properties": {"policy": {"type": ["object", "string"], "description": "The policy."}}},
            "registryPolicy": {"type": "object", "properties": {"Version": {"type": "string"}}},
            "settings": {"type": "object"}
        }}"##,
        imports: &[],
    };

    /// A resource's policy argument is the file's policy made (named by the
    /// naming alone), JSON text, `fn::toJSON` of the policy, or another
    /// expression; a definition given is referred to by its name, not made,
    /// and takes no expression beside it.
    #[test]
    fn a_policy_argument_holds_the_files_policy_and_a_given_definition_is_referred_to() {
        let made = definitions(
            &POLICY_FILE,
            &["pulumiResource"],
            "pulumiRegistryPolicy",
            &PULUMI_EXPRESSIONS,
            &[("settings", "sharedSettings")],
        );
        let compact = |text: &str| serde_json::from_str::<serde_json::Value>(text).unwrap().to_string();
        let made: Vec<(String, String)> = made.into_iter().map(|(n, t)| (n, compact(&t))).collect();
        let expected = [
            (
                "pulumiRegistryPolicyResource",
                r##"{"type": "object", "properties": {"properties": {"$ref": "#/$defs/pulumiRegistryPolicyProperties"}, "config": {"$ref": "#/$defs/sharedSettings"}}}"##,
            ),
            (
                "pulumiRegistryPolicyProperties",
                r##"{"type": "object", "properties": {"policy": {"description": "The policy.", "anyOf": [
                    {"description": "JSON text: ecrlint lints the policy inside it.", "type": "string"},
                    {"$ref": "#/$defs/pulumiRegistryPolicy"},
                    {"description": "`fn::toJSON` of a policy.", "type": "object", "required": ["fn::toJSON"], "properties": {"fn::toJSON": {"$ref": "#/$defs/pulumiRegistryPolicy"}}},
                    {"description": "Another expression: known only at deploy time.", "allOf": [{"$ref": "#/$defs/pulumiExpression"}, {"not": {"type": "object", "required": ["fn::toJSON"]}}]}
                ]}}}"##,
            ),
            (
                "pulumiRegistryPolicy",
                r##"{"type": "object", "properties": {"Version": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/pulumiExpression"}]}}}"##,
            ),
        ];
        let expected: Vec<(String, String)> = expected.iter().map(|(n, t)| (n.to_string(), compact(t))).collect();
        assert_eq!(made, expected);
    }
}
