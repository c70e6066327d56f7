//! The dialects: how the API and CloudFormation spell the same fields, what
//! each one means by a value (CloudFormation's functions and pseudo
//! parameters, scalars deployed as text), and where a template keeps its
//! resources.

use super::{Pseudo, Value};
use crate::syntax::{Node, NodeKind};

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

/// Terraform's `aws_ecr_replication_configuration`: nested blocks (each a
/// list of bodies in the tree), snake_case arguments, singular block names.
/// Plan JSON (`terraform show -json`) spells the resource's values the same.
pub const TF_KEYS: Keys = Keys {
    rules: "rule",
    destinations: "destination",
    repository_filters: "repository_filter",
    delete_replication: "delete_replication",
    enabled: "enabled",
    region: "region",
    registry_id: "registry_id",
    filter: "filter",
    filter_type: "filter_type",
};

/// The terraform-aws-modules/ecr input `registry_replication_rules`: plain
/// HCL values (lists of objects), plural names.
pub const TF_MODULE_KEYS: Keys = Keys {
    rules: "registry_replication_rules",
    destinations: "destinations",
    repository_filters: "repository_filters",
    delete_replication: "delete_replication",
    enabled: "enabled",
    region: "region",
    registry_id: "registry_id",
    filter: "filter",
    filter_type: "filter_type",
};

/// A dialect: a reference to its answers to every question rules, schema
/// messages and the engine ask of it. Nothing compares dialects by name.
pub type Dialect = &'static Capabilities;

/// What differs between the dialects. Every field is required and there is
/// no `Default`, so a new dialect (a new front end) must answer each
/// question: it cannot compile and silently behave like another.
///
/// ```compile_fail
/// use ecrlint::document::dialect::{Capabilities, Dialect};
/// // A question left unanswered is a compile error (missing fields).
/// const NEW: Dialect = &Capabilities { name: "New", keys: &ecrlint::document::API_KEYS };
/// ```
pub struct Capabilities {
    /// For debug output only: nothing decides by it.
    pub name: &'static str,
    pub keys: &'static Keys,
    /// Who refuses a document with an unknown key, for messages.
    pub rejecter: &'static str,
    /// Who sets the list bounds its schema checks, for messages.
    pub limit_owner: &'static str,
    /// Whose minimum list lengths the schema checks, for messages (a
    /// dialect's own schema may ask more than the API).
    pub minimum_owner: &'static str,
    /// How its keys are spelt.
    pub key_case: KeyCase,
    /// Whether a number or boolean where text is expected deploys as its
    /// text (CloudFormation passes scalar properties to the handler as
    /// strings; Terraform converts a number or bool to a string argument).
    pub reads_scalars_as_text: bool,
    /// Whether a rule may say `deleteReplication` (the resources have no such property).
    pub delete_replication: bool,
    /// What an empty list of rules or destinations does.
    pub empty_lists: EmptyLists,
    /// Whether values may be known only at deploy time (`Fn::If`, `Ref`,
    /// Terraform expressions).
    pub deploy_time_values: bool,
    /// How a value known only at deploy time is written (looked for even
    /// where such values are not expected, so such a value is never
    /// validated as the text it is written as).
    pub dynamic_marker: DynamicMarker,
    /// How the deploying Region and account are written, for messages.
    pub pseudo_names: PseudoNames,
    /// The replication resource's type name, for messages.
    pub resource_type: &'static str,
    /// Who writes documents in this spelling, for messages ("API payloads
    /// use camelCase").
    pub writers: &'static str,
    /// How a resource holds its replication configuration, for messages
    /// ("this resource has no `replication_configuration` block").
    pub configuration_member: &'static str,
    /// Whether resources are addressed blocks (`type.name`): one address
    /// declared twice is refused by the tool (not a duplicate key), and a
    /// resource gets its Region from its provider.
    pub resource_blocks: bool,
    /// Whether a resource keeps its fields under `Properties`.
    pub resource_properties: bool,
    /// Whether repeated block keys (`rule`, `destination`) are merged, so
    /// only an argument given twice is a duplicate.
    pub merges_repeated_blocks: bool,
    /// Whether blocks may be generated by `dynamic "name"` blocks.
    pub dynamic_blocks: bool,
    /// Whether a misspelt rules key is read as the rules list (a module's
    /// input under a slip of its name is left to its own rule).
    pub reads_misspelt_rules_key: bool,
    /// Whether its deployer rejects YAML aliases and merge keys (API
    /// payloads go through YAML readers that expand them).
    pub rejects_yaml_aliases: bool,
    /// Whether `Fn::Sub` expands `${…}` variables, so that outside it they
    /// deploy as written.
    pub substitutes_variables: bool,
    /// Whether the file is generated output (a plan): its findings are
    /// fixed in the files it was generated from, so it gets no fix.
    pub generated: bool,
    /// Whether a second replication resource for the same registry is
    /// deployed and replaces the first's rules at each deploy (the
    /// provider puts its configuration), rather than failing to create.
    pub replaces_second_configuration: bool,
}

