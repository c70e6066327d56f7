//! Terraform in the span tree: the one tree shape that `.tf` (through the
//! HCL front end) and `.tf.json` (Terraform's JSON syntax, read as JSON)
//! both give, and what its expressions are known to mean.
//!
//! The tree conventions read here:
//! - top level: `resource` → `{"<type>": {"<name>": <body>}}`, likewise
//!   `data`; `module`, `variable` → `{"<name>": <body>}`; `provider` →
//!   `{"aws": [<body>, ...]}`; `locals` → `<body>`. Any of these keys may
//!   repeat, and at every level a body may also be a list of bodies
//!   (Terraform's JSON syntax allows both);
//! - a nested block is a list of bodies under its type (a single body object
//!   is accepted too); `dynamic "<type>" { for_each, content { ... } }` is
//!   `dynamic: [{"<type>": [{"for_each": ..., "content": [<body>]}]}]`;
//! - an expression that is not a literal is a string holding `${<source>}`,
//!   and a template keeps its `${...}` / `%{...}` parts verbatim (`$${` and
//!   `%%{` are literal text).

use super::dialect::{scalar_value, Dialect, Keys};
use super::module::{Known, ModuleView};
use super::{
    Configuration, Destination, List, NameSlip, Named, Pseudo, RepositoryFilter, ResourceKind, Rule, Scalar, Value,
    ValueOrigin,
};
use crate::syntax::{Member, Node, NodeKind, Span};
use std::collections::HashMap;

/// The resource this crate reads.
pub const RESOURCE_TYPE: &str = "aws_ecr_replication_configuration";

/// Top-level keys of a Terraform configuration (its block types).
const BLOCK_TYPES: &[&str] = &[
    "resource",
    "data",
    "module",
    "variable",
    "provider",
    "locals",
    "terraform",
    "output",
    "moved",
    "import",
    "check",
    "removed",
    "ephemeral",
];

/// Modules whose input `registry_replication_rules` carries a replication
/// configuration: terraform-aws-modules/ecr, by its registry address and
/// by its repository (a Git or GitHub source names the repository).
pub const KNOWN_MODULES: &[&str] = &[
    "terraform-aws-modules/ecr/aws",
    "terraform-aws-modules/terraform-aws-ecr",
];

/// The input of the known modules that holds the rules.
pub const MODULE_RULES_INPUT: &str = "registry_replication_rules";

/// Whether a tree is a Terraform configuration: an object whose keys are
/// all Terraform block types, one of them a block only Terraform has (a
/// `variables.tf` of `variable` blocks alone is one, and holds no
/// replication resource). A lone `data` or `output` key is common in other
/// JSON (an API response that wraps a replication configuration), so it
/// alone does not make a file Terraform.
pub fn is_tree(root: &Node) -> bool {
    let Some(members) = root.as_object() else {
        return false;
    };
    // `//` is a comment in Terraform's JSON syntax.
    members
        .iter()
        .all(|m| m.key == "//" || BLOCK_TYPES.contains(&m.key.as_ref()))
        && members.iter().any(|m| {
            matches!(
                m.key.as_ref(),
                "resource" | "module" | "provider" | "terraform" | "variable" | "locals"
            )
        })
}

/// A body, or each body of a list of them.
pub fn bodies<'a>(node: &'a Node<'a>) -> impl Iterator<Item = &'a Node<'a>> {
    let (one, many) = match &node.kind {
        NodeKind::Object(_) => (Some(node), &[][..]),
        NodeKind::Array(items) => (None, &items[..]),
        _ => (None, &[][..]),
    };
    one.into_iter().chain(many.iter().filter(|n| n.as_object().is_some()))
}

/// Every member named `key` (blocks may repeat).
pub fn members<'a>(node: &'a Node<'a>, key: &'a str) -> impl Iterator<Item = &'a Member<'a>> {
    node.as_object()
        .unwrap_or_default()
        .iter()
        .filter(move |m| m.key == key)
}

/// The blocks `block_type "<label>" { }` at the top level: (label, body).
pub fn labelled<'a>(root: &'a Node<'a>, block_type: &'a str) -> impl Iterator<Item = (&'a Member<'a>, &'a Node<'a>)> {
    members(root, block_type)
        .flat_map(|m| bodies(&m.value))
        .flat_map(|labels| labels.as_object().unwrap_or_default())
        .flat_map(|label| bodies(&label.value).map(move |b| (label, b)))
}

/// The blocks `block_type "<type>" "<name>" { }`: (type, name, body).
pub fn labelled2<'a>(
    root: &'a Node<'a>,
    block_type: &'a str,
) -> impl Iterator<Item = (&'a Member<'a>, &'a Member<'a>, &'a Node<'a>)> {
    labelled(root, block_type).flat_map(|(ty, names)| {
        names
            .as_object()
            .unwrap_or_default()
            .iter()
            .flat_map(move |name| bodies(&name.value).map(move |b| (ty, name, b)))
    })
}

/// The registry policy resource this crate reads.
pub const REGISTRY_POLICY_TYPE: &str = "aws_ecr_registry_policy";

