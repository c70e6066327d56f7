//! The index of the check across files: what every linted file says that
//! the workspace rules (the engine's `workspace`, ECR506–ECR508) need, with
//! the registry policies by account.
//!
//! Each file's [`FileFacts`] are read from its [`Document`] (and the
//! documents in its strings) by [`facts`]; [`Set`] indexes them. It never
//! reads a file or a setting itself.
//!
//! Which policy is a destination's: the one whose registry is the
//! destination account, in the destination Region. A policy's registry is
//! what its file says (get-registry-policy's `registryId`), else the
//! `[destination]` of the `.ecrlint.toml` governing it, else the one account
//! its repository ARNs name; its Region likewise (`[destination] region`, or
//! the one Region its ARNs name; none known: any Region).

use crate::diagnostic::OtherFile;
use crate::document::policy::{
    evaluate, read_principal, read_repository_arn, ArnReading, PrincipalReading, RepositoryArn,
};
use crate::document::recognise::{self, Recognition};
use crate::document::{Document, Pseudo, Value};
use crate::settings::Settings;
use crate::syntax::{ReadAs, Span};
use std::sync::Arc;

mod coverage;
pub use coverage::Sent;

/// What one file says that the check across files needs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileFacts {
    pub replications: Vec<Replication>,
    pub policies: Vec<RegistryPolicy>,
    /// The repositories the file defines (what replication copies from, or
    /// finds pre-created at a destination).
    pub repositories: Vec<RepositoryFacts>,
    /// The repository creation templates the file defines.
    pub templates: Vec<TemplateFacts>,
    /// `[policy] require-registry-policies` of the file's settings.
    pub require_policies: bool,
    /// `[policy] require-creation-templates` of the file's settings.
    pub require_templates: bool,
    /// The local module folders (canonical) whose registry policies the
    /// file's module blocks make (in [`FileFacts::policies`]): the
    /// policies of those folders' own files are these callers' instances,
    /// not policies of their own. (Boxed slices, here and below: set once,
    /// and the facts ride in every lint outcome.)
    pub followed_modules: Box<[std::path::PathBuf]>,
    /// The canonical folder of a Terraform file with registry policies,
    /// matched against the callers' [`FileFacts::followed_modules`]: the
    /// file's name cannot tell it (a language server names it by URI, the
    /// command line relative to where it runs, a link may lead to it).
    pub folder: Option<Box<std::path::PathBuf>>,
}

impl FileFacts {
    /// Whether the check across files has anything to do with this file.
    pub fn is_empty(&self) -> bool {
        self.replications.iter().all(|r| r.routes.is_empty())
            && self.policies.is_empty()
            && self.repositories.is_empty()
            && self.templates.is_empty()
    }
}

impl FileFacts {
    /// Moves every span of the facts by `map` (the file's text was edited
    /// around them). Each struct is taken apart whole, so that a span field
    /// added to one is not forgotten here.
    pub fn map_spans(&mut self, map: &mut impl FnMut(Span) -> Span) {
        let FileFacts {
            replications,
            policies,
            repositories,
            templates,
            require_policies: _,
            require_templates: _,
            followed_modules: _,
            folder: _,
        } = self;
        fn written(setting: &mut Option<(String, Span)>, map: &mut impl FnMut(Span) -> Span) {
            if let Some((_, span)) = setting {
                *span = map(*span);
            }
        }
        for r in repositories.iter_mut() {
            let RepositoryFacts {
                name: _,
                account: _,
                region: _,
                span,
                pointer: _,
                tag_mutability,
                encryption,
            } = r;
            written(tag_mutability, map);
            written(encryption, map);
            *span = map(*span);
        }
        for t in templates.iter_mut() {
            let TemplateFacts {
                account: _,
                region: _,
                prefix: _,
                span,
                for_replication: _,
                tag_mutability,
                encryption,
            } = t;
            written(tag_mutability, map);
            written(encryption, map);
            *span = map(*span);
        }
        for r in replications.iter_mut() {
            let Replication {
                source_account: _,
                source_region: _,
                destinations,
                routes,
                filters,
            } = r;
            for d in destinations.iter_mut() {
                let Destination {
                    region: _,
                    account: _,
                    span,
                    pointer: _,
                } = d;
                *span = map(*span);
            }
            for route in routes.iter_mut() {
                let Route {
                    region: _,
                    account: _,
                    rule: _,
                    span,
                    pointer: _,
                } = route;
                *span = map(*span);
            }
            for f in filters.iter_mut() {
                if let Filters::Prefixes(prefixes) = f {
                    for p in prefixes.iter_mut() {
                        let Prefix {
                            text: _,
                            span,
                            pointer: _,
                        } = p;
                        *span = map(*span);
                    }
                }
            }
        }
        for p in policies.iter_mut() {
            p.map_spans(&mut *map);
        }
    }
}

