//! ECR602 kms-key-not-arn: a creation template's `kmsKey` is not a full KMS key ARN.

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR602",
    "kms-key-not-arn",
    super::Level::ERROR,
    "A creation template's KMS key is not a full key ARN.",
    resources: [creation_template],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for template in &ctx.doc.templates {
        let Some(key) = template.kms_key else { continue };
        let Some(text) = key.text().filter(|t| !t.is_empty()) else {
            continue;
        };
        if crate::facts::KmsKeyArn::parse(text).is_some() {
            continue;
        }
        let what = if text.contains(":alias/") || text.starts_with("alias/") {
            "an alias"
        } else if text.contains(':') {
            "not a key ARN"
        } else {
            "a key ID"
        };
        out.push(
            META.diagnostic(
                key.span(),
                format!("`{}` `{text}` is {what}: a template needs the full ARN of the key, so the API rejects the template", template.keys.kms_key),
            )
            .with_primary_label("not a full key ARN")
            .with_help("write the key's ARN, `arn:aws:kms:<region>:<account>:key/<key-id>` (`aws kms describe-key --key-id <alias or id>` prints it), in the Region the template is created in"),
        );
    }
}
