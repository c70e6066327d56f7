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

use super::dialect::interpolation_end;
pub use super::dialect::{is_template, whole_expression};
pub use super::recognise::{is_terragrunt, is_tree};
use super::{NameSlip, Named, ResourceKind};
use crate::syntax::{Member, Node, NodeKind, Span};

/// The resource this crate reads.
pub use super::dialect::TERRAFORM_REPLICATION_RESOURCE as RESOURCE_TYPE;

/// Modules whose input `registry_replication_rules` carries a replication
/// configuration: terraform-aws-modules/ecr, by its registry address and
/// by its repository (a Git or GitHub source names the repository).
pub const KNOWN_MODULES: &[&str] = &[
    "terraform-aws-modules/ecr/aws",
    "terraform-aws-modules/terraform-aws-ecr",
];

/// The input of the known modules that holds the rules.
pub const MODULE_RULES_INPUT: &str = "registry_replication_rules";

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

/// The repository resource ([`super::repositories`]).
pub const REPOSITORY_TYPE: &str = "aws_ecr_repository";

/// The repository creation template resource.
pub const CREATION_TEMPLATE_TYPE: &str = "aws_ecr_repository_creation_template";

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
    // A repository is read for what it is (its exclusion filters have
    // `filter` and `filter_type`, as replication filters do).
    if ty == REPOSITORY_TYPE {
        return None;
    }
    if let Some(exact) = names(ty, CREATION_TEMPLATE_TYPE) {
        return Some((ResourceKind::CreationTemplate, exact));
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

/// The `aws_ecr_repository_creation_template` resources (or slips of the type): (type, name, body).
pub fn creation_template_resources<'a>(
    root: &'a Node<'a>,
) -> impl Iterator<Item = (&'a Member<'a>, &'a Member<'a>, &'a Node<'a>)> {
    resources_of(root, ResourceKind::CreationTemplate)
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

/// The `aws_ecr_account_setting` resources: (name, body).
pub fn account_setting_resources<'a>(root: &'a Node<'a>) -> impl Iterator<Item = (&'a Member<'a>, &'a Node<'a>)> {
    labelled2(root, "resource")
        .filter(|(ty, _, _)| ty.key == ACCOUNT_SETTING_TYPE)
        .map(|(_, name, body)| (name, body))
}

/// The literal (name, value) of each `aws_ecr_account_setting` resource
/// (each read under a slip of its name too: [`argument`]); one whose name
/// or value is an expression is not known here.
pub fn account_settings<'a>(root: &'a Node<'a>) -> impl Iterator<Item = (&'a str, &'a str)> {
    account_setting_resources(root).filter_map(|(_, body)| {
        let literal = |key: &str| {
            argument(body, key, ACCOUNT_SETTING_ARGUMENTS)?
                .value
                .as_str()
                .filter(|t| !is_template(t))
        };
        Some((literal("name")?, literal("value")?))
    })
}

/// Terraform's meta-arguments, which every resource takes (and `//`, a
/// comment in its JSON syntax).
const META_ARGUMENTS: &[&str] = &[
    "provider",
    "count",
    "for_each",
    "depends_on",
    "lifecycle",
    "provisioner",
    "connection",
    "//",
];

/// The arguments of `aws_ecr_registry_policy` (the schema's `registryPolicyResource`).
pub const REGISTRY_POLICY_ARGUMENTS: &[&str] = &["policy", "region"];

/// The arguments of `aws_ecr_account_setting` (the schema's `accountSettingResource`).
pub const ACCOUNT_SETTING_ARGUMENTS: &[&str] = &["name", "value", "region"];

/// The argument `key` of a resource body, or, when it is absent, the one
/// argument that is a slip of it among the resource's `arguments` and the
/// meta-arguments (`polcy`, `vaule`): read as it, while the schema reports
/// the slip (ECR102), so fixing the name reveals no second wave of findings.
pub fn argument<'a>(body: &'a Node<'a>, key: &str, arguments: &[&str]) -> Option<&'a Member<'a>> {
    if let Some(m) = body.get(key) {
        return Some(m);
    }
    let known = |k: &str| arguments.contains(&k) || META_ARGUMENTS.contains(&k);
    let all: Vec<&str> = arguments.iter().chain(META_ARGUMENTS).copied().collect();
    let mut slips = body
        .as_object()?
        .iter()
        .filter(|m| !known(&m.key) && crate::text::nearest(&m.key, all.iter().copied()) == Some(key));
    let first = slips.next()?;
    slips.next().is_none().then_some(first)
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

