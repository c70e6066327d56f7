//! A Terraform configuration (`.tf` through the HCL front end, `.tf.json`
//! as JSON) with `aws_ecr_replication_configuration` resources (and
//! registry policies, repository creation templates), or module
//! blocks of a known module that set its replication input (also the inside
//! of such a block alone, as module docs show it).

use super::super::creation_template::CreationTemplate;
use super::super::module::ModuleView;
use super::super::shape::{SchemaFile, SchemaTarget, Shape};
use super::super::terraform::{self as tf};
use super::super::terraform_scope::{Builder, Lists, Scope};
use super::super::{
    dialect, AccountSetting, Configuration, Document, Embedded, IgnoredInput, IgnoredPolicy, Resource, Scalar, Written,
};
use crate::syntax::Node;
use std::borrow::Cow;

/// The provider's schema for the resource, and the module's input.
pub static SCHEMA: SchemaFile = SchemaFile {
    id: "terraform",
    name: "terraform-replication-configuration.schema.json",
    text: crate::facts::TERRAFORM_SCHEMA,
    imports: &[&super::API_SCHEMA],
};

pub static SHAPE: Shape = Shape {
    name: "terraform",
    describe: "a Terraform configuration with `aws_ecr_replication_configuration` resources (or terraform-aws-modules/ecr `registry_replication_rules`)",
    dialect: dialect::TERRAFORM,
    matches,
    build: build_view,
    schema: &SCHEMA,
    target: SchemaTarget::EachResource("resource"),
    read_by_aws_cli: false,
};

fn matches(root: &Node) -> bool {
    matches_besides(root, &[])
}

/// Whether the file is ours apart from the inputs of the module blocks
/// named in `followed` (local modules whose source was read: their inputs
/// are checked as the module uses them, not by their contents).
pub fn matches_besides(root: &Node, followed: &[&str]) -> bool {
    if tf::is_tree(root) {
        tf::replication_resources(root).next().is_some()
            || tf::module_inputs(root).next().is_some()
            || tf::registry_policy_resources(root).next().is_some()
            || tf::creation_template_resources(root).next().is_some()
            || tf::module_policy_inputs(root).next().is_some()
            || tf::account_setting_resources(root).next().is_some()
            || crate::document::module_input::inputs(root).any(|(name, _)| !followed.contains(&name.key.as_ref()))
    } else {
        tf::module_fragment(root).is_some()
            || tf::terragrunt_input(root).is_some()
            || tf::terragrunt_policy_input(root).is_some()
    }
}

/// The first scanning input of a known module's block (for recognition,
/// which names that neighbour).
pub fn module_scanning_input<'a>(root: &'a Node<'a>) -> Option<&'a crate::syntax::Member<'a>> {
    tf::labelled(root, "module")
        .filter(|(_, body)| {
            body.get("source")
                .and_then(|s| s.value.as_str())
                .is_some_and(tf::is_known_module)
        })
        .flat_map(|(_, body)| body.as_object().unwrap_or_default())
        .find(|m| tf::MODULE_SCANNING_INPUTS.contains(&m.key.as_ref()))
}

/// A replication configuration passed to a module ecrlint does not know,
/// in the layout of terraform-aws-modules/ecr's rules
/// ([`crate::document::module_input`]): its values are checked, never its
/// keys or list sizes, which the module's own variable type decides.
/// Never recognised on its own: the Terraform shape hands such inputs over.
pub static MODULE_INPUT_SHAPE: Shape = Shape {
    name: "terraform",
    describe: "a replication configuration passed to a module",
    dialect: dialect::TERRAFORM_MODULE,
    matches: |_| false,
    build: build_module_input,
    schema: &SCHEMA,
    target: SchemaTarget::EachResource("resource"),
    read_by_aws_cli: false,
};

fn build_module_input<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let scope = Scope::new(root);
    let mut origins = Vec::new();
    let mut builder = Builder {
        scope: &scope,
        dialect: dialect::TERRAFORM_MODULE,
        lists: Lists::Values,
        provider: "aws",
        origins: &mut origins,
    };
    let configuration = builder.configuration(root);
    Document::new(shape, root, vec![configuration])
}

fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    build(root, shape, Scope::new(root), None)
}

/// The view of a file read as part of its folder's module: names its own
/// file does not define are looked up in the others.
pub fn build_in_module<'a>(root: &'a Node<'a>, shape: &'static Shape, module: &'a ModuleView) -> Document<'a> {
    let mut doc = build(root, shape, Scope::in_module(root, Some(module)), Some(module));
    if let Some(own) = module.own {
        doc.repeated_in_module = repeated_in_module(&doc, module, own);
    }
    doc
}

