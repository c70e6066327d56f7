//! A replication configuration passed to a module ecrlint does not know
//! (a community module such as boldlink's, a local `../modules/ecr`
//! wrapper whose folder is not there to read): found by its contents, as
//! the module's own variable names are not known. A local module whose
//! folder is read is followed instead ([`super::module_source`]). An input whose value holds rules (`rules`/`rule`, or the list
//! of them itself) with destinations (`destinations`/`destination`) that
//! name a `region` and a `registry_id` (or `registryId`), under at most a
//! few wrapper objects (`replication_configuration = { rule = { … } }`), is
//! read as the layout of terraform-aws-modules/ecr's
//! `registry_replication_rules`, made of the input's own nodes: every value
//! keeps its place in the `.tf`. Only values are checked then: the module's
//! variable type, which decides its keys and list sizes, is not known.

use super::dialect::TF_MODULE_KEYS;
use super::terraform::{labelled, whole_expression};
use crate::syntax::{Member, Node, NodeKind, Span, Str};

/// Wrapper objects looked through to find the rules.
const MAX_WRAPPERS: usize = 3;

/// Module arguments that are Terraform's own, never an input.
const META_ARGUMENTS: &[&str] = &["source", "version", "providers", "count", "for_each", "depends_on"];

const RULES: &[&str] = &[
    "rules",
    "rule",
    "replication_rules",
    "replicationRules",
    "registry_replication_rules",
];
const DESTINATIONS: &[&str] = &["destinations", "destination"];
const FILTERS: &[&str] = &[
    "repository_filters",
    "repository_filter",
    "repositoryFilters",
    "repositoryFilter",
    "filters",
];
const REGISTRY_ID: &[&str] = &["registry_id", "registryId"];
const FILTER_TYPE: &[&str] = &["filter_type", "filterType"];

/// The module blocks of other modules with an input that holds a
/// replication configuration: (module name, input).
pub fn inputs<'a>(root: &'a Node<'a>) -> impl Iterator<Item = (&'a Member<'a>, &'a Member<'a>)> {
    labelled(root, "module").flat_map(|(name, body)| {
        let known = body
            .get("source")
            .and_then(|s| s.value.as_str())
            .is_some_and(super::terraform::is_known_module);
        body.as_object()
            .unwrap_or_default()
            .iter()
            .filter(move |m| !known && !META_ARGUMENTS.contains(&m.key.as_ref()))
            .filter(|m| rules_of(&m.value, 0).is_some())
            .map(move |m| (name, m))
    })
}

/// The items of a list, or the one object written where a list may be.
fn items<'b, 't>(node: &'b Node<'t>) -> Vec<&'b Node<'t>> {
    match &node.kind {
        NodeKind::Array(items) => items.iter().filter(|n| n.as_object().is_some()).collect(),
        NodeKind::Object(_) => vec![node],
        _ => Vec::new(),
    }
}

fn member<'b, 't>(node: &'b Node<'t>, keys: &[&str]) -> Option<&'b Member<'t>> {
    node.as_object()?.iter().find(|m| keys.contains(&m.key.as_ref()))
}

/// Whether a rule object names a destination with a Region and an account.
fn is_rule(node: &Node) -> bool {
    member(node, DESTINATIONS).is_some_and(|d| {
        items(&d.value)
            .iter()
            .any(|dest| dest.get("region").is_some() && member(dest, REGISTRY_ID).is_some())
    })
}

/// The rules an input's value holds: under a rules key, the value itself
/// (a list of rules, or one rule), or under a wrapper object.
fn rules_of<'b, 't>(node: &'b Node<'t>, depth: usize) -> Option<Vec<&'b Node<'t>>> {
    if let Some(rules) = member(node, RULES) {
        let found = items(&rules.value);
        if found.iter().any(|r| is_rule(r)) {
            return Some(found);
        }
    }
    let found = items(node);
    if found.iter().any(|r| is_rule(r)) {
        return Some(found);
    }
    if depth >= MAX_WRAPPERS {
        return None;
    }
    node.as_object()?
        .iter()
        .filter(|m| m.value.as_object().is_some())
        .find_map(|m| rules_of(&m.value, depth + 1))
}

