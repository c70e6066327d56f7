//! ECR301 duplicate-destination: the same (region, registryId) pair twice in one rule.

use super::{describe_destination, Context};
use crate::fix::Fix;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR301",
    "duplicate-destination",
    super::Level::WARNING,
    "The same destination is listed twice in one rule.",
    resources: [replication],
    scope: File,
    fix: Safe,
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for config in &ctx.doc.configurations {
        for rule in config.rules() {
            let dests = rule.destinations();
            for (later, first) in super::repeats(dests.iter().map(|d| ctx.pair(d))) {
                let (d, first) = (&dests[later], &dests[first]);
                let Some((region, registry)) = ctx.written_pair(d) else {
                    continue;
                };
                let fix = rule
                    .destinations
                    .as_ref()
                    .and_then(|list| ctx.remove_item(list.node, d.node))
                    .map(|edit| Fix::safe("Remove the duplicate destination", vec![edit]));
                let found = META.diagnostic(
                    d.node.span,
                    format!(
                        "destination {} is listed twice in this rule",
                        describe_destination(region, registry)
                    ),
                );
                let found = if out.past_cap(d.node.span, META.code) {
                    found
                } else {
                    found
                        .with_primary_label("listed again here")
                        .with_label(first.node.span, "first listed here")
                        .with_help("remove the duplicate destination")
                };
                out.push(match fix {
                    Some(fix) => found.with_fix(fix),
                    None => found,
                });
            }
        }
    }
}