/// This file's replication resources that configure the registry one of
/// another file of the module configures, as the module pairs them.
fn repeated_in_module(doc: &Document, view: &ModuleView, own: usize) -> Vec<super::super::RepeatedInModule> {
    let module = &*view.module;
    module
        .repeated_configurations(own)
        .into_iter()
        .filter_map(|(first, second)| {
            let (here, other) = if second.file == own {
                (second, first)
            } else {
                (first, second)
            };
            // Its name's place in the text linted (which the module read from disk).
            let resource = doc.resources.iter().find(|r| r.logical_id == here.address)?;
            Some(super::super::RepeatedInModule {
                address: here.address.clone(),
                key_span: resource.key_span,
                other_address: other.address.clone(),
                other_span: other.key_span,
                other_file: module.files.get(other.file)?.clone(),
                second_here: second.file == own,
            })
        })
        .collect()
}

/// `module`: the folder's override files, merged as Terraform merges them.
fn build<'a>(
    root: &'a Node<'a>,
    shape: &'static Shape,
    scope: Scope<'a>,
    module: Option<&'a ModuleView>,
) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    let mut origins = Vec::new();
    // The source Region of each configuration, when known (for ECR314's scope too).
    let mut regions: Vec<Option<Scalar<'a>>> = Vec::new();
    for (ty, name, body) in tf::replication_resources(root) {
        let address = format!("{}.{}", tf::RESOURCE_TYPE, name.key);
        let own = module.and_then(|m| Some((&m.module, m.own?)));
        // Replaced by an override file's block: that block is the one checked, in its file.
        let replaced = own.is_some_and(|(m, file)| m.is_replaced(file, &address));
        // An override file's block without `replication_configuration` keeps the original's.
        let merged = own.is_some_and(|(m, file)| m.is_merged(file, &address));
        if own.is_some_and(|(m, file)| m.is_without_base(file, &address)) {
            doc.overrides_without_base.push((address.clone(), name.key_span));
        }
        let provider = tf::provider_ref(body);
        // An override file's `region` is the one Terraform applies (its value, not this file's).
        let region = match own.and_then(|(m, file)| m.region_override(file, &address)) {
            Some(Some(text)) => Some(Scalar::new(body, true, Some(super::super::Value::Text(text)))),
            Some(None) => None,
            None => scope.source_region(body, &mut origins),
        };
        let region_scope = scope_of(region.as_ref(), provider);
        doc.resources.push(Resource {
            logical_id: Cow::Owned(address),
            key_span: name.key_span,
            node: body,
            schema_def: None,
            dialect: dialect::TERRAFORM,
            scope: Some(region_scope),
        });
        doc.slips.extend(tf::type_slip(ty, tf::RESOURCE_TYPE));
        regions.push(region);
        let mut builder = Builder {
            scope: &scope,
            dialect: dialect::TERRAFORM,
            lists: Lists::Blocks,
            provider,
            origins: &mut origins,
        };
        if replaced {
            continue;
        }
        let config = body.get("replication_configuration").map(|m| &m.value);
        match config.and_then(|c| tf::bodies(c).next()) {
            Some(c) => doc.configurations.push(Configuration {
                source_region: region,
                ..builder.configuration(c)
            }),
            // A `dynamic "replication_configuration"`: how many it makes is
            // unknown, so each `content` is one configuration it may make.
            None if has_dynamic(body, "replication_configuration") => {
                let contents = tf::dynamic_blocks(body, "replication_configuration", &["replication_configuration"])
                    .flat_map(|d| tf::bodies(&d.value))
                    .filter_map(tf::dynamic_content)
                    .flat_map(|c| tf::bodies(&c.value));
                for content in contents {
                    doc.configurations.push(Configuration {
                        source_region: region,
                        branch: true,
                        ..builder.configuration(content)
                    });
                }
            }
            None if merged => {}
            None => doc.configurations.push(Configuration {
                replication_off: Some(name.key_span),
                ..Configuration::new(dialect::TERRAFORM, body, None)
            }),
        }
    }
    // Each module's inputs: (its name for messages, where findings on the
    // module point, the object of its inputs, the rules input).
    let modules: Vec<_> = if tf::is_tree(root) {
        tf::module_inputs(root)
            .map(|(name, body, input)| (format!("module.{}", name.key), name.key_span, body, input))
            .collect()
    } else if let Some((inputs, input)) = tf::terragrunt_input(root) {
        vec![("terragrunt.hcl".to_string(), input.key_span, inputs, input)]
    } else {
        tf::module_fragment(root)
            .map(|input| ("the module".to_string(), input.key_span, root, input))
            .into_iter()
            .collect()
    };
    for (logical_id, key_span, body, input) in modules {
        doc.slips
            .extend(tf::input_slip(input, tf::MODULE_RULES_INPUT, tf::is_terragrunt(root)));
        let provider = Scope::module_provider(body);
        let region = match body.get("region") {
            Some(_) => scope.source_region(body, &mut origins),
            None => scope.provider_region(provider, &mut origins),
        };
        if input.value.as_array().is_some() {
            // Without `create_registry_replication_configuration = true` the
            // module creates no configuration, so it configures no registry.
            let (creates, flag) = flag_set(body, "create_registry_replication_configuration");
            let scope = if creates {
                scope_of(region.as_ref(), provider)
            } else {
                doc.ignored_inputs.push(IgnoredInput {
                    module: logical_id.clone(),
                    key_span: input.key_span,
                    flag,
                });
                format!("not created: {logical_id}")
            };
            doc.resources.push(Resource {
                logical_id: Cow::Owned(logical_id),
                key_span,
                node: &input.value,
                schema_def: Some("moduleReplicationRules"),
                dialect: dialect::TERRAFORM_MODULE,
                scope: Some(scope),
            });
        }
        regions.push(region);
        let mut builder = Builder {
            scope: &scope,
            dialect: dialect::TERRAFORM_MODULE,
            lists: Lists::Values,
            provider,
            origins: &mut origins,
        };
        doc.configurations.push(Configuration {
            source_region: region,
            ..builder.configuration_with(body, Some(input))
        });
    }
    // Other modules' inputs that hold a replication configuration.
    for (_, input) in crate::document::module_input::inputs(root) {
        doc.embedded.push(Embedded {
            node: &input.value,
            shape: &MODULE_INPUT_SHAPE,
            written: Written::ModuleInput,
        });
    }
    // One source Region for the file, when every configuration names the same.
    if let Some(Some(first)) = regions.first() {
        if regions
            .iter()
            .all(|r| r.as_ref().and_then(Scalar::text) == first.text())
        {
            doc.source_region = Some(*first);
        }
    }
    // Registry policies: a `jsonencode({…})` object, or JSON text (a
    // heredoc, a string); a reference (`data.aws_iam_policy_document.x.json`)
    // or any other expression is not known here.
    for (ty, name, body) in tf::registry_policy_resources(root) {
        doc.slips.extend(tf::type_slip(ty, tf::REGISTRY_POLICY_TYPE));
        doc.argument_resources.push(argument_resource(
            tf::REGISTRY_POLICY_TYPE,
            name,
            body,
            "registryPolicyResource",
        ));
        if let Some(policy) = tf::argument(body, "policy", tf::REGISTRY_POLICY_ARGUMENTS) {
            push_policy(&mut doc, root, &policy.value);
        }
    }
    // terraform-aws-modules/ecr's `registry_policy` input is the policy's
    // JSON text, written the same ways; without `create_registry_policy =
    // true` the module applies none of it.
    let policy_inputs: Vec<(String, &Node, &crate::syntax::Member)> = if tf::is_tree(root) {
        tf::module_policy_inputs(root)
            .map(|(name, body, input)| (format!("module.{}", name.key), body, input))
            .collect()
    } else {
        tf::terragrunt_policy_input(root)
            .map(|(inputs, input)| ("terragrunt.hcl".to_string(), inputs, input))
            .into_iter()
            .collect()
    };
    for (module, body, input) in policy_inputs {
        doc.slips
            .extend(tf::input_slip(input, tf::MODULE_POLICY_INPUT, tf::is_terragrunt(root)));
        let Some(policy) = push_policy(&mut doc, root, &input.value) else {
            continue;
        };
        let (creates, flag) = flag_set(body, tf::MODULE_POLICY_FLAG);
        if !creates {
            doc.ignored_policies.push(IgnoredPolicy {
                module,
                key_span: input.key_span,
                value_span: policy,
                flag,
            });
        }
    }
    // Repository creation templates, each in the Region its provider (or
    // its own `region`) gives.
    for (ty, name, body) in tf::creation_template_resources(root) {
        doc.slips.extend(tf::type_slip(ty, tf::CREATION_TEMPLATE_TYPE));
        doc.template_resources.push(Resource {
            logical_id: Cow::Owned(format!("{}.{}", tf::CREATION_TEMPLATE_TYPE, name.key)),
            key_span: name.key_span,
            node: body,
            schema_def: Some("terraformResource"),
            dialect: dialect::TERRAFORM,
            scope: None,
        });
        if body.as_object().is_some() {
            let mut template = CreationTemplate::build(body, dialect::TERRAFORM);
            template.region = scope.source_region(body, &mut origins);
            doc.templates.push(template);
        }
    }
    for (name, body) in tf::account_setting_resources(root) {
        doc.argument_resources.push(argument_resource(
            tf::ACCOUNT_SETTING_TYPE,
            name,
            body,
            "accountSettingResource",
        ));
        let argument = |key| tf::argument(body, key, tf::ACCOUNT_SETTING_ARGUMENTS).map(|m| &m.value);
        if let Some(setting) = argument("name") {
            doc.account_settings.push(AccountSetting {
                name: setting,
                value: argument("value"),
            });
        }
    }
    // The registry policy scope the file sets for its account and Region.
    let scope_setting = &crate::facts::facts().registry_policy.scope_setting;
    doc.registry_policy_scope = tf::account_settings(root)
        .filter(|(name, _)| name == scope_setting)
        .find_map(|(_, value)| crate::document::policy::PolicyScope::parse(value));
    // In file order, so "first declared here" is the first in the file.
    doc.resources.sort_by_key(|r| r.key_span.start);
    doc.value_origins = origins;
    doc
}

