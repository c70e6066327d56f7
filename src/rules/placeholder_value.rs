//! ECR206 placeholder-value: a well-formed `registryId` is an AWS documentation example account.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::document::Scalar;

rule_meta!(
    "ECR206",
    "placeholder-value",
    super::Level::WARNING,
    "A registryId is an example account from AWS documentation."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in &ctx.doc.configurations {
        for id in config
            .candidate_destinations()
            .flat_map(|d| d.registry_id.iter().flat_map(Scalar::candidates))
        {
            let Some(value) = id.text() else { continue };
            // The user's own source account is real, whatever it looks like.
            if ctx.source_registry == Some(value) {
                continue;
            }
            if ctx.facts.registry_id_pattern.is_match(value) && ctx.facts.is_placeholder_account(value) {
                out.push(
                    META.diagnostic(
                        id.span(),
                        format!(
                            "{} `\"{value}\"` is an example account from AWS documentation, not a real destination",
                            config.dialect.keys().registry_id
                        ),
                    )
                    .with_primary_label("documentation placeholder")
                    .with_help("replace it with the account ID of your destination registry"),
                );
            }
        }
    }
}
