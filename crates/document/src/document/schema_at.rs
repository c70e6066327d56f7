//! Which schema definition describes a place in a document being typed
//! (for completion and hover): the resource kind the path is in, by its
//! type (a CloudFormation or Pulumi resource's `Type`/`type`, a Terraform
//! block's labels), or at the top of an API document the shapes of
//! [`super::shapes::SHAPES`] whose root has the keys already written (and a
//! CloudFormation template's sections). A
//! registry policy written inside a resource (`PolicyText`, `policy`) is
//! described by the policy's own definition.

use super::dialect::{
    CREATION_TEMPLATE_RESOURCE, PULUMI_REGISTRY_POLICY_RESOURCE, PULUMI_REPLICATION_RESOURCE, REGISTRY_POLICY_RESOURCE,
    REPLICATION_RESOURCE, TERRAFORM_REPLICATION_RESOURCE,
};
use super::shape::{SchemaFile, SchemaTarget};
use super::shapes::{self, CLOUDFORMATION_SCHEMA, POLICY_SCHEMA, TEMPLATE_SCHEMA};
use super::terraform as tf;

/// `schemas/account-setting.schema.json`: the names of the registry's
/// account settings and the values each takes (`aws_ecr_account_setting`).
pub static ACCOUNT_SETTING_SCHEMA: SchemaFile = SchemaFile {
    id: "account-setting",
    name: "account-setting.schema.json",
    text: crate::facts::ACCOUNT_SETTING_SCHEMA,
    imports: &[],
};

/// Terraform's meta-arguments written as blocks in HCL (`lifecycle {`):
/// the schemas take any value for them, as the JSON syntax may hold any.
pub const TERRAFORM_META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

/// How the document is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notation {
    /// JSON or YAML: API payloads, CloudFormation, Pulumi, `.tf.json`.
    Data,
    /// Terraform's native syntax (`.tf`).
    Hcl,
}

/// A definition that describes the object `depth` steps down a path.
#[derive(Clone, Copy, Debug)]
pub struct Anchor {
    pub file: &'static SchemaFile,
    pub def: &'static str,
    pub depth: usize,
}

/// Where a resource writes its registry policy.
pub struct PolicyInside {
    /// The resource's definition (in registry-policy.schema.json or the
    /// Terraform file).
    pub resource: &'static str,
    /// The keys from the resource down to its policy argument.
    pub steps: &'static [&'static str],
    /// A function the argument may wrap the policy in, to give it as JSON
    /// text (Pulumi's `fn::toJSON`, read in any case as the front end does).
    pub to_json: Option<&'static str>,
}

/// Where each resource that holds a registry policy writes it.
pub const POLICY_INSIDE: &[PolicyInside] = &[
    PolicyInside {
        resource: "cloudformationResource",
        steps: &["Properties", "PolicyText"],
        to_json: None,
    },
    PolicyInside {
        resource: "pulumiResource",
        steps: &["properties", "policy"],
        to_json: Some("fn::toJSON"),
    },
    PolicyInside {
        resource: "registryPolicyResource",
        steps: &["policy"],
        to_json: None,
    },
];

/// The definition of registry-policy.schema.json that a policy is.
pub const POLICY_DEF: &str = "registryPolicy";

