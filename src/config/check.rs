//! Checks a configuration read by [`super::raw`] value by value, turning
//! each mistake into a [`ConfigError`] at its span. Every value is
//! checked, so one run reports every mistake in the file.

use super::raw::{RawConfig, RawFix, RawOverride, RawPolicy, RawRequired, RawSource};
use super::{check_source_region, Config, ConfigError, Override};
use crate::facts::facts;
use crate::rules;
use crate::settings::{Level, OrgPolicy, RequiredDestination, Settings};
use crate::syntax::Span;
use globset::{Glob, GlobSetBuilder};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use toml::Spanned;

/// The checked configuration, or every mistake in it (in file order
/// within each table).
pub(super) fn config(path: &Path, text: Arc<str>, raw: RawConfig) -> Result<Config, Vec<ConfigError>> {
    let mut c = ConfigChecker {
        path,
        text,
        errors: Vec::new(),
    };
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
    let levels = c.levels(&raw.rules);
    let extra_regions: Vec<String> = raw
        .regions
        .map(|r| r.extra)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| c.region(r, "extra region"))
        .collect();
    if let (Some(region), Some(spanned)) = (&source_region, &source.region) {
        c.source_region_known(region, spanned, &extra_regions, "source");
    }
    if let (Some(region), Some(spanned)) = (&destination_region, &destination.region) {
        c.source_region_known(region, spanned, &extra_regions, "destination");
    }
    let unfixable = raw.fix.map(|f| c.unfixable(&f)).unwrap_or_default();
    let policy = raw.policy.map(|p| c.policy(p)).unwrap_or_default();
    let overrides = c.overrides(&raw.overrides);
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(Config {
        path: path.to_path_buf(),
        base: Settings {
            source_region,
            source_registry,
            destination_registry,
            destination_region,
            levels,
            extra_regions,
            policy,
            unfixable,
        },
        overrides,
    })
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

    /// A typo in the source Region would silently turn off the checks
    /// against it (ECR306, ECR307), one in the destination Region the check
    /// across files: it must be a known Region or an extra one.
    fn source_region_known(&mut self, region: &str, spanned: &Spanned<String>, extra_regions: &[String], what: &str) {
        if let Err(message) = check_source_region(region, extra_regions) {
            self.error(
                spanned,
                format!("{what} region {message}"),
                Some("a Region newer than ecrlint's list can be added to [regions] extra".into()),
            );
        }
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

    /// `[fix]`: the codes whose fixes are never applied nor offered.
    fn unfixable(&mut self, fix: &RawFix) -> Vec<&'static str> {
        let fixable: Option<Vec<&'static str>> = fix
            .fixable
            .as_ref()
            .map(|list| list.iter().filter_map(|r| self.rule(r)).map(|m| m.code).collect());
        let mut unfixable: Vec<&'static str> = fix
            .unfixable
            .iter()
            .filter_map(|r| self.rule(r))
            .map(|m| m.code)
            .collect();
        if let Some(fixable) = fixable {
            unfixable.extend(
                rules::RULES
                    .iter()
                    .map(|r| r.meta.code)
                    .filter(|c| !fixable.contains(c)),
            );
        }
        unfixable.sort_unstable();
        unfixable.dedup();
        unfixable
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
    fn policy(&mut self, p: RawPolicy) -> OrgPolicy {
        let allowed_regions = p
            .allowed_regions
            .map(|v| v.iter().filter_map(|r| self.region(r, "allowed region")).collect());
        let denied_regions = p
            .denied_regions
            .iter()
            .filter_map(|r| self.region(r, "denied region"))
            .collect();
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
        OrgPolicy {
            allowed_regions,
            denied_regions,
            allowed_accounts,
            max_unique_destinations,
            required_destinations,
            require_registry_policies: p.require_registry_policies.unwrap_or(false),
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

    /// `[[overrides]]`, in order; one with a bad glob is left out.
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
            if let Ok(globs) = builder.build() {
                overrides.push(Override {
                    globs,
                    patterns: o.files.iter().map(|g| g.get_ref().clone()).collect(),
                    levels,
                });
            }
        }
        overrides
    }
}
