//! The document model: recognises which kind of file this is and gives the
//! rules a typed view of every replication configuration in it, each field
//! with its span (the engine derives JSON pointers from spans). Wrong types are left out of the view (the
//! schema reports them), so rules only ever see values of the right type.

use crate::json::{Member, Node, NodeKind, Span};

/// The file shapes ecrlint understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// `{"rules": [...]}`
    Configuration,
    /// `{"replicationConfiguration": {...}}`
    Request,
    /// `{"registryId": "...", "replicationConfiguration": {...}}`
    DescribeRegistry,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Configuration => "configuration",
            DocumentKind::Request => "request",
            DocumentKind::DescribeRegistry => "describe-registry",
        }
    }

    /// What the help of ECR003 lists.
    pub const SHAPES: &'static str = "a bare configuration `{\"rules\": [...]}`, a request `{\"replicationConfiguration\": {...}}`, or describe-registry output `{\"registryId\": \"...\", \"replicationConfiguration\": {...}}`";
}

/// The key spelling of a configuration. API payloads use camelCase; the
/// CloudFormation resource uses PascalCase for the same fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Keys {
    pub rules: &'static str,
    pub destinations: &'static str,
    pub repository_filters: &'static str,
    pub delete_replication: &'static str,
    pub enabled: &'static str,
    pub region: &'static str,
    pub registry_id: &'static str,
    pub filter: &'static str,
    pub filter_type: &'static str,
}

pub const API_KEYS: Keys = Keys {
    rules: "rules",
    destinations: "destinations",
    repository_filters: "repositoryFilters",
    delete_replication: "deleteReplication",
    enabled: "enabled",
    region: "region",
    registry_id: "registryId",
    filter: "filter",
    filter_type: "filterType",
};

pub struct Document<'a> {
    pub kind: DocumentKind,
    pub root: &'a Node<'a>,
    pub configurations: Vec<Configuration<'a>>,
    /// The source registry, where the document names it (describe-registry).
    pub source_registry: Option<Scalar<'a>>,
}

pub struct Configuration<'a> {
    pub node: &'a Node<'a>,
    pub rules: Option<List<'a, Rule<'a>>>,
}

/// A list-valued field: its key, the array node, and the typed items.
pub struct List<'a, T> {
    pub node: &'a Node<'a>,
    pub key_span: Span,
    pub items: Vec<T>,
}

pub struct Rule<'a> {
    pub index: usize,
    pub node: &'a Node<'a>,
    pub destinations: Option<List<'a, Destination<'a>>>,
    pub repository_filters: Option<List<'a, RepositoryFilter<'a>>>,
    /// `deleteReplication.enabled`, when it is a boolean.
    pub delete_replication: Option<Scalar<'a>>,
}

pub struct Destination<'a> {
    pub index: usize,
    pub node: &'a Node<'a>,
    pub region: Option<Scalar<'a>>,
    pub registry_id: Option<Scalar<'a>>,
}

pub struct RepositoryFilter<'a> {
    pub index: usize,
    pub node: &'a Node<'a>,
    pub filter: Option<Scalar<'a>>,
    pub filter_type: Option<Scalar<'a>>,
}

/// A scalar field of the right type.
pub struct Scalar<'a> {
    pub value: Value<'a>,
    pub node: &'a Node<'a>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    Text(&'a str),
    Bool(bool),
}

impl<'a> Scalar<'a> {
    pub fn text(&self) -> Option<&'a str> {
        match self.value {
            Value::Text(t) => Some(t),
            Value::Bool(_) => None,
        }
    }

    pub fn span(&self) -> Span {
        self.node.span
    }
}

impl<'a> Destination<'a> {
    /// The (region, registryId) pair when both are plain strings.
    pub fn pair(&self) -> Option<(&'a str, &'a str)> {
        Some((self.region.as_ref()?.text()?, self.registry_id.as_ref()?.text()?))
    }
}

impl<'a> RepositoryFilter<'a> {
    pub fn prefix(&self) -> Option<&'a str> {
        self.filter.as_ref()?.text()
    }
}

impl<'a> Configuration<'a> {
    pub fn rules(&self) -> &[Rule<'a>] {
        self.rules.as_ref().map_or(&[], |l| &l.items)
    }

    pub fn destinations(&self) -> impl Iterator<Item = (&Rule<'a>, &Destination<'a>)> {
        self.rules()
            .iter()
            .flat_map(|r| r.destinations().iter().map(move |d| (r, d)))
    }
}

impl<'a> Rule<'a> {
    pub fn destinations(&self) -> &[Destination<'a>] {
        self.destinations.as_ref().map_or(&[], |l| &l.items)
    }

    pub fn filters(&self) -> &[RepositoryFilter<'a>] {
        self.repository_filters.as_ref().map_or(&[], |l| &l.items)
    }