/// A repository creation template a file defines, in the registry its
/// file is about (as a repository's), or the Region its Terraform provider
/// gives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateFacts {
    pub account: Option<String>,
    pub region: Option<String>,
    /// Its prefix as written (`ROOT`, or a namespace); `None`: known only
    /// at deploy time, or not written.
    pub prefix: Option<String>,
    /// Its prefix's value (else the template), where labels point.
    pub span: Span,
    /// Whether its `appliedFor` holds `REPLICATION`; `None`: not known
    /// (a value known only at deploy time).
    pub for_replication: Option<bool>,
    /// Its tag mutability as written, and where (`None`: not written, the default).
    pub tag_mutability: Option<(String, Span)>,
    /// Its encryption type as written, and where (`None`: not written, the default).
    pub encryption: Option<(String, Span)>,
}

/// A setting as written, else the default a repository gets.
fn or_default(written: &Option<(String, Span)>, setting: Setting) -> &str {
    let settings = crate::facts::repository_settings();
    let default = match setting {
        Setting::TagMutability => &settings.tag_mutability.default,
        Setting::Encryption => &settings.encryption.default,
    };
    written.as_ref().map_or(default, |(v, _)| v)
}

/// Whether a thing whose registry is (`own_account`, `own_region`) is in
/// `account`, in `region` (one whose Region is not known may be in any).
fn in_registry(own_account: &Option<String>, own_region: &Option<String>, account: &str, region: &str) -> bool {
    own_account.as_deref() == Some(account) && own_region.as_deref().is_none_or(|r| r == region)
}

impl TemplateFacts {
    /// Whether it is in `account`, in `region` (a template whose Region is
    /// not known may be in any).
    pub fn is_in(&self, account: &str, region: &str) -> bool {
        in_registry(&self.account, &self.region, account, region)
    }

    /// Whether it is the template for every repository no other matches.
    pub fn is_root(&self) -> bool {
        self.prefix.as_deref() == Some(&*crate::facts::repository_settings().creation_template.root_prefix)
    }

    /// Whether it applies to a repository named `name` (`ROOT`'s aside);
    /// `None`: its prefix is not known.
    pub fn covers(&self, name: &str) -> Option<bool> {
        let prefix = self.prefix.as_deref()?;
        Some(
            !self.is_root()
                && crate::facts::repository_settings()
                    .creation_template
                    .covers(prefix, name),
        )
    }

    /// Its tag mutability: as written, else the default.
    pub fn tag_mutability(&self) -> &str {
        or_default(&self.tag_mutability, Setting::TagMutability)
    }

    /// Its encryption type: as written, else the default.
    pub fn encryption(&self) -> &str {
        or_default(&self.encryption, Setting::Encryption)
    }
}

/// A repository a file defines, and the registry it is in where known:
/// a file's repositories are in its configuration's source registry, else
/// in the `[destination]` its settings name, else in its policies' registry,
/// else in its `[source]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepositoryFacts {
    pub name: String,
    pub account: Option<String>,
    pub region: Option<String>,
    /// Its name's value, where labels point.
    pub span: Span,
    pub pointer: String,
    /// Its tag mutability as written, and where (`None`: not written, the default).
    pub tag_mutability: Option<(String, Span)>,
    /// Its encryption type as written, and where (`None`: not written, the default).
    pub encryption: Option<(String, Span)>,
}

impl RepositoryFacts {
    /// Its tag mutability: as written, else the default.
    pub fn tag_mutability(&self) -> &str {
        or_default(&self.tag_mutability, Setting::TagMutability)
    }

    /// Its encryption type: as written, else the default.
    pub fn encryption(&self) -> &str {
        or_default(&self.encryption, Setting::Encryption)
    }

    /// Whether it is in `account`, in `region` (a repository whose Region
    /// is not known may be in any).
    pub fn is_in(&self, account: &str, region: &str) -> bool {
        in_registry(&self.account, &self.region, account, region)
    }
}