/// Whether a module source is a local path. Terraform takes `.\` and
/// `..\` as well as `./` and `../` on every platform.
pub fn is_local_source(source: &str) -> bool {
    ["./", "../", ".\\", "..\\"].iter().any(|p| source.starts_with(p)) || source == "." || source == ".."
}

/// Whether a module `source` is one of [`KNOWN_MODULES`] (a registry
/// address, perhaps with a version suffix, or a Git URL of its repository).
pub fn is_known_module(source: &str) -> bool {
    let s = source.trim().to_ascii_lowercase();
    // Terragrunt's registry sources: `tfr:///<address>` (the public
    // registry) or `tfr://registry.terraform.io/<address>`.
    let s = s
        .strip_prefix("tfr://")
        .map_or(s.as_str(), |r| r.strip_prefix('/').unwrap_or(r));
    let s = s.strip_prefix("registry.terraform.io/").unwrap_or(s);
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

/// terraform-aws-modules/ecr's inputs for the registry's scanning
/// configuration (`aws_ecr_registry_scanning_configuration`), which is no
/// replication: a module block that sets only these is a neighbour.
pub const MODULE_SCANNING_INPUTS: &[&str] = &[
    "registry_scan_rules",
    "registry_scan_type",
    "manage_registry_scanning_configuration",
];

/// The input of the known modules that holds the registry policy (JSON
/// text: `jsonencode({…})` or a heredoc), and the flag without which the
/// module creates no policy (its variables.tf: `default = false`).
pub const MODULE_POLICY_INPUT: &str = "registry_policy";
pub const MODULE_POLICY_FLAG: &str = "create_registry_policy";

/// Module blocks of a known module that set the registry policy input, or
/// a slip of its name (`registry_polcy`, [`module_policy_input`]):
/// (name, body, input).
pub fn module_policy_inputs<'a>(
    root: &'a Node<'a>,
) -> impl Iterator<Item = (&'a Member<'a>, &'a Node<'a>, &'a Member<'a>)> {
    labelled(root, "module").filter_map(|(name, body)| {
        let source = body.get("source")?.value.as_str()?;
        if !is_known_module(source) {
            return None;
        }
        Some((name, body, module_policy_input(body)?))
    })
}

/// The registry policy input of a module body (or of Terragrunt's
/// `inputs`): `registry_policy`, or the one argument that is a slip of it
/// (`registry_polcy`; the module's `repository_policy` is further).
pub fn module_policy_input<'a>(body: &'a Node<'a>) -> Option<&'a Member<'a>> {
    named_input(body, MODULE_POLICY_INPUT)
}

/// The data source whose rendered JSON a policy argument may name.
pub const POLICY_DOCUMENT_TYPE: &str = "aws_iam_policy_document";

/// The `data "aws_iam_policy_document"` that an expression names
/// (`data.aws_iam_policy_document.<name>.json`, or `.minified_json`), when
/// the file declares it once: (type label, name label, body). A type
/// written as a slip of it, alike in the reference and the block
/// (`aws_iam_policy_documnt`), names it too: [`data_type_slip`] reports it.
pub fn policy_document<'a>(
    root: &'a Node<'a>,
    expression: &str,
) -> Option<(&'a Member<'a>, &'a Member<'a>, &'a Node<'a>)> {
    let rest = expression.trim().strip_prefix("data.")?;
    let (ty, rest) = rest.split_once('.')?;
    names(ty, POLICY_DOCUMENT_TYPE)?;
    let name = rest
        .strip_suffix(".json")
        .or_else(|| rest.strip_suffix(".minified_json"))?;
    let mut found = labelled2(root, "data").filter(|(t, n, _)| t.key == ty && n.key == name);
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// The spans of `ty` in each reference `data.<ty>.` written in `text` (a
/// data source's type where its attributes are read).
pub fn data_references(text: &str, ty: &str) -> Vec<Span> {
    let needle = format!("data.{ty}.");
    text.match_indices(&needle)
        .filter(|(i, _)| {
            !text[..*i]
                .chars()
                .next_back()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.')
        })
        .map(|(i, _)| Span::new(i + "data.".len(), i + "data.".len() + ty.len()))
        .collect()
}

/// The type of a data source as written, when it is a slip of `meant`.
pub fn data_type_slip<'a>(ty: &'a Member<'a>, meant: &'static str) -> Option<NameSlip<'a>> {
    (ty.key != meant).then(|| NameSlip {
        span: ty.key_span,
        written: &ty.key,
        meant,
        named: Named::TerraformDataSource,
        close: true,
    })
}

