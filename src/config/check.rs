//! Checks a configuration read by [`super::raw`] value by value, turning
//! each mistake into a [`ConfigError`] at its span. Every value is
//! checked, so one run reports every mistake in the file.

use super::raw::{RawConfig, RawFix, RawOverride, RawPolicy, RawRegistry, RawRequired, RawSource};
use super::{check_known_region, Config, ConfigError, Exclude, Override};
use crate::facts::facts;
use crate::rules;
use crate::settings::{DeclaredDocument, Level, OrgPolicy, PolicyScope, RequiredDestination, Settings};
use crate::syntax::Span;
use globset::{Glob, GlobSetBuilder};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use toml::Spanned;

/// One file's settings, checked, with every mistake in it (in file order
/// within each table). What it sets is kept apart from what it leaves
/// unset, so that a file it extends can fill the gaps ([`super::extend`]).
pub(super) fn layer(path: &Path, text: Arc<str>, raw: RawConfig) -> (Layer, Vec<ConfigError>) {
    let mut c = ConfigChecker {
        path,
        text: text.clone(),
        errors: Vec::new(),
    };
    let selected = c.selection(&raw);
    let source = raw.source.unwrap_or_default();
    let (source_region, source_registry) = c.source(&source);
    let destination = raw.destination.unwrap_or_default();
    let destination_region = destination
        .region
        .as_ref()
        .and_then(|r| c.region(r, "destination region"));
    let destination_registry = destination
        .registry_id
        .as_ref()
        .and_then(|r| c.account(r, "destination registry-id"));
    let mut levels = selected;
    // `[rules]` names rules one by one: it wins over the file's selection.
    levels.extend(c.levels(&raw.rules));
    let extra_regions: Vec<String> = raw
        .regions
        .map(|r| r.extra)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| c.region(r, "extra region"))
        .collect();
    let (fixable, unfixable) = raw.fix.map(|f| c.fix(&f)).unwrap_or_default();
    let policy = raw.policy.map(|p| c.policy(p)).unwrap_or_default();
    let registry_policy_scope = raw.registry.as_ref().and_then(|r| c.policy_scope(r));
    let overrides = c.overrides(&raw.overrides);
    let base = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let terraform_vars = raw.terraform.map(|t| crate::document::module::Assignments {
        var_files: t.var_files.iter().map(|f| base.join(f.get_ref())).collect(),
        vars: t.vars.into_iter().map(|(k, v)| (k, v.into_inner())).collect(),
    });
    let baseline = raw.baseline.and_then(|b| b.file).map(|f| base.join(f.get_ref()));
    let exclude = raw
        .exclude
        .map(|list| list.iter().filter_map(|p| c.exclude_glob(&base, p)).collect());
    let extend_exclude = raw
        .extend_exclude
        .iter()
        .filter_map(|p| c.exclude_glob(&base, p))
        .collect();
    // What this file sets, by key, for `ecrlint config` to say where a value came from.
    let mut origins = HashMap::new();
    let mut set = |key: String| {
        origins.insert(key, path.to_path_buf());
    };
    if source_region.is_some() {
        set("source.region".into());
    }
    if source_registry.is_some() {
        set("source.registry-id".into());
    }
    for code in levels.keys() {
        set(format!("rules.{code}"));
    }
    if registry_policy_scope.is_some() {
        set("registry.policy-scope".into());
    }
    if raw.max_findings.is_some() {
        set("max-findings".into());
    }
    if terraform_vars.is_some() {
        set("terraform".into());
    }
    if baseline.is_some() {
        set("baseline.file".into());
    }
    let layer = Layer {
        path: path.to_path_buf(),
        text,
        origins,
        source_region: source_region.zip(source.region.map(|r| {
            let r = r.span();
            Span::new(r.start, r.end)
        })),
        source_registry,
        destination_region: destination_region.zip(destination.region.map(|r| {
            let r = r.span();
            Span::new(r.start, r.end)
        })),
        destination_registry,
        levels,
        extra_regions,
        fixable,
        unfixable,
        policy,
        registry_policy_scope,
        max_findings: raw.max_findings,
        terraform_vars: terraform_vars.unwrap_or_default(),
        baseline,
        exclude,
        extend_exclude,
        overrides,
        extend: raw.extend,
    };
    (layer, c.errors)
}

