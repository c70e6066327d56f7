//! ECR315 read-only-property: `RegistryId` under a resource's `Properties` is read-only, so ignored.

use super::Context;
use crate::fix::Fix;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR315",
    "read-only-property",
    super::Level::WARNING,
    "A template sets RegistryId, a read-only property CloudFormation ignores.",
    resources: [replication],
    scope: File,
    fix: Safe,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for props in ctx.doc.resource_properties() {
        if let Some(m) = props.get("RegistryId") {
            // A key written twice is removed everywhere at once: removing
            // only the copy that is read would bring the other one to light.
            let fix = ctx
                .remove_members_named(props, "RegistryId")
                .map(|edits| Fix::safe("Remove `RegistryId`", edits));
            let found = META
                .diagnostic(
                    m.key_span,
                    "`RegistryId` is a read-only property: CloudFormation ignores it (read-only properties are not passed to the resource handler, which always configures the stack's own registry)",
                )
                .with_primary_label("ignored")
                .with_help("remove `RegistryId` from Properties; to replicate to an account, put its ID in a destination's `RegistryId`");
            out.push(match fix {
                Some(fix) => found.with_fix(fix),
                None => found,
            });
        }
    }
}
