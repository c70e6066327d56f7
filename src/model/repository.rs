//! Repositories the files define: CloudFormation `AWS::ECR::Repository`
//! resources' `RepositoryName`, Terraform `aws_ecr_repository` resources'
//! `name`. Only literal names: a name known at deploy time names nothing
//! that a filter can be checked against.

use super::Located;
use crate::syntax::Node;

pub const CLOUDFORMATION_TYPE: &str = "AWS::ECR::Repository";
pub const TERRAFORM_TYPE: &str = "aws_ecr_repository";

#[derive(Clone, Debug)]
pub struct Repository {
    pub name: String,
    pub at: Located,
}

/// The repositories a parsed file defines, in order.
pub fn read(root: &Node, file: usize, text: &str) -> Vec<Repository> {
    let lines = crate::lines::LineIndex::new(text);
    let located = |node: &Node| Located::new(file, node.span, &lines);
    let mut found = Vec::new();
    let mut push = |node: &Node| {
        if let Some(name) = node.as_str().filter(|n| !n.contains("${")) {
            found.push(Repository {
                name: name.to_string(),
                at: located(node),
            });
        }
    };
    if crate::document::terraform::is_tree(root) {
        for (ty, _, body) in crate::document::terraform::labelled2(root, "resource") {
            if ty.key == TERRAFORM_TYPE {
                if let Some(name) = body.get("name") {
                    push(&name.value);
                }
            }
        }
    } else if let Some(resources) = root.get("Resources").and_then(|r| r.value.as_object()) {
        for resource in resources {
            let body = &resource.value;
            if body.get("Type").and_then(|t| t.value.as_str()) != Some(CLOUDFORMATION_TYPE) {
                continue;
            }
            if let Some(name) = body.get("Properties").and_then(|p| p.value.get("RepositoryName")) {
                push(&name.value);
            }
        }
    }
    found
}
