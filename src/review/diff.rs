//! `ecrlint diff`: what a change does to what is deployed. Both sides are
//! read into the [model](crate::model) and compared per registry, whatever
//! shape each side is written in: a JSON file replaced by Terraform that
//! deploys the same is no change.

use super::route::{place, written, RegistryShown};
use crate::model::{Known, Model, Registry};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The kinds of change, as `--fail-on` names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, clap::ValueEnum)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    DestinationAdded,
    DestinationRemoved,
    FilterWidened,
    FilterNarrowed,
    DeletionsEnabled,
    DeletionsDisabled,
    GrantAdded,
    GrantRemoved,
    TemplateAdded,
    TemplateRemoved,
    TemplateChanged,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::DestinationAdded => "destination-added",
            Kind::DestinationRemoved => "destination-removed",
            Kind::FilterWidened => "filter-widened",
            Kind::FilterNarrowed => "filter-narrowed",
            Kind::DeletionsEnabled => "deletions-enabled",
            Kind::DeletionsDisabled => "deletions-disabled",
            Kind::GrantAdded => "grant-added",
            Kind::GrantRemoved => "grant-removed",
            Kind::TemplateAdded => "template-added",
            Kind::TemplateRemoved => "template-removed",
            Kind::TemplateChanged => "template-changed",
        }
    }
}

#[derive(Serialize, Debug)]
pub struct DiffReport {
    /// The report's format version (schemas/diff.schema.json).
    pub version: u32,
    /// Nothing that is deployed changes (a change of form only, or none).
    pub unchanged: bool,
    pub changes: Vec<Change>,
    /// A source registry one side leaves unnamed, taken to be the one the
    /// other side names: said, since the files alone do not decide it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assumed: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct Change {
    pub kind: Kind,
    /// The registry whose configuration (or policy) changes.
    pub registry: RegistryShown,
    pub destination: Option<RegistryShown>,
    /// What changes, why it matters, and what to do.
    pub message: String,
    /// The command that copies existing images (`aws ecr start-replication-backfill …`).
    pub command: Option<String>,
    /// Known repositories (defined on either side) that start or stop replicating.
    pub repositories: Vec<String>,
    /// `file:line` on the side that has it (the new side, else the old).
    pub at: String,
}

/// Where one source registry replicates to one destination, all rules taken together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// `None`: every repository (a rule without filters).
    pub prefixes: Option<BTreeSet<String>>,
    pub deletes: bool,
    at: String,
}

impl Route {
    fn takes(&self, repository: &str) -> bool {
        self.prefixes
            .as_ref()
            .is_none_or(|ps| ps.iter().any(|p| repository.starts_with(p.as_str())))
    }

    /// Whether `self` takes some repository `other` does not (by prefix).
    fn wider_than(&self, other: &Route) -> bool {
        match (&self.prefixes, &other.prefixes) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(mine), Some(theirs)) => mine.iter().any(|p| !theirs.iter().any(|q| p.starts_with(q.as_str()))),
        }
    }
}

/// A statement granting replication actions to an account in a registry.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct GrantKey {
    account: String,
    region: String,
    principal: String,
    actions: String,
}

/// A repository creation template: its registry and prefix.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct TemplateKey {
    account: String,
    region: String,
    prefix: String,
}

/// What a template gives the repositories it creates, as a sentence, and
/// where it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
struct TemplateSettings {
    settings: String,
    at: String,
}

/// What a model deploys, by registry: each (source, destination) route,
/// each grant and each creation template with where it is written.
pub struct Deployed {
    pub routes: BTreeMap<(Registry, Registry), Route>,
    grants: BTreeMap<GrantKey, String>,
    templates: BTreeMap<TemplateKey, TemplateSettings>,
}

