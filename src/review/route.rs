//! `ecrlint route`: where each repository replicates to, from each source
//! registry of the model. Replication is not transitive (an image copied
//! A→B is not copied again B→C), so only a configuration's own
//! destinations are followed.

use crate::crosscheck::{Access, Set};
use crate::model::replication::{Match, Replication};
use crate::model::{Destination, Filter, Rule};
use crate::model::{Known, Located, Model, Registry};
use serde::Serialize;

#[derive(Serialize, Debug)]
pub struct RouteReport {
    /// The report's format version (schemas/route.schema.json).
    pub version: u32,
    pub repositories: Vec<RepositoryRoute>,
}

#[derive(Serialize, Debug)]
pub struct RepositoryRoute {
    pub name: String,
    pub sources: Vec<SourceRoute>,
}

/// One configuration's answer for a repository.
#[derive(Serialize, Debug)]
pub struct SourceRoute {
    pub source: RegistryShown,
    /// The file of the configuration.
    pub file: String,
    pub destinations: Vec<RouteTo>,
    /// When no rule takes the repository: the filter nearest its name.
    pub nearest: Option<Nearest>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct RegistryShown {
    pub account: String,
    pub region: String,
}

impl RegistryShown {
    pub fn of(registry: &Registry) -> RegistryShown {
        RegistryShown {
            account: registry.account.shown("the deploying account"),
            region: registry.region.shown("the deploying Region"),
        }
    }
}

#[derive(Serialize, Debug)]
pub struct RouteTo {
    pub destination: RegistryShown,
    /// The rule that takes the repository, from 1 as people count.
    pub rule: usize,
    /// The filter that matched, as written (`None`: the rule has no filter).
    pub filter: Option<String>,
    /// `file:line` of the filter (or of the destination, for a rule without filters).
    pub at: String,
    /// `yes`; `if-condition` when the rule, filter or destination is an
    /// `Fn::If` branch; `maybe` when the filter is known only at deploy time.
    #[serde(rename = "match")]
    pub matched: &'static str,
    /// `replicated`, `not replicated`, or `known at deploy time`.
    pub deletions: &'static str,
    /// What the destination's registry policy grants the source.
    pub grant: &'static str,
    /// What the repository is there: pre-created (its settings kept), or
    /// created by replication with a creation template's settings or the
    /// defaults, when the workspace says.
    pub arrives: String,
}

#[derive(Serialize, Debug)]
pub struct Nearest {
    pub filter: String,
    pub rule: usize,
    pub at: String,
}

/// `file:line` of a located value.
pub fn place(model: &Model, at: &Located) -> String {
    format!("{}:{}", model.files[at.file].path, model.line(at))
}

/// The routes of `names` through every configuration of the model.
pub fn route(model: &Model, names: &[String]) -> RouteReport {
    let set = crate::crosscheck::Set::new(&model.policy_members);
    let lines = Lines::default();
    RouteReport {
        version: 1,
        repositories: names
            .iter()
            .map(|name| RepositoryRoute {
                name: name.clone(),
                sources: model
                    .replications
                    .iter()
                    .map(|r| source_route(model, &set, &lines, r, name))
                    .collect(),
            })
            .collect(),
    }
}

/// Where `name` goes through `replication`: each destination, by the
/// first rule that lists it and takes the name (a destination listed by two
/// rules gets the repository once), with how it matched and the filter that did.
fn takers<'r>(
    replication: &'r Replication,
    name: &str,
) -> Vec<(Registry, &'r Rule, Match, Option<&'r Filter>, &'r Destination)> {
    let mut found: Vec<(Registry, &Rule, Match, Option<&Filter>, &Destination)> = Vec::new();
    for rule in &replication.rules {
        let (matched, filter) = rule.takes(name);
        if matched == Match::No {
            continue;
        }
        for d in &rule.destinations {
            let registry = d.registry();
            // A destination in an `Fn::If` branch gets it only when the condition holds.
            let matched = if d.conditional && matched == Match::Yes {
                Match::Conditional
            } else {
                matched
            };
            if !found.iter().any(|(r, ..)| *r == registry) {
                found.push((registry, rule, matched, filter, d));
            }
        }
    }
    found
}