/// The definitions that may describe the object at `path` (the first ones
/// the most likely), given the scalar a key has in the object some steps
/// down the path (`type_at(2, "Type")`). At the top of a JSON or YAML
/// document, every shape's root definition (depth 0). Empty where no
/// schema of ours describes the place.
pub fn anchors(notation: Notation, path: &[&str], type_at: &dyn Fn(usize, &str) -> Option<String>) -> Vec<Anchor> {
    let resource = |defs: &[(&'static SchemaFile, &'static str)], depth: usize| -> Vec<Anchor> {
        defs.iter()
            .map(|&(file, def)| inside_policy(Anchor { file, def, depth }, path))
            .collect()
    };
    match path {
        // A CloudFormation template's resource, by its `Type`.
        ["Resources", _, ..] if notation == Notation::Data => {
            let replication = (&CLOUDFORMATION_SCHEMA, "resource");
            let policy = (&POLICY_SCHEMA, "cloudformationResource");
            let template = (&TEMPLATE_SCHEMA, "cloudformationResource");
            match type_at(2, "Type").as_deref() {
                Some(REPLICATION_RESOURCE) => resource(&[replication], 2),
                Some(REGISTRY_POLICY_RESOURCE) => resource(&[policy], 2),
                Some(CREATION_TEMPLATE_RESOURCE) => resource(&[template], 2),
                Some(_) => Vec::new(),
                None => resource(&[replication, policy, template], 2),
            }
        }
        // A Pulumi YAML program's resource, by its `type`.
        ["resources", _, ..] if notation == Notation::Data => {
            let replication = (&shapes::pulumi::SCHEMA, "resource");
            let policy = (&POLICY_SCHEMA, "pulumiResource");
            match type_at(2, "type").as_deref() {
                Some(PULUMI_REPLICATION_RESOURCE) => resource(&[replication], 2),
                Some(PULUMI_REGISTRY_POLICY_RESOURCE) => resource(&[policy], 2),
                Some(_) => Vec::new(),
                None => resource(&[replication, policy], 2),
            }
        }
        // Terraform, either syntax: `resource "type" "name"`, `data "type" "name"`.
        ["resource", ty, _, ..] => {
            let terraform = &shapes::terraform::SCHEMA;
            match *ty {
                TERRAFORM_REPLICATION_RESOURCE => resource(&[(terraform, "resource")], 3),
                tf::REGISTRY_POLICY_TYPE => resource(&[(terraform, "registryPolicyResource")], 3),
                tf::CREATION_TEMPLATE_TYPE => resource(&[(&TEMPLATE_SCHEMA, "terraformResource")], 3),
                tf::ACCOUNT_SETTING_TYPE => resource(
                    &[
                        (terraform, "accountSettingResource"),
                        (&ACCOUNT_SETTING_SCHEMA, "terraformAccountSetting"),
                    ],
                    3,
                ),
                _ => Vec::new(),
            }
        }
        ["data", tf::POLICY_DOCUMENT_TYPE, _, ..] => resource(&[(&shapes::terraform::SCHEMA, "policyDocumentData")], 3),
        // Terraform, either syntax: a module block by its `source`; a
        // local module's inputs are its variables, which no schema holds.
        ["module", _, ..] => match type_at(2, "source") {
            Some(source) if tf::is_known_module(&source) => resource(&[(&shapes::terraform::SCHEMA, "moduleBlock")], 2),
            _ => Vec::new(),
        },
        _ if notation == Notation::Data => top_level(),
        _ => Vec::new(),
    }
}

/// The inputs a local module takes (`module "x" { source = "./ecr" }`):
/// the variables its folder declares, with their descriptions, as no
/// schema holds them. Only in the module block's own body, and only for a
/// document on disk (the folder is beside it).
pub fn local_module_inputs(
    path: &[&str],
    type_at: &dyn Fn(usize, &str) -> Option<String>,
    document: Option<&std::path::Path>,
) -> Vec<(String, Option<String>)> {
    let ["module", _] = path else {
        return Vec::new();
    };
    let (Some(source), Some(folder)) = (type_at(2, "source"), document.and_then(std::path::Path::parent)) else {
        return Vec::new();
    };
    if !tf::is_local_source(&source) {
        return Vec::new();
    }
    super::module::variables(&folder.join(source))
}

/// Below a resource's policy argument (and its JSON function, if any), the
/// policy's own definition.
fn inside_policy(anchor: Anchor, path: &[&str]) -> Anchor {
    let below = &path[anchor.depth.min(path.len())..];
    let Some(inside) = POLICY_INSIDE
        .iter()
        .find(|p| p.resource == anchor.def && below.starts_with(p.steps))
    else {
        return anchor;
    };
    let wrapped = inside
        .to_json
        .zip(below.get(inside.steps.len()))
        .is_some_and(|(f, step)| f.eq_ignore_ascii_case(step));
    Anchor {
        file: &POLICY_SCHEMA,
        def: POLICY_DEF,
        depth: anchor.depth + inside.steps.len() + usize::from(wrapped),
    }
}

/// The root definitions of the shapes, most common first: which fit is
/// for the caller to tell from the keys written (the schema layer reads
/// definitions, this one only names them).
fn top_level() -> Vec<Anchor> {
    let mut all: Vec<Anchor> = Vec::new();
    // A document in a dialect whose top level a schema file describes: a
    // template's sections, offered after the API's documents.
    let documents = [Anchor {
        file: &CLOUDFORMATION_SCHEMA,
        def: "template",
        depth: 0,
    }];
    // A statement saved alone is a mistake (ECR509), not a shape to offer.
    let offered = shapes::SHAPES
        .iter()
        .rev()
        .filter(|s| !std::ptr::eq(**s, &shapes::registry_policy::LONE_STATEMENT_SHAPE));
    for shape in offered {
        let SchemaTarget::Root(def) = shape.target else {
            continue;
        };
        if !all.iter().any(|a| std::ptr::eq(a.file, shape.schema) && a.def == def) {
            all.push(Anchor {
                file: shape.schema,
                def,
                depth: 0,
            });
        }
    }
    all.extend(documents);
    all
}
