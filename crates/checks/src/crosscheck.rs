//! The index of the check across files: every file's model as the
//! workspace rules (the engine's `workspace`, ECR506–ECR508 and the rules
//! of what arrives at a destination) ask it, with the registry policies by
//! account.
//!
//! What one file says is a projection of its model
//! ([`crate::model::file_facts`], re-exported here: [`FileFacts`], read by
//! [`facts`], its policies by [`crate::model::policy`]); [`Set`] indexes
//! them. It never reads a file or a setting itself.

use crate::document::policy::evaluate;
pub use crate::model::file_facts::{
    facts, file_facts, note_folder, policies_in_string, Destination, FileFacts, Filters, Member, Prefix, Replication,
    RepositoryFacts, Route, Setting, TemplateFacts,
};
pub use crate::model::policy::{Denial, Grant, RegistryPolicy};
use crate::syntax::Span;

mod coverage;
pub use coverage::Sent;

/// The files of one check, with their policies indexed by account: each
/// lookup reads only that account's policies, so a hostile set of many
/// destinations and many policies stays linear in practice.
pub struct Set<'m> {
    pub members: &'m [Member],
    by_account: std::collections::HashMap<&'m str, Vec<(usize, &'m RegistryPolicy)>>,
    /// (source account, destination account, destination Region) of every
    /// cross-account destination; `None` where the source is not known.
    routes: std::collections::HashSet<(Option<&'m str>, &'m str, &'m str)>,
    /// The same, by (source, destination account), and by source alone.
    to_accounts: std::collections::HashSet<(Option<&'m str>, &'m str)>,
    sources: std::collections::HashSet<Option<&'m str>>,
    /// What the policies grant, by (source, account, Region): computed once
    /// for the destinations that share them.
    verdicts: std::cell::RefCell<std::collections::HashMap<VerdictKey, Verdict>>,
    /// The repositories of known accounts, by account: (file index, repository).
    repositories: std::collections::HashMap<&'m str, Vec<(usize, &'m RepositoryFacts)>>,
    /// The creation templates of known accounts, by account: (file index, template).
    templates: std::collections::HashMap<&'m str, Vec<(usize, &'m TemplateFacts)>>,
    /// What each filter sends to each destination with templates, for the
    /// rules that share it: computed at the first ask.
    sent: std::cell::OnceCell<Vec<Sent<'m>>>,
}

/// (source account, destination account, destination Region).
type VerdictKey = (Option<String>, String, String);

/// What the policies of a destination grant its source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub replicate: Access,
    pub create_repository: Access,
    /// A replication grant whose only resources are malformed ARNs.
    pub malformed: bool,
}

/// Whether the policies of a registry let an account do one action there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// A statement may allow it, and no `Deny` surely removes it.
    Granted,
    /// No statement may allow it.
    Missing,
    /// A statement allows it, and a `Deny` that surely applies removes it.
    Denied {
        /// The policy that allows it: (file index, its label's span).
        grant: (usize, Span),
        /// The Deny: (file index, its `Effect` value).
        deny: (usize, Span),
    },
}

