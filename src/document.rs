//! The document model: recognises which kind of file this is and gives the
//! rules a typed view of every replication configuration in it, each field
//! with its span (the engine derives JSON pointers from spans). Wrong types are left out of the view (the
//! schema reports them), so rules only ever see values of the right type.

use crate::syntax::{Member, Node, NodeKind, Span};

/// The file shapes ecrlint understands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocumentKind {
    /// `{"rules": [...]}`
    Configuration,
    /// `{"replicationConfiguration": {...}}`
    Request,
    /// `{"registryId": "...", "replicationConfiguration": {...}}`
    DescribeRegistry,
    /// A CloudFormation template (JSON or YAML, `cdk synth` output too), or
    /// a fragment of its `Resources` section.
    CloudFormationTemplate,
    /// A resource's properties: `{"ReplicationConfiguration": {"Rules": ...}}`.
    CloudFormationProperties,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Configuration => "configuration",
            DocumentKind::Request => "request",
            DocumentKind::DescribeRegistry => "describe-registry",
            DocumentKind::CloudFormationTemplate => "cloudformation-template",
            DocumentKind::CloudFormationProperties => "cloudformation-properties",
        }
    }

    /// What the help of ECR003 lists.
    pub const SHAPES: &'static str = "a bare configuration `{\"rules\": [...]}`, a request `{\"replicationConfiguration\": {...}}`, describe-registry output `{\"registryId\": \"...\", \"replicationConfiguration\": {...}}`, a CloudFormation template with `AWS::ECR::ReplicationConfiguration` resources, or resource properties `{\"ReplicationConfiguration\": {...}}`";
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

/// CloudFormation's spelling of the same fields.
pub const CFN_KEYS: Keys = Keys {
    rules: "Rules",
    destinations: "Destinations",
    repository_filters: "RepositoryFilters",
    delete_replication: "DeleteReplication",
    enabled: "Enabled",
    region: "Region",
    registry_id: "RegistryId",
    filter: "Filter",
    filter_type: "FilterType",
};

/// Which schema a configuration follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    Api,
    CloudFormation,
}

impl Dialect {
    pub fn keys(self) -> &'static Keys {
        match self {
            Dialect::Api => &API_KEYS,
            Dialect::CloudFormation => &CFN_KEYS,
        }
    }
}

pub const REPLICATION_RESOURCE: &str = "AWS::ECR::ReplicationConfiguration";

/// How a resource `Type` names [`REPLICATION_RESOURCE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeSpelling {
    Exact,
    /// Within a case change or a few typos: CloudFormation rejects the
    /// template, and the resource is linted as a replication resource with
    /// the spelling reported.
    Misspelt,
}

/// Whether a resource `Type` names the replication resource, and how.
pub fn is_replication_type(ty: &str) -> Option<TypeSpelling> {
    /// Edits allowed; the nearest other ECR type is more than twice as far.
    const MAX_EDITS: usize = 3;
    if ty == REPLICATION_RESOURCE {
        return Some(TypeSpelling::Exact);
    }
    let close = ty.len().abs_diff(REPLICATION_RESOURCE.len()) <= MAX_EDITS
        && crate::text::edit_distance(&ty.to_ascii_lowercase(), &REPLICATION_RESOURCE.to_ascii_lowercase())
            <= MAX_EDITS;
    close.then_some(TypeSpelling::Misspelt)
}

fn resource_type<'a>(resource: &'a Node<'a>) -> Option<&'a str> {
    resource.get("Type").and_then(|t| t.value.as_str())
}

/// An `AWS::ECR::ReplicationConfiguration` resource of a template.
pub struct Resource<'a> {
    pub logical_id: &'a str,
    pub key_span: Span,
    pub node: &'a Node<'a>,
}

pub struct Document<'a> {
    pub kind: DocumentKind,
    pub root: &'a Node<'a>,
    pub configurations: Vec<Configuration<'a>>,
    /// The source registry, where the document names it (describe-registry).
    pub source_registry: Option<Scalar<'a>>,
    /// Replication resources of a template, in order.
    pub resources: Vec<Resource<'a>>,
}

pub struct Configuration<'a> {
    pub dialect: Dialect,
    pub node: &'a Node<'a>,
    pub rules: Option<List<'a, Rule<'a>>>,
    /// A branch of `ReplicationConfiguration: !If [...]`: one configuration
    /// the template may deploy, checked as a whole on its own.
    pub branch: bool,
}

