//! The document model: which shape a file has ([`shape`], [`recognise`])
//! and a typed view of every replication configuration in it, each field
//! with its span (the engine derives JSON pointers from spans). Wrong types
//! are left out of the view (the schema reports them), so rules only ever
//! see values of the right type.

pub mod build;
pub mod creation_template;
pub mod dialect;
pub mod module;
pub mod module_input;
pub mod module_source;
pub mod policy;
pub mod recognise;
pub mod repositories;
pub mod schema_at;
pub mod shape;
pub mod shapes;
pub mod terraform;
pub mod terraform_eval;
pub mod terraform_scope;

pub use build::if_leaves;
pub use dialect::{Dialect, Keys, ResourceKind, API_KEYS, CFN_KEYS, REGISTRY_POLICY_RESOURCE, REPLICATION_RESOURCE};
pub use recognise::{is_replication_type, TypeSpelling};
pub use shape::Shape;

use crate::syntax::{Node, NodeKind, Span};
use dialect::scalar_value;

/// A resource that ecrlint checks: a template's `AWS::ECR::ReplicationConfiguration`
/// or `AWS::ECR::RegistryPolicy`, or a Terraform resource or module input
/// carrying a configuration.
pub struct Resource<'a> {
    pub logical_id: std::borrow::Cow<'a, str>,
    pub key_span: Span,
    pub node: &'a Node<'a>,
    /// The schema definition it is checked against, when not the shape's own.
    pub schema_def: Option<&'static str>,
    /// Its dialect, for the schema's messages (a module input in a Terraform file).
    pub dialect: Dialect,
    /// What decides which registry it configures: resources of one scope
    /// configure the same registry (a template has one; in Terraform, the
    /// provider configuration or its Region).
    pub scope: Option<String>,
}

/// A resource recognised by a near spelling of its type or by its body
/// (`AWS::ECR::ReplicationConfig`, `aws_ecr_replication_configuraton`), or
/// a module input misspelt (`registry_replicaton_rules`): ECR102 reports
/// the name with the one meant, and the resource is checked as that.
pub struct NameSlip<'a> {
    /// The name as written: a string value (a template's `Type`), or a key
    /// (a Terraform label, a module argument).
    pub span: Span,
    pub written: &'a str,
    pub meant: &'static str,
    pub named: Named,
    /// Whether the name is a near spelling of the one meant (a case
    /// change, a few typos, cut short); else the body says what it is.
    pub close: bool,
}

/// What a misspelt name names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Named {
    CloudFormationType,
    TerraformType,
    /// A Terraform data source's type (`aws_iam_policy_document`).
    TerraformDataSource,
    ModuleInput,
    /// A module input set in a Terragrunt configuration's `inputs`.
    TerragruntInput,
    PulumiType,
}

/// A known module's replication input that the module ignores: it is not
/// told to create the configuration (`create_registry_replication_configuration`
/// absent, which defaults to false, or false).
pub struct IgnoredInput {
    /// The module's name, for messages (`module.ecr`).
    pub module: String,
    /// The input's key.
    pub key_span: Span,
    /// The flag, where it is written (`= false`).
    pub flag: Option<Span>,
}

/// A known module's registry policy input that the module never applies:
/// `create_registry_policy` is absent (it defaults to false) or false.
pub struct IgnoredPolicy {
    /// The module's name, for messages (`module.ecr`).
    pub module: String,
    /// The input's key.
    pub key_span: Span,
    /// The input's value: the policy, which grants nothing across files.
    pub value_span: Span,
    /// The flag, where it is written (`= false`).
    pub flag: Option<Span>,
}

/// A Terraform `aws_ecr_account_setting`: its `name` and `value` values.
pub struct AccountSetting<'a> {
    pub name: &'a Node<'a>,
    pub value: Option<&'a Node<'a>>,
}

/// A value read from elsewhere in the file or its module (a Terraform
/// variable's default): findings at `at` get a label at `from`, and a fix of the value
/// is made there, unsafe (other uses share it), when it is a string.
pub struct ValueOrigin {
    pub at: Span,
    pub from: Span,
    pub label: String,
    /// The value at `from` is a string literal (a fix may rewrite it).
    pub from_string: bool,
    /// The file `from` is in, when it is another file of the module (a
    /// `variables.tf`, a `terraform.tfvars`): no fix is made there.
    pub file: Option<std::sync::Arc<crate::diagnostic::OtherFile>>,
    /// That file is linted in the same run and reports the finding itself,
    /// at the value (where the fix goes), labelled at this use.
    pub reported_there: bool,
}

