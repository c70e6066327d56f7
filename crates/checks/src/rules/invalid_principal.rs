//! ECR503 invalid-principal: a registry policy's principal is neither an
//! account (a 12-digit ID, `arn:<partition>:iam::<id>:root`) nor an IAM
//! principal ARN.

use super::{statements, Context};
use crate::document::policy::{read_principal, PrincipalReading};
use crate::document::Scalar;
use crate::rules::findings::Findings;
use crate::syntax::Member;

rule_meta!(
    "ECR503",
    "invalid-principal",
    super::Level::ERROR,
    "A registry policy's principal is not an account or an IAM principal.",
    resources: [policy],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for statement in statements(ctx) {
        if let Some(not_principal) = statement.not_principal {
            if statement.effect.and_then(|e| e.text()) == Some("Allow") {
                out.push(
                    META.diagnostic(
                        not_principal.key_span,
                        "`NotPrincipal` cannot be used with `\"Effect\": \"Allow\"` (it would allow everyone but the principals it names): IAM's grammar forbids it, and the API rejects the whole policy",
                    )
                    .with_primary_label("`NotPrincipal` in an `Allow` statement")
                    .with_help("name who is allowed under `Principal`: `{\"AWS\": \"arn:aws:iam::<source-account>:root\"}` (`NotPrincipal` is for `Deny` statements only)"),
                );
            }
        }
        let written = [
            (statement.principal, statement.principals()),
            (statement.not_principal, statement.not_principals()),
        ];
        for (member, values) in written {
            let Some(member) = member else { continue };
            check_member(ctx, member, values, out);
        }
    }
}

/// The values of a `Principal` or `NotPrincipal` member.
fn check_member<'a>(
    ctx: &Context,
    principal: &'a Member<'a>,
    values: Vec<(Option<&'a str>, Scalar<'a>)>,
    out: &mut Findings,
) {
    let element = principal.key.as_ref();
    // A bare string other than `*` (`"Principal": "210987654321"`).
    if let Some(text) = principal.value.as_str().filter(|t| *t != "*") {
        let help = match read_principal(text) {
            PrincipalReading::Account(id) | PrincipalReading::IamPrincipal(id) if text == id => {
                format!("write `{{\"AWS\": \"arn:aws:iam::{id}:root\"}}`")
            }
            PrincipalReading::Account(_) | PrincipalReading::IamPrincipal(_) => {
                format!("write `{{\"AWS\": \"{text}\"}}`")
            }
            _ => "name the source account: `{\"AWS\": \"arn:aws:iam::<source-account>:root\"}`".to_string(),
        };
        out.push(
            META.diagnostic(
                principal.value.span,
                format!("{element} `\"{text}\"` must be `\"*\"` or an object such as `{{\"AWS\": ...}}`: the API rejects the whole policy"),
            )
            .with_primary_label("not a principal object")
            .with_help(help),
        );
        return;
    }
    for (key, value) in values {
        let Some(text) = value.text() else { continue };
        // `arn:aws:iam::<source-account>:root`: a placeholder, ECR206's.
        if super::placeholder_value::principal_account(text)
            .is_some_and(|a| a != text && ctx.facts.placeholder(a).is_some())
        {
            continue;
        }
        match key {
            Some("AWS") | None => {
                if let PrincipalReading::Invalid(why) = read_principal(text) {
                    out.push(
                        META.diagnostic(
                            value.span(),
                            format!("principal `{text}` is not an account or an IAM principal: {why}"),
                        )
                        .with_primary_label("invalid principal")
                        .with_help("name the source account as its 12-digit ID or `arn:aws:iam::<source-account>:root` (`arn:aws-cn:…` and `arn:aws-us-gov:…` in those partitions)"),
                    );
                }
            }
            Some(kind @ ("Service" | "Federated" | "CanonicalUser")) => out.push(
                META.diagnostic(
                    value.span(),
                    format!(
                        "`{kind}` principal `{text}` cannot be granted a registry policy: registry policies grant to accounts and IAM principals"
                    ),
                )
                .with_primary_label(format!("a {kind} principal"))
                .with_help("use `\"AWS\"` with the source account: `{\"AWS\": \"arn:aws:iam::<source-account>:root\"}`"),
            ),
            // Unknown keys are the schema's (ECR102).
            Some(_) => {}
        }
    }
}