/// Slips allowed in a resource type or module input name (a case change,
/// a few typos); the nearest other ECR names are further.
const MAX_SLIPS: usize = 3;

/// Whether `written` is `name` or a slip of it: `Some(true)` when exact.
fn names(written: &str, name: &str) -> Option<bool> {
    if written == name {
        return Some(true);
    }
    let lower = written.to_ascii_lowercase();
    (lower.len().abs_diff(name.len()) <= MAX_SLIPS
        && crate::text::edit_distance_within(&lower, name, MAX_SLIPS).is_some())
    .then_some(false)
}

/// What a resource of type `ty` is checked as, and whether the type says so
/// exactly: one of our types or a slip of it (`aws_ecr_replication_configuraton`,
/// upper case), or an unknown type of ECR's namespace whose body reads as
/// the replication resource (a `replication_configuration` block with rules).
/// Other providers' and services' resources are never ours.
pub fn resource_kind(ty: &str, body: &Node) -> Option<(ResourceKind, bool)> {
    if let Some(exact) = names(ty, RESOURCE_TYPE) {
        return Some((ResourceKind::Replication, exact));
    }
    if let Some(exact) = names(ty, REGISTRY_POLICY_TYPE) {
        return Some((ResourceKind::RegistryPolicy, exact));
    }
    let lower = ty.to_ascii_lowercase();
    let ecr = lower.starts_with("aws_ecr_") || lower.starts_with("ecr_");
    (ecr && body.as_object().is_some() && super::recognise::reads_as_replication(body))
        .then_some((ResourceKind::Replication, false))
}

/// The resources of `kind`: (type, name, body).
fn resources_of<'a>(
    root: &'a Node<'a>,
    kind: ResourceKind,
) -> impl Iterator<Item = (&'a Member<'a>, &'a Member<'a>, &'a Node<'a>)> {
    labelled2(root, "resource")
        .filter(move |(ty, _, body)| resource_kind(&ty.key, body).is_some_and(|(k, _)| k == kind))
}

/// The `aws_ecr_replication_configuration` resources, their type written
/// exactly or not ([`resource_kind`]): (type, name, body).
pub fn replication_resources<'a>(
    root: &'a Node<'a>,
) -> impl Iterator<Item = (&'a Member<'a>, &'a Member<'a>, &'a Node<'a>)> {
    resources_of(root, ResourceKind::Replication)
}

/// The `aws_ecr_registry_policy` resources (or slips of the type): (type, name, body).
pub fn registry_policy_resources<'a>(
    root: &'a Node<'a>,
) -> impl Iterator<Item = (&'a Member<'a>, &'a Member<'a>, &'a Node<'a>)> {
    resources_of(root, ResourceKind::RegistryPolicy)
}

/// The type of a resource as written, when it is a slip of `meant`.
pub fn type_slip<'a>(ty: &'a Member<'a>, meant: &'static str) -> Option<NameSlip<'a>> {
    (ty.key != meant).then(|| NameSlip {
        span: ty.key_span,
        written: &ty.key,
        meant,
        named: Named::TerraformType,
        close: names(&ty.key, meant).is_some(),
    })
}

/// The account setting resource (`REGISTRY_POLICY_SCOPE`, …).
pub const ACCOUNT_SETTING_TYPE: &str = "aws_ecr_account_setting";

/// The literal (name, value) of each `aws_ecr_account_setting` resource;
/// one whose name or value is an expression is not known here.
pub fn account_settings<'a>(root: &'a Node<'a>) -> impl Iterator<Item = (&'a str, &'a str)> {
    labelled2(root, "resource")
        .filter(|(ty, _, _)| ty.key == ACCOUNT_SETTING_TYPE)
        .filter_map(|(_, _, body)| {
            let literal = |key: &str| body.get(key)?.value.as_str().filter(|t| !is_template(t));
            Some((literal("name")?, literal("value")?))
        })
}

/// The argument of a `jsonencode(…)` call written at `span` of `text`:
/// the span of what is between its parentheses.
pub fn jsonencode_argument(text: &str, span: Span) -> Option<Span> {
    let call = text.get(span.start..span.end)?;
    let rest = call.strip_prefix("jsonencode")?;
    let open = rest.len() - rest.trim_start().len();
    let inner = rest.trim_start().strip_prefix('(')?.strip_suffix(')')?;
    let lead = inner.len() - inner.trim_start().len();
    let start = span.start + "jsonencode".len() + open + 1 + lead;
    Some(Span::new(start, start + inner.trim().len()))
}

/// Whether a module `source` is one of [`KNOWN_MODULES`] (a registry
/// address, perhaps with a version suffix, or a Git URL of its repository).
pub fn is_known_module(source: &str) -> bool {
    let s = source.trim().to_ascii_lowercase();
    let s = s.strip_prefix("registry.terraform.io/").unwrap_or(&s);
    KNOWN_MODULES.iter().any(|known| {
        s == *known
            || s.strip_prefix(known)
                .is_some_and(|rest| rest.starts_with("//") || rest.starts_with('?'))
            || (known.contains("terraform-aws-") && s.contains(known))
    })
}