fn source_route<'m>(
    model: &Model,
    set: &Set<'m>,
    lines: &Lines<'m>,
    replication: &Replication,
    name: &str,
) -> SourceRoute {
    let destinations: Vec<RouteTo> = takers(replication, name)
        .into_iter()
        .map(|(registry, rule, matched, filter, d)| {
            let at = filter
                .and_then(|f| f.prefix.at.as_ref())
                .or(d.account.at.as_ref())
                .map(|at| place(model, at))
                .unwrap_or_default();
            RouteTo {
                destination: RegistryShown::of(&registry),
                rule: rule.index + 1,
                filter: filter.map(|f| written(&f.prefix.known)),
                at,
                matched: match matched {
                    Match::Yes => "yes",
                    Match::Conditional => "if-condition",
                    _ => "maybe",
                },
                deletions: match rule.deletes() {
                    Known::Value(v) if &*v == "true" => "deleted too",
                    Known::Value(_) => "kept",
                    _ => "known at deploy time",
                },
                grant: grant(set, &replication.source, &registry),
                arrives: arrives(set, lines, &replication.source, &registry, name).to_string(),
            }
        })
        .collect();
    let nearest = destinations
        .is_empty()
        .then(|| nearest(model, replication, name))
        .flatten();
    SourceRoute {
        source: RegistryShown::of(&replication.source),
        file: model.files[replication.file].path.clone(),
        destinations,
        nearest,
    }
}

/// A value as the file writes it (a deploy-time expression as is).
pub fn written(known: &Known) -> String {
    match known {
        Known::Value(v) => v.to_string(),
        Known::Dynamic(v) => v.clone(),
        Known::Deploying => "the deploying account or Region".into(),
    }
}

/// What the destination's registry policy grants the source, when the
/// workspace holds that policy (the check across files' own verdict).
pub fn grant(set: &Set, source: &Registry, destination: &Registry) -> &'static str {
    let (Known::Value(account), Known::Value(region)) = (&destination.account, &destination.region) else {
        return match (&destination.account, &source.account) {
            (Known::Deploying, _) => "same account: none needed",
            _ => "not known (a value known at deploy time)",
        };
    };
    if source.account.value() == Some(account) {
        return "same account: none needed";
    }
    if set.policies_for(account, region).is_empty() {
        return "no registry policy in the workspace";
    }
    let verdict = set.verdict(source.account.value(), account, region);
    match (verdict.replicate, verdict.create_repository) {
        (Access::Granted, Access::Granted) => "granted",
        (Access::Granted, _) => "ReplicateImage only: repositories must exist there",
        (Access::Denied { .. }, _) => "denied by a Deny statement",
        (Access::Missing, _) => "missing: ecr:ReplicateImage not granted",
    }
}

/// What `name` is at `destination`: the repository pre-created there,
/// else the creation template for REPLICATION that applies (the longest
/// prefix whose namespace holds the name, else ROOT's), else the defaults;
/// never created where the policy grants no `ecr:CreateRepository`.
/// The line index of each file of a set, built when a place in it is first
/// shown (a route report names places in the same files many times).
#[derive(Default)]
pub struct Lines<'m>(std::cell::RefCell<std::collections::HashMap<usize, crate::lines::LineIndex<'m>>>);

impl<'m> Lines<'m> {
    /// `path:line` of `span` in member `file` of `set`.
    pub fn place(&self, set: &Set<'m>, file: usize, span: crate::syntax::Span) -> String {
        let member: &'m crate::diagnostic::OtherFile = &set.members[file].file;
        let mut cache = self.0.borrow_mut();
        let index = cache
            .entry(file)
            .or_insert_with(|| crate::lines::LineIndex::new(&member.text));
        format!("{}:{}", member.path, index.line_of(span.start) + 1)
    }
}

/// What a repository replicated to a destination is there, as far as the
/// workspace says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Arriving {
    /// A repository of the workspace already there: its settings kept.
    PreCreated { at: String },
    /// Created by replication with the creation template of this prefix.
    Template { prefix: String, at: String },
    /// Created with the defaults: the destination has templates, none for it.
    Defaults,
    /// Created by replication; the workspace holds no creation template.
    Created,
    /// Created by replication; the workspace holds creation templates, none
    /// known to be of the destination's registry (deployed to another
    /// account or Region, or one not known).
    CreatedTemplatesElsewhere,
    /// Not created: the registry policy does not grant ecr:CreateRepository.
    NotCreated,
    /// The destination's account or Region is known only at deploy time.
    DestinationNotKnown,
    /// A template of the destination is known only at deploy time.
    TemplateNotKnown,
}