pub fn deployed(model: &Model) -> Deployed {
    let mut routes: BTreeMap<(Registry, Registry), Route> = BTreeMap::new();
    for replication in &model.replications {
        for rule in &replication.rules {
            let prefixes = rule
                .filters
                .as_ref()
                .map(|fs| fs.iter().map(|f| written(&f.prefix.known)).collect::<BTreeSet<_>>());
            let deletes = rule.deletes() == Known::Value("true".into());
            for d in &rule.destinations {
                let at = d.account.at.as_ref().map(|at| place(model, at)).unwrap_or_default();
                let key = (replication.source.clone(), d.registry());
                let route = routes.entry(key).or_insert_with(|| Route {
                    prefixes: Some(BTreeSet::new()),
                    deletes: false,
                    at,
                });
                match (&mut route.prefixes, &prefixes) {
                    (Some(all), Some(mine)) => all.extend(mine.iter().cloned()),
                    (all, None) => *all = None,
                    (None, Some(_)) => {}
                }
                route.deletes |= deletes;
            }
        }
    }
    let rp = &crate::facts::facts().registry_policy;
    let mut grants = BTreeMap::new();
    for member in &model.policy_members {
        let lines = crate::lines::LineIndex::new(&member.file.text);
        for policy in &member.facts.policies {
            for g in &policy.grants {
                let mut actions = Vec::new();
                if g.statement.may_name_action(&rp.replication_action) {
                    actions.push(rp.replication_action.as_str());
                }
                if g.statement.may_name_action(&rp.create_repository_action) {
                    actions.push(rp.create_repository_action.as_str());
                }
                if actions.is_empty() {
                    continue;
                }
                let line = lines.line_of(g.span.start) + 1;
                let principals: Vec<String> = if g.accounts.is_empty() {
                    vec!["a principal that is not an account".into()]
                } else {
                    g.accounts.iter().map(|(a, _)| a.clone()).collect()
                };
                for principal in principals {
                    grants.insert(
                        GrantKey {
                            account: policy.account.clone().unwrap_or_else(|| "an account not named".into()),
                            region: policy.region.clone().unwrap_or_else(|| "any Region".into()),
                            principal,
                            actions: actions.join(" and "),
                        },
                        format!("{}:{line}", member.file.path),
                    );
                }
            }
        }
    }
    let mut templates = BTreeMap::new();
    for member in &model.policy_members {
        let lines = crate::lines::LineIndex::new(&member.file.text);
        for t in &member.facts.templates {
            let known = |v: &Option<String>, what: &str| v.clone().unwrap_or_else(|| what.into());
            let settings = format!(
                "{}; tags {}; encryption {}",
                match t.for_replication {
                    Some(true) => "for REPLICATION",
                    Some(false) => "not for REPLICATION",
                    None => "appliedFor known at deploy time",
                },
                t.tag_mutability(),
                t.encryption()
            );
            templates.insert(
                TemplateKey {
                    account: known(&t.account, "an account not named"),
                    region: known(&t.region, "any Region"),
                    prefix: known(&t.prefix, "a prefix known at deploy time"),
                },
                TemplateSettings {
                    settings,
                    at: format!("{}:{}", member.file.path, lines.line_of(t.span.start) + 1),
                },
            );
        }
    }
    Deployed {
        routes,
        grants,
        templates,
    }
}

/// The backfill that copies `destination`'s existing images from `source`
/// (botocore `StartReplicationBackfill`; it is sent in the source Region).
pub fn backfill_command(source: &Registry, destination: &Registry) -> String {
    let mut command = format!(
        "aws ecr start-replication-backfill --destination region={},registryId={}",
        written(&destination.region),
        written(&destination.account)
    );
    if let Known::Value(account) = &source.account {
        command.push_str(&format!(" --registry-id {account}"));
    }
    if let Known::Value(region) = &source.region {
        command.push_str(&format!(" --region {region}"));
    }
    command
}

/// Whether two written parts of a registry may be the same: equal, or one
/// not named in the files (the deploying account, a value known at deploy time).
fn may_be(a: &Known, b: &Known) -> bool {
    a == b || a.value().is_none() || b.value().is_none()
}

