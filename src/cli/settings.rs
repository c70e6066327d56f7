//! The settings flags (`--rule`, `--source-region`, `--config`, …), checked
//! into [`Overrides`] and a [`Resolver`], and `ecrlint config`, which shows
//! the settings in force for a file and where each came from. Resolution
//! itself (defaults, then the closest `.ecrlint.toml`, then the flags, which
//! win) is the library's [`Resolver::resolve`].

use super::{usage_error, EXIT_OK, EXIT_TROUBLE};
use crate::config::{self, ConfigError, Mode, Requested, Resolver};
// Checked where the language server checks its options too.
pub use crate::config::check_source_region;
use crate::diagnostic::Diagnostic;
use crate::render::{human, FileResult};
use crate::rules;
use crate::settings::Overrides;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(clap::Args)]
pub struct SettingsArgs {
    /// Region the configuration is applied in (enables ECR306 and ECR307 checks against it)
    #[arg(long, value_name = "REGION")]
    pub source_region: Option<String>,
    /// Account ID of the source registry (enables ECR306, ECR312)
    #[arg(long, value_name = "ACCOUNT_ID")]
    pub source_registry_id: Option<String>,
    /// Set a rule's severity: RULE=error|warning|info|off (code or name; repeatable)
    #[arg(long = "rule", value_name = "RULE=LEVEL")]
    pub rules: Vec<String>,
    /// Turn on only these rules: codes, names, code prefixes (ECR2) or ALL; comma lists
    /// (replaces the configuration's selection)
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub select: Option<Vec<String>>,
    /// Turn these rules on too (codes, names, prefixes or ALL; comma lists)
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Turn these rules off (codes, names, prefixes or ALL; comma lists)
    #[arg(long, value_name = "RULES", value_delimiter = ',')]
    pub ignore: Vec<String>,
    /// Registry policy scope of the registries whose policies are linted (V2 unless an account setting in the files says otherwise)
    #[arg(long, value_name = "SCOPE", value_parser = ["V1", "V2"])]
    pub registry_policy_scope: Option<String>,
    /// A file of Terraform variable values, as `terraform plan -var-file` takes it (repeatable)
    #[arg(long = "var-file", value_name = "FILE")]
    pub var_files: Vec<PathBuf>,
    /// A Terraform variable's value, as `terraform plan -var` takes it (repeatable; wins over --var-file)
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// Use this configuration file for every file instead of discovering .ecrlint.toml
    #[arg(long, value_name = "PATH", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore every configuration file
    #[arg(long)]
    pub isolated: bool,
}

impl SettingsArgs {
    /// The flags as written, for the library to check.
    pub fn requested(&self) -> Requested {
        Requested {
            source_region: self.source_region.clone(),
            source_registry_id: self.source_registry_id.clone(),
            rules: self.rules.clone(),
            select: self.select.clone(),
            extend_select: self.extend_select.clone(),
            ignore: self.ignore.clone(),
            registry_policy_scope: self.registry_policy_scope.clone(),
            var_files: self.var_files.clone(),
            vars: self.vars.clone(),
        }
    }

    /// What the flags say, checked once.
    pub fn overrides(&self) -> Result<Overrides, String> {
        self.requested().overrides()
    }

    /// The resolver, or the errors of an explicit `--config` file.
    pub fn resolver(&self) -> Result<Resolver, Vec<ConfigError>> {
        Ok(Resolver::new(if self.isolated {
            Mode::Isolated
        } else if let Some(path) = &self.config {
            Mode::Explicit(Arc::new(config::load(path)?))
        } else {
            Mode::Discover
        }))
    }
}

/// Configuration errors rendered like findings (file:line:col and snippet),
/// each file's text once however many errors it has.
pub fn render_config_errors(errors: &[ConfigError], color: bool) -> String {
    let mut files: Vec<FileResult> = Vec::new();
    // The shared text of the last file, to tell when the next error is in another.
    let mut current: Option<&Arc<str>> = None;
    for e in errors {
        let diagnostic = Diagnostic {
            code: "config",
            rule: "invalid-configuration",
            severity: crate::diagnostic::Severity::Error,
            message: e.message.clone(),
            label: "here".into(),
            span: e.span,
            pointer: String::new(),
            labels: Vec::new(),
            help: e.help.clone(),
            fix: None,
        };
        match files.last_mut() {
            Some(f) if current.is_some_and(|text| Arc::ptr_eq(text, &e.text)) => f.diagnostics.push(diagnostic),
            _ => files.push({
                // Relative to the current folder, as findings' paths are.
                let path = e.shown_path();
                FileResult {
                    path: path.display().to_string(),
                    path_bytes: path
                        .to_str()
                        .is_none()
                        .then(|| path.as_os_str().as_encoded_bytes().to_vec()),
                    text: e.text.to_string(),
                    document: None,
                    diagnostics: vec![diagnostic],
                    error: None,
                    fixed: None,
                    omitted: Default::default(),
                }
            }),
        }
        current = Some(&e.text);
    }
    human::render(
        &files,
        &human::HumanOptions {
            color,
            width: human::terminal_width(),
        },
    )
}