/// Module blocks of a known module that set the rules input: (name, body, input).
pub fn module_inputs<'a>(root: &'a Node<'a>) -> impl Iterator<Item = (&'a Member<'a>, &'a Node<'a>, &'a Member<'a>)> {
    labelled(root, "module").filter_map(|(name, body)| {
        let source = body.get("source")?.value.as_str()?;
        if !is_known_module(source) {
            return None;
        }
        Some((name, body, module_input(body)?))
    })
}

/// The rules input of a module body: `registry_replication_rules`, or the
/// one argument that is a slip of it (`registry_replicaton_rules`, which
/// Terraform rejects: "An argument named ... is not expected here").
pub fn module_input<'a>(body: &'a Node<'a>) -> Option<&'a Member<'a>> {
    if let Some(m) = body.get(MODULE_RULES_INPUT) {
        return Some(m);
    }
    let mut slips = body
        .as_object()?
        .iter()
        .filter(|m| names(&m.key, MODULE_RULES_INPUT).is_some());
    let first = slips.next()?;
    slips.next().is_none().then_some(first)
}

/// The module input as written, when it is a slip of the input's name.
pub fn input_slip<'a>(input: &'a Member<'a>) -> Option<NameSlip<'a>> {
    (input.key != MODULE_RULES_INPUT).then(|| NameSlip {
        span: input.key_span,
        written: &input.key,
        meant: MODULE_RULES_INPUT,
        named: Named::ModuleInput,
        close: true,
    })
}

/// A file that is the inside of such a module block (as module READMEs
/// show it): its top level sets the rules input itself.
pub fn module_fragment<'a>(root: &'a Node<'a>) -> Option<&'a Member<'a>> {
    module_input(root).filter(|m| m.value.as_array().is_some() || m.value.as_str().is_some())
}

/// Whether the text holds an interpolation or directive (`${`, `%{`) that is
/// not escaped (`$${`, `%%{`).
pub fn is_template(text: &str) -> bool {
    let b = text.as_bytes();
    let mut i = 0;
    while i + 1 < b.len() {
        if (b[i] == b'$' || b[i] == b'%') && b.get(i + 1) == Some(&b[i]) && b.get(i + 2) == Some(&b'{') {
            i += 3;
            continue;
        }
        if (b[i] == b'$' || b[i] == b'%') && b[i + 1] == b'{' {
            return true;
        }
        i += 1;
    }
    false
}

/// The end (exclusive) of the `${...}` that opens at `start`, braces and
/// quoted strings inside counted.
fn interpolation_end(text: &str, start: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut quoted = false;
    let mut i = start + 1;
    while i < b.len() {
        match b[i] {
            b'\\' if quoted => i += 1,
            b'"' => quoted = !quoted,
            b'{' if !quoted => depth += 1,
            b'}' if !quoted => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The expression of a string that is exactly one interpolation
/// (`${var.region}` → `var.region`).
pub fn whole_expression(text: &str) -> Option<&str> {
    if !text.starts_with("${") {
        return None;
    }
    (interpolation_end(text, 0)? == text.len()).then(|| text[2..text.len() - 1].trim())
}

/// The literal text of a template, its interpolations and directives left
/// out (`"${var.team}/*"` → `"/*"`), escapes read as the text they stand for.
pub fn literal_text(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&c) && b.get(i + 2) == Some(&b'{') {
            out.push(c as char);
            out.push('{');
            i += 3;
        } else if (c == b'$' || c == b'%') && b.get(i + 1) == Some(&b'{') {
            i = interpolation_end(text, i).unwrap_or(b.len());
        } else {
            let ch = text[i..].chars().next().unwrap_or_default();
            out.push(ch);
            i += ch.len_utf8().max(1);
        }
    }
    out
}

/// A provider reference (`aws.west`, or `${aws.west}` as an expression),
/// normalised; `aws` for the default provider.
pub fn provider_ref<'a>(body: &'a Node<'a>) -> &'a str {
    body.get("provider")
        .and_then(|m| m.value.as_str())
        .map(|s| whole_expression(s).unwrap_or(s).trim())
        .filter(|s| !s.is_empty())
        .unwrap_or("aws")
}

/// The `dynamic "<key>"` blocks of a body, or those whose label is the one
/// slip of it among the block types `siblings` (`dynamic "destinaton"`).
pub fn dynamic_blocks<'a: 'k, 'k>(
    parent: &'a Node<'a>,
    key: &'k str,
    siblings: &'k [&'k str],
) -> impl Iterator<Item = &'a Member<'a>> + 'k {
    members(parent, "dynamic")
        .flat_map(|d| bodies(&d.value))
        .flat_map(|d| d.as_object().unwrap_or_default())
        .filter(move |m| {
            m.key == key
                || (!siblings.contains(&m.key.as_ref())
                    && crate::text::nearest(&m.key, siblings.iter().copied()) == Some(key))
        })
}

/// What a `dynamic` block's body may hold (Terraform's own schema for it).
pub const DYNAMIC_ARGUMENTS: &[&str] = &["for_each", "iterator", "labels", "content"];

