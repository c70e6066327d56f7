//! ECR999 test-widget-name: the rule of the test-only resource kind
//! (`crate::model::test_kind`, with the `test-kind` feature): a widget named
//! in upper case. It proves that a kind's rule is its file and its line in
//! the rule table, run by the engine on the documents holding the kind.

use super::Context;
use crate::rules::findings::Findings;

rule_meta!(
    "ECR999",
    "test-widget-name",
    super::Level::ERROR,
    "A test widget's name is not lower case.",
    resources: [test_kind],
    scope: File,
    fix: None,
    doc: "# ECR999 test-widget-name\n\nThe rule of the test-only resource kind.\n",
);

pub fn check(ctx: &Context, out: &mut Findings) {
    for widget in crate::model::test_kind::widgets(ctx.doc) {
        let Some(name) = widget.get("Name").map(|m| &m.value) else {
            continue;
        };
        if name.as_str().is_some_and(|n| n.chars().any(char::is_uppercase)) {
            out.push(META.diagnostic(name.span, "this widget's name is not lower case"));
        }
    }
}
