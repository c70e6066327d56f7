//! ECR315 read-only-property: `RegistryId` under a resource's `Properties` is read-only.

use super::Context;
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR315",
    "read-only-property",
    super::Level::ERROR,
    "A template sets RegistryId, which CloudFormation reads but never accepts."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let properties = ctx
        .doc
        .resources
        .iter()
        .filter_map(|r| r.node.get("Properties"))
        .map(|p| &p.value)
        .chain((ctx.doc.kind == crate::document::DocumentKind::CloudFormationProperties).then_some(ctx.doc.root));
    for props in properties {
        if let Some(m) = props.get("RegistryId") {
            out.push(
                META.diagnostic(
                    m.key_span,
                    "`RegistryId` is a read-only property: CloudFormation sets it to the stack's account and rejects a template that sets it",
                )
                .with_primary_label("read-only")
                .with_help("remove `RegistryId` from Properties; the destinations' `RegistryId`s are where accounts go"),
            );
        }
    }
}