/// The `content` of a `dynamic` block's body, or the one slip of it
/// (`contnet`), read as it.
pub fn dynamic_content<'a>(body: &'a Node<'a>) -> Option<&'a Member<'a>> {
    super::build::list_member(body, "content", DYNAMIC_ARGUMENTS)
}

/// At most this many trees are made of one file's conditionals: each
/// is linted again.
const MAX_VARIANTS: usize = 16;

/// The file as each literal branch of its conditionals would make it
/// (`var.enabled ? [{ ... }] : []`): the tree with one conditional replaced
/// by one branch, parsed from `text` at its place, for each branch that is
/// a non-empty list, an object or a literal string. Other conditionals stay
/// unknown in it, as do branches that are expressions, `[]` or `null`
/// (nothing to check).
pub fn conditional_variants<'t>(root: &Node<'t>, text: &'t str) -> Vec<Node<'t>> {
    fn sites(node: &Node, out: &mut Vec<Span>) {
        match &node.kind {
            NodeKind::String(s) if whole_expression(s).is_some_and(|e| e.contains('?')) => out.push(node.span),
            NodeKind::Array(items) => items.iter().for_each(|n| sites(n, out)),
            NodeKind::Object(members) => members.iter().for_each(|m| sites(&m.value, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    sites(root, &mut found);
    let mut variants = Vec::new();
    for site in found {
        let Some(branches) = crate::syntax::hcl::conditional_branches(text, site) else {
            continue;
        };
        for branch in branches {
            let Ok(node) = crate::syntax::hcl::parse_expression(text, branch) else {
                continue;
            };
            let checkable = match &node.kind {
                NodeKind::Array(items) => !items.is_empty(),
                NodeKind::Object(_) => true,
                NodeKind::String(text) => !is_template(text),
                _ => false,
            };
            if checkable && variants.len() < MAX_VARIANTS {
                variants.push(replaced(root, site, &node, &|n| n.as_str().is_some()));
            }
        }
    }
    variants
}

/// The file as each element of a known collection would make a
/// `dynamic` block's `content`: for `for_each` written as a literal list or
/// map, or as `var.<name>` / `local.<name>` (perhaps in `toset(…)` or
/// `tolist(…)`) whose default or value in this file is one, a tree per
/// element in which `<iterator>.value` (and `<iterator>.value.<attribute>`
/// of an object element) is that element, as written where the collection
/// is: a finding on it points at the element.
/// Each tree comes with the instance it stands for: the `dynamic` block's
/// label, and what to call the instance (its key).
pub fn for_each_variants<'t>(root: &'t Node<'t>) -> Vec<(Node<'t>, Span, String)> {
    fn dynamic_sites<'t>(node: &'t Node<'t>, out: &mut Vec<(&'t Member<'t>, &'t Node<'t>)>) {
        match &node.kind {
            NodeKind::Array(items) => items.iter().for_each(|n| dynamic_sites(n, out)),
            NodeKind::Object(members) => {
                for m in members {
                    if m.key == "dynamic" {
                        for label in bodies(&m.value).flat_map(|b| b.as_object().unwrap_or_default()) {
                            out.extend(bodies(&label.value).map(|body| (label, body)));
                        }
                    }
                    dynamic_sites(&m.value, out);
                }
            }
            _ => {}
        }
    }
    /// `set`: a set's key is its value (`toset(…)`: `<iterator>.key` too).
    fn substituted<'t>(node: &Node<'t>, iterator: &str, element: &Node<'t>, set: bool) -> Node<'t> {
        if let Some(expr) = node.as_str().and_then(whole_expression) {
            let rest = expr.strip_prefix(iterator).and_then(|r| {
                r.strip_prefix(".value")
                    .or_else(|| r.strip_prefix(".key").filter(|_| set))
            });
            match rest.map(str::trim) {
                Some("") => return element.clone(),
                Some(attribute) => {
                    let found = attribute
                        .strip_prefix('.')
                        .filter(|a| a.chars().all(|c| c.is_alphanumeric() || c == '_'))
                        .and_then(|a| element.get(a));
                    if let Some(m) = found {
                        return m.value.clone();
                    }
                }
                None => {}
            }
        }
        let kind = match &node.kind {
            NodeKind::Array(items) => {
                NodeKind::Array(items.iter().map(|n| substituted(n, iterator, element, set)).collect())
            }
            NodeKind::Object(members) => NodeKind::Object(
                members
                    .iter()
                    .map(|m| Member {
                        value: substituted(&m.value, iterator, element, set),
                        ..m.clone()
                    })
                    .collect(),
            ),
            other => other.clone(),
        };
        Node { span: node.span, kind }
    }
    let scope = Scope::new(root);
    let mut sites = Vec::new();
    dynamic_sites(root, &mut sites);
    let mut variants = Vec::new();
    for (label, body) in sites {
        let Some(for_each) = body.get("for_each") else {
            continue;
        };
        let Some((known, set)) = scope.collection(&for_each.value) else {
            continue;
        };
        let iterator = body
            .get("iterator")
            .and_then(|i| i.value.as_str())
            .map(|i| whole_expression(i).unwrap_or(i).trim())
            .unwrap_or(&label.key);
        // A set's keys are its values; a list's, its indexes; a map's, its keys.
        let elements: Vec<(String, &Node<'t>)> = match &known.kind {
            NodeKind::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, n)| match n.as_str().filter(|_| set) {
                    Some(value) => (value.to_string(), n),
                    None => (i.to_string(), n),
                })
                .collect(),
            NodeKind::Object(members) => members.iter().map(|m| (m.key.to_string(), &m.value)).collect(),
            _ => continue,
        };
        for (key, element) in elements {
            if variants.len() >= MAX_VARIANTS {
                return variants;
            }
            let made = substituted(body, iterator, element, set);
            let instance = format!("the `dynamic \"{}\"` block made for key `{key}`", label.key);
            variants.push((replaced(root, body.span, &made, &|_| true), label.key_span, instance));
        }
    }
    variants
}

