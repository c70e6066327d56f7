//! ECR705 missing-replication-template: a destination has repository
//! creation templates among the files (or the settings require one), and
//! none with `appliedFor` REPLICATION covers the repositories a filter
//! sends there: replication creates them with the default settings (tags
//! that move, AES-256, no lifecycle or repository policy). A workspace
//! rule, over [`super::template_coverage`].

use super::template_coverage::label;
use crate::crosscheck::Sent;
use crate::crosscheck::Set;
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR705",
    "missing-replication-template",
    super::Level::WARNING,
    "No creation template of the destination applies to repositories a filter replicates there: replication creates them with the default settings.",
    resources: [replication, repository],
    scope: Workspace,
    fix: None,
);

/// Most templates a finding labels.
const MAX_LABELS: usize = 3;

pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    let facts = &crate::facts::repository_settings().creation_template;
    for s in set.sent() {
        // Covered, or ECR706's finding (a filter wider than a template).
        if s.covering().is_some() || s.wider_than().is_some() {
            continue;
        }
        let (span, what) = match s.prefix {
            Some(p) => (
                p.span,
                format!("the repositories filter `{}` sends to {} are", p.text, s.destination()),
            ),
            None => (
                s.route.span,
                format!("every repository this rule replicates to {} is", s.destination()),
            ),
        };
        let why = if s.for_replication.is_empty() && s.others.is_empty() {
            "no repository creation template of that registry is among the linted files, and the settings require one (`require-creation-templates`)".to_string()
        } else if s.for_replication.is_empty() {
            "none of that registry's repository creation templates is for REPLICATION (appliedFor)".to_string()
        } else {
            "none of that registry's repository creation templates for REPLICATION applies to them".to_string()
        };
        let suggestion = match s.prefix.map(|p| &*p.text) {
            Some(p) if p.ends_with(facts.namespace_separator.as_str()) => format!(
                "add a repository creation template in {} with prefix `{}` and appliedFor REPLICATION",
                s.destination(),
                p.trim_end_matches(facts.namespace_separator.as_str())
            ),
            Some(p) => format!(
                "a template's prefix is a namespace (`{p}` applies to `{}…`): make the filter `{}` and add a template `{p}` with appliedFor REPLICATION in {}, or add a {} template for every repository",
                facts.namespace(p),
                facts.namespace(p),
                s.destination(),
                facts.root_prefix
            ),
            None => format!(
                "add a {} template with appliedFor REPLICATION in {} (it applies to every repository no other template matches)",
                facts.root_prefix,
                s.destination()
            ),
        };
        let finding = META
            .diagnostic(
                span,
                format!("{what} created there by replication with {}: {why}", Sent::defaults()),
            )
            .with_primary_label("created with the default settings at the destination")
            .with_help(format!(
                "{suggestion}; or pre-create the repositories with the settings they need"
            ));
        let mut finding = finding;
        for &(file, t) in s.for_replication.iter().chain(s.others.iter()).take(MAX_LABELS) {
            let written = t.prefix.as_deref().unwrap_or_default();
            let text = if t.for_replication != Some(true) {
                format!("template `{written}` is not for REPLICATION")
            } else {
                format!("template `{written}` applies to `{}…` only", facts.namespace(written))
            };
            finding = label(set, finding, s.file, (file, t.span), text);
        }
        out.push((s.file, finding));
    }
}
