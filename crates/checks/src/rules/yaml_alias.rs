//! ECR004 yaml-alias: a CloudFormation template uses a YAML alias or merge key, which CloudFormation rejects.

use super::Context;
use crate::rules::findings::Findings;
use crate::syntax::yaml::Alias;
use crate::syntax::Span;
use std::collections::HashMap;

rule_meta!(
    "ECR004",
    "yaml-alias",
    super::Level::ERROR,
    "A CloudFormation template uses a YAML alias or merge key, which CloudFormation rejects.",
    resources: [],
    scope: File,
    fix: None,
);

const REJECTS: &str =
    "CloudFormation rejects a template that uses aliases (\"YAML aliases are not allowed in CloudFormation templates\")";
const PACKAGE: &str = "if this file is always deployed through `aws cloudformation package` or `sam deploy` (which expand aliases and merge keys), turn ECR004 off for it in .ecrlint.toml";

/// Most "same alias" labels on one finding (its message gives the count).
const MAX_LABELS: usize = 16;

/// One finding per anchor that aliases use (the mistake is reusing that
/// value; the fix is writing it out at each alias), and one per merge key.
pub fn check(ctx: &Context, out: &mut Findings) {
    // Only CloudFormation rejects aliases; API payloads go through YAML readers that expand them.
    if !ctx.doc.shape.dialect.rejects_yaml_aliases {
        return;
    }
    let text = |s: Span| ctx.source.get(s.start..s.end).unwrap_or_default();
    let mut merge_keys: Vec<Span> = ctx.yaml_merge_keys.to_vec();
    merge_keys.sort_by_key(|s| s.start);
    // The aliases each merge key merges: a merge alias belongs to the last
    // merge key before it (found by binary search: files may have many).
    let mut merged: Vec<Vec<&Alias>> = vec![Vec::new(); merge_keys.len()];
    // Plain aliases by their anchor, in the order of first use.
    let mut anchors: Vec<(Span, Vec<&Alias>)> = Vec::new();
    let mut anchor_index: HashMap<Span, usize> = HashMap::new();
    for a in ctx.yaml_aliases {
        if a.merge {
            let i = merge_keys.partition_point(|k| k.end <= a.span.start);
            if let Some(list) = i.checked_sub(1).and_then(|i| merged.get_mut(i)) {
                list.push(a);
            }
            continue;
        }
        let i = *anchor_index.entry(a.anchor).or_insert_with(|| {
            anchors.push((a.anchor, Vec::new()));
            anchors.len() - 1
        });
        anchors[i].1.push(a);
    }
    for (key, aliases) in merge_keys.iter().zip(&merged) {
        let span = Span::new(key.start, aliases.iter().map(|a| a.span.end).max().unwrap_or(key.end));
        let written = text(span);
        let written = if written.contains(['\n', '\r']) || written.chars().count() > 60 {
            "<<"
        } else {
            written
        };
        let message = if aliases.is_empty() {
            format!("`{written}` is a YAML merge key, which CloudFormation does not expand (only `aws cloudformation package` and `sam deploy` do)")
        } else {
            format!("`{written}` is a YAML merge key with an alias: CloudFormation does not expand merge keys, and rejects a template that uses aliases (\"YAML aliases are not allowed in CloudFormation templates\")")
        };
        let help = format!("write the merged members out in this mapping and remove `<<`; or, {PACKAGE}");
        out.push(
            META.diagnostic(span, message)
                .with_primary_label("merge key")
                .with_help(help),
        );
    }
    for (anchor, uses) in anchors {
        let first = uses[0];
        let name = text(first.span);
        let times = match uses.len() {
            1 => String::new(),
            n => format!(" (used {n} times)"),
        };
        let mut d = META
            .diagnostic(first.span, format!("`{name}` is a YAML alias{times}: {REJECTS}"))
            .with_primary_label("alias");
        for other in uses.iter().skip(1).take(MAX_LABELS) {
            d = d.with_label(other.span, "same alias");
        }
        if !anchor.is_empty() {
            d = d.with_label(anchor, "anchored here (accepted alone)");
        }
        let anchor_name = if anchor.is_empty() {
            format!("&{}", name.trim_start_matches('*'))
        } else {
            text(anchor).to_string()
        };
        out.push(d.with_help(format!(
            "write the value of `{anchor_name}` out in full at each alias; or, {PACKAGE}"
        )));
    }
}
