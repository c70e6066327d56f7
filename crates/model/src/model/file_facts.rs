//! What one file's model says that the check across files needs: its
//! configurations' destinations and routes, its registry policies (read by
//! [`super::policy`]), the repositories and creation templates it defines,
//! and the registry it is about. The workspace index (`crosscheck::Set`)
//! is built over these, one per file.
//!
//! The replication part is a projection of the model's
//! [`Replication`](super::Replication) values, read by
//! [`super::replication`] alone, so that a route means the same to
//! ECR506–ECR508, `ecrlint route` and `ecrlint diff`. [`facts`] projects a
//! linted document's rules as they are read and keeps none; the model
//! ([`super::Model::read_text`]) keeps them and projects the kept ones. It
//! never reads a setting itself: the file's settings are given.

use super::policy::{self, RegistryPolicy};
use super::{Known, Registry, Rule as ModelRule};
use crate::diagnostic::OtherFile;
use crate::document::recognise::{self, Recognition};
use crate::document::Document;
use crate::settings::Settings;
use crate::syntax::{ReadAs, Span};
use std::sync::Arc;

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
                routes,
                cross_account: _,
                filters,
            } = r;
            for route in routes.iter_mut() {
                let Route {
                    region: _,
                    account: _,
                    rule: _,
                    span,
                } = route;
                *span = map(*span);
            }
            for f in filters.iter_mut() {
                if let Filters::Prefixes(prefixes) = f {
                    for p in prefixes.iter_mut() {
                        let Prefix { text: _, span } = p;
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
    /// The model's text of the filter (shared with it).
    pub text: Arc<str>,
    /// The filter's value, where findings point (their JSON pointer is
    /// worked out by the engine's `workspace::check` for the few found at).
    pub span: Span,
}

impl Filters {
    /// Whether a repository of this name replicates: `None` when not known.
    pub fn take(&self, name: &str) -> Option<bool> {
        match self {
            Filters::Every => Some(true),
            Filters::Prefixes(ps) => Some(ps.iter().any(|p| name.starts_with(&*p.text))),
            Filters::NotKnown => None,
        }
    }
}

/// A destination of a configuration whose account and Region are known,
/// in the source account too (a Region to Region copy).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    /// The model's texts (shared with it).
    pub region: Arc<str>,
    pub account: Arc<str>,
    /// The index of its rule in [`Replication::filters`].
    pub rule: usize,
    /// The destination's account value, where findings point (no pointer
    /// kept, as for [`Prefix::span`]: a file may name hundreds of thousands
    /// of destinations, and few are found at).
    pub span: Span,
}

/// A replication configuration: where it replicates from, and its
/// destinations in other accounts (or in accounts not known to be the source's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replication {
    pub source_account: Option<String>,
    pub source_region: Option<String>,
    /// Every destination whose account and Region are known.
    pub routes: Vec<Route>,
    /// The positions in [`Replication::routes`] of the destinations in
    /// other accounts: an index, not a copy (a generated file may name
    /// hundreds of thousands of destinations).
    pub cross_account: Vec<u32>,
    /// Each rule's filters, by the rule's position.
    pub filters: Vec<Filters>,
}

impl Replication {
    /// Its destinations in other accounts (or in accounts not known to be the source's).
    pub fn destinations(&self) -> impl Iterator<Item = &Destination> + '_ {
        self.cross_account.iter().map(|&i| &self.routes[i as usize])
    }
}

/// A destination in another account: one of its configuration's routes.
pub type Destination = Route;

/// A setting of a repository that replication does not copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Setting {
    TagMutability,
    Encryption,
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
    read_tree(&root, text, format, settings, None).0
}