/// What a file says about the names its expressions use, read once.
pub struct Scope<'a> {
    variables: HashMap<&'a str, &'a Node<'a>>,
    locals: HashMap<&'a str, &'a Node<'a>>,
    data: HashMap<(&'a str, &'a str), &'a Node<'a>>,
    /// `aws` provider bodies by alias (`aws` for the one without).
    providers: HashMap<String, &'a Node<'a>>,
    /// The other files of the folder, when the file is read as part of it.
    module: Option<&'a ModuleView>,
}

/// Where a resolved value was read from.
enum From<'a> {
    /// A node of this file.
    Here(&'a Node<'a>),
    /// A value written in another file of the module.
    Module(&'a Known),
}

/// A resolved expression, and where its value was read from.
struct Resolved<'a> {
    value: Value<'a>,
    from: Option<(From<'a>, String)>,
}

impl<'a> Scope<'a> {
    pub fn new(root: &'a Node<'a>) -> Scope<'a> {
        Scope::in_module(root, None)
    }

    /// The scope of a file read as part of its folder's module.
    pub fn in_module(root: &'a Node<'a>, module: Option<&'a ModuleView>) -> Scope<'a> {
        let mut scope = Scope {
            variables: HashMap::new(),
            locals: HashMap::new(),
            data: HashMap::new(),
            providers: HashMap::new(),
            module,
        };
        for (name, body) in labelled(root, "variable") {
            if let Some(d) = body.get("default") {
                scope.variables.insert(&name.key, &d.value);
            }
        }
        for m in members(root, "locals").flat_map(|m| bodies(&m.value)) {
            for local in m.as_object().unwrap_or_default() {
                scope.locals.insert(&local.key, &local.value);
            }
        }
        for (ty, name, body) in labelled2(root, "data") {
            scope.data.insert((&ty.key, &name.key), body);
        }
        for (name, body) in labelled(root, "provider").filter(|(n, _)| n.key == "aws") {
            let alias = body.get("alias").and_then(|a| a.value.as_str());
            let key = alias.map_or_else(|| name.key.to_string(), |a| format!("aws.{a}"));
            scope.providers.insert(key, body);
        }
        scope
    }

    /// The collection a `for_each` names, when it is written in this file:
    /// a literal list or map, or a variable's default or a local that is
    /// one (also through `toset(…)` / `tolist(…)`).
    /// With it, whether it is a set (`toset(…)`).
    fn collection(&self, for_each: &'a Node<'a>) -> Option<(&'a Node<'a>, bool)> {
        if matches!(for_each.kind, NodeKind::Array(_) | NodeKind::Object(_)) {
            return Some((for_each, false));
        }
        let mut expr = whole_expression(for_each.as_str()?)?;
        // The outermost conversion decides what the keys are.
        let set = expr.starts_with("toset(");
        while let Some(inner) = ["toset(", "tolist(", "tomap("]
            .iter()
            .find_map(|f| expr.strip_prefix(f).and_then(|r| r.strip_suffix(')')))
        {
            expr = inner.trim();
        }
        let node = match expr.split('.').map(str::trim).collect::<Vec<_>>().as_slice() {
            ["var", name] => *self.variables.get(name)?,
            ["local", name] => *self.locals.get(name)?,
            _ => return None,
        };
        // A set of a list: its keys are its values.
        matches!(node.kind, NodeKind::Array(_) | NodeKind::Object(_))
            .then_some((node, set && node.as_array().is_some()))
    }

    /// A literal value (a string that is no template, a number, a bool).
    fn literal(node: &'a Node<'a>) -> Option<Value<'a>> {
        match &node.kind {
            NodeKind::String(s) if is_template(s) => None,
            NodeKind::String(_) | NodeKind::Number(_) | NodeKind::Bool(_) => scalar_value(node, true),
            _ => None,
        }
    }

    /// What a `${...}` string means, read with `provider` as the resource's.
    fn resolve(&self, text: &'a str, provider: &str) -> Resolved<'a> {
        let unknown = Resolved {
            value: Value::Dynamic,
            from: None,
        };
        let Some(expr) = whole_expression(text) else {
            return Resolved {
                value: Value::Template(text),
                from: None,
            };
        };
        let parts: Vec<&str> = expr.split('.').map(str::trim).collect();
        let from_node = |node: &'a Node<'a>, label: String| match Self::literal(node) {
            Some(value) => Resolved {
                value,
                from: Some((From::Here(node), label)),
            },
            None => Resolved {
                value: Value::Dynamic,
                from: None,
            },
        };
        let module = self.module.map(|m| (&*m.module, m.own));
        match parts.as_slice() {
            ["var", name] => {
                if let Some(known) = module.and_then(|(m, _)| m.assigned(name)) {
                    return Self::from_module(known);
                }
                match self.variables.get(name) {
                    Some(d) => from_node(
                        d,
                        format!("the default of variable `{name}` (a value set elsewhere wins)"),
                    ),
                    None => module
                        .and_then(|(m, own)| m.variable_default(name, own))
                        .map_or(unknown, Self::from_module),
                }
            }
            ["local", name] => match self.locals.get(name) {
                Some(v) => from_node(v, format!("the value of `local.{name}`")),
                None => module
                    .and_then(|(m, own)| m.local(name, own))
                    .map_or(unknown, Self::from_module),
            },
            ["data", "aws_caller_identity", name, "account_id" | "id"] => {
                let same = match self.data.get(&("aws_caller_identity", *name)) {
                    Some(body) => provider_ref(body) == provider,
                    None => provider == "aws",
                };
                Resolved {
                    value: if same {
                        Value::Pseudo(Pseudo::AccountId)
                    } else {
                        Value::Dynamic
                    },
                    from: None,
                }
            }
            ["data", "aws_region", name, "name" | "region" | "id"] => {
                let body = self.data.get(&("aws_region", *name));
                // A data source that names a Region is that Region, not the provider's.
                if let Some(named) = body.and_then(|b| b.get("region").or_else(|| b.get("name"))) {
                    return from_node(&named.value, format!("the Region `data.aws_region.{name}` names"));
                }
                let same = body.map_or(provider == "aws", |b| provider_ref(b) == provider);
                Resolved {
                    value: if same {
                        Value::Pseudo(Pseudo::Region)
                    } else {
                        Value::Dynamic
                    },
                    from: None,
                }
            }
            _ => unknown,
        }
    }

    /// A value written in another file of the module: its text, when literal.
    fn from_module(known: &'a Known) -> Resolved<'a> {
        match &known.text {
            Some(text) => Resolved {
                value: match crate::facts::facts().placeholder(text) {
                    Some(why) => Value::Placeholder(text, why),
                    None => Value::Text(text),
                },
                from: Some((From::Module(known), known.label.clone())),
            },
            None => Resolved {
                value: Value::Dynamic,
                from: None,
            },
        }
    }

    /// The scalar at `parent.key`, its Terraform expression resolved; the
    /// origin of a value read from elsewhere is noted.
    pub fn scalar(
        &self,
        parent: &'a Node<'a>,
        key: &str,
        provider: &str,
        origins: &mut Vec<ValueOrigin>,
    ) -> Option<Scalar<'a>> {
        let node = &parent.get(key)?.value;
        let own = scalar_value(node, true)?;
        let resolved = match &node.kind {
            NodeKind::String(s) if is_template(s) => {
                let r = self.resolve(s, provider);
                match r.from {
                    Some((From::Here(from), label)) => origins.push(ValueOrigin {
                        at: node.span,
                        from: from.span,
                        label,
                        from_string: from.as_str().is_some(),
                        file: None,
                        reported_there: false,
                    }),
                    Some((From::Module(known), label)) => {
                        let view = self.module;
                        origins.push(ValueOrigin {
                            at: node.span,
                            from: known.span,
                            label,
                            from_string: false,
                            file: view.and_then(|v| v.module.files.get(known.file)).cloned(),
                            reported_there: view.is_some_and(|v| v.reported_in(known.file)),
                        });
                    }
                    None => {}
                }
                Some(r.value)
            }
            _ => None,
        };
        Some(Scalar {
            node,
            as_text: true,
            resolved: resolved.is_some(),
            value: resolved.unwrap_or(own),
        })
    }

    /// The Region a resource or module is applied in: its own `region`
    /// argument (provider 6), else its provider's literal `region`.
    pub fn source_region(&self, body: &'a Node<'a>, origins: &mut Vec<ValueOrigin>) -> Option<Scalar<'a>> {
        let provider = provider_ref(body);
        let own = body.get("region").map(|_| body);
        let holder = own.or_else(|| self.providers.get(provider).copied())?;
        let scalar = self.scalar(holder, "region", provider, origins)?;
        scalar.text().map(|_| scalar)
    }

    /// The provider a module passes on as `aws` (`providers = { aws = aws.west }`).
    pub fn module_provider(body: &'a Node<'a>) -> &'a str {
        body.get("providers")
            .and_then(|p| p.value.get("aws"))
            .and_then(|a| a.value.as_str())
            .map(|s| whole_expression(s).unwrap_or(s).trim())
            .unwrap_or("aws")
    }

    /// The provider body a reference names, for its `region`.
    pub fn provider_region(&self, provider: &str, origins: &mut Vec<ValueOrigin>) -> Option<Scalar<'a>> {
        let body = self.providers.get(provider)?;
        let scalar = self.scalar(body, "region", provider, origins)?;
        scalar.text().map(|_| scalar)
    }
}

