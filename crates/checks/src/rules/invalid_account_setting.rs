//! ECR521 invalid-account-setting: an `aws_ecr_account_setting` names a
//! setting ECR does not have, or gives a value its setting does not take
//! (`schemas/account-setting.schema.json`).

use super::Context;
use crate::fix::{Applicability, Fix};
use crate::rules::findings::Findings;
use crate::syntax::Node;
use crate::text::{nearest, one_of};

rule_meta!(
    "ECR521",
    "invalid-account-setting",
    super::Level::ERROR,
    "An account setting has a name or value ECR does not accept.",
    resources: [policy],
    scope: File,
    fix: Sometimes,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    // The policy words are read on first use: most files set no account setting.
    if ctx.doc.account_settings.is_empty() {
        return;
    }
    let known = &ctx.facts.policy_words().account_settings;
    for setting in &ctx.doc.account_settings {
        let Some(name) = literal(setting.name) else { continue };
        let names: Vec<&str> = known.iter().map(|s| s.name.as_str()).collect();
        let Some(values) = known.iter().find(|s| s.name == name).map(|s| &s.values) else {
            let mut d = META
                .diagnostic(
                    setting.name.span,
                    format!(
                        "`{name}` is not an ECR account setting: `terraform plan` fails, as the provider accepts only {}",
                        one_of(&names)
                    ),
                )
                .with_primary_label("unknown setting");
            let help = format!("name one of the settings: {}", one_of(&names));
            d = with_replacement(ctx, d, setting.name, name, nearest(name, names.iter().copied()), help);
            out.push(d);
            continue;
        };
        let Some(value_node) = setting.value else { continue };
        let Some(value) = literal(value_node) else { continue };
        if values.iter().any(|v| v == value) {
            continue;
        }
        let allowed: Vec<&str> = values.iter().map(String::as_str).collect();
        let d = META
            .diagnostic(
                value_node.span,
                format!(
                    "`{value}` is not a value of `{name}`: `terraform plan` fails, as the setting takes only {}",
                    one_of(&allowed)
                ),
            )
            .with_primary_label("not a value of this setting");
        let meant = allowed
            .iter()
            .copied()
            .find(|a| a.eq_ignore_ascii_case(value.trim()))
            .or_else(|| nearest(value, allowed.iter().copied()));
        let help = format!("set `{name}` to {}", one_of(&allowed));
        out.push(with_replacement(ctx, d, value_node, value, meant, help));
    }
}

/// A literal string value; one written as an expression is known only at plan time.
fn literal<'n>(node: &'n Node) -> Option<&'n str> {
    node.as_str().filter(|t| !crate::document::terraform::is_template(t))
}

/// The help and fix for a value that was meant to be `meant` (safe when
/// only its case or white space differ, unsafe otherwise), or the help
/// `otherwise`.
fn with_replacement(
    ctx: &Context,
    d: crate::diagnostic::Diagnostic,
    node: &Node,
    written: &str,
    meant: Option<&str>,
    otherwise: String,
) -> crate::diagnostic::Diagnostic {
    let Some(meant) = meant else {
        return d.with_help(otherwise);
    };
    let d = d.with_help(format!("did you mean `\"{meant}\"`?"));
    let Some(edit) = ctx.replace_scalar(node.span, meant) else {
        return d;
    };
    let applicability = if meant.eq_ignore_ascii_case(written.trim()) {
        Applicability::Safe
    } else {
        Applicability::Unsafe
    };
    d.with_fix(Fix::new(
        format!("Replace `{written}` with `{meant}`"),
        applicability,
        vec![edit],
    ))
}