/// Adds the registry policy a policy argument gives, written as Terraform
/// writes one: `jsonencode({…})`, JSON text (a heredoc, a string), or a
/// reference to a `data "aws_iam_policy_document"` of the file (read once
/// however many arguments name it). Any other expression is not known
/// here. Returns the span of the node read.
fn push_policy<'a>(doc: &mut Document<'a>, root: &'a Node<'a>, value: &'a Node<'a>) -> Option<crate::syntax::Span> {
    let (node, written) = match tf::whole_expression(value.as_str()?) {
        Some(e) if e.starts_with("jsonencode") => (value, Written::HclJsonencode),
        Some(e) => {
            let (ty, name, body) = tf::policy_document(root, e)?;
            // Its arguments are checked (once), and a slip of its type named.
            if !doc.embedded.iter().any(|e| std::ptr::eq(e.node, body)) {
                doc.slips.extend(tf::data_type_slip(ty, tf::POLICY_DOCUMENT_TYPE));
                doc.argument_resources.push(Resource {
                    logical_id: Cow::Owned(format!("data.{}.{}", ty.key, name.key)),
                    ..argument_resource(tf::POLICY_DOCUMENT_TYPE, name, body, "policyDocumentData")
                });
            }
            (body, Written::IamPolicyDocument)
        }
        None => (value, Written::JsonText),
    };
    if !doc.embedded.iter().any(|e| std::ptr::eq(e.node, node)) {
        doc.embedded.push(Embedded {
            node,
            shape: &super::registry_policy::TERRAFORM_SHAPE,
            written,
        });
    }
    Some(node.span)
}