/// What a parsed file says for the check across files, and, when `file`
/// is given (its index in the model), its replication configurations read
/// into the model, of which the facts are the projection. Without it each
/// configuration's rules are projected as they are read, and dropped.
pub(crate) fn read_tree(
    root: &crate::syntax::Node,
    text: &str,
    format: crate::syntax::SourceFormat,
    settings: &Settings,
    file: Option<usize>,
) -> (FileFacts, Vec<super::Replication>) {
    // The registry policies local modules make of this file's inputs, as `lint` reads them.
    let (followed, followed_modules) = followed_policies(root, text, format, settings);
    let shape = match recognise::recognise(root) {
        Recognition::Replication(shape) => shape,
        // A template or Terraform file of repositories alone (not linted):
        // what replication finds at a destination, or copies from.
        Recognition::Neighbour { .. } => {
            let facts = FileFacts {
                repositories: repositories(root, file_registry(None, settings, &[], &[])),
                policies: followed,
                followed_modules: followed_modules.into(),
                ..FileFacts::default()
            };
            return (facts, Vec::new());
        }
        _ => {
            let facts = FileFacts {
                policies: followed,
                followed_modules: followed_modules.into(),
                ..FileFacts::default()
            };
            return (facts, Vec::new());
        }
    };
    let doc = super::document(root, shape, settings);
    let (mut out, model) = match file {
        Some(file) => {
            let model = super::replication::read(&doc, file, text, settings);
            let projected = model.iter().map(|r| project(&r.source, r.rules.iter())).collect();
            (of_document(&doc, settings, projected), model)
        }
        None => (facts(&doc, text, settings), Vec::new()),
    };
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
            policy::read(&inner, settings),
            &doc,
            parsed.map.as_ref(),
            &pointer,
        ));
    }
    (out, model)
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
            let mut policies = policy::read(&doc, &plain);
            for embedded in doc.embedded.iter().filter(|e| doc.applies(e)) {
                let crate::document::EmbeddedRead::Parsed(parsed) = embedded.read(joined, SourceFormat::Hcl) else {
                    continue;
                };
                let inner = Document::build(&parsed.root, embedded.shape);
                policies.extend(policies_in_string(
                    policy::read(&inner, &plain),
                    &doc,
                    parsed.map.as_ref(),
                    "",
                ));
            }
            for policy in source::policies(&with_inputs, joined, &inputs) {
                let policy = source::evaluated(&policy, &scope, joined);
                let doc = Document::build(&policy, &crate::document::shapes::registry_policy::TERRAFORM_SHAPE);
                let read = policy::read(&doc, &plain);
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
    mut policies: Vec<RegistryPolicy>,
    outer: &Document,
    map: Option<&crate::syntax::embedded::OffsetMap>,
    pointer: &str,
) -> Vec<RegistryPolicy> {
    let map = |span: Span| map.map_or(span, |m| m.span(span));
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

/// What a document says, for the check across files: its replication
/// configurations read into the model ([`super::replication::read_each`])
/// and projected rule by rule, none kept. `text` is the document's.
pub fn facts(doc: &Document, text: &str, settings: &Settings) -> FileFacts {
    let mut replications = Vec::new();
    super::replication::read_each(doc, 0, text, settings, |source, _, rules| {
        replications.push(project(&source, rules));
    });
    of_document(doc, settings, replications)
}

/// The facts of a document whose replication configurations are projected.
fn of_document(doc: &Document, settings: &Settings, replications: Vec<Replication>) -> FileFacts {
    let policies = policy::read(doc, settings);
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

/// A configuration of the model as the check across files sees it: its
/// source where known (an account only as a registry ID), each rule's
/// filters, and each destination whose account and Region are known as a
/// route, those in other accounts (or in accounts not known to be the
/// source's) indexed. The rules are the model's, kept or read as they come.
fn project<R: std::borrow::Borrow<ModelRule>>(source: &Registry, rules: impl Iterator<Item = R>) -> Replication {
    let registry_pattern = &crate::facts::facts().registry_id_pattern;
    let source_account = source
        .account
        .value()
        .filter(|a| registry_pattern.is_match(a))
        .map(str::to_string);
    let mut routes = Vec::new();
    let mut cross_account = Vec::new();
    let mut filters = Vec::new();
    for (index, rule) in rules.enumerate() {
        let rule = rule.borrow();
        filters.push(rule_filters(rule));
        for d in &rule.destinations {
            // A pseudo value is the source's here already, as far as known.
            let (Known::Value(region), Known::Value(account), Some(at)) =
                (&d.region.known, &d.account.known, &d.account.at)
            else {
                continue;
            };
            if !registry_pattern.is_match(account) {
                continue;
            }
            if source_account.as_deref() != Some(&**account) {
                // Files are at most 64 MB: fewer routes than u32 counts.
                cross_account.push(routes.len() as u32);
            }
            routes.push(Route {
                region: region.clone(),
                account: account.clone(),
                rule: index,
                span: at.span,
            });
        }
    }
    cross_account.shrink_to_fit();
    routes.shrink_to_fit();
    Replication {
        source_account,
        source_region: source.region.value().map(str::to_string),
        routes,
        cross_account,
        filters,
    }
}

/// What a rule's filters let replicate.
fn rule_filters(rule: &ModelRule) -> Filters {
    let Some(filters) = &rule.filters else {
        return Filters::Every;
    };
    if rule.filter_without_prefix {
        return Filters::NotKnown;
    }
    let types = &crate::facts::facts().filter_types;
    let mut prefixes = Vec::with_capacity(filters.len());
    for f in filters {
        let prefix_match = f.filter_type.as_ref().is_none_or(|t| match &t.known {
            Known::Value(t) => types.iter().any(|k| **k == **t),
            _ => false,
        });
        let (true, Known::Value(text), Some(at)) = (prefix_match, &f.prefix.known, &f.prefix.at) else {
            return Filters::NotKnown;
        };
        prefixes.push(Prefix {
            text: text.clone(),
            span: at.span,
        });
    }
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
