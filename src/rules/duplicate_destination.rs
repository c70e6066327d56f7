//! ECR301 duplicate-destination: the same (region, registryId) pair twice in one rule.

use super::{describe_destination, Context};
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR301",
    "duplicate-destination",
    super::Level::WARNING,
    "The same destination is listed twice in one rule."
);

pub fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    for config in &ctx.doc.configurations {
        for rule in config.rules() {
            let dests = rule.destinations();
            for (i, d) in dests.iter().enumerate() {
                let Some(pair) = d.pair() else { continue };
                if let Some(first) = dests[..i].iter().find(|f| f.pair() == Some(pair)) {
                    out.push(
                        META.diagnostic(
                            d.node.span,
                            d.pointer.as_str(),
                            format!(
                                "destination {} is listed twice in this rule",
                                describe_destination(pair.0, pair.1)
                            ),
                        )
                        .with_primary_label("listed again here")
                        .with_label(first.node.span, "first listed here")
                        .with_help("remove the duplicate destination"),
                    );
                }
            }
        }
    }
}