/// A resource whose arguments the schema's definition `def` checks.
fn argument_resource<'a>(
    ty: &str,
    name: &'a crate::syntax::Member<'a>,
    body: &'a Node<'a>,
    def: &'static str,
) -> Resource<'a> {
    Resource {
        logical_id: Cow::Owned(format!("{ty}.{}", name.key)),
        key_span: name.key_span,
        node: body,
        schema_def: Some(def),
        dialect: dialect::TERRAFORM,
        scope: None,
    }
}

/// Whether a module's `create_…` flag is set (true, or an expression: not
/// known to be false), and where it is written.
fn flag_set(body: &Node, flag: &str) -> (bool, Option<crate::syntax::Span>) {
    let member = body.get(flag);
    let set = member.is_some_and(|c| {
        !matches!(
            c.value.kind,
            crate::syntax::NodeKind::Bool(false) | crate::syntax::NodeKind::Null
        )
    });
    (set, member.map(|m| m.value.span))
}

fn has_dynamic(body: &Node, key: &str) -> bool {
    tf::dynamic_blocks(body, key, &[key]).next().is_some()
}

/// Resources of one scope configure one registry: the same known Region,
/// or else the same provider configuration.
fn scope_of(region: Option<&Scalar>, provider: &str) -> String {
    match region.and_then(Scalar::text) {
        Some(r) => format!("region {r}"),
        None => format!("provider {provider}"),
    }
}
