//! ECR314 multiple-configurations: a second `AWS::ECR::ReplicationConfiguration` resource in one template.

use super::Context;
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR314",
    "multiple-configurations",
    super::Level::ERROR,
    "A template declares more than one AWS::ECR::ReplicationConfiguration."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some((first, rest)) = ctx.doc.resources.split_first() else {
        return;
    };
    for second in rest {
        out.push(
            META.diagnostic(
                second.key_span,
                format!(
                    "`{}` is a second replication configuration: a registry has one per Region, so creating it fails",
                    second.logical_id
                ),
            )
            .with_primary_label("second AWS::ECR::ReplicationConfiguration")
            .with_label(first.key_span, "first declared here")
            .with_help(format!(
                "move its rules into `{}` and remove this resource",
                first.logical_id
            )),
        );
    }
}
