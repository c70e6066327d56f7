//! ECR402 account-not-allowed: a destination registry outside the policy's `allowed-accounts`.

use super::Context;
use crate::document::DestinationField;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR402",
    "account-not-allowed",
    super::Level::ERROR,
    "A destination account is not allowed by the organisation policy.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    let Some(allowed) = ctx.policy.allowed_accounts.as_ref() else {
        return;
    };
    for id in ctx.doc.destination_values(DestinationField::RegistryId) {
        let account = id.text;
        // Malformed IDs are ECR204's; the source account is always allowed.
        if !ctx.facts.registry_id_pattern.is_match(account)
            || ctx.source_registry == Some(account)
            || allowed.iter().any(|a| a == account)
        {
            continue;
        }
        out.push(
            META.diagnostic(
                id.span(),
                format!(
                    "destination account {account} is not in the policy's `allowed-accounts`: images would be copied to an account outside the organisation's list"
                ),
            )
            .with_primary_label("account not allowed")
            .with_help("use an allowed account, or add it to `allowed-accounts` in .ecrlint.toml if it is yours"),
        );
    }
}