pub struct Document<'a> {
    pub shape: &'static Shape,
    pub root: &'a Node<'a>,
    pub configurations: Vec<Configuration<'a>>,
    /// The source registry, where the document names it (describe-registry).
    pub source_registry: Option<Scalar<'a>>,
    /// Replication resources of a template, in order.
    pub resources: Vec<Resource<'a>>,
    /// The Region the configurations are applied in, where the document
    /// says so (a Terraform provider's literal `region`).
    pub source_region: Option<Scalar<'a>>,
    /// Values read from elsewhere in the file, for labels.
    pub value_origins: Vec<ValueOrigin>,
    /// `AWS::ECR::RegistryPolicy` resources of a template, in order: each
    /// validated against its own schema definition.
    pub policy_resources: Vec<Resource<'a>>,
    /// The registry a registry policy belongs to, where the document names
    /// it (get-registry-policy output).
    pub policy_registry: Option<Scalar<'a>>,
    /// Registry permissions policies written as objects in this file.
    pub policies: Vec<policy::Policy<'a>>,
    /// The registry policy scope the file itself sets (a Terraform
    /// `aws_ecr_account_setting`), which wins over the settings' for its policies.
    pub registry_policy_scope: Option<policy::PolicyScope>,
    /// Documents held in a string (a `policyText`, a `PolicyText` written as
    /// JSON text): linted as their own shape, positions mapped back.
    pub embedded: Vec<Embedded<'a>>,
    /// Module inputs the module ignores.
    pub ignored_inputs: Vec<IgnoredInput>,
    /// Module registry policy inputs the module never applies.
    pub ignored_policies: Vec<IgnoredPolicy>,
    /// The registry's account settings the file sets.
    pub account_settings: Vec<AccountSetting<'a>>,
    /// Resource types and module inputs written as slips of the names they
    /// are checked as.
    pub slips: Vec<NameSlip<'a>>,
    /// Repository creation templates, in order.
    pub templates: Vec<creation_template::CreationTemplate<'a>>,
    /// `AWS::ECR::RepositoryCreationTemplate` resources of a template (and
    /// Terraform's `aws_ecr_repository_creation_template`), in order: each
    /// validated against its own schema definition.
    pub template_resources: Vec<Resource<'a>>,
    /// Replication resources of this file that configure the same registry
    /// as one in another file of its Terraform module folder.
    pub repeated_in_module: Vec<RepeatedInModule>,
    /// The addresses and name labels of this override file's replication
    /// resources that no other file of the folder declares (Terraform
    /// refuses them).
    pub overrides_without_base: Vec<(String, Span)>,
    /// Other resources of the shape's own schema file whose arguments are
    /// checked against their definition (`schema_def`): Terraform's
    /// `aws_ecr_registry_policy` and `aws_ecr_account_setting`.
    pub argument_resources: Vec<Resource<'a>>,
    /// Terraform replication resources whose instances configure one registry.
    pub repeated_instances: Vec<RepeatedInstances>,
    /// Objects under a slip of their key (a Pulumi resource's `propertis`
    /// or `Properties`), read as what the key stands for: the schema stops
    /// at the unknown key (ECR102), so each is checked against its
    /// definition in the schema file named.
    pub misspelt_objects: Vec<MisspeltObject<'a>>,
}

/// A Terraform replication resource whose `count` or `for_each` makes two
/// or more instances that configure one registry.
pub struct RepeatedInstances {
    /// The resource's address (`aws_ecr_replication_configuration.r`).
    pub address: String,
    /// The meta-argument (`count`, `for_each`) and its key.
    pub meta: String,
    pub meta_span: Span,
    /// How many instances are known (at most the variants made).
    pub count: usize,
    /// The first two instances of one registry (`…r[0]`, `…r["prod"]`).
    pub first: String,
    pub second: String,
    /// They share their own `region` argument's value (else the provider's Region).
    pub own_region: bool,
}

/// An object under a slip of its key, and the definition it stands for.
pub struct MisspeltObject<'a> {
    pub file: &'static shape::SchemaFile,
    pub def: &'static str,
    pub node: &'a Node<'a>,
}

/// A replication resource of this file and one of another file of the
/// same module folder that configure one registry.
pub struct RepeatedInModule {
    /// This file's resource: its address and name label.
    pub address: String,
    pub key_span: Span,
    /// The other file's.
    pub other_address: String,
    pub other_span: Span,
    pub other_file: std::sync::Arc<crate::diagnostic::OtherFile>,
    /// Whether this file's is the second (in the module's file order).
    pub second_here: bool,
}