/// What one configuration file sets (`None`: not set, left to a file it
/// extends or to the defaults).
pub(super) struct Layer {
    pub(super) path: std::path::PathBuf,
    pub(super) text: Arc<str>,
    /// The file that set each key in force (`source.region`, `rules.ECR206`).
    pub(super) origins: HashMap<String, std::path::PathBuf>,
    /// With its span, checked once the extra Regions of the whole chain are known.
    pub(super) source_region: Option<(String, Span)>,
    pub(super) source_registry: Option<String>,
    /// `[destination]`: the registry of the registry policies these files hold.
    pub(super) destination_region: Option<(String, Span)>,
    pub(super) destination_registry: Option<String>,
    pub(super) levels: HashMap<&'static str, Level>,
    pub(super) extra_regions: Vec<String>,
    pub(super) fixable: Option<Vec<&'static str>>,
    pub(super) unfixable: Option<Vec<&'static str>>,
    pub(super) policy: PolicyLayer,
    pub(super) registry_policy_scope: Option<PolicyScope>,
    /// `max-findings`: findings kept per file.
    pub(super) max_findings: Option<usize>,
    /// `[terraform]`: the parent's values, then this file's (later wins).
    pub(super) terraform_vars: crate::document::module::Assignments,
    /// `[baseline] file`, joined onto the folder of the file that sets it.
    pub(super) baseline: Option<std::path::PathBuf>,
    pub(super) exclude: Option<Vec<Exclude>>,
    pub(super) extend_exclude: Vec<Exclude>,
    pub(super) overrides: Vec<Override>,
    pub(super) extend: Option<Spanned<String>>,
}

/// `[policy]` as one file sets it.
#[derive(Default)]
pub(super) struct PolicyLayer {
    pub(super) allowed_regions: Option<Vec<String>>,
    pub(super) denied_regions: Option<Vec<String>>,
    pub(super) allowed_accounts: Option<Vec<String>>,
    pub(super) max_unique_destinations: Option<usize>,
    pub(super) required_destinations: Vec<RequiredDestination>,
    pub(super) require_registry_policies: Option<bool>,
    pub(super) require_creation_templates: Option<bool>,
}

impl Layer {
    /// This file's settings on top of `parent`'s (the file it extends):
    /// what this one sets wins, `[rules]` merge rule by rule, and lists of
    /// additions (`extra` Regions, `extend-exclude`, required destinations,
    /// `[[overrides]]`) are the parent's followed by this file's.
    pub(super) fn over(self, parent: Layer) -> Layer {
        let mut levels = parent.levels;
        levels.extend(self.levels);
        let mut extra_regions = parent.extra_regions;
        for r in self.extra_regions {
            if !extra_regions.contains(&r) {
                extra_regions.push(r);
            }
        }
        let (p, c) = (parent.policy, self.policy);
        let mut origins = parent.origins;
        origins.extend(self.origins);
        Layer {
            path: self.path,
            text: self.text,
            origins,
            source_region: self.source_region.or(parent.source_region),
            source_registry: self.source_registry.or(parent.source_registry),
            destination_region: self.destination_region.or(parent.destination_region),
            destination_registry: self.destination_registry.or(parent.destination_registry),
            levels,
            extra_regions,
            fixable: self.fixable.or(parent.fixable),
            unfixable: self.unfixable.or(parent.unfixable),
            policy: PolicyLayer {
                allowed_regions: c.allowed_regions.or(p.allowed_regions),
                denied_regions: c.denied_regions.or(p.denied_regions),
                allowed_accounts: c.allowed_accounts.or(p.allowed_accounts),
                max_unique_destinations: c.max_unique_destinations.or(p.max_unique_destinations),
                required_destinations: [p.required_destinations, c.required_destinations].concat(),
                require_registry_policies: c.require_registry_policies.or(p.require_registry_policies),
                require_creation_templates: c.require_creation_templates.or(p.require_creation_templates),
            },
            registry_policy_scope: self.registry_policy_scope.or(parent.registry_policy_scope),
            max_findings: self.max_findings.or(parent.max_findings),
            terraform_vars: crate::document::module::Assignments {
                var_files: [parent.terraform_vars.var_files, self.terraform_vars.var_files].concat(),
                vars: [parent.terraform_vars.vars, self.terraform_vars.vars].concat(),
            },
            baseline: self.baseline.or(parent.baseline),
            exclude: self.exclude.or(parent.exclude),
            extend_exclude: [parent.extend_exclude, self.extend_exclude].concat(),
            overrides: parent.overrides.into_iter().chain(self.overrides).collect(),
            extend: self.extend,
        }
    }