impl<'m> Set<'m> {
    pub fn new(members: &'m [Member]) -> Set<'m> {
        let mut by_account: std::collections::HashMap<&str, Vec<(usize, &RegistryPolicy)>> = Default::default();
        for (i, m) in members.iter().enumerate() {
            for p in &m.facts.policies {
                if let Some(a) = p.account.as_deref() {
                    by_account.entry(a).or_default().push((i, p));
                }
            }
        }
        let mut routes = std::collections::HashSet::new();
        let mut to_accounts = std::collections::HashSet::new();
        let mut sources = std::collections::HashSet::new();
        for r in members.iter().flat_map(|m| &m.facts.replications) {
            let source = r.source_account.as_deref();
            for d in r.destinations() {
                routes.insert((source, &*d.account, &*d.region));
                to_accounts.insert((source, &*d.account));
                sources.insert(source);
            }
        }
        let mut repositories: std::collections::HashMap<&str, Vec<(usize, &RepositoryFacts)>> = Default::default();
        for (i, m) in members.iter().enumerate() {
            for r in &m.facts.repositories {
                if let Some(a) = r.account.as_deref() {
                    repositories.entry(a).or_default().push((i, r));
                }
            }
        }
        let mut templates: std::collections::HashMap<&str, Vec<(usize, &TemplateFacts)>> = Default::default();
        for (i, m) in members.iter().enumerate() {
            for t in &m.facts.templates {
                if let Some(a) = t.account.as_deref() {
                    templates.entry(a).or_default().push((i, t));
                }
            }
        }
        Set {
            members,
            by_account,
            routes,
            to_accounts,
            sources,
            verdicts: Default::default(),
            repositories,
            templates,
            sent: Default::default(),
        }
    }

    /// Every filter prefix of every configuration among the files, at each
    /// of its destinations (but the source itself) whose templates are all
    /// known and that has templates among the files or whose settings
    /// require one.
    pub fn sent(&self) -> &[Sent<'m>] {
        self.sent.get_or_init(|| coverage::sent(self))
    }

    /// What the policies of (`account`, `region`) grant `source`.
    pub fn verdict(&self, source: Option<&str>, account: &str, region: &str) -> Verdict {
        let key = (source.map(str::to_string), account.to_string(), region.to_string());
        if let Some(v) = self.verdicts.borrow().get(&key) {
            return *v;
        }
        let policies = self.policies_for(account, region);
        let rp = &crate::facts::facts().registry_policy;
        let partition = crate::facts::facts()
            .partition_of(region)
            .map_or("aws", |p| p.id.as_str());
        let repositories = evaluate::repositories_of(partition, region, account);
        let access_to = |action: &str| {
            access(
                &policies,
                &evaluate::Request {
                    action,
                    account: source,
                    repositories: &repositories,
                },
            )
        };
        let v = Verdict {
            replicate: access_to(&rp.replication_action),
            create_repository: access_to(&rp.create_repository_action),
            malformed: policies
                .iter()
                .flat_map(|(_, p)| &p.grants)
                .any(|g| g.replicate && g.malformed_resource),
        };
        self.verdicts.borrow_mut().insert(key, v);
        v
    }

    /// Whether replication from `source` may create repositories in
    /// `account`, `region`: no policy of that registry among the files (not
    /// known: assumed), or its policies grant `ecr:CreateRepository`
    /// (ECR507 reports where they do not).
    pub fn creates_repositories(&self, source: Option<&str>, account: &str, region: &str) -> bool {
        self.policies_for(account, region).is_empty()
            || self.verdict(source, account, region).create_repository == Access::Granted
    }

    /// The policies whose registry is `account`, in `region` (or in a
    /// Region not known): (file index, policy).
    pub fn policies_for(&self, account: &str, region: &str) -> Vec<(usize, &'m RegistryPolicy)> {
        self.by_account
            .get(account)
            .map(|ps| {
                ps.iter()
                    .filter(|(_, p)| p.region.as_deref().is_none_or(|r| r == region))
                    .copied()
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Whether a configuration of the set replicates from `source` (or from
    /// an account not known) to `account` (any, when `None`) in `region`
    /// (any, when `None`).
    pub fn replicates(&self, source: &str, account: Option<&str>, region: Option<&str>) -> bool {
        [Some(source), None].into_iter().any(|s| match (account, region) {
            (Some(a), Some(r)) => self.routes.contains(&(s, a, r)),
            (Some(a), None) => self.to_accounts.contains(&(s, a)),
            (None, _) => self.sources.contains(&s),
        })
    }
}

/// What a repository that replication brings to a registry is like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arrival<'m> {
    /// A repository of that name is already there (pre-created): replication
    /// adds images to it, and it keeps its own settings.
    PreCreated {
        file: usize,
        repository: &'m RepositoryFacts,
    },
    /// Replication creates it with the settings of this repository
    /// creation template (`appliedFor` REPLICATION, the longest prefix that
    /// covers its name, else `ROOT`).
    Template { file: usize, template: &'m TemplateFacts },
    /// Replication creates it with the default settings: no template of
    /// the destination among the files applies.
    Created,
    /// A template of the destination is known only at deploy time (its
    /// prefix or `appliedFor`): what applies is not known.
    NotKnown,
}

impl Arrival<'_> {
    /// The value of `setting` the repository at the destination has.
    pub fn setting(&self, setting: Setting) -> Option<&str> {
        match setting {
            Setting::TagMutability => self.tag_mutability(),
            Setting::Encryption => self.encryption(),
        }
    }

    /// Where the pre-created repository or the template writes `setting`
    /// (`None`: not written, the default, or neither is there).
    pub fn written(&self, setting: Setting) -> Option<Span> {
        let (tag_mutability, encryption) = match self {
            Arrival::PreCreated { repository, .. } => (&repository.tag_mutability, &repository.encryption),
            Arrival::Template { template, .. } => (&template.tag_mutability, &template.encryption),
            Arrival::Created | Arrival::NotKnown => return None,
        };
        let written = match setting {
            Setting::TagMutability => tag_mutability,
            Setting::Encryption => encryption,
        };
        written.as_ref().map(|(_, span)| *span)
    }

    /// The tag mutability the repository at the destination has.
    pub fn tag_mutability(&self) -> Option<&str> {
        match self {
            Arrival::PreCreated { repository, .. } => Some(repository.tag_mutability()),
            Arrival::Template { template, .. } => Some(template.tag_mutability()),
            Arrival::Created => Some(&crate::facts::repository_settings().tag_mutability.default),
            Arrival::NotKnown => None,
        }
    }

    /// The encryption type the repository at the destination has.
    pub fn encryption(&self) -> Option<&str> {
        match self {
            Arrival::PreCreated { repository, .. } => Some(repository.encryption()),
            Arrival::Template { template, .. } => Some(template.encryption()),
            Arrival::Created => Some(&crate::facts::repository_settings().encryption.default),
            Arrival::NotKnown => None,
        }
    }
}

impl<'m> Set<'m> {
    /// The repositories of the set in `account`, in `region` (or in a
    /// Region not known): (file index, repository).
    pub fn repositories_in(
        &self,
        account: &str,
        region: Option<&str>,
    ) -> impl Iterator<Item = (usize, &'m RepositoryFacts)> + '_ {
        let region = region.map(str::to_string);
        self.repositories
            .get(account)
            .into_iter()
            .flatten()
            .filter(move |(_, r)| match (&region, &r.region) {
                (Some(want), Some(is)) => want == is,
                _ => true,
            })
            .copied()
    }

    /// Whether the files hold any repository creation template, of any
    /// registry (one whose account is not known too).
    pub fn has_templates(&self) -> bool {
        self.members.iter().any(|m| !m.facts.templates.is_empty())
    }

    /// What the repository `name` replicated to `account` in `region` is
    /// like: the one pre-created there, else one created with the settings
    /// of the creation template that applies, else with the defaults.
    pub fn arrival(&self, account: &str, region: &str, name: &str) -> Arrival<'m> {
        let pre_created = self
            .repositories
            .get(account)
            .into_iter()
            .flatten()
            .find(|(_, r)| r.name == name && r.is_in(account, region));
        if let Some(&(file, repository)) = pre_created {
            return Arrival::PreCreated { file, repository };
        }
        self.template_for(account, region, name)
    }

    /// The creation templates of the set in `account`, in `region` (or in
    /// a Region not known): (file index, template).
    pub fn templates_in(&self, account: &str, region: &str) -> impl Iterator<Item = (usize, &'m TemplateFacts)> + '_ {
        let (account, region) = (account.to_string(), region.to_string());
        self.templates
            .get(account.as_str())
            .into_iter()
            .flatten()
            .filter(move |(_, t)| t.is_in(&account, &region))
            .copied()
    }

    /// The template that replication creates the repository `name` in
    /// `account`, `region` with: among those for REPLICATION, the longest
    /// prefix that covers the name, else `ROOT`'s.
    pub fn template_for(&self, account: &str, region: &str, name: &str) -> Arrival<'m> {
        let mut root = None;
        let mut longest: Option<(usize, &TemplateFacts)> = None;
        for (file, t) in self.templates_in(account, region) {
            let (Some(for_replication), Some(covers)) = (t.for_replication, t.covers(name)) else {
                return Arrival::NotKnown;
            };
            if !for_replication {
                continue;
            }
            if t.is_root() {
                root.get_or_insert((file, t));
            } else if covers
                && longest.is_none_or(|(_, l)| l.prefix.as_ref().map(String::len) < t.prefix.as_ref().map(String::len))
            {
                longest = Some((file, t));
            }
        }
        match longest.or(root) {
            Some((file, template)) => Arrival::Template { file, template },
            None => Arrival::Created,
        }
    }
}

/// Whether `policies` allow `request`: a statement may allow it, and no
/// `Deny` surely removes it (a Deny wins over every Allow).
pub fn access(policies: &[(usize, &RegistryPolicy)], request: &evaluate::Request) -> Access {
    let Some((grant_file, grant_policy)) = policies
        .iter()
        .find(|(_, p)| p.grants.iter().any(|g| g.statement.may_allow(request)))
    else {
        return Access::Missing;
    };
    let denial = policies
        .iter()
        .flat_map(|(i, p)| p.denials.iter().map(move |d| (*i, d)))
        .find(|(_, d)| d.statement.surely_denies(request));
    match denial {
        Some((file, d)) => Access::Denied {
            grant: (*grant_file, grant_policy.span),
            deny: (file, d.effect),
        },
        None => Access::Granted,
    }
}

/// The statement that grants replication, as the help shows it.
pub fn statement_to_add(source: Option<&str>, region: &str, account: &str) -> String {
    let facts = crate::facts::facts();
    let rp = &facts.registry_policy;
    let partition = facts.partition_of(region).map_or("aws", |p| p.id.as_str());
    let principal = match source {
        Some(s) => format!("arn:{partition}:iam::{s}:root"),
        None => format!("arn:{partition}:iam::<source-account>:root"),
    };
    format!(
        "{{\"Sid\": \"AllowReplication\", \"Effect\": \"Allow\", \"Principal\": {{\"AWS\": \"{principal}\"}}, \"Action\": [\"{}\", \"{}\"], \"Resource\": \"arn:{partition}:{}:{region}:{account}:{}*\"}}",
        rp.replication_action, rp.create_repository_action, rp.resource_service, rp.resource_prefix
    )
}
