//! ECR601 missing-custom-role: a repository creation template with KMS
//! encryption or resource tags but no `customRoleArn`.

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR601",
    "missing-custom-role",
    super::Level::ERROR,
    "A creation template with KMS encryption or resource tags has no custom role.",
    resources: [creation_template],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for template in ctx
        .doc
        .templates
        .iter()
        .filter(|t| t.node.get(t.keys.custom_role_arn).is_none())
    {
        let kms = template
            .encryption_type
            .filter(|t| t.text().is_some_and(|t| t.starts_with("KMS")));
        let (span, what) = match (kms, template.resource_tags) {
            (Some(ty), Some(_)) => (
                ty.span(),
                format!("{} encryption and resource tags", ty.text().unwrap_or_default()),
            ),
            (Some(ty), None) => (ty.span(), format!("{} encryption", ty.text().unwrap_or_default())),
            (None, Some(tags)) => (tags.key_span, "resource tags".to_string()),
            (None, None) => continue,
        };
        let role = template.keys.custom_role_arn;
        let mut d = META
            .diagnostic(
                span,
                format!("this template sets {what} but no `{role}`: ECR creates repositories with them only through a role of yours, otherwise the repository creation will fail (replication, pull-through cache or push creates no repository)"),
            )
            .with_primary_label(format!("needs `{role}`"))
            .with_help(format!(
                "add `{role}`: the ARN of an IAM role in this registry's account that `ecr.amazonaws.com` may assume, allowed to use the KMS key and to tag repositories"
            ));
        if let (Some(_), Some(tags)) = (kms, template.resource_tags) {
            d = d.with_label(tags.key_span, "tags need the role too");
        }
        out.push(d);
    }
}