/// What a rule's filters let replicate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filters {
    /// No filter list: every repository.
    Every,
    /// Literal `PREFIX_MATCH` prefixes.
    Prefixes(Vec<Prefix>),
    /// Some filter is known only at deploy time, or of a type that fails.
    NotKnown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefix {
    pub text: String,
    /// The filter's value, where findings point.
    pub span: Span,
    /// Empty: the runner works it out for a finding at the filter
    /// (the engine's `workspace::check`).
    pub pointer: String,
}

impl Filters {
    /// Whether a repository of this name replicates: `None` when not known.
    pub fn take(&self, name: &str) -> Option<bool> {
        match self {
            Filters::Every => Some(true),
            Filters::Prefixes(ps) => Some(ps.iter().any(|p| name.starts_with(&p.text))),
            Filters::NotKnown => None,
        }
    }
}

/// A destination of a configuration whose account and Region are known,
/// in the source account too (a Region to Region copy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub region: std::sync::Arc<str>,
    pub account: std::sync::Arc<str>,
    /// The index of its rule in [`Replication::filters`].
    pub rule: usize,
    /// The destination's account value, where findings point.
    pub span: Span,
    /// Empty, as [`Prefix::pointer`]: a file may name hundreds of thousands
    /// of destinations, and few are found at.
    pub pointer: String,
}

/// A replication configuration: where it replicates from, and its
/// destinations in other accounts (or in accounts not known to be the source's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replication {
    pub source_account: Option<String>,
    pub source_region: Option<String>,
    pub destinations: Vec<Destination>,
    /// Every destination whose account and Region are known.
    pub routes: Vec<Route>,
    /// Each rule's filters, by the rule's position.
    pub filters: Vec<Filters>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Destination {
    /// Shared by the destinations of a file that name the same one (a
    /// generated file may name one destination hundreds of thousands of times).
    pub region: std::sync::Arc<str>,
    pub account: std::sync::Arc<str>,
    /// The destination's account value, where findings point.
    pub span: Span,
    /// Empty, as [`Prefix::pointer`].
    pub pointer: String,
}

/// A registry permissions policy, and whose registry it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegistryPolicy {
    pub account: Option<String>,
    pub region: Option<String>,
    /// Where a label points: the `Statement` key (or the policy's start).
    pub span: Span,
    pub grants: Vec<Grant>,
    /// Its `Deny` statements: one that surely applies removes a grant.
    pub denials: Vec<Denial>,
}

/// A statement of a registry policy that may allow (`Allow`, or an effect
/// not known statically).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub statement: evaluate::Statement,
    /// Accounts named as principals (IDs, `:root` ARNs, IAM principals' accounts).
    pub accounts: Vec<(String, Span)>,
    /// Its actions may include `ecr:ReplicateImage`.
    pub replicate: bool,
    /// Some resource is a malformed ARN (ECR502), which grants nothing.
    pub malformed_resource: bool,
    pub span: Span,
    pub pointer: String,
}

/// A `Deny` statement of a registry policy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Denial {
    pub statement: evaluate::Statement,
    /// Its `Effect` value, where a label points.
    pub effect: Span,
}

/// The facts of a file's text without linting it (a language server's
/// files on disk); `lint` gives them with its findings.
pub fn file_facts(text: &str, read_as: ReadAs, settings: &Settings) -> FileFacts {
    let mut facts = text_facts(text, read_as, settings);
    note_folder(&mut facts, settings);
    facts
}

/// Notes the canonical folder of a Terraform file that has registry
/// policies (few files: one look-up each).
pub fn note_folder(facts: &mut FileFacts, settings: &Settings) {
    if !facts.policies.is_empty() {
        facts.folder = settings
            .terraform_folder
            .as_ref()
            .and_then(|f| std::fs::canonicalize(f).ok())
            .map(Box::new);
    }
}

