//! ECR206 placeholder-value: a value is a template variable, a word to replace, or an example account from AWS documentation.

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::document::{Dialect, Scalar, Value};
use crate::facts::Placeholder;

rule_meta!(
    "ECR206",
    "placeholder-value",
    super::Level::WARNING,
    "A value is a placeholder: a template variable, a word to replace, or an AWS documentation example account."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in &ctx.doc.configurations {
        let keys = config.dialect.keys();
        for rule in config.candidate_rules() {
            for dest in rule.destinations.iter().flat_map(|l| l.candidates()) {
                let fields = [(keys.region, &dest.region), (keys.registry_id, &dest.registry_id)];
                for (field, scalar) in fields {
                    // Each branch of an `Fn::If` is a value that may deploy.
                    for s in scalar.iter().flat_map(Scalar::candidates) {
                        check_value(config.dialect, field, &s, out);
                    }
                }
                for id in dest.registry_id.iter().flat_map(Scalar::candidates) {
                    check_example_account(ctx, keys.registry_id, &id, out);
                }
            }
            for filter in rule.candidate_filters() {
                let fields = [(keys.filter, &filter.filter), (keys.filter_type, &filter.filter_type)];
                for (field, scalar) in fields {
                    for s in scalar.iter().flat_map(Scalar::candidates) {
                        check_value(config.dialect, field, &s, out);
                    }
                }
            }
        }
    }
    if let Some(id) = &ctx.doc.source_registry {
        check_value(Dialect::Api, "registryId", id, out);
    }
}

/// A template variable or a word left to replace.
fn check_value(dialect: Dialect, field: &str, scalar: &Scalar, out: &mut Vec<Diagnostic>) {
    let Value::Placeholder(value, why) = scalar.value() else {
        return;
    };
    let shown = format!("{value:?}");
    let (message, help) = match why {
        Placeholder::DollarVariable if dialect == Dialect::CloudFormation => (
            format!("{field} `{shown}` holds a `${{…}}` variable, which CloudFormation substitutes only inside `Fn::Sub`"),
            format!("write `!Sub {shown}` (or `{{\"Fn::Sub\": {shown}}}`), or replace the variable with its value"),
        ),
        Placeholder::DollarVariable => (
            format!("{field} `{shown}` is an unexpanded template variable: the API would receive it literally"),
            "lint the rendered file instead, e.g. `envsubst < FILE | ecrlint check - --stdin-filename FILE`".to_string(),
        ),
        Placeholder::BracesVariable => (
            format!("{field} `{shown}` is an unexpanded template expression: the API would receive it literally"),
            "render the template first (Helm, Jinja, Ansible) and lint the output: `… | ecrlint check - --stdin-filename FILE`"
                .to_string(),
        ),
        Placeholder::PercentVariable => (
            format!("{field} `{shown}` is an unexpanded Windows variable: the API would receive it literally"),
            "lint the file after the variables are expanded, through standard input: `ecrlint check - --stdin-filename FILE`"
                .to_string(),
        ),
        Placeholder::Word => (
            format!("{field} `{shown}` is a placeholder to replace, not a setting"),
            format!("replace it with the real {field} of the destination"),
        ),
    };
    out.push(
        META.diagnostic(scalar.span(), message)
            .with_primary_label("placeholder")
            .with_help(help),
    );
}

/// A well-formed account ID that AWS documentation uses as its example.
fn check_example_account(ctx: &Context, field: &str, id: &Scalar, out: &mut Vec<Diagnostic>) {
    let Some(value) = id.text() else { return };
    // The user's own source account is real, whatever it looks like.
    if ctx.source_registry == Some(value) {
        return;
    }
    if ctx.facts.registry_id_pattern.is_match(value) && ctx.facts.is_placeholder_account(value) {
        out.push(
            META.diagnostic(
                id.span(),
                format!("{field} `\"{value}\"` is an example account from AWS documentation, not a real destination"),
            )
            .with_primary_label("documentation placeholder")
            .with_help("replace it with the account ID of your destination registry"),
        );
    }
}
