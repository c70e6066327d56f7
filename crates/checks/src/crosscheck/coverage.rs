//! What ECR702, ECR705 and ECR706 share, computed once per check across
//! files ([`super::Set::sent`]): for each destination of a configuration and
//! each prefix its rule's filters send there, which repository creation
//! template of the destination replication creates those repositories with.
//!
//! A template's prefix names a namespace with an implied `/` (`prod`
//! applies to `prod/…`), while a filter is a raw prefix: a filter is covered
//! by a template only when every name it takes is in the template's
//! namespace, or by `ROOT`'s template.

use super::{Filters, Prefix, Replication, Route, Set, TemplateFacts};
use std::rc::Rc;

/// One filter prefix (or every repository) sent to one destination.
pub struct Sent<'s> {
    /// The configuration's file, its configuration and destination.
    pub file: usize,
    pub replication: &'s Replication,
    pub route: &'s Route,
    /// The filter; `None`: the rule has no filters (every repository).
    pub prefix: Option<&'s Prefix>,
    /// The destination's templates for REPLICATION: (file, template).
    pub for_replication: Rc<[(usize, &'s TemplateFacts)]>,
    /// The destination's other templates (`appliedFor` without REPLICATION).
    pub others: Rc<[(usize, &'s TemplateFacts)]>,
    /// Whether the configuration's settings ask for a template at each
    /// destination (`[policy] require-creation-templates`).
    pub required: bool,
}

impl<'s> Sent<'s> {
    /// The template for REPLICATION whose namespace holds every name the
    /// filter takes (the longest), else `ROOT`'s.
    pub fn covering(&self) -> Option<(usize, &'s TemplateFacts)> {
        let facts = &crate::facts::repository_settings().creation_template;
        let named = self
            .for_replication
            .iter()
            .filter(|(_, t)| !t.is_root())
            .filter(|(_, t)| {
                let namespace = facts.namespace(t.prefix.as_deref().unwrap_or_default());
                self.prefix.is_some_and(|p| p.text.starts_with(&namespace))
            })
            .max_by_key(|(_, t)| t.prefix.as_ref().map_or(0, String::len));
        named.or_else(|| self.root()).copied()
    }

    /// The destination's `ROOT` template for REPLICATION.
    pub fn root(&self) -> Option<&(usize, &'s TemplateFacts)> {
        self.for_replication.iter().find(|(_, t)| t.is_root())
    }

    /// A template for REPLICATION whose namespace the filter reaches past:
    /// the filter `prod` beside the template `prod`, which applies to
    /// `prod/…` only, while the filter also takes `prod` and `production-api`.
    pub fn wider_than(&self) -> Option<(usize, &'s TemplateFacts)> {
        let facts = &crate::facts::repository_settings().creation_template;
        let prefix = &self.prefix?.text;
        self.for_replication
            .iter()
            .filter(|(_, t)| !t.is_root())
            .filter(|(_, t)| {
                let namespace = facts.namespace(t.prefix.as_deref().unwrap_or_default());
                namespace.starts_with(&**prefix) && !prefix.starts_with(&namespace)
            })
            .max_by_key(|(_, t)| t.prefix.as_ref().map_or(0, String::len))
            .copied()
    }

    /// The destination, for a message.
    pub fn destination(&self) -> String {
        format!("account {} in {}", self.route.account, self.route.region)
    }

    /// What a repository created with no template gets, for a message.
    pub fn defaults() -> String {
        let settings = crate::facts::repository_settings();
        format!(
            "the default settings ({} tags, {} encryption, no lifecycle policy, no repository policy)",
            settings.tag_mutability.default, settings.encryption.default
        )
    }
}

/// See [`Set::sent`].
pub(super) fn sent<'s>(set: &Set<'s>) -> Vec<Sent<'s>> {
    let mut found = Vec::new();
    for (file, m) in set.members.iter().enumerate() {
        for replication in &m.facts.replications {
            for route in &replication.routes {
                let is_source = replication.source_account.as_deref() == Some(&*route.account)
                    && replication.source_region.as_deref() == Some(&*route.region);
                if is_source {
                    continue;
                }
                // Without `ecr:CreateRepository` no template fires (ECR507 says so).
                let source = replication.source_account.as_deref();
                if !set.creates_repositories(source, &route.account, &route.region) {
                    continue;
                }
                let templates: Vec<_> = set.templates_in(&route.account, &route.region).collect();
                // A template known only at deploy time may cover anything.
                if templates
                    .iter()
                    .any(|(_, t)| t.prefix.is_none() || t.for_replication.is_none())
                {
                    continue;
                }
                let required = m.facts.require_templates;
                if templates.is_empty() && !required {
                    continue;
                }
                // Shared by the route's prefixes: a rule may hold hundreds.
                let (for_replication, others): (Vec<_>, Vec<_>) = templates
                    .into_iter()
                    .partition(|(_, t)| t.for_replication == Some(true));
                let (for_replication, others): (Rc<[_]>, Rc<[_]>) = (for_replication.into(), others.into());
                let prefixes: Vec<Option<&Prefix>> = match &replication.filters[route.rule] {
                    Filters::Every => vec![None],
                    Filters::Prefixes(ps) => ps.iter().map(Some).collect(),
                    Filters::NotKnown => continue,
                };
                for prefix in prefixes {
                    found.push(Sent {
                        file,
                        replication,
                        route,
                        prefix,
                        for_replication: for_replication.clone(),
                        others: others.clone(),
                        required,
                    });
                }
            }
        }
    }
    found
}