impl std::fmt::Debug for Capabilities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// How a dialect spells its keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCase {
    Camel,
    Pascal,
    Snake,
}

/// What an empty list of rules or destinations does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EmptyLists {
    /// It deploys, meaning "none" (a rule that replicates nowhere).
    Deploy,
    /// It fails to deploy: CloudFormation's handler rejects `Rules: []`,
    /// and `[]` filters or destinations are passed to the API, which needs one.
    FailToDeploy,
    /// Lists are repeated blocks: none written is no list.
    Blocks,
}

/// How a value known only at deploy time is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DynamicMarker {
    /// A one-key function object (`{"Ref": …}`, `Fn::If`).
    Function,
    /// A string holding an expression or template (`${var.region}`), which
    /// the front ends write as its `${...}` text.
    TemplateString,
    /// Either: a `${…}` interpolation in a string, or a one-key `fn::`
    /// object (`fn::invoke`, `fn::toJSON`, any case), as Pulumi YAML writes them.
    TemplateOrFunction,
}

/// How the deploying Region and account are written in a dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PseudoNames {
    pub region: &'static str,
    pub account: &'static str,
}

const AWS_PSEUDO_NAMES: PseudoNames = PseudoNames {
    region: "${AWS::Region}",
    account: "${AWS::AccountId}",
};

const TERRAFORM_PSEUDO_NAMES: PseudoNames = PseudoNames {
    region: "data.aws_region.name",
    account: "data.aws_caller_identity.account_id",
};

/// API payloads (`put-replication-configuration` input, `describe-registry` output).
pub const API: Dialect = &Capabilities {
    name: "API",
    keys: &API_KEYS,
    rejecter: "the API rejects the whole configuration",
    limit_owner: "the API",
    minimum_owner: "the API",
    key_case: KeyCase::Camel,
    reads_scalars_as_text: false,
    delete_replication: true,
    empty_lists: EmptyLists::Deploy,
    deploy_time_values: false,
    dynamic_marker: DynamicMarker::Function,
    pseudo_names: AWS_PSEUDO_NAMES,
    resource_type: REPLICATION_RESOURCE,
    writers: "API payloads",
    configuration_member: "`replicationConfiguration`",
    resource_blocks: false,
    resource_properties: false,
    merges_repeated_blocks: false,
    dynamic_blocks: false,
    reads_misspelt_rules_key: true,
    rejects_yaml_aliases: false,
    substitutes_variables: false,
    generated: false,
    replaces_second_configuration: false,
};

/// CloudFormation templates and resource properties.
pub const CLOUDFORMATION: Dialect = &Capabilities {
    name: "CloudFormation",
    keys: &CFN_KEYS,
    rejecter: "CloudFormation rejects the resource",
    limit_owner: "the API",
    minimum_owner: "CloudFormation's resource schema",
    key_case: KeyCase::Pascal,
    reads_scalars_as_text: true,
    delete_replication: false,
    empty_lists: EmptyLists::FailToDeploy,
    deploy_time_values: true,
    dynamic_marker: DynamicMarker::Function,
    pseudo_names: AWS_PSEUDO_NAMES,
    resource_type: REPLICATION_RESOURCE,
    writers: "CloudFormation templates",
    configuration_member: "`ReplicationConfiguration` property",
    resource_blocks: false,
    resource_properties: true,
    merges_repeated_blocks: false,
    dynamic_blocks: false,
    reads_misspelt_rules_key: true,
    rejects_yaml_aliases: true,
    substitutes_variables: true,
    generated: false,
    replaces_second_configuration: false,
};