/// The input's rules in the layout of `registry_replication_rules`, under
/// that key, made of the input's nodes.
pub fn rules_tree<'t>(input: &Node<'t>) -> Option<Node<'t>> {
    let rules = rules_of(input, 0)?;
    let span = input.span;
    let rules: Vec<Node<'t>> = rules.into_iter().map(rule).collect();
    Some(Node {
        span,
        kind: NodeKind::Object(
            vec![Member {
                key: Str::borrowed(TF_MODULE_KEYS.rules),
                key_span: Span::new(span.start, span.start),
                value: Node {
                    span,
                    kind: NodeKind::Array(rules.into()),
                },
            }]
            .into(),
        ),
    })
}

/// A list made of the items of `m`'s value, under `key`, each item mapped.
fn list<'t>(m: &Member<'t>, key: &'static str, item: impl Fn(&Node<'t>) -> Node<'t>) -> Member<'t> {
    let value = if whole_expression(m.value.as_str().unwrap_or_default()).is_some() {
        // Known only at plan time: left as the expression.
        m.value.clone()
    } else {
        Node {
            span: m.value.span,
            kind: NodeKind::Array(items(&m.value).into_iter().map(item).collect()),
        }
    };
    Member {
        key: Str::borrowed(key),
        key_span: m.key_span,
        value,
    }
}

fn renamed<'t>(m: &Member<'t>, key: &'static str) -> Member<'t> {
    Member {
        key: Str::borrowed(key),
        key_span: m.key_span,
        value: m.value.clone(),
    }
}

fn object<'t>(node: &Node<'t>, members: Vec<Member<'t>>) -> Node<'t> {
    Node {
        span: node.span,
        kind: NodeKind::Object(members.into()),
    }
}

fn rule<'t>(node: &Node<'t>) -> Node<'t> {
    let mut members = Vec::new();
    if let Some(d) = member(node, DESTINATIONS) {
        members.push(list(d, TF_MODULE_KEYS.destinations, destination));
    }
    if let Some(f) = member(node, FILTERS) {
        members.push(list(f, TF_MODULE_KEYS.repository_filters, filter));
    }
    object(node, members)
}

fn destination<'t>(node: &Node<'t>) -> Node<'t> {
    let mut members = Vec::new();
    if let Some(r) = member(node, &["region"]) {
        members.push(renamed(r, TF_MODULE_KEYS.region));
    }
    if let Some(r) = member(node, REGISTRY_ID) {
        members.push(renamed(r, TF_MODULE_KEYS.registry_id));
    }
    object(node, members)
}

fn filter<'t>(node: &Node<'t>) -> Node<'t> {
    let mut members = Vec::new();
    if let Some(f) = member(node, &["filter"]) {
        members.push(renamed(f, TF_MODULE_KEYS.filter));
    }
    if let Some(t) = member(node, FILTER_TYPE) {
        members.push(renamed(t, TF_MODULE_KEYS.filter_type));
    }
    object(node, members)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, String)> {
        let root = crate::syntax::hcl::parse(text.as_bytes()).unwrap();
        inputs(&root)
            .map(|(name, input)| {
                let tree = rules_tree(&input.value).unwrap();
                (format!("{}.{}", name.key, input.key), tree.to_value().to_string())
            })
            .collect()
    }

    #[test]
    fn an_input_that_holds_rules_is_found_through_its_wrappers() {
        let boldlink = r#"module "replication" {
  source = "boldlink/ecr/aws"
  replication_configuration = {
    rule = {
      destinations = [{ region = "us-west-2", registry_id = "210987654321" }]
      repository_filter = [{ filter = "prod", filter_type = "PREFIX_MATCH" }]
    }
  }
}
"#;
        let expected = serde_json::json!({"registry_replication_rules": [{
            "destinations": [{"region": "us-west-2", "registry_id": "210987654321"}],
            "repository_filters": [{"filter": "prod", "filter_type": "PREFIX_MATCH"}]
        }]});
        assert_eq!(
            found(boldlink),
            [(
                "replication.replication_configuration".to_string(),
                expected.to_string()
            )]
        );
        let camel = r#"module "ecr" {
  source = "../modules/ecr"
  replication = {
    rules = [{ destinations = [{ region = "eu-west-1", registryId = "210987654321" }] }]
  }
}
"#;
        assert_eq!(found(camel).len(), 1);
        // The known module is read as itself; inputs without destinations are not ours.
        let others = r#"module "ecr" {
  source = "terraform-aws-modules/ecr/aws"
  registry_replication_rules = [{ destinations = [{ region = "eu-west-1", registry_id = "210987654321" }] }]
}
module "s3" {
  source = "../modules/bucket"
  rules  = [{ id = "expire", destination = { bucket = "arn:aws:s3:::x" } }]
}
"#;
        assert!(found(others).is_empty());
    }
}
