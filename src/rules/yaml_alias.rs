//! ECR004 yaml-alias: a CloudFormation template uses a YAML alias, which CloudFormation rejects.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::document::Dialect;

rule_meta!(
    "ECR004",
    "yaml-alias",
    super::Level::ERROR,
    "A CloudFormation template uses a YAML alias or merge key, which CloudFormation rejects."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    // Only CloudFormation rejects aliases; API payloads go through YAML readers that expand them.
    if ctx.doc.shape.dialect != Dialect::CloudFormation {
        return;
    }
    for alias in ctx.yaml_aliases {
        let what = if alias.merge {
            "this merge key's value is a YAML alias"
        } else {
            "a YAML alias"
        };
        out.push(
            META.diagnostic(
                alias.span,
                format!(
                    "{what}: CloudFormation rejects a template that uses aliases (\"YAML aliases are not allowed in CloudFormation templates\")"
                ),
            )
            .with_primary_label("alias")
            .with_help(
                "write the value out in full; or, if this file is always deployed through `aws cloudformation package` or `sam deploy` (which expand aliases), turn ECR004 off for it in .ecrlint.toml. Anchors alone (`&name`) are accepted",
            ),
        );
    }
}