/// A list-valued field: its key, the array node, and the typed items.
pub struct List<'a, T> {
    pub node: &'a Node<'a>,
    pub key_span: Span,
    pub items: Vec<T>,
    /// The objects an `Fn::If` item may deploy as (each branch, nested ones
    /// too). They are alternatives, not items side by side: value checks read
    /// them, checks that compare items do not.
    pub branches: Vec<T>,
}

impl<'a, T> List<'a, T> {
    /// The items and the `Fn::If` branches: every object the list may deploy with.
    pub fn candidates(&self) -> impl Iterator<Item = &T> {
        self.items.iter().chain(&self.branches)
    }
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
    pub node: &'a Node<'a>,
    pub region: Option<Scalar<'a>>,
    pub registry_id: Option<Scalar<'a>>,
}

pub struct RepositoryFilter<'a> {
    pub node: &'a Node<'a>,
    pub filter: Option<Scalar<'a>>,
    pub filter_type: Option<Scalar<'a>>,
}

/// A scalar field of the right type (or an intrinsic function). Only the
/// node is kept, and its [`Value`] read on demand: large files have
/// hundreds of thousands of these.
#[derive(Clone, Copy)]
pub struct Scalar<'a> {
    pub node: &'a Node<'a>,
    /// CloudFormation passes scalar properties to the resource handler as
    /// strings: a number or boolean here is read as the text it deploys as.
    pub as_text: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    Text(&'a str),
    Bool(bool),
    /// `{"Ref": "AWS::AccountId"}` or `AWS::Region` (also `!Sub "${AWS::Region}"`):
    /// known to be the source's, whatever its value.
    Pseudo(Pseudo),
    /// Another intrinsic function: unknown until deployment, never checked.
    Dynamic,
    /// Text that is a template variable or a word to replace (`${ACCOUNT_ID}`,
    /// `<ACCOUNT_ID>`): unknown until rendered, reported only as a placeholder.
    Placeholder(&'a str, crate::facts::Placeholder),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pseudo {
    AccountId,
    Region,
}

impl<'a> Scalar<'a> {
    pub fn value(&self) -> Value<'a> {
        scalar_value(self.node, self.as_text).unwrap_or(Value::Dynamic)
    }

    pub fn text(&self) -> Option<&'a str> {
        match self.value() {
            Value::Text(t) => Some(t),
            _ => None,
        }
    }

    pub fn span(&self) -> Span {
        self.node.span
    }

    /// The literal values the field may deploy with: the value itself or,
    /// for `Fn::If`, each branch (nested ones too). Value checks read every
    /// candidate: a glob in either branch fails the deploy that takes it.
    pub fn candidates(&self) -> Vec<Scalar<'a>> {
        if_leaves(self.node)
            .into_iter()
            .filter(|n| scalar_value(n, self.as_text).is_some())
            .map(|node| Scalar {
                node,
                as_text: self.as_text,
            })
            .collect()
    }
}

/// How deep nested `Fn::If` branches are followed (each level doubles them).
const MAX_IF_DEPTH: usize = 8;

/// What a node may deploy as: itself, or for `Fn::If`, each branch, nested
/// ones followed (other functions, `AWS::NoValue` too, are leaves).
pub fn if_leaves<'a>(node: &'a Node<'a>) -> Vec<&'a Node<'a>> {
    fn walk<'a>(node: &'a Node<'a>, depth: usize, out: &mut Vec<&'a Node<'a>>) {
        let branches = match node.dynamic() {
            Some(("Fn::If", arg)) if depth < MAX_IF_DEPTH => arg.as_array(),
            _ => None,
        };
        match branches {
            Some([_, yes, no]) => {
                walk(yes, depth + 1, out);
                walk(no, depth + 1, out);
            }
            _ => out.push(node),
        }
    }
    let mut out = Vec::new();
    walk(node, 0, &mut out);
    out
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

    /// Every rule the configuration may deploy with, `Fn::If` branches included.
    pub fn candidate_rules(&self) -> impl Iterator<Item = &Rule<'a>> {
        self.rules.iter().flat_map(List::candidates)
    }

    /// Every destination it may deploy with, `Fn::If` branches included.
    pub fn candidate_destinations(&self) -> impl Iterator<Item = &Destination<'a>> {
        self.candidate_rules()
            .flat_map(|r| r.destinations.iter().flat_map(List::candidates))
    }
}