/// A source registry one side leaves unnamed (a file that does not say its
/// account) and the other names (Terraform's provider, a plan): when each
/// has exactly one such partner, they are one registry, so writing the
/// account down is not a removal and an addition. The old side takes the
/// new side's name; what was taken is returned, for the report to say.
fn name_unnamed_sources(before: &mut Deployed, after: &Deployed) -> Vec<String> {
    let sources = |d: &Deployed| d.routes.keys().map(|(s, _)| s.clone()).collect::<BTreeSet<Registry>>();
    let (old, new) = (sources(before), sources(after));
    let only_old: Vec<&Registry> = old.difference(&new).collect();
    let only_new: Vec<&Registry> = new.difference(&old).collect();
    let partners = |r: &Registry, others: &[&Registry]| -> Vec<Registry> {
        others
            .iter()
            .filter(|o| may_be(&r.account, &o.account) && may_be(&r.region, &o.region))
            .map(|o| (*o).clone())
            .collect()
    };
    let mut renamed = BTreeMap::new();
    for was in &only_old {
        if let [now] = partners(was, &only_new).as_slice() {
            if partners(now, &only_old).len() == 1 {
                renamed.insert((*was).clone(), now.clone());
            }
        }
    }
    if renamed.is_empty() {
        return Vec::new();
    }
    before.routes = std::mem::take(&mut before.routes)
        .into_iter()
        .map(|((source, destination), route)| ((renamed.get(&source).cloned().unwrap_or(source), destination), route))
        .collect();
    renamed
        .iter()
        .map(|(was, now)| {
            format!(
                "the old side's source {} is taken to be the new side's {}: the old files do not name it \
                 (--source-registry-id and --source-region say it)",
                was.shown(),
                now.shown()
            )
        })
        .collect()
}