    /// The configuration these settings make, or the errors of a source or
    /// destination Region that is neither known nor among the whole chain's
    /// extra Regions (a typo would silently turn off the checks against
    /// it). `source` and `destination` are the files that set them, for the
    /// errors' spans.
    pub(super) fn finish(
        self,
        chain: Vec<std::path::PathBuf>,
        source: Option<(&Path, &Arc<str>)>,
        destination: Option<(&Path, &Arc<str>)>,
    ) -> Result<Config, Vec<ConfigError>> {
        let errors: Vec<ConfigError> = [
            ("source region", &self.source_region, source),
            ("destination region", &self.destination_region, destination),
        ]
        .into_iter()
        .filter_map(|(what, set, file)| {
            let ((region, span), (path, text)) = (set.as_ref()?, file?);
            let message = check_known_region(region, &self.extra_regions).err()?;
            Some(ConfigError {
                path: path.to_path_buf(),
                text: text.clone(),
                span: *span,
                message: format!("{what} {message}"),
                help: Some("a Region newer than ecrlint's list can be added to [regions] extra".into()),
            })
        })
        .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut unfixable = self.unfixable.unwrap_or_default();
        if let Some(fixable) = &self.fixable {
            unfixable.extend(
                rules::RULES
                    .iter()
                    .map(|r| r.meta.code)
                    .filter(|c| !fixable.contains(c)),
            );
        }
        unfixable.sort_unstable();
        unfixable.dedup();
        let base = self.path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let mut exclude = self.exclude.unwrap_or_else(|| super::default_exclude(&base));
        exclude.extend(self.extend_exclude);
        let p = self.policy;
        Ok(Config {
            path: self.path,
            base: Settings {
                source_region: self.source_region.map(|(r, _)| r),
                source_registry: self.source_registry,
                destination_region: self.destination_region.map(|(r, _)| r),
                destination_registry: self.destination_registry,
                levels: self.levels,
                extra_regions: self.extra_regions,
                policy: OrgPolicy {
                    allowed_regions: p.allowed_regions,
                    denied_regions: p.denied_regions.unwrap_or_default(),
                    allowed_accounts: p.allowed_accounts,
                    max_unique_destinations: p.max_unique_destinations,
                    required_destinations: p.required_destinations,
                    require_registry_policies: p.require_registry_policies.unwrap_or(false),
                    require_creation_templates: p.require_creation_templates.unwrap_or(false),
                },
                unfixable,
                registry_policy_scope: self.registry_policy_scope.unwrap_or_default(),
                document: None,
                max_findings: self.max_findings,
                terraform_vars: self.terraform_vars,
                terraform_module: None,
                terraform_folder: None,
                terraform_folders: None,
            },
            overrides: self.overrides,
            baseline: self.baseline,
            exclude,
            chain,
            origins: self.origins,
        })
    }
}

/// Collects the mistakes of one configuration file.
struct ConfigChecker<'a> {
    path: &'a Path,
    text: Arc<str>,
    errors: Vec<ConfigError>,
}