impl<'a> Rule<'a> {
    pub fn destinations(&self) -> &[Destination<'a>] {
        self.destinations.as_ref().map_or(&[], |l| &l.items)
    }

    pub fn filters(&self) -> &[RepositoryFilter<'a>] {
        self.repository_filters.as_ref().map_or(&[], |l| &l.items)
    }

    /// Every filter the rule may deploy with, `Fn::If` branches included.
    pub fn candidate_filters(&self) -> impl Iterator<Item = &RepositoryFilter<'a>> {
        self.repository_filters.iter().flat_map(List::candidates)
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

/// The node holding a template's resources: its `Resources` mapping, or the
/// root itself when the file is a fragment of one (logical ID → resource).
/// A `Resources` mapping counts when any entry has a `Type`, so one
/// misspelt resource does not hide the template.
pub fn template_resources<'a>(root: &'a Node<'a>) -> Option<&'a Node<'a>> {
    let is_resource = |n: &Node| n.get("Type").is_some_and(|t| t.value.as_str().is_some());
    if let Some(r) = root.get("Resources").filter(|r| r.value.as_object().is_some()) {
        let any_typed = r
            .value
            .as_object()
            .is_some_and(|ms| ms.iter().any(|m| is_resource(&m.value)));
        if any_typed || root.get("AWSTemplateFormatVersion").is_some() {
            return Some(&r.value);
        }
    }
    let fragment = root
        .as_object()?
        .iter()
        .any(|m| resource_type(&m.value).and_then(is_replication_type).is_some());
    fragment.then_some(root)
}

/// Builds the typed view of a recognised document.
pub fn build<'a>(root: &'a Node<'a>, kind: DocumentKind) -> Document<'a> {
    let mut configurations = Vec::new();
    let mut source_registry = None;
    let mut resources = Vec::new();
    let api = Dialect::Api;
    match kind {
        DocumentKind::Configuration => configurations.push(configuration(root, api)),
        DocumentKind::Request | DocumentKind::DescribeRegistry => {
            if let Some(m) = member(root, "replicationConfiguration") {
                if m.value.as_object().is_some() {
                    configurations.push(configuration(&m.value, api));
                }
            }
            if kind == DocumentKind::DescribeRegistry {
                source_registry = scalar(root, "registryId", api);
            }
        }
        DocumentKind::CloudFormationProperties => {
            if let Some(m) = member(root, "ReplicationConfiguration") {
                configurations.extend(template_configurations(&m.value));
            }
        }
        DocumentKind::CloudFormationTemplate => {
            for m in template_resources(root).and_then(|r| r.as_object()).unwrap_or_default() {
                if resource_type(&m.value).and_then(is_replication_type).is_none() {
                    continue;
                }
                resources.push(Resource {
                    logical_id: &m.key,
                    key_span: m.key_span,
                    node: &m.value,
                });
                let config = member(&m.value, "Properties").and_then(|p| member(&p.value, "ReplicationConfiguration"));
                if let Some(c) = config {
                    configurations.extend(template_configurations(&c.value));
                }
            }
        }
    }
    Document {
        kind,
        root,
        configurations,
        source_registry,
        resources,
    }
}

fn configuration<'a>(node: &'a Node<'a>, dialect: Dialect) -> Configuration<'a> {
    let keys = dialect.keys();
    let rules = list(node, keys.rules, |i, n| rule(i, n, dialect));
    Configuration {
        dialect,
        node,
        rules,
        branch: false,
    }
}

/// A resource's `ReplicationConfiguration`: the object, or each object an
/// `Fn::If` may choose.
fn template_configurations<'a>(node: &'a Node<'a>) -> Vec<Configuration<'a>> {
    if node.as_object().is_some() && node.dynamic().is_none() {
        return vec![configuration(node, Dialect::CloudFormation)];
    }
    if_branches(node)
        .into_iter()
        .map(|b| Configuration {
            branch: true,
            ..configuration(b, Dialect::CloudFormation)
        })
        .collect()
}

