//! ECR502 invalid-resource-arn: a registry policy's `Resource` is not a
//! repository ARN (`arn:<partition>:ecr:<region>:<account>:repository/<name>`).
//! ECR accepts such a policy, and it grants nothing.

use super::{statements, Context};
use crate::document::policy::{read_repository_arn, ArnReading};
use crate::fix::{Applicability, Fix};
use crate::rules::findings::Findings;

rule_meta!(
    "ECR502",
    "invalid-resource-arn",
    super::Level::ERROR,
    "A registry policy's resource is not a well-formed repository ARN.",
    resources: [policy],
    scope: File,
    fix: Unsafe,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for statement in statements(ctx) {
        let not = statement.not_resources.iter().map(|r| (r, true));
        for (resource, negated) in statement.resources.iter().map(|r| (r, false)).chain(not) {
            let Some(text) = resource.text() else { continue };
            let ArnReading::Malformed { problem, corrected } = read_repository_arn(text) else {
                continue;
            };
            let consequence = if negated {
                "ECR accepts the policy, but it names no repository, so `NotResource` leaves nothing out"
            } else {
                "ECR accepts the policy, but it grants nothing, and replication fails with DESTINATION_REGISTRY_ACCESS_DENIED"
            };
            let mut d = META
                .diagnostic(
                    resource.span(),
                    format!("resource `{text}` is not a repository ARN: {problem}. {consequence}"),
                )
                .with_primary_label("malformed ARN");
            d = match &corrected {
                Some(c) => d.with_help(format!("use `\"{c}\"`")),
                None => d.with_help(
                    "write `arn:<partition>:ecr:<region>:<account>:repository/*` with the destination registry's Region and 12-digit account ID",
                ),
            };
            if let Some((c, edit)) = corrected
                .as_ref()
                .and_then(|c| Some((c, ctx.replace_scalar(resource.span(), c)?)))
            {
                d = d.with_fix(Fix::new(
                    format!("Replace `{text}` with `{c}`"),
                    Applicability::Unsafe,
                    vec![edit],
                ));
            }
            out.push(d);
        }
    }
}
