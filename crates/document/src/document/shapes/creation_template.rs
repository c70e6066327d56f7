//! Repository creation templates as the API and the AWS CLI write them: the
//! create- or update-repository-creation-template input (`--cli-input-json`),
//! the describe-repository-creation-templates output, and the single-template
//! output of create, update and delete. Each template is read as a
//! [`CreationTemplate`]; the schema is `schemas/repository-creation-template.schema.json`.

use super::super::creation_template::{is_template_input, response_member, CreationTemplate};
use super::super::shape::{SchemaTarget, Shape};
use super::super::{build, dialect, Document};
use crate::syntax::Node;

pub static INPUT_SHAPE: Shape = Shape {
    name: "repository-creation-template",
    describe: "a repository creation template `{\"prefix\": \"...\", \"appliedFor\": [...]}`",
    dialect: dialect::API,
    matches: is_template_input,
    build: build_input,
    schema: &super::TEMPLATE_SCHEMA,
    target: SchemaTarget::Root("createRepositoryCreationTemplateRequest"),
    read_by_aws_cli: true,
};

pub static DESCRIBE_SHAPE: Shape = Shape {
    name: "describe-repository-creation-templates",
    describe: "describe-repository-creation-templates output `{\"repositoryCreationTemplates\": [...]}`",
    dialect: dialect::API,
    matches: |root| response_member(root, "repositoryCreationTemplates").is_some(),
    build: build_describe,
    schema: &super::TEMPLATE_SCHEMA,
    target: SchemaTarget::Root("describeRepositoryCreationTemplatesResponse"),
    read_by_aws_cli: false,
};

pub static RESPONSE_SHAPE: Shape = Shape {
    name: "repository-creation-template-response",
    describe: "create-repository-creation-template output `{\"repositoryCreationTemplate\": {...}}`",
    dialect: dialect::API,
    matches: |root| response_member(root, "repositoryCreationTemplate").is_some(),
    build: build_response,
    schema: &super::TEMPLATE_SCHEMA,
    target: SchemaTarget::Root("repositoryCreationTemplateResponse"),
    read_by_aws_cli: false,
};

fn build_input<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    doc.templates.push(CreationTemplate::build(root, dialect::API));
    doc
}

/// The registry the templates belong to, where the output names it.
fn with_registry<'a>(mut doc: Document<'a>, root: &'a Node<'a>) -> Document<'a> {
    doc.source_registry = build::scalar(root, "registryId", dialect::API);
    doc
}

fn build_describe<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    let items = response_member(root, "repositoryCreationTemplates")
        .and_then(|m| m.value.as_array())
        .unwrap_or_default();
    doc.templates.extend(
        items
            .iter()
            .filter(|t| t.as_object().is_some())
            .map(|t| CreationTemplate::build(t, dialect::API)),
    );
    with_registry(doc, root)
}

fn build_response<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let mut doc = Document::new(shape, root, Vec::new());
    let template = response_member(root, "repositoryCreationTemplate")
        .map(|m| &m.value)
        .filter(|t| t.as_object().is_some());
    doc.templates
        .extend(template.map(|t| CreationTemplate::build(t, dialect::API)));
    with_registry(doc, root)
}