fn rule<'a>(index: usize, node: &'a Node<'a>, dialect: Dialect) -> Rule<'a> {
    let keys = dialect.keys();
    let destinations = list(node, keys.destinations, |_, node| Destination {
        node,
        region: scalar(node, keys.region, dialect),
        registry_id: scalar(node, keys.registry_id, dialect),
    });
    let repository_filters = list(node, keys.repository_filters, |_, node| RepositoryFilter {
        node,
        filter: scalar(node, keys.filter, dialect),
        filter_type: scalar(node, keys.filter_type, dialect),
    });
    // CloudFormation has no DeleteReplication (ECR102 says so): nothing to read.
    let delete_replication = (dialect == Dialect::Api)
        .then(|| member(node, keys.delete_replication).and_then(|m| scalar(&m.value, keys.enabled, dialect)))
        .flatten();
    Rule {
        index,
        node,
        destinations,
        repository_filters,
        delete_replication,
    }
}

/// A list field whose items are objects; other items (wrong types for the
/// schema, intrinsic functions for nobody) are left out.
fn list<'a, T>(parent: &'a Node<'a>, key: &str, item: impl Fn(usize, &'a Node<'a>) -> T) -> Option<List<'a, T>> {
    let m = member(parent, key)?;
    let mut branches = Vec::new();
    let Some(items) = m.value.as_array() else {
        // A whole list chosen by `Fn::If`: the items of each branch list.
        if !matches!(m.value.dynamic(), Some(("Fn::If", _))) {
            return None;
        }
        for leaf in if_leaves(&m.value) {
            for (i, n) in leaf.as_array().unwrap_or_default().iter().enumerate() {
                let direct = (n.as_object().is_some() && n.dynamic().is_none()).then_some(n);
                for b in direct.into_iter().chain(if_branches(n)) {
                    branches.push(item(i, b));
                }
            }
        }
        return Some(List {
            node: &m.value,
            key_span: m.key_span,
            items: Vec::new(),
            branches,
        });
    };
    let typed = items
        .iter()
        .enumerate()
        .filter(|(_, n)| n.as_object().is_some() && n.dynamic().is_none())
        .map(|(i, n)| item(i, n))
        .collect();
    for (i, n) in items.iter().enumerate() {
        for b in if_branches(n) {
            branches.push(item(i, b));
        }
    }
    Some(List {
        node: &m.value,
        key_span: m.key_span,
        items: typed,
        branches,
    })
}

/// The literal objects an `Fn::If` item may become (nested ones followed);
/// `AWS::NoValue` and other functions are left out. Empty for other nodes.
fn if_branches<'a>(node: &'a Node<'a>) -> Vec<&'a Node<'a>> {
    if !matches!(node.dynamic(), Some(("Fn::If", _))) {
        return Vec::new();
    }
    if_leaves(node)
        .into_iter()
        .filter(|n| n.as_object().is_some() && n.dynamic().is_none())
        .collect()
}

fn scalar<'a>(parent: &'a Node<'a>, key: &str, dialect: Dialect) -> Option<Scalar<'a>> {
    let m = member(parent, key)?;
    let as_text = dialect == Dialect::CloudFormation;
    scalar_value(&m.value, as_text).map(|_| Scalar {
        node: &m.value,
        as_text,
    })
}

/// What a scalar node holds; `None` for values of other types (left to the
/// schema). `as_text`: numbers and booleans are the text CloudFormation
/// deploys them as (`true`, a YAML number's value); the schema check says
/// when that text differs from what was written.
fn scalar_value<'a>(node: &'a Node<'a>, as_text: bool) -> Option<Value<'a>> {
    Some(match &node.kind {
        NodeKind::String(s) => match crate::facts::facts().placeholder(s) {
            Some(why) => Value::Placeholder(s.as_ref(), why),
            None => Value::Text(s.as_ref()),
        },
        NodeKind::Bool(b) if as_text => Value::Text(if *b { "true" } else { "false" }),
        NodeKind::Number(n) if as_text => Value::Text(n.as_ref()),
        NodeKind::Bool(b) => Value::Bool(*b),
        NodeKind::Object(_) => match node.dynamic()? {
            ("Ref", arg) | ("Fn::Sub", arg) => match arg.as_str() {
                Some("AWS::AccountId" | "${AWS::AccountId}") => Value::Pseudo(Pseudo::AccountId),
                Some("AWS::Region" | "${AWS::Region}") => Value::Pseudo(Pseudo::Region),
                _ => Value::Dynamic,
            },
            _ => Value::Dynamic,
        },
        _ => return None,
    })
}
