//! The settings a user asks for from outside `.ecrlint.toml` (the command
//! line's flags, an editor's options), as written, checked into
//! [`Overrides`]. The command line and the language server both parse them
//! here, so their messages name the flags alike.

use super::Resolver;
use crate::settings::{Level, Overrides, PolicyScope};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Settings as written: `RULE=LEVEL` specs, selectors, Terraform variables.
#[derive(Clone, Debug, Default)]
pub struct Requested {
    pub source_region: Option<String>,
    pub source_registry_id: Option<String>,
    /// `RULE=LEVEL`, or comma lists of them.
    pub rules: Vec<String>,
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
    pub registry_policy_scope: Option<String>,
    pub var_files: Vec<PathBuf>,
    /// `NAME=VALUE`.
    pub vars: Vec<String>,
}

impl Requested {
    /// What they say, checked once; the error names the flag.
    pub fn overrides(&self) -> Result<Overrides, String> {
        // Facts only when there is something to check against them: a plain
        // run loads them on another thread while this one reads its files
        // (see `schema::prepare_in_background`).
        let facts = crate::facts::facts;
        if let Some(id) = &self.source_registry_id {
            if !facts().registry_id_pattern.is_match(id) {
                return Err(format!("--source-registry-id `{id}` is not a 12-digit account ID"));
            }
        }
        if let Some(region) = &self.source_region {
            if facts().partition_of(region).is_none() || !facts().region_pattern.is_match(region) {
                return Err(format!("--source-region `{region}` is not an AWS Region name"));
            }
        }
        let mut levels = HashMap::new();
        // `--rule A=off,B=info` sets several; levels in any case. An empty
        // value or list entry is a mistake (a shell variable left unset), not
        // nothing to set.
        for spec in self.rules.iter().flat_map(|r| r.split(',')) {
            let (rule, level) = spec
                .split_once('=')
                .ok_or_else(|| format!("--rule `{spec}`: expected RULE=LEVEL, such as ECR310=info"))?;
            let rule = rule.trim();
            let meta = crate::rules::find(rule).ok_or_else(|| {
                let names = crate::rules::RULES.iter().flat_map(|r| [r.meta.code, r.meta.name]);
                match crate::text::nearest(rule, names) {
                    Some(n) => {
                        format!("--rule `{spec}`: no rule `{rule}`; did you mean `{n}`? (`ecrlint rules` lists them)")
                    }
                    None => format!("--rule `{spec}`: no rule `{rule}` (`ecrlint rules` lists them)"),
                }
            })?;
            let level = Level::parse(&level.trim().to_ascii_lowercase())
                .ok_or_else(|| format!("--rule `{spec}`: `{level}` is not one of error, warning, info, off"))?;
            meta.accepts_level(level)
                .map_err(|why| format!("--rule `{spec}`: {why}"))?;
            levels.insert(meta.code, level);
        }
        let vars = self
            .vars
            .iter()
            .map(|spec| match spec.split_once('=') {
                Some((name, value)) if !name.trim().is_empty() => Ok((name.trim().to_string(), value.to_string())),
                _ => Err(format!("--var `{spec}`: expected NAME=VALUE, such as region=us-east-1")),
            })
            .collect::<Result<_, _>>()?;
        let parse = |flag: &str, list: &[String]| -> Result<Vec<super::select::Selector>, String> {
            list.iter()
                .map(|s| super::select::selector(s).map_err(|why| format!("--{flag} {why}")))
                .collect()
        };
        let select = self.select.as_deref().map(|l| parse("select", l)).transpose()?;
        let extend_select = parse("extend-select", &self.extend_select)?;
        let ignore = parse("ignore", &self.ignore)?;
        for (selector, text) in ignore.iter().zip(&self.ignore) {
            super::select::check_ignorable(selector).map_err(|why| format!("--ignore `{text}`: {why}"))?;
        }
        let selection = (select.is_some() || !extend_select.is_empty() || !ignore.is_empty())
            .then(|| super::select::selection(select.as_deref(), &extend_select, &ignore));
        Ok(Overrides {
            selection,
            terraform_vars: crate::document::module::Assignments {
                var_files: self.var_files.clone(),
                vars,
            },
            source_region: self.source_region.clone(),
            source_registry: self.source_registry_id.clone(),
            levels,
            registry_policy_scope: self
                .registry_policy_scope
                .as_deref()
                .map(|scope| {
                    PolicyScope::parse(scope).ok_or_else(|| {
                        format!("--registry-policy-scope `{scope}` is not a registry policy scope (V1 or V2)")
                    })
                })
                .transpose()?,
        })
    }
}

/// `--source-region` must be a known Region, or an `extra` one of the
/// configuration in force in the current folder: a typo would silently
/// turn off the checks against it (ECR306, ECR307).
pub fn check_source_region(overrides: &Overrides, resolver: &Resolver) -> Result<(), String> {
    let Some(region) = &overrides.source_region else {
        return Ok(());
    };
    let extra = match resolver.for_file(Path::new("replication.json")) {
        Ok(Some(config)) => config.base.extra_regions.clone(),
        _ => Vec::new(),
    };
    super::check_known_region(region, &extra).map_err(|m| {
        format!(
            "--source-region {m} (a Region newer than ecrlint's list can be added to [regions] extra in {})",
            super::FILE_NAME
        )
    })
}
