//! A Pulumi YAML program (`Pulumi.yaml`, `Main.yaml`) with the AWS
//! provider's `aws:ecr:ReplicationConfiguration` or `aws:ecr:RegistryPolicy`
//! resources. Its other resources, its project settings and a stack's
//! settings (`Pulumi.<stack>.yaml`) are neighbours. A `${name}` of a
//! `config:` (or `configuration:`) value with a literal default, or of a
//! literal `variables:` entry, is read as that value, like a Terraform
//! variable's default; any other `${…}` or `fn::` call is known only at
//! deploy time.

use super::super::dialect::{
    self, is_template, pulumi_function, whole_expression, ResourceKind, PULUMI, PULUMI_REGISTRY_POLICY_RESOURCE,
    PULUMI_REPLICATION_RESOURCE,
};
use super::super::recognise::{is_replication_type, near_type, reads_as_replication, TypeSpelling};
use super::super::shape::{SchemaFile, SchemaTarget, Shape};
use super::super::{
    build, policy, Configuration, Document, Embedded, MisspeltObject, NameSlip, Named, Pseudo, Resource, Scalar, Value,
    ValueOrigin, Written,
};
use crate::syntax::{Member, Node, NodeKind};
use std::borrow::Cow;

/// The provider's resource, in Pulumi's names, with the API's field patterns.
pub static SCHEMA: SchemaFile = SchemaFile {
    id: "pulumi",
    name: "pulumi-replication-configuration.schema.json",
    text: crate::facts::PULUMI_SCHEMA,
    imports: &[&super::API_SCHEMA],
};

pub static SHAPE: Shape = Shape {
    name: "pulumi",
    describe: "a Pulumi YAML program with `aws:ecr:ReplicationConfiguration` or `aws:ecr:RegistryPolicy` resources",
    dialect: PULUMI,
    matches: |root| checked_resources(root).next().is_some(),
    build: build_view,
    schema: &SCHEMA,
    target: SchemaTarget::EachResource("resource"),
    read_by_aws_cli: false,
};

/// The long form of each type token (`aws:ecr/<module>:<Type>`), which Pulumi reads as the short one.
const LONG_TOKENS: [(&str, ResourceKind); 2] = [
    (
        "aws:ecr/replicationConfiguration:ReplicationConfiguration",
        ResourceKind::Replication,
    ),
    ("aws:ecr/registryPolicy:RegistryPolicy", ResourceKind::RegistryPolicy),
];

/// A resource's own keys in a Pulumi YAML program.
const RESOURCE_KEYS: &[&str] = &["type", "properties", "name", "options", "defaultProvider", "get"];

/// A resource's `type` member: the key, or the one slip of it (`tyep`, or
/// CloudFormation's `Type`), which ECR102 reports.
fn type_member<'a>(resource: &'a Node<'a>) -> Option<&'a Member<'a>> {
    build::list_member(resource, "type", RESOURCE_KEYS)
}

/// A resource's `properties`: the key's value, or that of the one slip of
/// it (`propertis`, or CloudFormation's `Properties`), which ECR102 reports.
fn properties_of<'a>(resource: &'a Node<'a>) -> Option<&'a Node<'a>> {
    build::list_member(resource, "properties", RESOURCE_KEYS).map(|m| &m.value)
}

/// The properties of an `aws:ecr:RegistryPolicy`.
const POLICY_PROPERTIES: &[&str] = &["policy", "region"];

/// Keys a stack's settings file (`Pulumi.<stack>.yaml`) may have.
const STACK_KEYS: &[&str] = &[
    "config",
    "secretsprovider",
    "encryptedkey",
    "encryptionsalt",
    "environment",
];

/// Whether a root is a Pulumi YAML file: a program (its `resources` typed
/// with Pulumi type tokens), a project (`name` and `runtime`), or a stack's
/// settings (namespaced `config` keys, `aws:region`).
pub fn is_pulumi(root: &Node) -> bool {
    let Some(members) = root.as_object() else {
        return false;
    };
    let project = root.get("name").is_some() && root.get("runtime").is_some();
    let stack = members.iter().all(|m| STACK_KEYS.contains(&m.key.as_ref()))
        && root
            .get("config")
            .and_then(|c| c.value.as_object())
            .is_some_and(|ms| ms.iter().any(|m| m.key.contains(':')));
    project || stack || program_resources(root).is_some()
}

/// A Pulumi type token: `package:module:Type` (`aws:s3:Bucket`,
/// `pulumi:providers:aws`), never CloudFormation's `AWS::S3::Bucket`.
fn is_type_token(text: &str) -> bool {
    text.matches(':').count() >= 2 && !text.contains("::") && !text.contains(char::is_whitespace)
}

