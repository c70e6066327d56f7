//! ECR403 missing-required-destination: a required (region, registry) does not receive every repository it must.

use super::{describe_destination, Context};
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR403",
    "missing-required-destination",
    super::Level::ERROR,
    "A destination the policy requires does not receive every repository it must."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
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
            let filters: Vec<&str> = senders
                .iter()
                .flat_map(|r| r.filters())
                .filter(|f| {
                    f.filter_type
                        .as_ref()
                        .and_then(|t| t.text())
                        .is_some_and(|t| ctx.facts.filter_types.iter().any(|x| x == t))
                })
                .filter_map(|f| f.prefix())
                .collect();
            let covered = |prefix: &str| filters.iter().any(|f| prefix.starts_with(f));
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
                    format!(
                        "the policy requires repositories starting with {} to replicate to {target}, but no rule sends {} there",
                        quoted(&required),
                        quoted(&missing)
                    )
                }
            };
            out.push(
                META.diagnostic(rules.key_span, message)
                    .with_primary_label("required destination missing")
                    .with_help(format!(
                        "add a rule (or a destination and filters to a rule) that sends these repositories to {target}"
                    )),
            );
        }
    }
}