/// A document written inside a string value.
pub struct Embedded<'a> {
    /// The string node.
    pub node: &'a Node<'a>,
    /// The shape of the document in it.
    pub shape: &'static Shape,
    /// How the document is written in the string.
    pub written: Written,
}

/// How an embedded document is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Written {
    /// JSON text, the string's decoded value (`policyText`, a heredoc).
    JsonText,
    /// An HCL object expression: the string is `${jsonencode(<object>)}`,
    /// the front end's text for the call, whose argument is parsed from
    /// the file's bytes at its span (positions need no mapping).
    HclJsonencode,
    /// A Terraform `data "aws_iam_policy_document"`: the node is its body,
    /// read as the policy it renders, made of the block's own nodes
    /// (positions need no mapping; only fixes that replace a string value
    /// can be written back).
    IamPolicyDocument,
    /// A replication configuration passed to a module ecrlint does not
    /// know: the node is the input's value, read as the layout of
    /// terraform-aws-modules/ecr's rules, made of its own nodes (positions
    /// need no mapping; only fixes that replace a string value fit).
    ModuleInput,
}

impl Written {
    /// Whether the document is made of the file's own nodes under other
    /// keys: only a fix that replaces a string value can be written back.
    pub fn rebuilt(self) -> bool {
        matches!(self, Written::IamPolicyDocument | Written::ModuleInput)
    }
}

/// An embedded document, parsed: its root, the text its spans index and
/// how to read that text, and the map back to the file's bytes (`None`:
/// its spans are the file's already).
pub struct EmbeddedRoot<'t> {
    pub root: crate::syntax::Node<'t>,
    pub text: &'t str,
    pub format: crate::syntax::SourceFormat,
    pub map: Option<crate::syntax::embedded::OffsetMap>,
}

/// What reading an embedded document gave.
pub enum EmbeddedRead<'t> {
    Parsed(EmbeddedRoot<'t>),
    /// JSON text that does not parse: the error, in the decoded text, and the map.
    Invalid(crate::syntax::ParseError, crate::syntax::embedded::OffsetMap),
    /// Nothing to read statically (a template whose interpolations break
    /// the JSON, a `jsonencode` in Terraform's JSON syntax).
    Unknown,
}

impl<'a> Embedded<'a> {
    /// Parses the document, in the file `text` (of `format`) it is written in.
    pub fn read(&self, text: &'a str, format: crate::syntax::SourceFormat) -> EmbeddedRead<'a> {
        use crate::syntax::{embedded::OffsetMap, SourceFormat};
        if self.written.rebuilt() {
            let tree = match self.written {
                Written::ModuleInput => module_input::rules_tree(self.node),
                _ => policy::terraform_document::policy_tree(self.node),
            };
            return match tree {
                Some(root) => EmbeddedRead::Parsed(EmbeddedRoot {
                    root,
                    text,
                    format,
                    map: None,
                }),
                None => EmbeddedRead::Unknown,
            };
        }
        let Some(decoded) = self.node.as_str() else {
            return EmbeddedRead::Unknown;
        };
        match self.written {
            Written::JsonText => {
                let map = OffsetMap::new(text, self.node, decoded, format);
                match crate::syntax::json::parse(decoded.as_bytes()) {
                    Ok(root) => EmbeddedRead::Parsed(EmbeddedRoot {
                        root,
                        text: decoded,
                        format: SourceFormat::Json,
                        map: Some(map),
                    }),
                    // Interpolations outside JSON strings (`${jsonencode(…)}`,
                    // `%{ for }`): the text is known only at apply time.
                    Err(_) if self.shape.dialect.is_dynamic(self.node) => EmbeddedRead::Unknown,
                    Err(e) => EmbeddedRead::Invalid(e, map),
                }
            }
            Written::IamPolicyDocument | Written::ModuleInput => EmbeddedRead::Unknown,
            Written::HclJsonencode => {
                let argument = (format == SourceFormat::Hcl)
                    .then(|| terraform::jsonencode_argument(text, self.node.span))
                    .flatten();
                match argument.map(|span| crate::syntax::hcl::parse_expression(text, span)) {
                    Some(Ok(root)) => EmbeddedRead::Parsed(EmbeddedRoot {
                        root,
                        text,
                        format,
                        map: None,
                    }),
                    _ => EmbeddedRead::Unknown,
                }
            }
        }
    }
}

impl<'a> Document<'a> {
    pub fn new(shape: &'static Shape, root: &'a Node<'a>, configurations: Vec<Configuration<'a>>) -> Document<'a> {
        Document {
            shape,
            root,
            configurations,
            source_registry: None,
            resources: Vec::new(),
            source_region: None,
            value_origins: Vec::new(),
            policy_resources: Vec::new(),
            policy_registry: None,
            policies: Vec::new(),
            registry_policy_scope: None,
            embedded: Vec::new(),
            ignored_inputs: Vec::new(),
            ignored_policies: Vec::new(),
            account_settings: Vec::new(),
            slips: Vec::new(),
            templates: Vec::new(),
            template_resources: Vec::new(),
            repeated_in_module: Vec::new(),
            overrides_without_base: Vec::new(),
            argument_resources: Vec::new(),
            repeated_instances: Vec::new(),
            misspelt_objects: Vec::new(),
        }
    }

