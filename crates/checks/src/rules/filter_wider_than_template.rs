//! ECR706 filter-wider-than-template: a filter is a raw prefix, while a
//! creation template's prefix is a namespace with an implied `/`. The filter
//! `prod` beside the template `prod` sends `prod` itself and names such as
//! `production-api`, which the template (for `prod/…`) never applies to:
//! those are created with another template's settings, or the defaults.
//! A workspace rule, over [`super::template_coverage`].

use super::template_coverage::label;
use crate::crosscheck::Sent;
use crate::crosscheck::Set;
use crate::diagnostic::Diagnostic;

rule_meta!(
    "ECR706",
    "filter-wider-than-template",
    super::Level::WARNING,
    "A filter takes more than the namespace of the destination's creation template with the same prefix: the rest is created with other settings.",
    resources: [replication, repository],
    scope: Workspace,
    fix: None,
);

/// Most repository names a message lists.
const MAX_NAMES: usize = 3;

pub fn check(set: &Set, out: &mut Vec<(usize, Diagnostic)>) {
    let facts = &crate::facts::repository_settings().creation_template;
    for s in set.sent() {
        let (Some(prefix), Some((template_file, template))) = (s.prefix, s.wider_than()) else {
            continue;
        };
        let written = template.prefix.as_deref().unwrap_or_default();
        let namespace = facts.namespace(written);
        let instead = match s.root() {
            Some((_, root)) => format!(
                "the settings of the {} template",
                root.prefix.as_deref().unwrap_or_default()
            ),
            None => Sent::defaults(),
        };
        // The source's repositories the filter takes outside the namespace.
        let outside: Vec<String> = match (
            s.replication.source_account.as_deref(),
            s.replication.source_region.as_deref(),
        ) {
            (Some(account), region) => set
                .repositories_in(account, region)
                .map(|(_, r)| &r.name)
                .filter(|name| name.starts_with(&*prefix.text) && !facts.covers(written, name))
                .take(MAX_NAMES)
                .map(|name| format!("`{name}`"))
                .collect(),
            _ => Vec::new(),
        };
        let examples = match outside.len() {
            0 => format!(
                "a repository named `{}` itself and names such as `{}-api` are",
                prefix.text, prefix.text
            ),
            1 => format!("{} is", outside[0]),
            _ => format!("{} are", outside.join(", ")),
        };
        let finding = META
            .diagnostic(
                prefix.span,
                format!(
                    "filter `{}` sends every repository whose name starts with `{}` to {}, but the creation template `{written}` there applies to `{namespace}…` only (a template's prefix has an implied `/`): {examples} created there with {instead}",
                    prefix.text,
                    prefix.text,
                    s.destination()
                ),
            )
            .with_primary_label(format!("takes more than `{namespace}…`"))
            .with_help(format!(
                "to replicate only the namespace, make the filter `{namespace}`; to give the other repositories settings too, add a template for them (or a ROOT template) with appliedFor REPLICATION"
            ));
        let finding = label(
            set,
            finding,
            s.file,
            (template_file, template.span),
            format!("applies to `{namespace}…` only"),
        );
        out.push((s.file, finding));
    }
}
