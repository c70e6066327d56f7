//! ECR603 kms-key-other-region: a creation template's KMS key is in another
//! Region than the template.

use super::Context;
use crate::document::creation_template::CreationTemplate;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR603",
    "kms-key-other-region",
    super::Level::ERROR,
    "A creation template's KMS key is in another Region than the template.",
    resources: [creation_template],
    scope: File,
    fix: None,
);

/// The Region a template is created in: the document's, else the one the
/// settings give the file (`[source] region`, the Region it is deployed in).
pub fn template_region<'a>(ctx: &Context<'a>, template: &CreationTemplate<'a>) -> Option<&'a str> {
    template.region.and_then(|r| r.text()).or(ctx.source_region)
}

pub fn check(ctx: &Context, out: &mut Findings) {
    for template in &ctx.doc.templates {
        let Some(key) = template.kms_key else { continue };
        let Some(arn) = key.text().and_then(crate::facts::KmsKeyArn::parse) else {
            continue;
        };
        let Some(region) = template_region(ctx, template) else {
            continue;
        };
        if arn.region == region {
            continue;
        }
        let mut d = META
            .diagnostic(
                key.span(),
                format!("the key is in {}, the template in {region}: the key must be in the same Region as the repository, otherwise the repository creation will fail", arn.region),
            )
            .with_primary_label(format!("a key in {}", arn.region))
            .with_help(format!(
                "use a key in {region} (a multi-Region replica key of this one has its own ARN there), one template per Region"
            ));
        if let Some(r) = template.region {
            d = d.with_label(r.span(), "the template's Region");
        }
        out.push(d);
    }
}
