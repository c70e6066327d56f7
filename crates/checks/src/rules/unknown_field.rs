//! ECR102 unknown-field: A key the shape does not define, with the nearest valid key as a suggestion.
//!
//! Produced by the schema check (`crate::schema`); see `rules/ECR102-unknown-field.md`.
//! The check here finds the names the schema never sees: unknown intrinsic
//! functions (`Fn::Nope`, `!Nope`) in a template's replication resources,
//! which every other check treats as values unknown until deployment, and a
//! misspelt resource type or module input (linted as the one meant all the
//! same).

use super::Context;
use crate::diagnostic::Diagnostic;
use crate::document::{NameSlip, Named};
use crate::rules::findings::Findings;
use crate::syntax::Node;
use crate::text::nearest;

rule_meta!(
    "ECR102",
    "unknown-field",
    super::Level::ERROR,
    "A key the shape does not define, with the nearest valid key as a suggestion.",
    resources: [],
    scope: File,
    fix: Unsafe,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for slip in &ctx.doc.slips {
        out.push(name_slip(ctx, slip));
    }
    // Properties only: CloudFormation evaluates functions there, not in
    // Metadata; a registry policy resource's too.
    let mut roots: Vec<&Node> = ctx.doc.resource_properties();
    roots.extend(
        ctx.doc
            .policy_resources
            .iter()
            .chain(&ctx.doc.template_resources)
            .filter_map(|r| r.node.get("Properties").map(|p| &p.value)),
    );
    let known = &ctx.facts.intrinsic_functions;
    let mut stack = roots;
    while let Some(node) = stack.pop() {
        if let Some(members) = node.as_object() {
            if let [m] = members {
                if m.key.starts_with("Fn::") && !known.iter().any(|k| *k == m.key) {
                    out.push(unknown_function(&m.key, m.key_span, known));
                }
            }
            stack.extend(members.iter().map(|m| &m.value));
        } else if let Some(items) = node.as_array() {
            stack.extend(items);
        }
    }
}

fn unknown_function(key: &str, span: crate::syntax::Span, known: &[String]) -> Diagnostic {
    let short = |long: &str| format!("!{}", long.strip_prefix("Fn::").unwrap_or(long));
    let name = key.strip_prefix("Fn::").unwrap_or(key);
    let bare: Vec<&str> = known.iter().map(|k| k.strip_prefix("Fn::").unwrap_or(k)).collect();
    let help = match nearest(name, bare.iter().copied()) {
        Some(s) => {
            let long = known
                .iter()
                .find(|k| k.strip_prefix("Fn::").unwrap_or(k) == s)
                .map_or(s, String::as_str);
            format!("did you mean `{long}` (`{}`)?", short(long))
        }
        None => {
            let names: Vec<&str> = known.iter().map(String::as_str).collect();
            format!("CloudFormation's functions are {}", crate::text::one_of(&names))
        }
    };
    META.diagnostic(
        span,
        format!(
            "unknown intrinsic function `{key}` (`{}`): CloudFormation rejects the template (\"Encountered unsupported function\")",
            short(key)
        ),
    )
    .with_primary_label("unknown function")
    .with_help(help)
}

/// A resource type or module input written otherwise than the one it is
/// checked as, with the name meant and an unsafe fix to it.
fn name_slip(ctx: &Context, slip: &NameSlip) -> Diagnostic {
    let NameSlip {
        span,
        written,
        meant,
        named,
        close,
    } = *slip;
    let case = if written.eq_ignore_ascii_case(meant) {
        match named {
            Named::CloudFormationType => " (resource types are case-sensitive)",
            Named::TerraformType | Named::TerraformDataSource | Named::ModuleInput | Named::TerragruntInput => {
                " (Terraform's names are lower case)"
            }
            Named::PulumiType => " (Pulumi's type tokens are case-sensitive)",
        }
    } else {
        ""
    };
    let (what, consequence, checked) = match named {
        Named::CloudFormationType => (
            "resource type",
            "CloudFormation rejects the template (\"Unrecognized resource types\")",
            "Its properties are checked as that type's.",
        ),
        Named::TerraformType => (
            "resource type",
            "Terraform rejects the configuration (\"Invalid resource type\": the provider has no such type)",
            "Its body is checked as that type's.",
        ),
        Named::TerraformDataSource => (
            "data source type",
            "Terraform rejects the configuration (\"Invalid data source\": the provider has no such data source)",
            "Rename it where it is referenced too (`data.<type>.<name>`); its body is checked as that data source's.",
        ),
        Named::ModuleInput => (
            "module input",
            "Terraform rejects the module block (\"Unsupported argument\")",
            "Its value is checked as that input.",
        ),
        Named::TerragruntInput => (
            "module input",
            "Terragrunt passes it to the module as a variable the module does not declare, which Terraform ignores, so the module never sees it",
            "Its value is checked as that input.",
        ),
        Named::PulumiType => (
            "resource type",
            "Pulumi rejects the program (the AWS provider has no such resource type)",
            "Its properties are checked as that type's.",
        ),
    };
    let message = if close {
        format!("{what} `{written}` is misspelt: {consequence}")
    } else {
        format!(
            "{what} `{written}` is not `{meant}`, though the resource's body is that type's: the deploy fails, as the body is checked against the type written"
        )
    };
    let edit = match named {
        Named::CloudFormationType | Named::PulumiType => ctx.replace_scalar(span, meant),
        Named::TerraformType | Named::ModuleInput | Named::TerragruntInput => {
            crate::fix::write::rename_key(ctx.source, span, written, meant)
        }
        // The references name the type too: renaming the block alone
        // would leave them naming no data source.
        Named::TerraformDataSource => crate::fix::write::rename_key(ctx.source, span, written, meant),
    };
    let references = match named {
        Named::TerraformDataSource => crate::document::terraform::data_references(ctx.source, written),
        _ => Vec::new(),
    };
    let d = META
        .diagnostic(span, message)
        .with_primary_label(format!("unknown {what}"))
        .with_help(format!("did you mean `{meant}`?{case} {checked}"));
    match edit {
        Some(edit) if references.is_empty() => d.with_fix(crate::fix::Fix::unsafe_edit(
            format!("Change `{written}` to `{meant}`"),
            vec![edit],
        )),
        Some(edit) => {
            let mut edits = vec![edit];
            edits.extend(references.into_iter().map(|at| crate::fix::Edit::replace(at, meant)));
            d.with_fix(crate::fix::Fix::unsafe_edit(
                format!("Change `{written}` to `{meant}` here and where this file references it"),
                edits,
            ))
        }
        None => d,
    }
}