impl Arriving {
    /// Whether the workspace says more of it than that replication creates
    /// it: pre-created, or which template (or none of the destination's) sets it.
    pub fn is_described(&self) -> bool {
        matches!(
            self,
            Arriving::PreCreated { .. } | Arriving::Template { .. } | Arriving::Defaults
        )
    }
}

impl std::fmt::Display for Arriving {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arriving::PreCreated { at } => write!(f, "pre-created {at}"),
            Arriving::Template { prefix, at } => write!(f, "created with template \"{prefix}\" {at}"),
            Arriving::Defaults => f.write_str("created with the defaults: no template for REPLICATION applies"),
            Arriving::Created => f.write_str("created by replication (no creation template in the workspace)"),
            Arriving::CreatedTemplatesElsewhere => f.write_str(
                "created by replication (none of the workspace's creation templates is known to be of this registry)",
            ),
            Arriving::NotCreated => {
                f.write_str("not created: ecr:CreateRepository not granted, and no such repository in the workspace")
            }
            Arriving::DestinationNotKnown => f.write_str("not known (a value known at deploy time)"),
            Arriving::TemplateNotKnown => f.write_str("not known (a template known at deploy time)"),
        }
    }
}

pub fn arrives<'m>(
    set: &Set<'m>,
    lines: &Lines<'m>,
    source: &Registry,
    destination: &Registry,
    name: &str,
) -> Arriving {
    use crate::crosscheck::Arrival;
    let (Known::Value(account), Known::Value(region)) = (&destination.account, &destination.region) else {
        return Arriving::DestinationNotKnown;
    };
    let at = |file: usize, span: crate::syntax::Span| lines.place(set, file, span);
    let arrival = set.arrival(account, region, name);
    let created = |what: Arriving| {
        if set.creates_repositories(source.account.value(), account, region) {
            what
        } else {
            Arriving::NotCreated
        }
    };
    match arrival {
        Arrival::PreCreated { file, repository } => Arriving::PreCreated {
            at: at(file, repository.span),
        },
        Arrival::Template { file, template } => created(Arriving::Template {
            prefix: template.prefix.clone().unwrap_or_default(),
            at: at(file, template.span),
        }),
        Arrival::Created => created(if set.templates_in(account, region).next().is_some() {
            Arriving::Defaults
        } else if set.has_templates() {
            // "No creation template in the workspace" misled when it holds
            // some, of another registry or of one not known.
            Arriving::CreatedTemplatesElsewhere
        } else {
            Arriving::Created
        }),
        Arrival::NotKnown => Arriving::TemplateNotKnown,
    }
}

/// The filter of the configuration nearest `name`: the longest common
/// start, case aside (a filter that misses by case is the one to show), then
/// the closest length (cheap enough for thousands of names).
fn nearest(model: &Model, replication: &Replication, name: &str) -> Option<Nearest> {
    let common = |p: &str| {
        p.chars()
            .zip(name.chars())
            .take_while(|(a, b)| a.eq_ignore_ascii_case(b))
            .count()
    };
    replication
        .rules
        .iter()
        .flat_map(|r| r.filters.iter().flatten().map(move |f| (r.index, f)))
        .filter_map(|(rule, f)| Some((rule, f, f.prefix.known.value()?)))
        // The first of equals: `max_by_key` keeps the last, so go backwards.
        .rev()
        .max_by_key(|(_, _, p)| (common(p), std::cmp::Reverse(p.len().abs_diff(name.len()))))
        .map(|(rule, f, p)| Nearest {
            filter: p.to_string(),
            rule: rule + 1,
            at: f.prefix.at.as_ref().map(|at| place(model, at)).unwrap_or_default(),
        })
}

/// The repositories of `names` that configuration `replication` of the
/// model sends to `destination` (by whichever of its rules takes them
/// first, as [`route`] answers), as `(surely, maybe)`: `maybe` when a
/// filter is known only at deploy time.
pub fn arriving(
    model: &Model,
    replication: usize,
    destination: &Registry,
    names: &[String],
) -> (Vec<String>, Vec<String>) {
    let (mut surely, mut maybe) = (Vec::new(), Vec::new());
    for name in names {
        let takers = takers(&model.replications[replication], name);
        match takers.iter().find(|(r, ..)| r == destination) {
            Some((_, _, Match::Yes, ..)) => surely.push(name.clone()),
            Some(_) => maybe.push(name.clone()),
            None => {}
        }
    }
    (surely, maybe)
}