impl ConfigChecker<'_> {
    fn error<T>(&mut self, value: &Spanned<T>, message: String, help: Option<String>) {
        let r = value.span();
        self.errors.push(ConfigError {
            path: self.path.to_path_buf(),
            text: self.text.clone(),
            span: Span::new(r.start, r.end),
            message,
            help,
        });
    }

    fn region(&mut self, value: &Spanned<String>, what: &str) -> Option<String> {
        let f = facts();
        let v = value.get_ref();
        if f.region_pattern.is_match(v) && f.partition_of(v).is_some() {
            return Some(v.clone());
        }
        self.error(
            value,
            format!("{what} `{v}` is not an AWS Region name"),
            Some("Region names look like \"us-west-2\"".into()),
        );
        None
    }

    fn account(&mut self, value: &Spanned<String>, what: &str) -> Option<String> {
        let v = value.get_ref();
        if facts().registry_id_pattern.is_match(v) {
            return Some(v.clone());
        }
        self.error(
            value,
            format!("{what} `{v}` is not a 12-digit account ID"),
            Some("write the account ID as a quoted string of 12 digits, such as \"012345678901\"".into()),
        );
        None
    }

    /// `[source]`: the Region and the registry's account.
    fn source(&mut self, source: &RawSource) -> (Option<String>, Option<String>) {
        let region = source.region.as_ref().and_then(|r| self.region(r, "source region"));
        let registry = source
            .registry_id
            .as_ref()
            .and_then(|r| self.account(r, "source registry-id"));
        (region, registry)
    }

    /// A rule named by code or name, or an error with the nearest one.
    fn rule(&mut self, rule: &Spanned<String>) -> Option<&'static rules::RuleMeta> {
        let found = rules::find(rule.get_ref());
        if found.is_none() {
            let names = rules::RULES.iter().flat_map(|r| [r.meta.code, r.meta.name]);
            let help = crate::text::nearest(rule.get_ref(), names)
                .map(|n| format!("did you mean `{n}`? `ecrlint rules` lists every rule"))
                .unwrap_or_else(|| "`ecrlint rules` lists every rule".into());
            self.error(rule, format!("unknown rule `{}`", rule.get_ref()), Some(help));
        }
        found
    }

    /// `[fix]`: the codes `fixable` lists (when set) and those `unfixable` lists.
    #[allow(clippy::type_complexity)]
    fn fix(&mut self, fix: &RawFix) -> (Option<Vec<&'static str>>, Option<Vec<&'static str>>) {
        let mut codes = |list: &Option<Vec<Spanned<String>>>| {
            list.as_ref()
                .map(|list| list.iter().filter_map(|r| self.rule(r)).map(|m| m.code).collect())
        };
        (codes(&fix.fixable), codes(&fix.unfixable))
    }

    /// `select`, `extend-select` and `ignore`, as levels.
    fn selection(&mut self, raw: &RawConfig) -> HashMap<&'static str, Level> {
        let mut parse = |list: &[Spanned<String>], ignore: bool| -> Vec<super::select::Selector> {
            list.iter()
                .filter_map(|s| {
                    let parsed = super::select::selector(s.get_ref()).and_then(|sel| {
                        if ignore {
                            super::select::check_ignorable(&sel).map(|()| sel)
                        } else {
                            Ok(sel)
                        }
                    });
                    match parsed {
                        Ok(sel) => Some(sel),
                        Err(why) => {
                            self.error(s, why, Some("`ecrlint rules` lists every rule".into()));
                            None
                        }
                    }
                })
                .collect()
        };
        let select = raw.select.as_deref().map(|l| parse(l, false));
        let extend_select = parse(&raw.extend_select, false);
        let ignore = parse(&raw.ignore, true);
        let mut levels = HashMap::new();
        if select.is_some() || !extend_select.is_empty() || !ignore.is_empty() {
            super::select::selection(select.as_deref(), &extend_select, &ignore).apply(&mut levels);
        }
        levels
    }

    fn levels(&mut self, pairs: &[(Spanned<String>, Spanned<String>)]) -> HashMap<&'static str, Level> {
        let mut levels = HashMap::new();
        for (rule, level) in pairs {
            let Some(meta) = self.rule(rule) else {
                continue;
            };
            match Level::parse(level.get_ref()) {
                Some(l) => match meta.accepts_level(l) {
                    Ok(()) => {
                        levels.insert(meta.code, l);
                    }
                    Err(why) => self.error(rule, why, Some(format!("remove the `{}` entry", rule.get_ref()))),
                },
                None => self.error(
                    level,
                    format!("`{}` is not a severity", level.get_ref()),
                    Some("use \"error\", \"warning\", \"info\" or \"off\"".into()),
                ),
            }
        }
        levels
    }

    /// `[policy]`.
    fn policy(&mut self, p: RawPolicy) -> PolicyLayer {
        let allowed_regions = p
            .allowed_regions
            .map(|v| v.iter().filter_map(|r| self.region(r, "allowed region")).collect());
        let denied_regions = p
            .denied_regions
            .map(|v| v.iter().filter_map(|r| self.region(r, "denied region")).collect());
        let allowed_accounts = p
            .allowed_accounts
            .map(|v| v.iter().filter_map(|a| self.account(a, "allowed account")).collect());
        let max_unique_destinations = p
            .max_unique_destinations
            .and_then(|m| match usize::try_from(*m.get_ref()) {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    self.error(&m, "max-unique-destinations must be a positive number".into(), None);
                    None
                }
            });
        let required_destinations = p
            .required_destinations
            .iter()
            .filter_map(|r| self.required(r))
            .collect();
        PolicyLayer {
            allowed_regions,
            denied_regions,
            allowed_accounts,
            max_unique_destinations,
            required_destinations,
            require_registry_policies: p.require_registry_policies,
            require_creation_templates: p.require_creation_templates,
        }
    }

    /// One `[[policy.required-destinations]]`; `None` when any part is wrong.
    fn required(&mut self, r: &RawRequired) -> Option<RequiredDestination> {
        let region = self.region(&r.region, "required destination region");
        let registry_id = self.account(&r.registry_id, "required destination registry-id");
        let repositories = r
            .repositories
            .as_ref()
            .map(|prefixes| prefixes.iter().filter_map(|p| self.repository_prefix(p)).collect());
        Some(RequiredDestination {
            region: region?,
            registry_id: registry_id?,
            repositories,
        })
    }

    fn repository_prefix(&mut self, prefix: &Spanned<String>) -> Option<String> {
        let p = prefix.get_ref();
        if facts().filter_pattern.is_match(p) && !p.is_empty() {
            return Some(p.clone());
        }
        self.error(
            prefix,
            format!("`{p}` is not a repository-name prefix"),
            Some("use lower-case letters, digits and single `.`, `_`, `-` or `/`".into()),
        );
        None
    }

    fn exclude_glob(&mut self, base: &Path, pattern: &Spanned<String>) -> Option<Exclude> {
        match Exclude::new(base, pattern.get_ref()) {
            Ok(e) => Some(e),
            Err(e) => {
                self.error(
                    pattern,
                    format!("invalid glob `{}`: {}", pattern.get_ref(), e.kind()),
                    Some(
                        "globs are relative to this file's folder, such as \"generated/**\" or \"*.local.json\"".into(),
                    ),
                );
                None
            }
        }
    }

    /// `[[overrides]]`, in order; one with a bad glob is left out.
    /// `policy-scope = "V1" | "V2"` of a `[registry]` table.
    fn policy_scope(&mut self, raw: &RawRegistry) -> Option<PolicyScope> {
        let value = raw.policy_scope.as_ref()?;
        let scope = PolicyScope::parse(value.get_ref());
        if scope.is_none() {
            let names: Vec<&str> = PolicyScope::ALL.iter().map(|s| s.as_str()).collect();
            let meant = crate::text::nearest(value.get_ref(), names.iter().copied())
                .map(|n| format!("did you mean \"{n}\"? "))
                .unwrap_or_default();
            self.error(
                value,
                format!("policy-scope `{}` is not a registry policy scope", value.get_ref()),
                Some(format!(
                    "{meant}the scopes are {} (`aws ecr get-account-setting --name {}` tells a registry's)",
                    crate::text::one_of(&names),
                    facts().registry_policy.scope_setting
                )),
            );
        }
        scope
    }

    /// `document = "registry-policy"` of an override.
    fn document(&mut self, value: &Spanned<String>) -> Option<DeclaredDocument> {
        let document = DeclaredDocument::parse(value.get_ref());
        if document.is_none() {
            let names: Vec<&str> = DeclaredDocument::ALL.iter().map(|d| d.as_str()).collect();
            self.error(
                value,
                format!(
                    "document `{}` is not a kind of document ecrlint can be told",
                    value.get_ref()
                ),
                Some(format!("the kinds are {}", crate::text::one_of(&names))),
            );
        }
        document
    }

    fn overrides(&mut self, raw: &[RawOverride]) -> Vec<Override> {
        let mut overrides = Vec::new();
        for o in raw {
            let mut builder = GlobSetBuilder::new();
            for g in &o.files {
                match Glob::new(g.get_ref()) {
                    Ok(glob) => {
                        builder.add(glob);
                    }
                    Err(e) => self.error(g, format!("invalid glob `{}`: {}", g.get_ref(), e.kind()), None),
                }
            }
            let levels = self.levels(&o.rules);
            let document = o.document.as_ref().and_then(|d| self.document(d));
            let registry_policy_scope = o.registry.as_ref().and_then(|r| self.policy_scope(r));
            if let Ok(globs) = builder.build() {
                overrides.push(Override {
                    base: super::normalize(self.path.parent().unwrap_or(Path::new("."))),
                    globs,
                    patterns: o.files.iter().map(|g| g.get_ref().clone()).collect(),
                    levels,
                    document,
                    registry_policy_scope,
                    max_findings: o.max_findings,
                });
            }
        }
        overrides
    }
}