    /// Whether a document in one of this document's strings is applied:
    /// a module's policy input that the module never creates grants nothing.
    pub fn applies(&self, embedded: &Embedded) -> bool {
        !self.ignored_policies.iter().any(|i| i.value_span == embedded.node.span)
    }

    /// The view of a root of `shape`.
    pub fn build(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
        (shape.build)(root, shape)
    }

    /// Where the resource's properties are: each replication resource's
    /// `Properties` in a template, the root for resource properties.
    pub fn resource_properties(&self) -> Vec<&'a Node<'a>> {
        if !self.shape.dialect.resource_properties {
            return Vec::new();
        }
        if matches!(self.shape.target, shape::SchemaTarget::Root(_)) {
            return vec![self.root];
        }
        self.resources
            .iter()
            .filter_map(|r| r.node.get("Properties").map(|p| &p.value))
            .collect()
    }
}

/// A literal destination value the document may deploy with, ready for a
/// value check: its text, its node, and the field's name in the document's
/// own spelling (`region`, `Region`).
#[derive(Clone, Copy)]
pub struct FieldValue<'a> {
    pub text: &'a str,
    pub scalar: Scalar<'a>,
    pub field: &'static str,
}

impl FieldValue<'_> {
    pub fn span(&self) -> Span {
        self.scalar.span()
    }
}

/// Which destination field to walk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DestinationField {
    Region,
    RegistryId,
}

impl<'a> Document<'a> {
    /// Every literal value of `field` in every destination the document may
    /// deploy with (each `Fn::If` branch too), in document order. Values
    /// known only at deploy time and placeholders are left out: the one walk
    /// the value rules share.
    pub fn destination_values(&self, field: DestinationField) -> impl Iterator<Item = FieldValue<'a>> + '_ {
        self.configurations.iter().flat_map(move |config| {
            let keys = config.dialect.keys;
            let name = match field {
                DestinationField::Region => keys.region,
                DestinationField::RegistryId => keys.registry_id,
            };
            config
                .candidate_destinations()
                .flat_map(move |d| match field {
                    DestinationField::Region => d.region.iter(),
                    DestinationField::RegistryId => d.registry_id.iter(),
                })
                .flat_map(Scalar::candidates)
                .filter_map(move |scalar| {
                    Some(FieldValue {
                        text: scalar.text()?,
                        scalar,
                        field: name,
                    })
                })
        })
    }
}

pub struct Configuration<'a> {
    pub dialect: Dialect,
    pub node: &'a Node<'a>,
    pub rules: Option<List<'a, Rule<'a>>>,
    /// A branch of `ReplicationConfiguration: !If [...]`: one configuration
    /// the template may deploy, checked as a whole on its own.
    pub branch: bool,
    /// Where a configuration with no rules at all is declared (a Terraform
    /// resource without a `replication_configuration` block, which turns
    /// replication off).
    pub replication_off: Option<Span>,
    /// The source Region and account of this configuration, where the
    /// document says so (a Terraform provider's Region, a plan's values).
    pub source_region: Option<Scalar<'a>>,
    pub source_registry: Option<Scalar<'a>>,
}

