//! ECR604 dsse-outside-govcloud: a creation template asks for `KMS_DSSE`
//! where ECR does not offer it.

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR604",
    "dsse-outside-govcloud",
    super::Level::ERROR,
    "A creation template uses KMS_DSSE encryption outside the partitions that offer it.",
    resources: [creation_template],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    // The template facts are read from their schema on first use: most
    // files have no template.
    if ctx.doc.templates.is_empty() {
        return;
    }
    let facts = crate::facts::template_facts();
    for template in &ctx.doc.templates {
        let Some(ty) = template.encryption_type else { continue };
        let Some(text) = ty.text() else { continue };
        let Some(offered) = facts.partitions_for(text) else {
            continue;
        };
        // Where the template is: its Region's partition, else its key's.
        let key = template
            .kms_key
            .and_then(|k| Some((k, crate::facts::KmsKeyArn::parse(k.text()?)?)));
        let region = super::kms_key_other_region::template_region(ctx, template);
        let (partition, said_by) = match (region.and_then(|r| ctx.facts.partition_of(r)), &key) {
            (Some(p), _) => (p.id.as_str(), format!("Region {}", region.unwrap_or_default())),
            (None, Some((_, arn))) => (arn.partition, format!("key's Region {}", arn.region)),
            (None, None) => continue,
        };
        if offered.iter().any(|p| p == partition) {
            continue;
        }
        let names: Vec<String> = offered
            .iter()
            .map(|id| ctx.facts.partition(id).map_or(id.clone(), |p| p.name.clone()))
            .collect();
        let mut d = META
            .diagnostic(
                ty.span(),
                format!(
                    "`{text}` is offered only in {}, and this template is in partition {partition} (the {said_by}): the repository creation will fail",
                    names.join(", ")
                ),
            )
            .with_primary_label(format!("not offered in {partition}"))
            .with_help("use `KMS` (one layer of KMS encryption) outside GovCloud");
        if let (None, Some((k, _))) = (region, key) {
            d = d.with_label(k.span(), "the key says where");
        }
        out.push(d);
    }
}
