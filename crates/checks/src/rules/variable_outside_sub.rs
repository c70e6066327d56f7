//! ECR207 variable-outside-sub: a template value names CloudFormation's own
//! variables (`${AWS::Region}`, `${BackupAccount}`) outside `Fn::Sub`, so it
//! deploys as that text.

use super::{statements, Context};
use crate::document::{Scalar, Value};
use crate::facts::Placeholder;
use crate::fix::{Edit, Fix};
use crate::rules::findings::Findings;
use crate::syntax::SourceFormat;

rule_meta!(
    "ECR207",
    "variable-outside-sub",
    super::Level::ERROR,
    "A template value holds `${AWS::Region}` or another template variable outside `Fn::Sub`, so it deploys as that text.",
    resources: [],
    scope: File,
    fix: Safe,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    if !ctx.doc.shape.dialect.substitutes_variables {
        return;
    }
    for config in &ctx.doc.configurations {
        let keys = config.dialect.keys;
        for rule in config.candidate_rules() {
            for dest in rule.destinations.iter().flat_map(|l| l.candidates()) {
                for (field, scalar) in [(keys.region, &dest.region), (keys.registry_id, &dest.registry_id)] {
                    for s in scalar.iter().flat_map(Scalar::candidates) {
                        check_value(ctx, field, &s, out);
                    }
                }
            }
            for filter in rule.candidate_filters() {
                for (field, scalar) in [(keys.filter, &filter.filter), (keys.filter_type, &filter.filter_type)] {
                    for s in scalar.iter().flat_map(Scalar::candidates) {
                        check_value(ctx, field, &s, out);
                    }
                }
            }
        }
    }
    for statement in statements(ctx) {
        for (_, principal) in statement.principals() {
            check_value(ctx, "principal", &principal, out);
        }
        for resource in &statement.resources {
            check_value(ctx, "Resource", resource, out);
        }
    }
}

/// Whether `value`, a string of a CloudFormation template, names only the
/// template's own variables in `${…}`: pseudo parameters, and its parameters
/// and resources (`${Name}`, `${Resource.Attribute}`). Other `${…}` are
/// placeholders for some other tool (ECR206).
pub fn applies(ctx: &Context, value: &str) -> bool {
    if !ctx.doc.shape.dialect.substitutes_variables || ctx.facts.placeholder(value) != Some(Placeholder::DollarVariable)
    {
        return false;
    }
    let names = sub_variables(value);
    !names.is_empty() && names.iter().all(|name| is_template_variable(ctx, name))
}

/// The names inside `${…}`; `None` in the list for one CloudFormation
/// would not read as a variable (`${!Literal}`, an unclosed brace).
fn sub_variables(value: &str) -> Vec<Option<&str>> {
    value
        .match_indices("${")
        .map(|(i, _)| {
            let rest = &value[i + 2..];
            let name = &rest[..rest.find('}')?];
            (!name.is_empty() && !name.starts_with('!')).then_some(name.trim())
        })
        .collect()
}

fn is_template_variable(ctx: &Context, name: &Option<&str>) -> bool {
    let Some(name) = name else { return false };
    if ctx.facts.pseudo_parameters.iter().any(|p| p == name) {
        return true;
    }
    let root = ctx.doc.root;
    let declared = |section: Option<&crate::syntax::Node>, key: &str| {
        section
            .and_then(|s| s.as_object())
            .is_some_and(|members| members.iter().any(|m| m.key == key))
    };
    let parameter = declared(root.get("Parameters").map(|m| &m.value), name);
    // `${Resource.Attribute}` is `Fn::GetAtt`.
    let resource = name.split('.').next().unwrap_or(name);
    parameter || declared(crate::document::recognise::template_resources(root), resource)
}

fn check_value(ctx: &Context, field: &str, scalar: &Scalar, out: &mut Findings) {
    let Value::Placeholder(value, _) = scalar.value() else {
        return;
    };
    if !applies(ctx, value) {
        return;
    }
    let span = scalar.span();
    let Some(written) = ctx.source.get(span.start..span.end) else {
        return;
    };
    let (wrapped, how) = match ctx.format {
        SourceFormat::Yaml => (format!("!Sub {written}"), format!("`!Sub {written}`")),
        _ => (
            format!("{{\"Fn::Sub\": {written}}}"),
            format!("`{{\"Fn::Sub\": {written}}}`"),
        ),
    };
    let d = META
        .diagnostic(
            span,
            format!(
                "{field} `{value:?}` is deployed as this text: CloudFormation replaces `${{…}}` only inside `Fn::Sub`"
            ),
        )
        .with_primary_label("not substituted")
        .with_help(format!("write {how}"));
    // A tag already on the scalar (`!!str "${…}"`) would make two.
    let tagged = ctx.format == SourceFormat::Yaml
        && ctx.source[..span.start]
            .trim_end()
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .is_some_and(|token| token.starts_with('!'));
    out.push(if tagged {
        d
    } else {
        d.with_fix(Fix::safe(
            "Wrap the value in `Fn::Sub`",
            vec![Edit::replace(span, wrapped)],
        ))
    });
}