/// A program's `resources`, when any of them has a type token (under
/// `type`, or a slip of the key).
fn program_resources<'a>(root: &'a Node<'a>) -> Option<&'a [Member<'a>]> {
    let resources = root.get("resources")?.value.as_object()?;
    resources
        .iter()
        .any(|m| {
            type_member(&m.value)
                .and_then(|t| t.value.as_str())
                .is_some_and(is_type_token)
        })
        .then_some(resources)
}

/// The resources ecrlint checks, by their type, a slip of it or their body.
fn checked_resources<'a>(root: &'a Node<'a>) -> impl Iterator<Item = &'a Member<'a>> {
    program_resources(root)
        .unwrap_or_default()
        .iter()
        .filter(|m| checked_kind(&m.value).is_some())
}

/// What a resource is checked as, and how its type names that: exactly
/// (either token form), or a slip of the name in the AWS provider's `ecr`
/// module (`aws:ecr:ReplicationConfig`), or another type of that module over
/// a body that reads as a replication configuration. Other packages' and
/// modules' types are never ours.
pub fn checked_kind(resource: &Node) -> Option<(ResourceKind, TypeSpelling)> {
    let ty = type_member(resource)?.value.as_str()?;
    match ty {
        PULUMI_REPLICATION_RESOURCE => return Some((ResourceKind::Replication, TypeSpelling::Exact)),
        PULUMI_REGISTRY_POLICY_RESOURCE => return Some((ResourceKind::RegistryPolicy, TypeSpelling::Exact)),
        _ => {}
    }
    if let Some((_, kind)) = LONG_TOKENS.iter().find(|(token, _)| *token == ty) {
        return Some((*kind, TypeSpelling::Exact));
    }
    let (module, name) = ty.rsplit_once(':')?;
    let module: String = module
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    if !module.starts_with("awsecr") {
        return None;
    }
    // CloudFormation's spelling of the same name, to measure the slip.
    let as_cloudformation = format!("AWS::ECR::{name}");
    // Pulumi programs' repository creation templates are not read (yet):
    // `aws:ecr:RepositoryCreationTemplate` is a neighbour, not a slip.
    let near = match is_replication_type(&as_cloudformation) {
        Some(_) => Some(ResourceKind::Replication),
        None => near_type(&as_cloudformation).filter(|k| *k != ResourceKind::CreationTemplate),
    };
    let by_body = properties_of(resource)
        .filter(|p| reads_as_replication(p))
        .map(|_| ResourceKind::Replication);
    by_body.or(near).map(|kind| (kind, TypeSpelling::Misspelt))
}

fn meant(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::Replication => PULUMI_REPLICATION_RESOURCE,
        ResourceKind::RegistryPolicy => PULUMI_REGISTRY_POLICY_RESOURCE,
        ResourceKind::CreationTemplate => unreachable!("checked_kind never gives a creation template"),
    }
}

fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    let values = Values::of(root);
    let mut origins = Vec::new();
    for m in checked_resources(root) {
        let Some((kind, spelling)) = checked_kind(&m.value) else {
            continue;
        };
        if spelling == TypeSpelling::Misspelt {
            let ty = type_member(&m.value).expect("a checked resource has a type");
            let written = ty.value.as_str().unwrap_or_default();
            let short = written.rsplit_once(':').map_or(written, |(_, name)| name);
            let as_cloudformation = format!("AWS::ECR::{short}");
            doc.slips.push(NameSlip {
                span: ty.value.span,
                written,
                meant: meant(kind),
                named: Named::PulumiType,
                close: near_type(&as_cloudformation) == Some(kind)
                    || (kind == ResourceKind::Replication && is_replication_type(&as_cloudformation).is_some()),
            });
        }
        let properties = properties_of(&m.value);
        // Under a slip of `properties`, the schema stops at the key: the
        // object is checked as the properties it stands for.
        if let Some(p) = properties.filter(|_| m.value.get("properties").is_none()) {
            let (file, def) = match kind {
                ResourceKind::RegistryPolicy => (&super::POLICY_SCHEMA, "pulumiProperties"),
                _ => (&SCHEMA, "properties"),
            };
            doc.misspelt_objects.push(MisspeltObject { file, def, node: p });
        }
        let resource = Resource {
            logical_id: Cow::Borrowed(&m.key),
            key_span: m.key_span,
            node: &m.value,
            schema_def: None,
            dialect: PULUMI,
            scope: Some(scope_of(&m.value, properties)),
        };
        if kind == ResourceKind::RegistryPolicy {
            // A misspelt `policy` (`polcy`, ECR102) is read as it.
            if let Some(p) = properties.and_then(|p| build::list_member(p, "policy", POLICY_PROPERTIES)) {
                read_policy(&p.value, &mut doc);
            }
            doc.policy_resources.push(Resource {
                schema_def: Some("pulumiResource"),
                ..resource
            });
            continue;
        }
        doc.resources.push(resource);
        let config = properties
            .and_then(|p| build::list_member(p, "replicationConfiguration", &["replicationConfiguration", "region"]));
        match config {
            Some(c) if c.value.as_object().is_some() && pulumi_function(&c.value).is_none() => {
                let mut configuration = build::configuration(&c.value, PULUMI);
                values.resolve_configuration(&mut configuration, &mut origins);
                configuration.source_region = values.source_region(properties, &mut origins);
                doc.configurations.push(configuration);
            }
            // An expression: known only at deploy time.
            Some(_) => {}
            // Without it the provider puts no rules, which turns replication off.
            None => doc.configurations.push(Configuration {
                replication_off: Some(m.key_span),
                ..Configuration::new(PULUMI, &m.value, None)
            }),
        }
    }
    doc.value_origins = origins;
    doc
}