fn text_facts(text: &str, read_as: ReadAs, settings: &Settings) -> FileFacts {
    let bytes = text.as_bytes();
    let Some(format) = read_as.resolve(bytes) else {
        return FileFacts::default();
    };
    let Ok(root) = format.parse(bytes) else {
        return FileFacts::default();
    };
    // The registry policies local modules make of this file's inputs, as `lint` reads them.
    let (followed, followed_modules) = followed_policies(&root, text, format, settings);
    let shape = match recognise::recognise(&root) {
        Recognition::Replication(shape) => shape,
        // A template or Terraform file of repositories alone (not linted):
        // what replication finds at a destination, or copies from.
        Recognition::Neighbour { .. } => {
            return FileFacts {
                repositories: repositories(&root, file_registry(None, settings, &[], &[])),
                policies: followed,
                followed_modules: followed_modules.into(),
                ..FileFacts::default()
            }
        }
        _ => {
            return FileFacts {
                policies: followed,
                followed_modules: followed_modules.into(),
                ..FileFacts::default()
            }
        }
    };
    let doc = Document::build(&root, shape);
    let mut out = facts(&doc, settings);
    for policy in followed {
        if !out.policies.contains(&policy) {
            out.policies.push(policy);
        }
    }
    out.followed_modules = followed_modules.into();
    // Policies written as JSON text in a string: read from the decoded text,
    // positions mapped back to the file.
    for embedded in doc.embedded.iter().filter(|e| doc.applies(e)) {
        let crate::document::EmbeddedRead::Parsed(parsed) = embedded.read(text, format) else {
            continue;
        };
        let inner = Document::build(&parsed.root, embedded.shape);
        let pointer = root.pointer_at(embedded.node.span).to_string();
        out.policies.extend(policies_in_string(
            facts(&inner, settings),
            &doc,
            parsed.map.as_ref(),
            &pointer,
        ));
    }
    out
}

/// The registry policies the local modules a Terraform file calls make
/// of its inputs (as `lint`'s check of the calls reads them, facts only),
/// placed at each module block; and the folders of those modules.
fn followed_policies(
    root: &crate::syntax::Node,
    text: &str,
    format: crate::syntax::SourceFormat,
    settings: &Settings,
) -> (Vec<RegistryPolicy>, Vec<std::path::PathBuf>) {
    use crate::document::module::{FolderText, FolderValues, Folders};
    use crate::document::module_source as source;
    use crate::document::terraform_scope::Scope;
    use crate::syntax::SourceFormat;
    let Some(folder) = &settings.terraform_folder else {
        return Default::default();
    };
    if !matches!(format, SourceFormat::Hcl | SourceFormat::Json) || !source::has_local_calls(root) {
        return Default::default();
    }
    let view = settings.terraform_module.as_ref();
    let folder_text = view.and_then(|v| FolderText::of(text, &v.module, v.own));
    let caller_text = folder_text.as_ref().map_or(text, |f| f.text.as_str());
    let fresh;
    let folders = match &settings.terraform_folders {
        Some(folders) => folders.as_ref(),
        None => {
            fresh = Folders::default();
            &fresh
        }
    };
    let calls = source::local_calls(root, caller_text, folder, folders);
    if calls.iter().all(|c| c.reaches.is_empty()) {
        return Default::default();
    }
    let trees = match (&folder_text, view) {
        (Some(f), Some(v)) => f.parse(&v.module),
        _ => Vec::new(),
    };
    let values = match (&folder_text, view) {
        (Some(f), Some(v)) => FolderValues::find(f, &trees, &v.module),
        _ => FolderValues::default(),
    };
    let caller_scope = Scope::in_module(root, view).with_folder(&values);
    let plain = Settings {
        terraform_module: None,
        terraform_folder: None,
        terraform_folders: None,
        ..settings.clone()
    };
    let mut out: Vec<RegistryPolicy> = Vec::new();
    let mut followed = Vec::new();
    for call in calls.iter().filter(|c| !c.reaches.is_empty()) {
        let own_len = folder_text.as_ref().map_or(call.joined.caller_len, |f| f.own_len);
        let module = source::module_root(&call.joined, call.files.clone());
        let mut bodies = vec![call.body.clone()];
        if let Some((_, made)) =
            crate::document::terraform_eval::resource_instances(&caller_scope, caller_text, call.body, 64)
        {
            bodies.extend(made.into_iter().map(|i| i.body));
        }
        let mut found = false;
        for body in &bodies {
            let (with_inputs, inputs, _) = source::instance(call, &module, body, &caller_scope, caller_text);
            let scope = Scope::new(&with_inputs);
            let joined = call.joined.text.as_str();
            let tree = source::evaluated(&with_inputs, &scope, joined);
            let doc = Document::build(&tree, &crate::document::shapes::terraform::SHAPE);
            let mut policies = facts(&doc, &plain).policies;
            for embedded in doc.embedded.iter().filter(|e| doc.applies(e)) {
                let crate::document::EmbeddedRead::Parsed(parsed) = embedded.read(joined, SourceFormat::Hcl) else {
                    continue;
                };
                let inner = Document::build(&parsed.root, embedded.shape);
                policies.extend(policies_in_string(facts(&inner, &plain), &doc, parsed.map.as_ref(), ""));
            }
            for policy in source::policies(&with_inputs, joined, &inputs) {
                let policy = source::evaluated(&policy, &scope, joined);
                let doc = Document::build(&policy, &crate::document::shapes::registry_policy::TERRAFORM_SHAPE);
                let read = facts(&doc, &plain).policies;
                // The tree read the same `jsonencode` as written, its variables unknown.
                policies.retain(|p| !read.iter().any(|q| q.span == p.span));
                policies.extend(read);
            }
            for mut policy in policies {
                found = true;
                policy.map_spans(|span| if span.end <= own_len { span } else { call.name.key_span });
                if !out.contains(&policy) {
                    out.push(policy);
                }
            }
        }
        if found {
            followed.extend(std::fs::canonicalize(&call.dir).ok());
        }
    }
    (out, followed)
}