/// The rules input of a module body: `registry_replication_rules`, or the
/// one argument that is a slip of it (`registry_replicaton_rules`, which
/// Terraform rejects: "An argument named ... is not expected here").
pub fn module_input<'a>(body: &'a Node<'a>) -> Option<&'a Member<'a>> {
    named_input(body, MODULE_RULES_INPUT)
}

/// The argument `input` of a body, or the one argument that is a slip of it.
fn named_input<'a>(body: &'a Node<'a>, input: &str) -> Option<&'a Member<'a>> {
    if let Some(m) = body.get(input) {
        return Some(m);
    }
    let mut slips = body.as_object()?.iter().filter(|m| names(&m.key, input).is_some());
    let first = slips.next()?;
    slips.next().is_none().then_some(first)
}

/// The module input as written, when it is a slip of `meant`: in a module
/// block, or in a Terragrunt configuration's `inputs` (`terragrunt`).
pub fn input_slip<'a>(input: &'a Member<'a>, meant: &'static str, terragrunt: bool) -> Option<NameSlip<'a>> {
    (input.key != meant).then(|| NameSlip {
        span: input.key_span,
        written: &input.key,
        meant,
        named: if terragrunt {
            Named::TerragruntInput
        } else {
            Named::ModuleInput
        },
        close: true,
    })
}

/// A file that is the inside of such a module block (as module READMEs
/// show it): its top level sets the rules input itself.
pub fn module_fragment<'a>(root: &'a Node<'a>) -> Option<&'a Member<'a>> {
    module_input(root).filter(|m| m.value.as_array().is_some() || m.value.as_str().is_some())
}

/// A Terragrunt configuration's `inputs` object and its rules input, when
/// its `terraform { source = … }` names a known module; or, when the source
/// is no literal (set by an `include`d file, an expression), when the
/// inputs hold the rules input by its exact name.
pub fn terragrunt_input<'a>(root: &'a Node<'a>) -> Option<(&'a Node<'a>, &'a Member<'a>)> {
    let inputs = terragrunt_module_inputs(root)?;
    Some((inputs, module_input(inputs)?))
}

/// A Terragrunt configuration's `inputs` object and its registry policy
/// input (or a slip of its name), read as [`terragrunt_input`] reads the rules.
pub fn terragrunt_policy_input<'a>(root: &'a Node<'a>) -> Option<(&'a Node<'a>, &'a Member<'a>)> {
    let inputs = terragrunt_module_inputs(root)?;
    Some((inputs, module_policy_input(inputs)?))
}

/// A Terragrunt configuration's `inputs` object, when they may be the known
/// module's: its `terraform { source = … }` names it, or the source is no
/// literal here (set by an `include`d file, an expression), where the
/// module's input names, or slips of them, are the evidence.
fn terragrunt_module_inputs<'a>(root: &'a Node<'a>) -> Option<&'a Node<'a>> {
    if !is_terragrunt(root) {
        return None;
    }
    let inputs = &root.get("inputs")?.value;
    inputs.as_object()?;
    let source = members(root, "terraform")
        .flat_map(|m| bodies(&m.value))
        .find_map(|b| b.get("source"))
        .and_then(|s| s.value.as_str())
        .filter(|s| !is_template(s));
    match source {
        Some(s) if !is_known_module(s) => None,
        _ => Some(inputs),
    }
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

/// One more tree of a file: a conditional's branch, a function's value or
/// an instance of a known collection put in place of what the file writes.
pub struct Variant<'t> {
    pub tree: Node<'t>,
    /// Where to say which instance or value it is, and what to say.
    pub label: Option<(Span, String)>,
    /// Spans given to values made for it (a function's result, a key):
    /// no text of the file is there to edit.
    pub made: Vec<Span>,
    /// Spans of the file's own literals inside those made values, which a fix may edit.
    pub editable: Vec<Span>,
}

impl Variant<'_> {
    /// Whether a fix found on the variant may edit `span` of the file.
    pub fn may_edit(&self, span: Span) -> bool {
        let within = |outer: &Span| outer.start <= span.start && span.end <= outer.end;
        let touches = |made: &Span| (span.start < made.end && made.start < span.end) || within(made);
        self.editable.iter().any(within) || !self.made.iter().any(touches)
    }
}

/// The spans of the scalars of `node` that are the file's own (not in `made`).
pub fn literal_spans(node: &Node, made: &[Span], out: &mut Vec<Span>) {
    match &node.kind {
        NodeKind::Array(items) => items.iter().for_each(|n| literal_spans(n, made, out)),
        NodeKind::Object(members) => members.iter().for_each(|m| literal_spans(&m.value, made, out)),
        _ if !made.contains(&node.span) => out.push(node.span),
        _ => {}
    }
}

