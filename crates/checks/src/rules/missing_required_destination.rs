//! ECR403 missing-required-destination: a required (region, registry) does not receive every repository it must.

use super::{describe_destination, Context};
use crate::rules::findings::Findings;

rule_meta!(
    "ECR403",
    "missing-required-destination",
    super::Level::ERROR,
    "A destination the policy requires does not receive every repository it must.",
    resources: [replication],
    scope: File,
    fix: None,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for required in &ctx.policy.required_destinations {
        let pair = (required.region.as_str(), required.registry_id.as_str());
        for config in &ctx.doc.configurations {
            let Some(rules) = config.rules.as_ref() else { continue };
            let senders: Vec<_> = rules
                .items
                .iter()
                .filter(|r| r.destinations().iter().any(|d| ctx.pair(d) == Some(pair)))
                .collect();
            // A rule without filters sends every repository.
            if senders.iter().any(|r| r.is_unfiltered()) {
                continue;
            }
            // Each valid filter of those rules, with where it is written.
            let filters: Vec<(&str, crate::syntax::Span)> = senders
                .iter()
                .flat_map(|r| r.filters())
                .filter(|f| {
                    f.filter_type
                        .as_ref()
                        .and_then(|t| t.text())
                        .is_some_and(|t| ctx.facts.filter_types.iter().any(|x| x == t))
                })
                .filter_map(|f| Some((f.prefix()?, f.filter.as_ref()?.span())))
                .collect();
            let covered = |prefix: &str| filters.iter().any(|(f, _)| prefix.starts_with(f));
            // Filters that send only part of a required prefix (`prod/` for `prod`).
            let narrower = |prefix: &str| -> Vec<(&str, crate::syntax::Span)> {
                filters
                    .iter()
                    .copied()
                    .filter(|(f, _)| f.len() > prefix.len() && f.starts_with(prefix))
                    .collect()
            };
            let mut labels: Vec<(crate::syntax::Span, String)> = Vec::new();
            let target = describe_destination(pair.0, pair.1);
            let message = match &required.repositories {
                None => format!(
                    "the policy requires every repository to replicate to {target}, but {}",
                    if senders.is_empty() {
                        "no rule sends anything there".to_string()
                    } else {
                        "the rules that send there have filters".to_string()
                    }
                ),
                Some(prefixes) => {
                    let missing: Vec<&str> = prefixes.iter().map(String::as_str).filter(|p| !covered(p)).collect();
                    if missing.is_empty() {
                        continue;
                    }
                    let quoted = |ps: &[&str]| ps.iter().map(|p| format!("`{p}`")).collect::<Vec<_>>().join(", ");
                    let required: Vec<&str> = prefixes.iter().map(String::as_str).collect();
                    let (partly, absent): (Vec<&str>, Vec<&str>) =
                        missing.iter().partition(|p| !narrower(p).is_empty());
                    let mut why = Vec::new();
                    if !absent.is_empty() {
                        why.push(format!("no rule sends {} there", quoted(&absent)));
                    }
                    for p in &partly {
                        let found = narrower(p);
                        let names: Vec<&str> = found.iter().map(|(f, _)| *f).collect();
                        let (filter_word, is) = if names.len() == 1 {
                            ("filter", "is")
                        } else {
                            ("filters", "are")
                        };
                        why.push(format!(
                            "the rules send only part of `{p}` there: the {filter_word} {} {is} narrower, and other names starting with `{p}` are left out",
                            quoted(&names)
                        ));
                        labels.extend(found.iter().map(|(_, span)| (*span, format!("narrower than `{p}`"))));
                    }
                    format!(
                        "the policy requires repositories starting with {} to replicate to {target}, but {}",
                        quoted(&required),
                        why.join("; ")
                    )
                }
            };
            let help = if labels.is_empty() {
                format!("add a rule (or a destination and filters to a rule) that sends these repositories to {target}")
            } else {
                format!(
                    "add a filter for each missing prefix to a rule that sends to {target}, or shorten a narrower filter to the required prefix"
                )
            };
            let mut d = META
                .diagnostic(rules.key_span, message)
                .with_primary_label("required destination missing")
                .with_help(help);
            for (span, label) in labels {
                d = d.with_label(span, label);
            }
            out.push(d);
        }
    }
}
