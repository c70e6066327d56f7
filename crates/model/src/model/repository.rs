//! Repositories the files define ([`crate::document::repositories`]: CloudFormation
//! `AWS::ECR::Repository` resources' `RepositoryName`, Terraform
//! `aws_ecr_repository` resources' `name`), located. Only literal names: a
//! name known at deploy time names nothing that a filter can be checked against.

use super::Located;
use crate::syntax::Node;

/// Repositories, as a kind (the workspace rules read them across files).
pub static KIND: super::kind::Kind = super::kind::Kind {
    name: "repository",
    held: |doc| !crate::document::repositories::read(doc.root).is_empty(),
    schema: None,
};

#[derive(Clone, Debug)]
pub struct Repository {
    pub name: String,
    pub at: Located,
}

/// The repositories a parsed file defines, in order.
pub fn read(root: &Node, file: usize) -> Vec<Repository> {
    crate::document::repositories::read(root)
        .into_iter()
        .filter_map(|r| {
            Some(Repository {
                name: r.literal_name()?.to_string(),
                at: Located {
                    file,
                    span: r.name.span,
                },
            })
        })
        .collect()
}