    /// Whether the rule replicates every repository (no filter list at all).
    pub fn is_unfiltered(&self) -> bool {
        self.repository_filters.is_none() && !has_key_ci(self.node, API_KEYS.repository_filters)
    }
}

fn has_key_ci(node: &Node, key: &str) -> bool {
    node.as_object()
        .is_some_and(|ms| ms.iter().any(|m| m.key.eq_ignore_ascii_case(key)))
}

fn member<'a>(node: &'a Node<'a>, key: &str) -> Option<&'a Member<'a>> {
    node.get(key)
}

/// Which shape a root value has. `strict` asks for positive evidence (used
/// when walking directories, where unrelated JSON must be skipped);
/// otherwise a near-miss key such as `Rules` is enough.
pub fn recognise(root: &Node, strict: bool) -> Option<DocumentKind> {
    let members = root.as_object()?;
    let find = |key: &str| members.iter().find(|m| m.key.eq_ignore_ascii_case(key));
    if let Some(rc) = find("replicationConfiguration") {
        if strict
            && !rc
                .value
                .as_object()
                .is_some_and(|o| o.iter().any(|m| m.key.eq_ignore_ascii_case("rules")))
        {
            return None;
        }
        return Some(if find("registryId").is_some() {
            DocumentKind::DescribeRegistry
        } else {
            DocumentKind::Request
        });
    }
    let rules = find("rules")?;
    if strict {
        let plausible = match &rules.value.kind {
            NodeKind::Array(items) if items.is_empty() => members.len() == 1,
            NodeKind::Array(items) => items.iter().all(|i| {
                i.as_object().is_some_and(|o| {
                    o.iter().any(|m| {
                        ["destinations", "destination", "repositoryFilters", "deleteReplication"]
                            .iter()
                            .any(|k| m.key.eq_ignore_ascii_case(k))
                    })
                })
            }),
            _ => false,
        };
        if !plausible {
            return None;
        }
    }
    Some(DocumentKind::Configuration)
}

/// Builds the typed view of a recognised document.
pub fn build<'a>(root: &'a Node<'a>, kind: DocumentKind) -> Document<'a> {
    let keys = &API_KEYS;
    let mut configurations = Vec::new();
    let mut source_registry = None;
    match kind {
        DocumentKind::Configuration => configurations.push(configuration(root, keys)),
        DocumentKind::Request | DocumentKind::DescribeRegistry => {
            if let Some(m) = member(root, "replicationConfiguration") {
                if m.value.as_object().is_some() {
                    configurations.push(configuration(&m.value, keys));
                }
            }
            if kind == DocumentKind::DescribeRegistry {
                source_registry = scalar(root, "registryId");
            }
        }
    }
    Document {
        kind,
        root,
        configurations,
        source_registry,
    }
}

fn configuration<'a>(node: &'a Node<'a>, keys: &Keys) -> Configuration<'a> {
    let rules = list(node, keys.rules, |i, n| rule(i, n, keys));
    Configuration { node, rules }
}

fn rule<'a>(index: usize, node: &'a Node<'a>, keys: &Keys) -> Rule<'a> {
    let destinations = list(node, keys.destinations, |index, node| Destination {
        index,
        node,
        region: scalar(node, keys.region),
        registry_id: scalar(node, keys.registry_id),
    });
    let repository_filters = list(node, keys.repository_filters, |index, node| RepositoryFilter {
        index,
        node,
        filter: scalar(node, keys.filter),
        filter_type: scalar(node, keys.filter_type),
    });
    let delete_replication = member(node, keys.delete_replication).and_then(|m| scalar(&m.value, keys.enabled));
    Rule {
        index,
        node,
        destinations,
        repository_filters,
        delete_replication,
    }
}

/// A list field whose items are objects; other items are left to the schema.
fn list<'a, T>(parent: &'a Node<'a>, key: &str, item: impl Fn(usize, &'a Node<'a>) -> T) -> Option<List<'a, T>> {
    let m = member(parent, key)?;
    let items = m.value.as_array()?;
    let typed = items
        .iter()
        .enumerate()
        .filter(|(_, n)| n.as_object().is_some())
        .map(|(i, n)| item(i, n))
        .collect();
    Some(List {
        node: &m.value,
        key_span: m.key_span,
        items: typed,
    })
}

fn scalar<'a>(parent: &'a Node<'a>, key: &str) -> Option<Scalar<'a>> {
    let m = member(parent, key)?;
    let value = match &m.value.kind {
        NodeKind::String(s) => Value::Text(s.as_ref()),
        NodeKind::Bool(b) => Value::Bool(*b),
        _ => return None,
    };
    Some(Scalar { value, node: &m.value })
}