/// The policies of a document held in a string of `outer` (at `pointer`),
/// their positions mapped back to the file's bytes; a policy that does not
/// say whose registry it is belongs to the resource that holds it.
pub fn policies_in_string(
    inner: FileFacts,
    outer: &Document,
    map: Option<&crate::syntax::embedded::OffsetMap>,
    pointer: &str,
) -> Vec<RegistryPolicy> {
    let map = |span: Span| map.map_or(span, |m| m.span(span));
    let mut policies = inner.policies;
    for p in &mut policies {
        if p.account.is_none() {
            p.account = outer.policy_registry.and_then(|s| s.text()).map(str::to_string);
        }
        p.map_spans(map);
        for g in &mut p.grants {
            g.pointer = pointer.to_string();
        }
    }
    policies
}

impl RegistryPolicy {
    /// Moves every span of the policy (read in another text) by `map`.
    pub fn map_spans(&mut self, mut map: impl FnMut(Span) -> Span) {
        let RegistryPolicy {
            account: _,
            region: _,
            span,
            grants,
            denials,
        } = self;
        *span = map(*span);
        for g in grants.iter_mut() {
            g.span = map(g.span);
            for (_, s) in &mut g.accounts {
                *s = map(*s);
            }
        }
        for d in denials.iter_mut() {
            d.effect = map(d.effect);
        }
    }
}

