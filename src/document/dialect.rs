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
    resource_blocks: false,
    resource_properties: false,
    merges_repeated_blocks: false,
    dynamic_blocks: false,
    reads_misspelt_rules_key: true,
    rejects_yaml_aliases: false,
    substitutes_variables: false,
    generated: false,
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
    resource_blocks: false,
    resource_properties: true,
    merges_repeated_blocks: false,
    dynamic_blocks: false,
    reads_misspelt_rules_key: true,
    rejects_yaml_aliases: true,
    substitutes_variables: true,
    generated: false,
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
    resource_type: super::terraform::RESOURCE_TYPE,
    resource_blocks: true,
    resource_properties: false,
    merges_repeated_blocks: true,
    dynamic_blocks: true,
    reads_misspelt_rules_key: true,
    rejects_yaml_aliases: false,
    substitutes_variables: false,
    generated: false,
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
    resource_type: super::terraform::RESOURCE_TYPE,
    resource_blocks: true,
    resource_properties: false,
    merges_repeated_blocks: false,
    dynamic_blocks: false,
    reads_misspelt_rules_key: false,
    rejects_yaml_aliases: false,
    substitutes_variables: false,
    generated: false,
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
    resource_type: super::terraform::RESOURCE_TYPE,
    resource_blocks: true,
    resource_properties: false,
    merges_repeated_blocks: false,
    dynamic_blocks: false,
    reads_misspelt_rules_key: true,
    rejects_yaml_aliases: false,
    substitutes_variables: false,
    generated: true,
};

impl Capabilities {
    /// Whether a node is a value known only at deploy time, as this dialect writes one.
    pub fn is_dynamic(&self, node: &Node) -> bool {
        match self.dynamic_marker {
            DynamicMarker::TemplateString => node.as_str().is_some_and(super::terraform::is_template),
            DynamicMarker::Function => node.dynamic().is_some(),
        }
    }
}

pub const REPLICATION_RESOURCE: &str = "AWS::ECR::ReplicationConfiguration";

/// The registry permissions policy resource (ECR5xx, and the cross-account check).
pub const REGISTRY_POLICY_RESOURCE: &str = "AWS::ECR::RegistryPolicy";

/// What kind of resource ecrlint checks a template resource as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResourceKind {
    Replication,
    RegistryPolicy,
}

impl ResourceKind {
    /// The CloudFormation type of this kind.
    pub fn cloudformation_type(self) -> &'static str {
        match self {
            ResourceKind::Replication => REPLICATION_RESOURCE,
            ResourceKind::RegistryPolicy => REGISTRY_POLICY_RESOURCE,
        }
    }
}

/// Whether a resource is one ecrlint checks: a replication configuration
/// or a registry policy, by its type or a slip of it, or by its body.
pub fn is_checked_resource(resource: &Node) -> bool {
    checked_kind(resource).is_some()
}

/// What a template resource is checked as, and how its type names that:
/// the type (under `Type`, or a slip of the key such as `Tpye` or `type`)
/// names it exactly or within a few slips; or the type is missing or an
/// unknown one of ECR's, and the body reads as one (the evidence that
/// recognises files, [`super::recognise::reads_as_replication`]). A
/// resource of another service's type is never ours, whatever it holds.
pub fn checked_kind(resource: &Node) -> Option<(ResourceKind, TypeSpelling)> {
    let ty = type_member(resource).and_then(|m| m.value.as_str());
    match ty {
        Some(REPLICATION_RESOURCE) => return Some((ResourceKind::Replication, TypeSpelling::Exact)),
        Some(REGISTRY_POLICY_RESOURCE) => return Some((ResourceKind::RegistryPolicy, TypeSpelling::Exact)),
        _ => {}
    }
    // A name near ours: the body, when it reads as one kind, says which.
    let near = ty.and_then(|t| match is_replication_type(t) {
        Some(_) => Some(ResourceKind::Replication),
        None => near_type(t),
    });
    let ecr_namespace = |t: &str| {
        let norm: String = t
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        norm.is_empty() || norm.starts_with("awsecr") || norm.starts_with("ecr")
    };
    if near.is_none() && !ty.is_none_or(ecr_namespace) {
        return None;
    }
    // Without a type, only `Properties` make it a resource.
    let properties = match resource.get("Properties") {
        Some(p) => &p.value,
        None if ty.is_some() => resource,
        None => return None,
    };
    let by_body = if super::recognise::reads_as_replication(properties) {
        Some(ResourceKind::Replication)
    } else {
        let policy_text = properties
            .as_object()
            .unwrap_or_default()
            .iter()
            .find(|m| crate::text::nearest(&m.key, ["PolicyText"]).is_some());
        policy_text
            .is_some_and(|m| super::policy::is_registry_policy(&m.value))
            .then_some(ResourceKind::RegistryPolicy)
    };
    by_body.or(near).map(|kind| (kind, TypeSpelling::Misspelt))
}

