//! Repositories a file defines, as written: CloudFormation
//! `AWS::ECR::Repository` resources and Terraform `aws_ecr_repository`
//! resources, with the settings replication does not copy (tag mutability,
//! encryption). Only literal values: one known at deploy time says nothing
//! a check across files can compare.

use super::terraform;
use crate::syntax::Node;

pub const CLOUDFORMATION_TYPE: &str = "AWS::ECR::Repository";

/// One repository resource: each value the node it is written at.
#[derive(Clone, Copy, Debug)]
pub struct RepositoryResource<'a> {
    pub name: &'a Node<'a>,
    /// `ImageTagMutability` / `image_tag_mutability`; `None`: not written
    /// (the default) or not a literal.
    pub tag_mutability: Option<&'a Node<'a>>,
    /// `EncryptionConfiguration.EncryptionType` / `encryption_configuration { encryption_type }`.
    pub encryption_type: Option<&'a Node<'a>>,
}

impl RepositoryResource<'_> {
    /// Its name, when written as a literal.
    pub fn literal_name(&self) -> Option<&str> {
        literal(self.name)
    }
}

/// The text of a literal string (a Terraform template is not one).
pub fn literal<'n>(node: &'n Node) -> Option<&'n str> {
    node.as_str().filter(|t| !t.contains("${"))
}

/// The repositories a parsed file defines, in order, literal names only.
pub fn read<'a>(root: &'a Node<'a>) -> Vec<RepositoryResource<'a>> {
    let literal_node = |node: Option<&'a Node<'a>>| node.filter(|n| literal(n).is_some());
    let mut found = Vec::new();
    if terraform::is_tree(root) {
        for (ty, _, body) in terraform::labelled2(root, "resource") {
            if ty.key != terraform::REPOSITORY_TYPE {
                continue;
            }
            let Some(name) = body.get("name").map(|m| &m.value) else {
                continue;
            };
            let encryption = terraform::members(body, "encryption_configuration")
                .flat_map(|m| terraform::bodies(&m.value))
                .find_map(|b| b.get("encryption_type"))
                .map(|m| &m.value);
            found.push(RepositoryResource {
                name,
                tag_mutability: literal_node(body.get("image_tag_mutability").map(|m| &m.value)),
                encryption_type: literal_node(encryption),
            });
        }
    } else if let Some(resources) = root.get("Resources").and_then(|r| r.value.as_object()) {
        for resource in resources {
            let body = &resource.value;
            if body.get("Type").and_then(|t| t.value.as_str()) != Some(CLOUDFORMATION_TYPE) {
                continue;
            }
            let Some(properties) = body.get("Properties").map(|p| &p.value) else {
                continue;
            };
            let Some(name) = properties.get("RepositoryName").map(|m| &m.value) else {
                continue;
            };
            let encryption = properties
                .get("EncryptionConfiguration")
                .and_then(|e| e.value.get("EncryptionType"))
                .map(|m| &m.value);
            found.push(RepositoryResource {
                name,
                tag_mutability: literal_node(properties.get("ImageTagMutability").map(|m| &m.value)),
                encryption_type: literal_node(encryption),
            });
        }
    }
    found.retain(|r| r.literal_name().is_some());
    found
}