/// A `.tf` / `.tf.json` resource: values may be expressions (`${...}`).
pub const TERRAFORM: Dialect = &Capabilities {
    name: "Terraform",
    keys: &TF_KEYS,
    rejecter: "Terraform rejects the configuration (\"Unsupported argument\" or \"Unsupported block type\")",
    limit_owner: "the Terraform provider",
    minimum_owner: "the Terraform provider",
    key_case: KeyCase::Snake,
    reads_scalars_as_text: true,
    delete_replication: false,
    empty_lists: EmptyLists::Blocks,
    deploy_time_values: true,
    dynamic_marker: DynamicMarker::TemplateString,
    pseudo_names: TERRAFORM_PSEUDO_NAMES,
    resource_type: TERRAFORM_REPLICATION_RESOURCE,
    writers: "Terraform configurations",
    configuration_member: "`replication_configuration` block",
    resource_blocks: true,
    resource_properties: false,
    merges_repeated_blocks: true,
    dynamic_blocks: true,
    reads_misspelt_rules_key: true,
    rejects_yaml_aliases: false,
    substitutes_variables: false,
    generated: false,
    replaces_second_configuration: true,
};

/// A module's input variable carrying the same data (a known community module).
pub const TERRAFORM_MODULE: Dialect = &Capabilities {
    name: "TerraformModule",
    keys: &TF_MODULE_KEYS,
    rejecter: "Terraform drops attributes the module's variable type does not declare, so it is silently ignored",
    limit_owner: "the module (through the provider)",
    minimum_owner: "the module (through the provider)",
    key_case: KeyCase::Snake,
    reads_scalars_as_text: true,
    delete_replication: false,
    empty_lists: EmptyLists::Blocks,
    deploy_time_values: true,
    dynamic_marker: DynamicMarker::TemplateString,
    pseudo_names: TERRAFORM_PSEUDO_NAMES,
    resource_type: TERRAFORM_REPLICATION_RESOURCE,
    writers: "Terraform module inputs",
    configuration_member: "`replication_configuration` block",
    resource_blocks: true,
    resource_properties: false,
    merges_repeated_blocks: false,
    dynamic_blocks: false,
    reads_misspelt_rules_key: false,
    rejects_yaml_aliases: false,
    substitutes_variables: false,
    generated: false,
    replaces_second_configuration: true,
};

/// A resource's values in `terraform show -json` output: every value resolved.
pub const TERRAFORM_PLAN: Dialect = &Capabilities {
    name: "TerraformPlan",
    keys: &TF_KEYS,
    rejecter: "the provider's schema has no such attribute",
    limit_owner: "the Terraform provider",
    minimum_owner: "the Terraform provider",
    key_case: KeyCase::Snake,
    reads_scalars_as_text: false,
    delete_replication: false,
    empty_lists: EmptyLists::Blocks,
    deploy_time_values: false,
    dynamic_marker: DynamicMarker::Function,
    pseudo_names: TERRAFORM_PSEUDO_NAMES,
    resource_type: TERRAFORM_REPLICATION_RESOURCE,
    writers: "Terraform plans",
    configuration_member: "`replication_configuration` block",
    resource_blocks: true,
    resource_properties: false,
    merges_repeated_blocks: false,
    dynamic_blocks: false,
    reads_misspelt_rules_key: true,
    rejects_yaml_aliases: false,
    substitutes_variables: false,
    generated: true,
    replaces_second_configuration: true,
};

impl Capabilities {
    /// Whether a node is a value known only at deploy time, as this dialect writes one.
    pub fn is_dynamic(&self, node: &Node) -> bool {
        match self.dynamic_marker {
            DynamicMarker::TemplateString => node.as_str().is_some_and(is_template),
            DynamicMarker::Function => node.dynamic().is_some(),
            DynamicMarker::TemplateOrFunction => {
                node.as_str().is_some_and(is_template) || pulumi_function(node).is_some()
            }
        }
    }

    /// Whether a `${…}` string is an expression (known only at deploy time).
    pub fn reads_templates(&self) -> bool {
        match self.dynamic_marker {
            DynamicMarker::TemplateString | DynamicMarker::TemplateOrFunction => true,
            DynamicMarker::Function => false,
        }
    }
}

/// A Pulumi YAML built-in function call: a one-key object whose key starts
/// with `fn::` in any case (`fn::invoke`, `Fn::ToJSON`), and its argument.
pub fn pulumi_function<'a>(node: &'a Node<'a>) -> Option<(&'a str, &'a Node<'a>)> {
    match node.as_object()? {
        [m] if m.key.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("fn::")) => Some((&m.key[4..], &m.value)),
        _ => None,
    }
}