/// What changes from `old` to `new`.
pub fn diff(old: &Model, new: &Model) -> DiffReport {
    let mut before = deployed(old);
    let after = deployed(new);
    let assumed = name_unnamed_sources(&mut before, &after);
    let mut known: Vec<String> = old.repository_names();
    known.extend(new.repository_names());
    known.sort();
    known.dedup();
    let mut changes = Vec::new();
    for ((source, destination), route) in &after.routes {
        let change = |kind, message: String, command, repositories, at: &str| Change {
            kind,
            registry: RegistryShown::of(source),
            destination: Some(RegistryShown::of(destination)),
            message,
            command,
            repositories,
            at: at.to_string(),
        };
        let backfill = || Some(backfill_command(source, destination));
        match before.routes.get(&(source.clone(), destination.clone())) {
            None => {
                let taken = known.iter().filter(|r| route.takes(r)).cloned().collect();
                changes.push(change(
                    Kind::DestinationAdded,
                    format!(
                        "{} now replicates to {}: existing images are not copied (only images pushed after the \
                         change replicate); once it is deployed, start a replication backfill to copy them",
                        source.shown(),
                        destination.shown()
                    ),
                    backfill(),
                    taken,
                    &route.at,
                ));
                if route.deletes {
                    changes.push(change(
                        Kind::DeletionsEnabled,
                        format!(
                            "deletions in {} replicate to the new destination {}: deleting an image in the source \
                             deletes its replica there",
                            source.shown(),
                            destination.shown()
                        ),
                        None,
                        Vec::new(),
                        &route.at,
                    ));
                }
            }
            Some(was) => {
                if route.wider_than(was) {
                    let starting = known
                        .iter()
                        .filter(|r| route.takes(r) && !was.takes(r))
                        .cloned()
                        .collect();
                    changes.push(change(
                        Kind::FilterWidened,
                        format!(
                            "the filters to {} now take more repositories: their existing images are not copied; \
                             once it is deployed, start a replication backfill",
                            destination.shown()
                        ),
                        backfill(),
                        starting,
                        &route.at,
                    ));
                }
                if was.wider_than(route) {
                    let stopping = known
                        .iter()
                        .filter(|r| was.takes(r) && !route.takes(r))
                        .cloned()
                        .collect();
                    changes.push(change(
                        Kind::FilterNarrowed,
                        format!(
                            "the filters to {} now take fewer repositories: new images of those stop \
                             replicating; replicas already there stay",
                            destination.shown()
                        ),
                        None,
                        stopping,
                        &route.at,
                    ));
                }
                if route.deletes && !was.deletes {
                    changes.push(change(
                        Kind::DeletionsEnabled,
                        format!(
                            "deleteReplication is now on to {}: deleting an image in the source deletes its \
                             replica there; make sure that is meant",
                            destination.shown()
                        ),
                        None,
                        Vec::new(),
                        &route.at,
                    ));
                }
                if !route.deletes && was.deletes {
                    changes.push(change(
                        Kind::DeletionsDisabled,
                        format!(
                            "deleteReplication is now off to {}: deletions in the source no longer reach it",
                            destination.shown()
                        ),
                        None,
                        Vec::new(),
                        &route.at,
                    ));
                }
            }
        }
    }
    for ((source, destination), was) in &before.routes {
        if after.routes.contains_key(&(source.clone(), destination.clone())) {
            continue;
        }
        changes.push(Change {
            kind: Kind::DestinationRemoved,
            registry: RegistryShown::of(source),
            destination: Some(RegistryShown::of(destination)),
            message: format!(
                "{} no longer replicates to {}: new images stop arriving; replicas stay, nothing is deleted there",
                source.shown(),
                destination.shown()
            ),
            command: None,
            repositories: known.iter().filter(|r| was.takes(r)).cloned().collect(),
            at: was.at.clone(),
        });
    }
    let grant_change = |kind, key: &GrantKey, at: &String, change: &str| Change {
        kind,
        registry: RegistryShown {
            account: key.account.clone(),
            region: key.region.clone(),
        },
        destination: None,
        message: format!("the registry policy of {} in {} {change}", key.account, key.region),
        command: None,
        repositories: Vec::new(),
        at: at.clone(),
    };
    for (key, at) in &after.grants {
        if !before.grants.contains_key(key) {
            let change = format!("now grants {} to {}", key.actions, key.principal);
            changes.push(grant_change(Kind::GrantAdded, key, at, &change));
        }
    }
    for (key, at) in &before.grants {
        if !after.grants.contains_key(key) {
            let change = format!(
                "no longer grants {} to {}: replication from that account fails unless another statement grants it",
                key.actions, key.principal
            );
            changes.push(grant_change(Kind::GrantRemoved, key, at, &change));
        }
    }
    let template_change = |kind, key: &TemplateKey, at: &String, change: String| Change {
        kind,
        registry: RegistryShown {
            account: key.account.clone(),
            region: key.region.clone(),
        },
        destination: None,
        message: format!(
            "the repository creation template `{}` of {} in {} {change}",
            key.prefix, key.account, key.region
        ),
        command: None,
        repositories: Vec::new(),
        at: at.clone(),
    };
    let from_now_on = "repositories created before keep the settings they were created with";
    for (key, now) in &after.templates {
        match before.templates.get(key) {
            None => changes.push(template_change(
                Kind::TemplateAdded,
                key,
                &now.at,
                format!(
                    "is added ({}): it applies to repositories created from then on; {from_now_on}",
                    now.settings
                ),
            )),
            Some(was) if was.settings != now.settings => changes.push(template_change(
                Kind::TemplateChanged,
                key,
                &now.at,
                format!("changes from {} to {}: {from_now_on}", was.settings, now.settings),
            )),
            Some(_) => {}
        }
    }
    for (key, was) in &before.templates {
        if !after.templates.contains_key(key) {
            changes.push(template_change(
                Kind::TemplateRemoved,
                key,
                &was.at,
                format!(
                    "is removed ({}): repositories replication creates from then on get another template's settings or the defaults",
                    was.settings
                ),
            ));
        }
    }
    DiffReport {
        version: 1,
        unchanged: changes.is_empty(),
        changes,
        assumed,
    }
}