/// A type near one of ours but not within [`is_replication_type`]'s slips:
/// the registry policy's within a case change or three typos, or either
/// type cut short or run on in ECR's namespace (`AWS::ECR::ReplicationConfig`).
pub fn near_type(ty: &str) -> Option<ResourceKind> {
    const MAX_EDITS: usize = 3;
    /// The shortest part of a type name that still says which one it is.
    const SHORTEST_PART: usize = 8;
    let lower = ty.to_ascii_lowercase();
    if crate::text::edit_distance_within(&lower, &REGISTRY_POLICY_RESOURCE.to_ascii_lowercase(), MAX_EDITS).is_some() {
        return Some(ResourceKind::RegistryPolicy);
    }
    let name = |t: &str| {
        let norm: String = t
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        norm.strip_prefix("awsecr").map(str::to_string)
    };
    let written = name(ty)?;
    [ResourceKind::Replication, ResourceKind::RegistryPolicy]
        .into_iter()
        .find(|kind| {
            let ours = name(kind.cloudformation_type()).unwrap_or_default();
            let (short, long) = if written.len() < ours.len() {
                (&written, &ours)
            } else {
                (&ours, &written)
            };
            short.len() >= SHORTEST_PART && long.starts_with(short.as_str())
        })
}

/// Keys a template resource may have, for reading a slip of `Type`.
const RESOURCE_KEYS: &[&str] = &[
    "Type",
    "Properties",
    "Condition",
    "DependsOn",
    "Metadata",
    "DeletionPolicy",
    "UpdateReplacePolicy",
    "CreationPolicy",
    "UpdatePolicy",
];

/// The member naming a resource's type: `Type`, or else the one key that
/// is a slip of it (`Tpye`, `type`, `Types`), which the schema reports.
pub fn type_member<'a>(resource: &'a Node<'a>) -> Option<&'a crate::syntax::Member<'a>> {
    if let Some(m) = resource.get("Type") {
        return Some(m);
    }
    let mut slips = resource
        .as_object()?
        .iter()
        .filter(|m| crate::text::nearest(&m.key, RESOURCE_KEYS.iter().copied()) == Some("Type"));
    let first = slips.next()?;
    slips.next().is_none().then_some(first)
}

/// How a resource `Type` names [`REPLICATION_RESOURCE`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeSpelling {
    Exact,
    /// Within a case change or a few typos (or, for [`checked_kind`], any
    /// other type over a body that reads as ours): CloudFormation rejects
    /// the template, and the resource is linted as ours with the spelling
    /// reported.
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
        && crate::text::edit_distance_within(
            &ty.to_ascii_lowercase(),
            &REPLICATION_RESOURCE.to_ascii_lowercase(),
            MAX_EDITS,
        )
        .is_some();
    close.then_some(TypeSpelling::Misspelt)
}

/// The node holding a template's resources: its `Resources` mapping, or the
/// root itself when the file is a fragment of one (logical ID → resource).
/// A `Resources` mapping counts when any entry has a `Type` (or a slip of
/// the key) or `Properties`, so one misspelt resource does not hide the
/// template.
pub fn template_resources<'a>(root: &'a Node<'a>) -> Option<&'a Node<'a>> {
    let is_resource = |n: &Node| {
        type_member(n).is_some_and(|t| t.value.as_str().is_some())
            || n.get("Properties").is_some_and(|p| p.value.as_object().is_some())
    };
    if let Some(r) = root.get("Resources").filter(|r| r.value.as_object().is_some()) {
        let any_typed = r
            .value
            .as_object()
            .is_some_and(|ms| ms.iter().any(|m| is_resource(&m.value)));
        if any_typed || root.get("AWSTemplateFormatVersion").is_some() {
            return Some(&r.value);
        }
    }
    let fragment = root.as_object()?.iter().any(|m| is_checked_resource(&m.value));
    fragment.then_some(root)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(resource: &str) -> Option<(ResourceKind, TypeSpelling)> {
        checked_kind(&crate::syntax::json::parse(resource.as_bytes()).unwrap())
    }

    #[test]
    fn a_resource_is_ours_by_its_type_a_slip_of_it_or_its_body() {
        use ResourceKind::*;
        use TypeSpelling::*;
        let body = r#""Properties": {"ReplicationConfiguration": {"Rules": [{"Destinations": []}]}}"#;
        let with = |key: &str, ty: &str| kind(&format!(r#"{{"{key}": "{ty}", {body}}}"#));
        assert_eq!(with("Type", REPLICATION_RESOURCE), Some((Replication, Exact)));
        assert_eq!(with("Tpye", REPLICATION_RESOURCE), Some((Replication, Exact)));
        assert_eq!(
            with("Type", "AWS::ECR::ReplicationConfig"),
            Some((Replication, Misspelt))
        );
        assert_eq!(with("Type", "AWS::ECR::Repository"), Some((Replication, Misspelt)));
        // The body decides between our two types when the name is a slip.
        assert_eq!(with("Type", "AWS::ECR::RegistryPolicyy"), Some((Replication, Misspelt)));
        assert_eq!(kind(&format!("{{{body}}}")), Some((Replication, Misspelt)));
        // Another service's resource is never ours, whatever it holds.
        assert_eq!(with("Type", "AWS::S3::Bucket"), None);
        assert_eq!(with("Type", "Custom::Replication"), None);
        // Without a type, only `Properties` make a resource.
        assert_eq!(
            kind(r#"{"ReplicationConfiguration": {"Rules": [{"Destinations": []}]}}"#),
            None
        );
        assert_eq!(
            kind(r#"{"Type": "AWS::ECR::RegistryPolicies"}"#),
            Some((RegistryPolicy, Misspelt))
        );
        assert_eq!(near_type("AWS::ECR::Repo"), None);
    }
}
