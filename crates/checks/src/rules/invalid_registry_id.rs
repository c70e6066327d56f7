//! ECR204 invalid-registry-id: a `registryId` is not exactly 12 ASCII digits.

use super::Context;
use crate::document::{DestinationField, Scalar};
use crate::rules::findings::Findings;

rule_meta!(
    "ECR204",
    "invalid-registry-id",
    super::Level::ERROR,
    "A registryId is not a 12-digit AWS account ID.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for id in ctx.doc.destination_values(DestinationField::RegistryId) {
        check_value(ctx, &id.scalar, id.field, out);
    }
    if let Some(id) = ctx.doc.source_registry.as_ref() {
        check_value(ctx, id, "registryId", out);
    }
}

fn check_value(ctx: &Context, id: &Scalar, field: &str, out: &mut Findings) {
    let Some(value) = id.text() else { return };
    if ctx.facts.registry_id_pattern.is_match(value) {
        return;
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    let trimmed = value.trim();
    let (message, help) = if let Some(account) = arn_account(value) {
        (
            format!("{field} `\"{value}\"` is an ARN, not an account ID"),
            format!("use the account ID alone: `\"{account}\"`"),
        )
    } else if trimmed != value && ctx.facts.registry_id_pattern.is_match(trimmed) {
        (
            format!("{field} `{value:?}` has spaces around it"),
            format!("remove the spaces: `\"{trimmed}\"`"),
        )
    } else if digits.len() == 12 && value.chars().all(|c| c.is_ascii_digit() || matches!(c, '-' | ' ')) {
        (
            format!("{field} `\"{value}\"` contains separators"),
            format!("write the 12 digits alone: `\"{digits}\"`"),
        )
    } else if !value.is_empty() && value.chars().all(|c| c.is_ascii_digit()) {
        (
            format!(
                "{field} `\"{value}\"` has {} digits; account IDs have exactly 12",
                value.len()
            ),
            "check for a missing or extra digit (a leading 0 is easy to lose)".to_string(),
        )
    } else {
        (
            format!("{field} `\"{value}\"` is not an AWS account ID"),
            "an account ID is exactly 12 digits, such as `\"012345678901\"`".to_string(),
        )
    };
    out.push(
        META.diagnostic(id.span(), message)
            .with_primary_label("not a 12-digit account ID")
            .with_help(help),
    );
}

fn arn_account(value: &str) -> Option<&str> {
    let account = value.strip_prefix("arn:")?.split(':').nth(3)?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}