/// A registry policy's `policy`: an object (or `fn::toJSON` of one) read
/// in place, or JSON text; another expression is known only at deploy time.
fn read_policy<'a>(node: &'a Node<'a>, doc: &mut Document<'a>) {
    let node = match pulumi_function(node) {
        Some((name, argument)) if name.eq_ignore_ascii_case("toJSON") => argument,
        Some(_) => return,
        None => node,
    };
    match &node.kind {
        NodeKind::Object(_) => doc.policies.extend(policy::build_as(node, PULUMI)),
        NodeKind::String(text) if whole_expression(text).is_none() => doc.embedded.push(Embedded {
            node,
            shape: &super::registry_policy::PULUMI_SHAPE,
            written: Written::JsonText,
        }),
        _ => {}
    }
}

/// Resources of one scope configure one registry: the same literal
/// `region` (provider 7), else the same provider (`options.provider`).
fn scope_of(resource: &Node, properties: Option<&Node>) -> String {
    let region = properties
        .and_then(|p| p.get("region"))
        .and_then(|r| r.value.as_str())
        .filter(|r| !is_template(r));
    let provider = resource
        .get("options")
        .and_then(|o| o.value.get("provider"))
        .and_then(|p| p.value.as_str());
    match (region, provider) {
        (Some(r), _) => format!("region {r}"),
        (None, Some(p)) => format!("provider {p}"),
        (None, None) => "the default provider".to_string(),
    }
}

