//! ECR510 policy-too-long: a registry policy's text is longer than
//! PutRegistryPolicy's `policyText` accepts (`data/registry-policy.json`).

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR510",
    "policy-too-long",
    super::Level::ERROR,
    "A registry policy is longer than PutRegistryPolicy accepts.",
    resources: [policy],
    scope: File,
    fix: None,
);

/// Whether a document of `shape` in `format` is a policy whose whole text,
/// blanks included, is what is sent (so that its length is checked here).
pub fn is_policy_text(shape: &crate::document::shape::Shape, format: crate::syntax::SourceFormat) -> bool {
    use crate::document::shapes::registry_policy;
    shape == &registry_policy::SHAPE
        || (shape == &registry_policy::TERRAFORM_SHAPE && format == crate::syntax::SourceFormat::Json)
}

/// PutRegistryPolicy's `policyText` limit, for a policy whose text is what
/// is sent: a `put-registry-policy` file, the JSON text of a `policyText` or
/// `PolicyText` string, a Terraform heredoc (objects are serialized by the
/// tool that deploys them, so their length is not known here).
pub fn check(ctx: &Context, out: &mut Findings) {
    if !is_policy_text(ctx.doc.shape, ctx.format) {
        return;
    }
    let max = ctx.facts.registry_policy.policy_text_max_length;
    let root = ctx.doc.root.span;
    let text = &ctx.source[root.start..root.end];
    // Only a text longer in bytes can be longer in characters.
    if text.len() <= max {
        return;
    }
    let length = text.chars().count();
    if length <= max {
        return;
    }
    out.push(
        META.diagnostic(
            crate::syntax::Span::new(root.start, root.start + 1),
            format!("this policy is {length} characters long: PutRegistryPolicy accepts at most {max}, and rejects the whole policy"),
        )
        .with_primary_label("the policy starts here")
        .with_help("merge statements that grant the same actions (one statement can list several principals and resources), and drop `Sid`s and white space"),
    );
}