/// What a document says, for the check across files.
pub fn facts(doc: &Document, settings: &Settings) -> FileFacts {
    let registry_pattern = &crate::facts::facts().registry_id_pattern;
    let source_account = settings
        .source_registry
        .clone()
        .or_else(|| doc.source_registry.and_then(|s| s.text()).map(str::to_string))
        .filter(|a| registry_pattern.is_match(a));
    let mut replications = Vec::new();
    // A name the same as the last destination's is shared: a generated
    // file repeats one destination; a map of every name would cost each
    // small file more than it saves.
    let shared = |text: &str, last: &mut Option<std::sync::Arc<str>>| -> std::sync::Arc<str> {
        match last {
            Some(same) if **same == *text => same.clone(),
            _ => last.insert(std::sync::Arc::from(text)).clone(),
        }
    };
    let (mut last_region, mut last_account) = (None, None);
    for config in &doc.configurations {
        let source_region = settings
            .source_region
            .clone()
            .or_else(|| config.source_region.and_then(|s| s.text()).map(str::to_string));
        let mut destinations = Vec::new();
        let mut routes = Vec::new();
        let mut filters = Vec::new();
        for (rule, r) in config.candidate_rules().enumerate() {
            filters.push(rule_filters(r));
            for d in r.destinations.iter().flat_map(crate::document::List::candidates) {
                let (Some(region), Some(id)) = (d.region, d.registry_id) else {
                    continue;
                };
                let region = match region.value() {
                    Value::Text(t) => shared(t, &mut last_region),
                    Value::Pseudo(Pseudo::Region) => match &source_region {
                        Some(r) => shared(r, &mut last_region),
                        None => continue,
                    },
                    _ => continue,
                };
                let account = match id.value() {
                    Value::Pseudo(Pseudo::AccountId) => source_account.as_deref(),
                    _ => id.text().filter(|a| registry_pattern.is_match(a)),
                };
                let Some(account) = account else {
                    continue;
                };
                let account = shared(account, &mut last_account);
                // `!Ref AWS::AccountId` is the source: not cross-account.
                if id.text().is_some() && source_account.as_deref() != Some(&*account) {
                    destinations.push(Destination {
                        region: region.clone(),
                        account: account.clone(),
                        span: id.span(),
                        pointer: String::new(),
                    });
                }
                routes.push(Route {
                    region,
                    account,
                    rule,
                    span: id.span(),
                    pointer: String::new(),
                });
            }
        }
        destinations.shrink_to_fit();
        routes.shrink_to_fit();
        replications.push(Replication {
            source_account: source_account.clone(),
            source_region,
            destinations,
            routes,
            filters,
        });
    }
    let rp = &crate::facts::facts().registry_policy;
    let mut policies = Vec::new();
    for policy in &doc.policies {
        let mut grants = Vec::new();
        let mut denials = Vec::new();
        let mut arn_parts: Vec<(Option<String>, Option<String>)> = Vec::new();
        for statement in &policy.statements {
            let evaluated = evaluate::Statement::read(statement);
            if !statement.allows() {
                if let (evaluate::Effect::Deny, Some(effect)) = (evaluated.effect, statement.effect) {
                    denials.push(Denial {
                        statement: evaluated,
                        effect: effect.span(),
                    });
                }
                continue;
            }
            // Whose registry this is: what the ARNs of its grants name (a
            // malformed one by the ARN it was meant to be).
            let mut malformed_resource = false;
            let parts = |arn: &RepositoryArn| {
                let part = |p: &str| (!p.contains(['*', '?'])).then(|| p.to_string());
                (part(arn.region), part(arn.account))
            };
            for r in &statement.resources {
                match r.text().map(read_repository_arn) {
                    Some(ArnReading::Repository(arn)) => arn_parts.push(parts(&arn)),
                    Some(ArnReading::Malformed { corrected, .. }) => {
                        malformed_resource = true;
                        if let Some(ArnReading::Repository(arn)) = corrected.as_deref().map(read_repository_arn) {
                            arn_parts.push(parts(&arn));
                        }
                    }
                    Some(ArnReading::Everything) | None => {}
                }
            }
            let accounts = statement
                .principals()
                .into_iter()
                .filter_map(|(_, p)| match p.text().map(read_principal) {
                    Some(PrincipalReading::Account(a) | PrincipalReading::IamPrincipal(a)) => {
                        Some((a.to_string(), p.span()))
                    }
                    _ => None,
                })
                .collect();
            grants.push(Grant {
                replicate: evaluated.may_name_action(&rp.replication_action),
                statement: evaluated,
                accounts,
                malformed_resource,
                span: statement.node.span,
                pointer: doc.root.pointer_at(statement.node.span).to_string(),
            });
        }
        let one = |values: Vec<Option<String>>| {
            let mut known: Vec<String> = values.into_iter().flatten().collect();
            known.sort();
            known.dedup();
            (known.len() == 1).then(|| known.remove(0))
        };
        let account = doc
            .policy_registry
            .and_then(|s| s.text())
            .map(str::to_string)
            .or_else(|| settings.destination_registry.clone())
            .or_else(|| one(arn_parts.iter().map(|(_, a)| a.clone()).collect()));
        let region = settings
            .destination_region
            .clone()
            .or_else(|| one(arn_parts.iter().map(|(r, _)| r.clone()).collect()));
        let span = policy
            .node
            .as_object()
            .and_then(|ms| ms.iter().find(|m| m.key == "Statement"))
            .map_or(Span::new(policy.node.span.start, policy.node.span.start + 1), |m| {
                m.key_span
            });
        policies.push(RegistryPolicy {
            account,
            region,
            span,
            grants,
            denials,
        });
    }
    let registry = file_registry(doc.source_registry.as_ref(), settings, &replications, &policies);
    let repositories = repositories(doc.root, registry.clone());
    let templates = templates(doc, registry);
    FileFacts {
        replications,
        policies,
        repositories,
        templates,
        require_policies: settings.policy.require_registry_policies,
        require_templates: settings.policy.require_creation_templates,
        followed_modules: Box::default(),
        folder: None,
    }
}