/// What a `${…}` may name: config values with a literal default, literal
/// variables, and the variables that call `aws:getCallerIdentity` or
/// `aws:getRegion` (the deploying account and Region).
struct Values<'a> {
    /// Name → the literal node and the label for findings on it.
    literals: Vec<(Cow<'a, str>, &'a Node<'a>, String)>,
    /// Variable name → what its call returns.
    pseudo: Vec<(&'a str, Pseudo)>,
}

impl<'a> Values<'a> {
    fn of(root: &'a Node<'a>) -> Values<'a> {
        let mut literals = Vec::new();
        let project = root.get("name").and_then(|n| n.value.as_str());
        for section in ["config", "configuration"] {
            let entries = root.get(section).and_then(|c| c.value.as_object()).unwrap_or_default();
            for m in entries {
                // `name: {type, default}` (or `value`), or the value itself.
                let value = match m.value.as_object() {
                    Some(_) => m
                        .value
                        .get("default")
                        .or_else(|| m.value.get("value"))
                        .map(|d| &d.value),
                    None => Some(&m.value),
                };
                let Some(value) = value.filter(|v| literal(v).is_some()) else {
                    continue;
                };
                let label = format!(
                    "the default of config `{}` (a value set in the stack's settings wins)",
                    m.key
                );
                // A project's own key is also written `${project:key}`.
                if let Some(project) = project.filter(|_| !m.key.contains(':')) {
                    literals.push((Cow::Owned(format!("{project}:{}", m.key)), value, label.clone()));
                }
                literals.push((Cow::Borrowed(m.key.as_ref()), value, label));
            }
        }
        let mut pseudo = Vec::new();
        let variables = root
            .get("variables")
            .and_then(|v| v.value.as_object())
            .unwrap_or_default();
        for m in variables {
            if literal(&m.value).is_some() {
                literals.push((
                    Cow::Borrowed(m.key.as_ref()),
                    &m.value,
                    format!("the value of variable `{}`", m.key),
                ));
                continue;
            }
            let function = pulumi_function(&m.value)
                .filter(|(name, _)| name.eq_ignore_ascii_case("invoke"))
                .and_then(|(_, call)| {
                    call.as_object()?
                        .iter()
                        .find(|a| a.key.eq_ignore_ascii_case("function"))
                        .and_then(|f| f.value.as_str())
                });
            match function {
                Some("aws:getCallerIdentity" | "aws:index/getCallerIdentity:getCallerIdentity") => {
                    pseudo.push((m.key.as_ref(), Pseudo::AccountId));
                }
                Some("aws:getRegion" | "aws:index/getRegion:getRegion") => {
                    pseudo.push((m.key.as_ref(), Pseudo::Region))
                }
                _ => {}
            }
        }
        Values { literals, pseudo }
    }

    /// What a `${…}` string means, with where a literal came from.
    fn resolve(&self, text: &'a str) -> (Value<'a>, Option<(&'a Node<'a>, &str)>) {
        let Some(expression) = whole_expression(text) else {
            return (Value::Template(text), None);
        };
        if let Some((_, node, label)) = self.literals.iter().find(|(name, _, _)| name == expression) {
            let value = literal(node).expect("only literals are kept");
            return (value, Some((node, label.as_str())));
        }
        let pseudo = expression.split_once('.').and_then(|(variable, field)| {
            let (_, kind) = self.pseudo.iter().find(|(name, _)| *name == variable)?;
            let field_names: &[&str] = match kind {
                Pseudo::AccountId => &["accountId"],
                Pseudo::Region => &["name", "region", "id"],
            };
            field_names.contains(&field).then_some(Value::Pseudo(*kind))
        });
        (pseudo.unwrap_or(Value::Dynamic), None)
    }

    /// The scalar read with its `${…}` resolved; the origin of a value read
    /// from elsewhere is noted.
    fn scalar(&self, scalar: Option<Scalar<'a>>, origins: &mut Vec<ValueOrigin>) -> Option<Scalar<'a>> {
        let scalar = scalar?;
        let Some(text) = scalar.node.as_str().filter(|t| is_template(t)) else {
            return Some(scalar);
        };
        let (value, from) = self.resolve(text);
        if let Some((from, label)) = from {
            origins.push(ValueOrigin {
                at: scalar.node.span,
                from: from.span,
                label: label.to_string(),
                from_string: from.as_str().is_some(),
                file: None,
                reported_there: false,
            });
        }
        Some(Scalar::new(scalar.node, scalar.as_text, Some(value)))
    }

    /// The Region a resource is deployed in, when known: its own `region`
    /// (provider 7), else the project's `aws:region` config value.
    fn source_region(&self, properties: Option<&'a Node<'a>>, origins: &mut Vec<ValueOrigin>) -> Option<Scalar<'a>> {
        let own = properties.and_then(|p| build::scalar(p, "region", PULUMI));
        let region = match own {
            Some(own) => self.scalar(Some(own), origins),
            None => {
                let (_, node, _) = self.literals.iter().find(|(name, _, _)| name == "aws:region")?;
                Some(Scalar::new(node, true, None))
            }
        };
        region.filter(|r| r.text().is_some())
    }

    /// Every value of a configuration, its `${…}` resolved.
    fn resolve_configuration(&self, config: &mut Configuration<'a>, origins: &mut Vec<ValueOrigin>) {
        let Some(rules) = config.rules.as_mut() else {
            return;
        };
        for rule in rules.items.iter_mut().chain(rules.branches.iter_mut()) {
            if let Some(destinations) = rule.destinations.as_mut() {
                for d in destinations.items.iter_mut().chain(destinations.branches.iter_mut()) {
                    d.region = self.scalar(d.region, origins);
                    d.registry_id = self.scalar(d.registry_id, origins);
                }
            }
            if let Some(filters) = rule.repository_filters.as_mut() {
                for f in filters.items.iter_mut().chain(filters.branches.iter_mut()) {
                    f.filter = self.scalar(f.filter, origins);
                    f.filter_type = self.scalar(f.filter_type, origins);
                }
            }
        }
    }
}

/// A literal value (a string that is no interpolation, a number, a bool), as deployed.
fn literal<'a>(node: &'a Node<'a>) -> Option<Value<'a>> {
    match &node.kind {
        NodeKind::String(s) if is_template(s) => None,
        NodeKind::String(_) | NodeKind::Number(_) | NodeKind::Bool(_) => dialect::scalar_value(node, true),
        _ => None,
    }
}