/// At most this many trees are made of one file's conditionals: each
/// is linted again.
pub const MAX_VARIANTS: usize = 16;

/// What a conditional's branch evaluates to, with the spans it made.
pub type Evaluate<'f, 't> = dyn FnMut(&Node<'t>) -> Option<(Node<'t>, Vec<Span>)> + 'f;

/// The file as each literal branch of its conditionals would make it
/// (`var.enabled ? [{ ... }] : []`): the tree with one conditional replaced
/// by one branch, parsed from `text` at its place, for each branch that is
/// a non-empty list, an object or a literal string, or an expression whose
/// value `evaluate` knows as one (a local, a function of known values).
/// Other conditionals stay unknown in it, as do branches whose value is not
/// known, `[]` or `null` (nothing to check).
pub fn conditional_variants<'t>(root: &Node<'t>, text: &'t str, evaluate: &mut Evaluate<'_, 't>) -> Vec<Variant<'t>> {
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
            let expression = node.as_str().and_then(whole_expression).map(|e| e.trim().to_string());
            let (node, made) = match &expression {
                Some(_) => match evaluate(&node) {
                    Some(known) => known,
                    None => continue,
                },
                None => (node, Vec::new()),
            };
            let checkable = match &node.kind {
                NodeKind::Array(items) => !items.is_empty(),
                NodeKind::Object(_) => true,
                NodeKind::String(text) => !is_template(text),
                _ => false,
            };
            if checkable && variants.len() < MAX_VARIANTS {
                let mut editable = Vec::new();
                literal_spans(&node, &made, &mut editable);
                variants.push(Variant {
                    tree: replaced(root, site, &node, &|n| n.as_str().is_some()),
                    label: expression.map(|e| (branch, branch_label(&e))),
                    made,
                    editable,
                });
            }
        }
    }
    variants
}

/// What to call the value of a conditional's branch that is an expression:
/// the expression when it is short, else the function it calls.
fn branch_label(expression: &str) -> String {
    if expression.len() <= 40 && !expression.contains('\n') {
        return format!("the value of `{expression}` in this branch");
    }
    match expression.split_once('(') {
        Some((function, _)) if function.chars().all(|c| c.is_alphanumeric() || c == '_') => {
            format!("the value `{function}(…)` gives in this branch")
        }
        _ => "the value of this branch".to_string(),
    }
}

/// A copy of the tree with the node at `at` (the first there that `is_site`
/// accepts) replaced by `with`: one variant of a file.
pub fn replaced<'t>(node: &Node<'t>, at: Span, with: &Node<'t>, is_site: &dyn Fn(&Node<'t>) -> bool) -> Node<'t> {
    if node.span == at && is_site(node) {
        return with.clone();
    }
    if !(node.span.start <= at.start && at.end <= node.span.end) {
        return node.clone();
    }
    node.map_values(|_, n| replaced(n, at, with, is_site))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::terraform_eval::for_each_variants;

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
        let made: Vec<(String, &str)> = for_each_variants(&root, text, None)
            .iter()
            .map(|variant| {
                // The region is the element, where the default writes it.
                let at = region(&variant.tree.as_object().unwrap()[1].value).unwrap().span;
                (variant.label.clone().unwrap().1, &text[at.start..at.end])
            })
            .collect();
        assert_eq!(
            made,
            // A set is in lexical order, as Terraform iterates it.
            [
                (
                    "the `dynamic \"destination\"` block made for key `eu-wst-1`".to_string(),
                    "\"eu-wst-1\""
                ),
                (
                    "the `dynamic \"destination\"` block made for key `us-west-2`".to_string(),
                    "\"us-west-2\""
                ),
            ]
        );
        assert_eq!(region(body).and_then(Node::as_str), Some("${destination.key}"));
        // `tolist(…)`: the keys are indexes, made (no text of the file to edit).
        let listed = text.replace("toset(var.r)", "tolist(var.r)");
        let root = crate::syntax::hcl::parse(listed.as_bytes()).unwrap();
        let variants = for_each_variants(&root, &listed, None);
        let label = &variants[1].label.as_ref().unwrap().1;
        assert_eq!(label, "the `dynamic \"destination\"` block made for key `1`");
        let index = region(&variants[1].tree.as_object().unwrap()[1].value).unwrap();
        assert_eq!(index.kind, NodeKind::Number("1".into()));
        assert!(!variants[1].may_edit(index.span));
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