/// How a configuration's lists are written: nested blocks (a list of
/// bodies, or one body, plus `dynamic` blocks) or plain list values.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Lists {
    Blocks,
    Values,
}

/// Builds typed views of Terraform configurations.
pub struct Builder<'s, 'a> {
    pub scope: &'s Scope<'a>,
    pub dialect: Dialect,
    pub lists: Lists,
    pub provider: &'s str,
    pub origins: &'s mut Vec<ValueOrigin>,
}

impl<'a> Builder<'_, 'a> {
    fn keys(&self) -> &'static Keys {
        self.dialect.keys
    }

    /// The list under `key` (or the one slip of it among `siblings`, read
    /// as it, as [`super::build::list_member`] reads the API's lists): its
    /// items, and for blocks the `content` of each `dynamic "<key>"` block
    /// (or a slip of the label or of `content`), as alternatives: how many
    /// it makes is unknown.
    fn list<T>(
        &mut self,
        parent: &'a Node<'a>,
        key: &str,
        siblings: &[&str],
        own: Option<&'a Member<'a>>,
        mut item: impl FnMut(&mut Self, usize, &'a Node<'a>) -> T,
    ) -> Option<List<'a, T>> {
        let own = own.or_else(|| super::build::list_member(parent, key, siblings));
        let mut found: Option<(&'a Node<'a>, Span)> = own.map(|m| (&m.value, m.key_span));
        let mut items = Vec::new();
        if let Some(m) = own {
            match (&m.value.kind, self.lists) {
                (NodeKind::Array(values), _) => {
                    for (i, n) in values.iter().enumerate().filter(|(_, n)| n.as_object().is_some()) {
                        items.push(item(self, i, n));
                    }
                }
                (NodeKind::Object(_), Lists::Blocks) => items.push(item(self, 0, &m.value)),
                _ => {}
            }
        }
        let mut branches = Vec::new();
        if self.lists == Lists::Blocks {
            for block in dynamic_blocks(parent, key, siblings) {
                found.get_or_insert((&block.value, block.key_span));
                for body in bodies(&block.value) {
                    for content in dynamic_content(body).into_iter().flat_map(|c| bodies(&c.value)) {
                        branches.push(item(self, 0, content));
                    }
                }
            }
        }
        let (node, key_span) = found?;
        Some(List {
            node,
            key_span,
            items,
            branches,
        })
    }

    fn scalar(&mut self, parent: &'a Node<'a>, key: &str) -> Option<Scalar<'a>> {
        if !self.dialect.deploy_time_values {
            // Plan values are resolved: a `${` there is literal text.
            return super::build::scalar(parent, key, self.dialect);
        }
        self.scope.scalar(parent, key, self.provider, self.origins)
    }

    fn rule(&mut self, index: usize, node: &'a Node<'a>) -> Rule<'a> {
        let keys = self.keys();
        let siblings = [keys.destinations, keys.repository_filters];
        let destinations = self.list(node, keys.destinations, &siblings, None, |b, _, n| Destination {
            node: n,
            region: b.scalar(n, keys.region),
            registry_id: b.scalar(n, keys.registry_id),
        });
        let repository_filters = self
            .list(node, keys.repository_filters, &siblings, None, |b, _, n| {
                RepositoryFilter {
                    node: n,
                    filter: b.scalar(n, keys.filter),
                    filter_type: b.scalar(n, keys.filter_type),
                }
            })
            // An empty list makes no `repository_filter` blocks: every repository.
            .filter(|l| !(l.items.is_empty() && l.branches.is_empty() && l.node.as_array().is_some()));
        Rule {
            index,
            node,
            destinations,
            repository_filters,
            delete_replication: None,
        }
    }

    /// The configuration whose rules are under `keys.rules` in `node`.
    pub fn configuration(&mut self, node: &'a Node<'a>) -> Configuration<'a> {
        self.configuration_with(node, None)
    }

    /// The configuration whose rules are `rules` (a module input found
    /// under a slip of its name), or under `keys.rules` in `node`.
    pub fn configuration_with(&mut self, node: &'a Node<'a>, rules: Option<&'a Member<'a>>) -> Configuration<'a> {
        let key = self.keys().rules;
        let rules = self.list(node, key, &[key], rules, |b, i, n| b.rule(i, n));
        Configuration {
            dialect: self.dialect,
            node,
            rules,
            branch: false,
            replication_off: None,
            source_region: None,
            source_registry: None,
        }
    }
}