/// What a rule's filters let replicate.
fn rule_filters(rule: &crate::document::Rule) -> Filters {
    if rule.is_unfiltered() {
        return Filters::Every;
    }
    let types = &crate::facts::facts().filter_types;
    let mut prefixes = Vec::new();
    for f in rule.candidate_filters() {
        let prefix_match = f
            .filter_type
            .is_none_or(|t| t.text().is_some_and(|t| types.iter().any(|k| k == t)));
        let (true, Some(text)) = (prefix_match, f.filter.and_then(|v| v.text())) else {
            return Filters::NotKnown;
        };
        let span = f.filter.map_or(f.node.span, |v| v.span());
        prefixes.push(Prefix {
            text: text.to_string(),
            span,
            // Worked out for the findings that name it (a file may hold
            // hundreds of thousands of filters, and few findings).
            pointer: String::new(),
        });
    }
    // Held for the whole run: 20 filters would keep room for 32.
    prefixes.shrink_to_fit();
    Filters::Prefixes(prefixes)
}

/// The registry a file is about, for what it defines: its configuration's
/// source registry, else the registry its text names (describe output's
/// `registryId`), else the `[destination]` its settings name, else its
/// policies' registry, else its `[source]`. (account, Region), each where known.
fn file_registry(
    named: Option<&crate::document::Scalar>,
    settings: &Settings,
    replications: &[Replication],
    policies: &[RegistryPolicy],
) -> (Option<String>, Option<String>) {
    if let Some(r) = replications.first() {
        return (r.source_account.clone(), r.source_region.clone());
    }
    if let Some(account) = named.and_then(|s| s.text()) {
        return (
            Some(account.to_string()),
            settings.destination_region.clone().or(settings.source_region.clone()),
        );
    }
    if settings.destination_registry.is_some() {
        return (
            settings.destination_registry.clone(),
            settings.destination_region.clone(),
        );
    }
    match policies.iter().find(|p| p.account.is_some()) {
        Some(p) => (p.account.clone(), p.region.clone()),
        None => (settings.source_registry.clone(), settings.source_region.clone()),
    }
}

/// The repositories a document defines, in the registry its file is about.
fn repositories(
    root: &crate::syntax::Node,
    (account, region): (Option<String>, Option<String>),
) -> Vec<RepositoryFacts> {
    let found = crate::document::repositories::read(root);
    if found.is_empty() {
        return Vec::new();
    }
    let literal = |node: Option<&crate::syntax::Node>| {
        node.and_then(|n| Some((crate::document::repositories::literal(n)?.to_string(), n.span)))
    };
    found
        .into_iter()
        .filter_map(|r| {
            Some(RepositoryFacts {
                name: r.literal_name()?.to_string(),
                account: account.clone(),
                region: region.clone(),
                span: r.name.span,
                pointer: root.pointer_at(r.name.span).to_string(),
                tag_mutability: literal(r.tag_mutability),
                encryption: literal(r.encryption_type),
            })
        })
        .collect()
}

/// The repository creation templates a document defines, in the registry
/// its file is about (a Terraform template in its provider's Region).
fn templates(doc: &Document, (account, region): (Option<String>, Option<String>)) -> Vec<TemplateFacts> {
    let literal = |s: &crate::document::Scalar| s.text().map(|t| (t.to_string(), s.span()));
    doc.templates
        .iter()
        .map(|t| {
            let known_applied_for = t.applied_for.iter().all(|s| s.text().is_some())
                && t.node.get(t.keys.applied_for).is_none_or(|m| {
                    m.value
                        .as_array()
                        .is_some_and(|items| items.len() == t.applied_for.len())
                });
            TemplateFacts {
                account: account.clone(),
                region: t
                    .region
                    .as_ref()
                    .and_then(|r| r.text())
                    .map(str::to_string)
                    .or(region.clone()),
                prefix: t.prefix.as_ref().and_then(|p| p.text()).map(str::to_string),
                span: t.prefix.as_ref().map_or(t.node.span, |p| p.span()),
                for_replication: if t.applies_to_replication() {
                    Some(true)
                } else if known_applied_for {
                    Some(false)
                } else {
                    None
                },
                tag_mutability: t.image_tag_mutability.as_ref().and_then(literal),
                encryption: t.encryption_type.as_ref().and_then(literal),
            }
        })
        .collect()
}

/// One file of the set: its facts, and how labels in it name it.
#[derive(Clone)]
pub struct Member {
    pub facts: FileFacts,
    pub file: Arc<OtherFile>,
}

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
            for d in &r.destinations {
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

/// A setting of a repository that replication does not copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    TagMutability,
    Encryption,
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