/// A Pulumi YAML program's `aws:ecr:ReplicationConfiguration` and
/// `aws:ecr:RegistryPolicy` (the AWS provider, bridged from Terraform's:
/// its camelCase names are the API's, without `deleteReplication`; read
/// from the provider's docs, pulumi-aws `ecr.ReplicationConfiguration` and
/// `ecr.RegistryPolicy`, Dec 2026). Values may be `${…}` interpolations or
/// `fn::` calls (known at deploy time), or a `${name}` of a `config:` value
/// whose literal default is read like a Terraform variable's. Fixes: every
/// literal value in the program is edited in place, as in any YAML; a value
/// read from a config default is fixed there (unsafe: other uses share it).
pub const PULUMI: Dialect = &Capabilities {
    name: "Pulumi",
    keys: &API_KEYS,
    rejecter: "Pulumi rejects the resource's properties (the provider's schema has no such property)",
    limit_owner: "the AWS provider (bridged from Terraform's)",
    minimum_owner: "the AWS provider (bridged from Terraform's)",
    key_case: KeyCase::Camel,
    // The provider's properties are Terraform's strings: a YAML number or
    // boolean is passed as its text (a registry ID written unquoted too).
    reads_scalars_as_text: true,
    delete_replication: false,
    empty_lists: EmptyLists::Blocks,
    deploy_time_values: true,
    dynamic_marker: DynamicMarker::TemplateOrFunction,
    pseudo_names: PULUMI_PSEUDO_NAMES,
    resource_type: PULUMI_REPLICATION_RESOURCE,
    writers: "Pulumi programs",
    configuration_member: "`replicationConfiguration` property",
    resource_blocks: false,
    resource_properties: false,
    merges_repeated_blocks: false,
    dynamic_blocks: false,
    reads_misspelt_rules_key: true,
    // Pulumi YAML reads anchors and aliases as YAML does.
    rejects_yaml_aliases: false,
    substitutes_variables: false,
    generated: false,
    replaces_second_configuration: true,
};

const PULUMI_PSEUDO_NAMES: PseudoNames = PseudoNames {
    region: "aws:region",
    account: "aws:getCallerIdentity().accountId",
};

/// Pulumi's replication resource type (also written
/// `aws:ecr/replicationConfiguration:ReplicationConfiguration`).
pub const PULUMI_REPLICATION_RESOURCE: &str = "aws:ecr:ReplicationConfiguration";

/// Pulumi's registry policy resource type (also `aws:ecr/registryPolicy:RegistryPolicy`).
pub const PULUMI_REGISTRY_POLICY_RESOURCE: &str = "aws:ecr:RegistryPolicy";

/// Terraform's replication resource type.
pub const TERRAFORM_REPLICATION_RESOURCE: &str = "aws_ecr_replication_configuration";

/// How Terraform writes a value known only at apply time inside a string
/// (and so how [`DynamicMarker::TemplateString`] reads one).
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
pub(super) fn interpolation_end(text: &str, start: usize) -> Option<usize> {
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

pub const REPLICATION_RESOURCE: &str = "AWS::ECR::ReplicationConfiguration";

/// The registry permissions policy resource (ECR5xx, and the cross-account check).
pub const REGISTRY_POLICY_RESOURCE: &str = "AWS::ECR::RegistryPolicy";

/// The repository creation template resource (ECR6xx).
pub const CREATION_TEMPLATE_RESOURCE: &str = "AWS::ECR::RepositoryCreationTemplate";

/// What kind of resource ecrlint checks a template resource as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    Replication,
    RegistryPolicy,
    CreationTemplate,
}

impl ResourceKind {
    /// The CloudFormation type of this kind.
    pub fn cloudformation_type(self) -> &'static str {
        match self {
            ResourceKind::Replication => REPLICATION_RESOURCE,
            ResourceKind::RegistryPolicy => REGISTRY_POLICY_RESOURCE,
            ResourceKind::CreationTemplate => CREATION_TEMPLATE_RESOURCE,
        }
    }
}

/// What a scalar node holds; `None` for values of other types (left to the
/// schema). `as_text`: numbers and booleans are the text CloudFormation
/// deploys them as (`true`, a YAML number's value); the schema check says
/// when that text differs from what was written.
pub(super) fn scalar_value<'a>(node: &'a Node<'a>, as_text: bool) -> Option<Value<'a>> {
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
