//! ECR206 placeholder-value: a value is a template variable, a word to replace, or an example account from AWS documentation.

use super::{statements, variable_outside_sub, Context};
use crate::diagnostic::Severity;
use crate::document::{Dialect, Scalar, Value};
use crate::facts::Placeholder;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR206",
    "placeholder-value",
    super::Level::ERROR,
    "A value is a placeholder: a template variable, a word to replace, or an AWS documentation example account.",
    resources: [],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for config in &ctx.doc.configurations {
        let keys = config.dialect.keys;
        for rule in config.candidate_rules() {
            for dest in rule.destinations.iter().flat_map(|l| l.candidates()) {
                let fields = [(keys.region, &dest.region), (keys.registry_id, &dest.registry_id)];
                for (field, scalar) in fields {
                    // Each branch of an `Fn::If` is a value that may deploy.
                    for s in scalar.iter().flat_map(Scalar::candidates) {
                        check_value(ctx, config.dialect, field, &s, out);
                    }
                }
                for id in dest.registry_id.iter().flat_map(Scalar::candidates) {
                    if let Some(value) = id.text() {
                        check_example_account(ctx, keys.registry_id, value, &id, out);
                    }
                }
            }
            for filter in rule.candidate_filters() {
                let fields = [(keys.filter, &filter.filter), (keys.filter_type, &filter.filter_type)];
                for (field, scalar) in fields {
                    for s in scalar.iter().flat_map(Scalar::candidates) {
                        check_value(ctx, config.dialect, field, &s, out);
                    }
                }
            }
        }
    }
    if let Some(id) = &ctx.doc.source_registry {
        check_value(ctx, ctx.doc.shape.dialect, "registryId", id, out);
    }
    check_principals(ctx, out);
}

/// The principals of registry policies: a placeholder as the whole value
/// (`SOURCE_ACCOUNT_ID`) or as the account of an ARN
/// (`arn:aws:iam::<source-account>:root`), and documentation accounts.
fn check_principals(ctx: &Context, out: &mut Findings) {
    let dialect = ctx.doc.shape.dialect;
    for statement in statements(ctx) {
        for (key, value) in statement.principals() {
            if !matches!(key, Some("AWS") | None) {
                continue;
            }
            check_value(ctx, dialect, "principal", &value, out);
            let Some(text) = value.text() else { continue };
            let Some(account) = principal_account(text) else {
                continue;
            };
            if account != text && ctx.facts.placeholder(account).is_some() {
                out.push(
                    META.diagnostic(
                        value.span(),
                        format!("principal `{text:?}` has a placeholder as its account, `{account}`: the API rejects the policy"),
                    )
                    .with_primary_label("placeholder")
                    .with_help(format!("write the source account's 12-digit ID; {}", rendered("…"))),
                );
            } else {
                check_example_account(ctx, "principal", account, &value, out);
            }
        }
    }
}

/// The account part of a principal: the value itself, or the account field
/// of an ARN (`arn:aws:iam::<account>:root`). ECR503 leaves a placeholder
/// there to this rule.
pub fn principal_account(text: &str) -> Option<&str> {
    match text.strip_prefix("arn:") {
        Some(rest) => rest.split(':').nth(3).filter(|a| !a.is_empty()),
        None => Some(text),
    }
}

/// A template variable or a word left to replace.
fn check_value(ctx: &Context, dialect: Dialect, field: &str, scalar: &Scalar, out: &mut Findings) {
    let Value::Placeholder(value, why) = scalar.value() else {
        return;
    };
    // `${AWS::Region}` in a template is CloudFormation's own variable: ECR207's.
    if variable_outside_sub::applies(ctx, value) {
        return;
    }
    let (message, fill) = describe(dialect, field, &format!("{value:?}"), why);
    // envsubst renders `$VAR`; other renderers are the user's own.
    let render = if why == Placeholder::DollarVariable {
        "envsubst < FILE"
    } else {
        "…"
    };
    out.push(
        META.diagnostic(scalar.span(), message)
            .with_primary_label("placeholder")
            .with_help(format!("{fill}; {}", rendered(render))),
    );
}

/// The end of every placeholder's help: a file rendered before it is
/// applied is linted as rendered, or this rule lowered for such templates.
fn rendered(render: &str) -> String {
    format!("if the file is rendered before it is applied, lint the output (`{render} | ecrlint check - --stdin-filename FILE`), or set `[rules] ECR206 = \"warning\"` in .ecrlint.toml for such templates")
}

/// What a placeholder is, and how to fill it in.
fn describe(dialect: Dialect, field: &str, shown: &str, why: Placeholder) -> (String, String) {
    let message = match why {
        Placeholder::DollarVariable if dialect.substitutes_variables => {
            return (
                format!("{field} `{shown}` holds a `${{…}}` variable that names no parameter or resource of this template: CloudFormation would deploy it as written"),
                format!("declare the parameter and write `!Sub {shown}` (or `{{\"Fn::Sub\": {shown}}}`), or write the value itself"),
            );
        }
        Placeholder::DollarVariable => "is an unexpanded template variable",
        Placeholder::BracesVariable => "is an unexpanded template expression",
        Placeholder::PercentVariable => "is an unexpanded Windows variable",
        Placeholder::Word => {
            return (
                format!("{field} `{shown}` is a placeholder to replace, not a setting"),
                format!("replace it with the real {field}"),
            );
        }
    };
    (
        format!("{field} `{shown}` {message}: the API would receive it literally"),
        "write the value itself".to_string(),
    )
}

/// A well-formed account ID that AWS documentation uses as its example. It
/// deploys (it is a valid ID, of someone else's account), so the finding is
/// a warning where a placeholder the API rejects is an error.
fn check_example_account(ctx: &Context, field: &str, account: &str, at: &Scalar, out: &mut Findings) {
    // The user's own source account is real, whatever it looks like.
    if ctx.source_registry == Some(account) {
        return;
    }
    if ctx.facts.registry_id_pattern.is_match(account) && ctx.facts.is_placeholder_account(account) {
        let shown = at.text().unwrap_or(account);
        let what = if shown == account {
            "is an example account from AWS documentation".to_string()
        } else {
            format!("names an example account from AWS documentation, `{account}`")
        };
        let mut d = META.diagnostic(
            at.span(),
            format!("{field} `\"{shown}\"` {what}: it deploys, but the account is not yours"),
        );
        if !out.past_cap(at.span(), META.code) {
            d = d
                .with_primary_label("documentation placeholder")
                .with_help("replace it with the real account ID");
        }
        d.severity = Severity::Warning;
        out.push(d);
    }
}