/// A copy of the tree with the node at `at` (the first there that `is_site`
/// accepts) replaced by `with`: one variant of a file.
fn replaced<'t>(node: &Node<'t>, at: Span, with: &Node<'t>, is_site: &dyn Fn(&Node<'t>) -> bool) -> Node<'t> {
    if node.span == at && is_site(node) {
        return with.clone();
    }
    if !(node.span.start <= at.start && at.end <= node.span.end) {
        return node.clone();
    }
    let kind = match &node.kind {
        NodeKind::Array(items) => NodeKind::Array(items.iter().map(|n| replaced(n, at, with, is_site)).collect()),
        NodeKind::Object(members) => NodeKind::Object(
            members
                .iter()
                .map(|m| Member {
                    value: replaced(&m.value, at, with, is_site),
                    ..m.clone()
                })
                .collect(),
        ),
        other => other.clone(),
    };
    Node { span: node.span, kind }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jsonencode_argument_is_parsed_at_its_place_in_the_file() {
        let text = "resource \"aws_ecr_registry_policy\" \"x\" {\n  policy = jsonencode ( {\n    Version = \"2012-10-17\"\n    \"Statement\" = [{ Resource = \"arn:${local.a}\" }]\n  })\n}\n";
        let root = crate::syntax::hcl::parse(text.as_bytes()).unwrap();
        let (_, _, body) = registry_policy_resources(&root).next().unwrap();
        let call = &body.get("policy").unwrap().value;
        assert!(whole_expression(call.as_str().unwrap())
            .unwrap()
            .starts_with("jsonencode"));
        let argument = jsonencode_argument(text, call.span).unwrap();
        assert!(text[argument.start..argument.end].starts_with("{\n    Version"));
        let object = crate::syntax::hcl::parse_expression(text, argument).unwrap();
        assert_eq!(object.span, argument);
        let version = object.get("Version").unwrap();
        assert_eq!(&text[version.key_span.start..version.key_span.end], "Version");
        assert_eq!(
            &text[version.value.span.start..version.value.span.end],
            "\"2012-10-17\""
        );
        assert_eq!(version.value.as_str(), Some("2012-10-17"));
        let statement = &object.get("Statement").unwrap().value.as_array().unwrap()[0];
        let resource = &statement.get("Resource").unwrap().value;
        assert_eq!(resource.as_str(), Some("arn:${local.a}"));
        assert_eq!(&text[resource.span.start..resource.span.end], "\"arn:${local.a}\"");
        assert_eq!(jsonencode_argument(text, Span::new(0, 8)), None);
    }

    #[test]
    fn a_dynamic_block_over_a_known_collection_makes_a_tree_per_element() {
        fn region<'a>(node: &'a Node<'a>) -> Option<&'a Node<'a>> {
            match &node.kind {
                NodeKind::Object(members) => members.iter().find_map(|m| {
                    if m.key == "region" {
                        Some(&m.value)
                    } else {
                        region(&m.value)
                    }
                }),
                NodeKind::Array(items) => items.iter().find_map(region),
                _ => None,
            }
        }
        let text = "variable \"r\" {\n  default = [\"us-west-2\", \"eu-wst-1\"]\n}\nresource \"aws_ecr_replication_configuration\" \"x\" {\n  replication_configuration {\n    rule {\n      dynamic \"destination\" {\n        for_each = toset(var.r)\n        content {\n          region = destination.key\n        }\n      }\n    }\n  }\n}\n";
        let root = crate::syntax::hcl::parse(text.as_bytes()).unwrap();
        let (_, _, body) = replication_resources(&root).next().unwrap();
        let made: Vec<(String, &str)> = for_each_variants(&root)
            .iter()
            .map(|(tree, _, instance)| {
                // The region is the element, where the default writes it.
                let at = region(&tree.as_object().unwrap()[1].value).unwrap().span;
                (instance.clone(), &text[at.start..at.end])
            })
            .collect();
        assert_eq!(
            made,
            [
                (
                    "the `dynamic \"destination\"` block made for key `us-west-2`".to_string(),
                    "\"us-west-2\""
                ),
                (
                    "the `dynamic \"destination\"` block made for key `eu-wst-1`".to_string(),
                    "\"eu-wst-1\""
                ),
            ]
        );
        assert_eq!(region(body).and_then(Node::as_str), Some("${destination.key}"));
        // `tolist(…)`: the keys are indexes, and `.key` stays unknown.
        let listed = text.replace("toset(var.r)", "tolist(var.r)");
        let root = crate::syntax::hcl::parse(listed.as_bytes()).unwrap();
        let variants = for_each_variants(&root);
        assert_eq!(variants[1].2, "the `dynamic \"destination\"` block made for key `1`");
        let still = region(&variants[1].0.as_object().unwrap()[1].value).unwrap();
        assert_eq!(still.as_str(), Some("${destination.key}"));
    }

    #[test]
    fn templates_and_their_literal_text() {
        assert!(is_template("${var.x}"));
        assert!(is_template("a-%{ if x }b%{ endif }"));
        assert!(!is_template("$${literal}"));
        assert!(!is_template("prod/"));
        assert_eq!(whole_expression("${var.region}"), Some("var.region"));
        assert_eq!(whole_expression("${ var.a }-${var.b}"), None);
        assert_eq!(whole_expression("${lookup(m, \"}\")}"), Some("lookup(m, \"}\")"));
        assert_eq!(literal_text("${var.team}/*"), "/*");
        assert_eq!(literal_text("$${x}-${y}"), "${x}-");
        assert!(is_known_module("terraform-aws-modules/ecr/aws"));
        assert!(is_known_module(
            "git::https://github.com/terraform-aws-modules/terraform-aws-ecr.git?ref=v2.3.0"
        ));
        assert!(!is_known_module("cloudposse/ecr/aws"));
    }
}