impl<'a> Configuration<'a> {
    /// A configuration as written: not a branch, replication not turned
    /// off, no source said; the front ends set what their document says.
    pub fn new(dialect: Dialect, node: &'a Node<'a>, rules: Option<List<'a, Rule<'a>>>) -> Configuration<'a> {
        Configuration {
            dialect,
            node,
            rules,
            branch: false,
            replication_off: None,
            source_region: None,
            source_registry: None,
        }
    }
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
    /// Whether the dialect made the value of something other than the node
    /// (a Terraform expression: a known data source, a variable's default).
    resolved: bool,
    /// The value, worked out once (rules read it many times, and the
    /// placeholder check behind it was half the lint of a large file), as
    /// its text and what kind of value it is: a [`Value`] beside the flags
    /// made a scalar 40 bytes, this 32, and a document view of a large file
    /// holds two for each destination and filter.
    text: &'a str,
    kind: ValueKind,
}

/// A [`Value`] without its text.
#[derive(Clone, Copy)]
enum ValueKind {
    Text,
    Bool(bool),
    Pseudo(Pseudo),
    Dynamic,
    Placeholder(crate::facts::Placeholder),
    Template,
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
    /// A Terraform template with interpolations (`"${var.team}/*"`): unknown
    /// as a whole, but its literal text may still decide a check.
    Template(&'a str),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pseudo {
    AccountId,
    Region,
}

impl<'a> Scalar<'a> {
    /// The scalar at `node`; `resolved` is what the dialect made of it when
    /// that is not the node's own value.
    pub fn new(node: &'a Node<'a>, as_text: bool, resolved: Option<Value<'a>>) -> Self {
        let value = resolved.unwrap_or_else(|| scalar_value(node, as_text).unwrap_or(Value::Dynamic));
        Scalar::with_value(node, as_text, resolved.is_some(), value)
    }

    /// The scalar at `node` whose value is known to be `value`.
    pub(crate) fn with_value(node: &'a Node<'a>, as_text: bool, resolved: bool, value: Value<'a>) -> Self {
        let (text, kind) = match value {
            Value::Text(t) => (t, ValueKind::Text),
            Value::Bool(b) => ("", ValueKind::Bool(b)),
            Value::Pseudo(p) => ("", ValueKind::Pseudo(p)),
            Value::Dynamic => ("", ValueKind::Dynamic),
            Value::Placeholder(t, p) => (t, ValueKind::Placeholder(p)),
            Value::Template(t) => (t, ValueKind::Template),
        };
        Scalar {
            node,
            as_text,
            resolved,
            text,
            kind,
        }
    }

    pub fn value(&self) -> Value<'a> {
        match self.kind {
            ValueKind::Text => Value::Text(self.text),
            ValueKind::Bool(b) => Value::Bool(b),
            ValueKind::Pseudo(p) => Value::Pseudo(p),
            ValueKind::Dynamic => Value::Dynamic,
            ValueKind::Placeholder(p) => Value::Placeholder(self.text, p),
            ValueKind::Template => Value::Template(self.text),
        }
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
    ///
    /// A plain scalar is its only candidate, yielded without a list: rules
    /// ask this of every value, and a `Vec` of one per value kept `malloc`
    /// and `free` busy (with the change below, they went from 340 M to 242 M
    /// of a 10 MB file's 1,899 M instructions).
    pub fn candidates(&self) -> impl Iterator<Item = Scalar<'a>> {
        // A plain scalar is its only candidate, with the value already known.
        let plain = match self.node.kind {
            NodeKind::String(_) | NodeKind::Bool(_) => true,
            NodeKind::Number(_) => self.as_text,
            _ => false,
        };
        let (itself, branches) = if self.resolved || plain {
            (Some(*self), None)
        } else {
            let as_text = self.as_text;
            let branches = if_leaves(self.node).into_iter().filter_map(move |node| {
                let value = scalar_value(node, as_text)?;
                Some(Scalar::with_value(node, as_text, false, value))
            });
            (None, Some(branches))
        };
        itself.into_iter().chain(branches.into_iter().flatten())
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

#[cfg(test)]
mod layout {
    use super::*;

    #[test]
    fn a_scalar_is_32_bytes_and_keeps_its_value() {
        assert_eq!(std::mem::size_of::<Scalar>(), 32);
        assert_eq!(std::mem::size_of::<Option<Scalar>>(), 32);
        let node = Node {
            span: Span::new(0, 4),
            kind: NodeKind::String(crate::syntax::Str::borrowed("prod")),
        };
        let values = [
            Value::Text("prod"),
            Value::Bool(true),
            Value::Pseudo(Pseudo::Region),
            Value::Dynamic,
            Value::Placeholder("${X}", crate::facts::Placeholder::DollarVariable),
            Value::Template("${var.x}/*"),
        ];
        for value in values {
            assert_eq!(Scalar::with_value(&node, false, true, value).value(), value);
        }
    }
}