/// `ecrlint config [FILE]`: the settings in force and their origin; with no
/// file, those of the current folder (its own files, before `[[overrides]]`).
pub fn show(args: &SettingsArgs, named: Option<&Path>) -> i32 {
    // A name for resolution alone, never shown: where a file of this folder would be.
    let file = named.unwrap_or(Path::new("./-"));
    let overrides = match args.overrides() {
        Ok(f) => f,
        Err(e) => return usage_error(&e),
    };
    let resolver = match args.resolver() {
        Ok(r) => r,
        Err(errors) => {
            to_stderr!("{}", render_config_errors(&errors, false));
            return EXIT_TROUBLE;
        }
    };
    if let Err(e) = check_source_region(&overrides, &resolver) {
        return usage_error(&e);
    }
    let resolved = match resolver.resolve(file, &overrides) {
        Ok(r) => r,
        Err(_) => {
            to_stderr!("{}", render_config_errors(&resolver.errors(), false));
            return EXIT_TROUBLE;
        }
    };
    let s = &resolved.settings;
    let c = resolved.config.as_deref();
    // Where a value came from: the command line, the configuration (which
    // file of an `extend` chain), or nowhere (a default).
    let origin = |flag: bool, key: &str| -> String {
        if flag {
            " (command line)".into()
        } else {
            c.filter(|c| c.origins.contains_key(key))
                .map(|c| format!(" ({})", crate::text::escape_hidden(&c.origin_of(key))))
                .unwrap_or_default()
        }
    };
    let mut out = match named {
        Some(file) => format!("settings for {}\n", crate::text::escape_path(file)),
        None => "settings for files in the current folder (name a file to apply [[overrides]])\n".to_string(),
    };
    let config_line = match (&resolved.config, args.isolated) {
        (_, true) => "none (--isolated)".to_string(),
        (Some(c), _) => {
            let shown: Vec<String> = c
                .chain
                .iter()
                .map(|p| crate::text::escape_hidden(&config::shown(p)).into_owned())
                .collect();
            match shown.split_first() {
                Some((first, rest)) if !rest.is_empty() => {
                    format!("{first} (extends {})", rest.join(", which extends "))
                }
                _ => crate::text::escape_path(&c.path),
            }
        }
        (None, _) => format!("none ({} not found in this folder or above)", config::FILE_NAME),
    };
    out.push_str(&format!("configuration file: {config_line}\n"));
    let exclude = match c {
        Some(c) => c.exclude.iter().map(|e| e.describe()).collect::<Vec<_>>().join(", "),
        None => format!("{} (default)", config::default_exclude_described()),
    };
    out.push_str(&format!(
        "exclude in directory walks: {}\n",
        crate::text::escape_hidden(if exclude.is_empty() { "nothing" } else { &exclude })
    ));
    let baseline = c.and_then(|c| c.baseline.as_deref()).map_or_else(
        || "not set".to_string(),
        |b| crate::text::escape_path(&config::ConfigError::shown(b)),
    );
    out.push_str(&format!("baseline: {baseline}{}\n", origin(false, "baseline.file")));
    let value = |v: &Option<String>| v.clone().unwrap_or_else(|| "not set".into());
    out.push_str(&format!(
        "source region: {}{}\n",
        value(&s.source_region),
        origin(overrides.source_region.is_some(), "source.region")
    ));
    out.push_str(&format!(
        "source registry-id: {}{}\n",
        value(&s.source_registry),
        origin(overrides.source_registry.is_some(), "source.registry-id")
    ));
    // A file's own account setting wins for its policies, as when linting.
    let own_scope = named
        .and_then(|file| std::fs::read(file).ok())
        .and_then(|bytes| crate::lint::policy_scope_in(&bytes, crate::syntax::ReadAs::for_path(file)));
    let scope = own_scope.unwrap_or(s.registry_policy_scope);
    let scope_origin = if own_scope.is_some() {
        " (aws_ecr_account_setting in this file)".to_string()
    } else if overrides.registry_policy_scope.is_some() {
        " (command line)".to_string()
    } else if c.is_some_and(|c| c.base.registry_policy_scope != s.registry_policy_scope) {
        " ([[overrides]])".to_string()
    } else if c.is_some_and(|c| c.origins.contains_key("registry.policy-scope")) {
        origin(false, "registry.policy-scope")
    } else {
        " (default)".to_string()
    };
    out.push_str(&format!("registry policy scope: {}{scope_origin}\n", scope.as_str()));
    // Said only when set: `check --max-findings` wins over it.
    if let Some(max) = s.max_findings {
        let shown = if max == 0 {
            "0 (all)".to_string()
        } else {
            max.to_string()
        };
        let max_origin = if c.is_some_and(|c| c.base.max_findings != s.max_findings) {
            " ([[overrides]])".to_string()
        } else {
            origin(false, "max-findings")
        };
        out.push_str(&format!("max-findings: {shown}{max_origin}\n"));
    }
    if let Some(document) = s.document {
        let declared_by = match c.and_then(|c| c.settings_for(file).0.document) {
            Some(_) => "[[overrides]]",
            None => "file name",
        };
        out.push_str(&format!("document: {} ({declared_by})\n", document.as_str()));
    }
    if s.destination_registry.is_some() || s.destination_region.is_some() {
        out.push_str(&format!(
            "destination registry-id: {}, region: {} (configuration file)\n",
            value(&s.destination_registry),
            value(&s.destination_region)
        ));
    }
    if !s.extra_regions.is_empty() {
        out.push_str(&format!(
            "extra regions: {} (configuration file)\n",
            s.extra_regions.join(", ")
        ));
    }
    if !s.unfixable.is_empty() {
        out.push_str(&format!("unfixable: {} (configuration file)\n", s.unfixable.join(", ")));
    }
    if !resolved.overrides.is_empty() {
        let globs = resolved.overrides.join(", ");
        out.push_str(&format!("matching overrides: {}\n", crate::text::escape_hidden(&globs)));
    }
    out.push_str("rules:\n");
    for r in rules::RULES {
        let level = s.level(r.meta.code, r.meta.default);
        let key = format!("rules.{}", r.meta.code);
        let selected_here = overrides
            .selection
            .as_ref()
            .is_some_and(|sel| sel.choices.iter().any(|(code, _)| *code == r.meta.code));
        let why = if overrides.levels.contains_key(r.meta.code) || selected_here {
            " (command line)".to_string()
        } else if c.is_some_and(|c| c.base.levels.get(r.meta.code) != s.levels.get(r.meta.code)) {
            " ([[overrides]])".to_string()
        } else if s.levels.contains_key(r.meta.code) {
            origin(false, &key)
        } else {
            String::new()
        };
        out.push_str(&format!(
            "  {} {:<30} {}{why}\n",
            r.meta.code,
            r.meta.name,
            level.as_str()
        ));
    }
    let p = &s.policy;
    if *p != Default::default() {
        out.push_str("policy:\n");
        if let Some(a) = &p.allowed_regions {
            out.push_str(&format!("  allowed-regions: {}\n", a.join(", ")));
        }
        if !p.denied_regions.is_empty() {
            out.push_str(&format!("  denied-regions: {}\n", p.denied_regions.join(", ")));
        }
        if let Some(a) = &p.allowed_accounts {
            out.push_str(&format!("  allowed-accounts: {}\n", a.join(", ")));
        }
        if let Some(m) = p.max_unique_destinations {
            out.push_str(&format!("  max-unique-destinations: {m}\n"));
        }
        if p.require_registry_policies {
            out.push_str("  require-registry-policies: true\n");
        }
        if p.require_creation_templates {
            out.push_str("  require-creation-templates: true\n");
        }
        for r in &p.required_destinations {
            let reps = r
                .repositories
                .as_ref()
                .map_or("every repository".to_string(), |r| r.join(", "));
            out.push_str(&format!(
                "  required destination: {} / {} ({reps})\n",
                r.region, r.registry_id
            ));
        }
    }
    super::output::print(&out, EXIT_OK)
}
