//! What the user asked for, as plain data: rule levels, the source Region
//! and registry, extra Regions, the organisation policy, and the overrides
//! given on the command line (or by an editor), which win over a
//! configuration file. At the bottom of the library: it imports nothing
//! but [`crate::diagnostic`], so the configuration loader, the rules, the
//! linter and any front end can all share it without an import circle.

use crate::diagnostic::Severity;
use std::collections::HashMap;

/// A rule's configured level: a severity, or off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    On(Severity),
}

impl Level {
    pub const ERROR: Level = Level::On(Severity::Error);
    pub const WARNING: Level = Level::On(Severity::Warning);
    pub const INFO: Level = Level::On(Severity::Info);

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::On(s) => s.as_str(),
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "off" => Some(Level::Off),
            "error" => Some(Level::ERROR),
            // ruff, ESLint and tflint users write `warn`.
            "warning" | "warn" => Some(Level::WARNING),
            "info" => Some(Level::INFO),
            _ => None,
        }
    }
}

/// Defined with the registry policies it governs (the model); a setting too.
pub use crate::document::policy::PolicyScope;

/// What a file is, when the user says so rather than leaving it to
/// recognition (`[[overrides]] document = "registry-policy"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DeclaredDocument {
    /// A registry permissions policy, even without the evidence recognition
    /// looks for (a V2 pull grant has no replication action and may have no
    /// `Resource`, just like a repository policy).
    RegistryPolicy,
}

impl DeclaredDocument {
    pub const ALL: [DeclaredDocument; 1] = [DeclaredDocument::RegistryPolicy];

    pub fn as_str(self) -> &'static str {
        match self {
            DeclaredDocument::RegistryPolicy => "registry-policy",
        }
    }

    pub fn parse(s: &str) -> Option<DeclaredDocument> {
        DeclaredDocument::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// What a file's name says it is: a JSON file named like
    /// `*registry*policy*.json` is a registry policy.
    pub fn by_name(file: &std::path::Path) -> Option<DeclaredDocument> {
        let name = file.file_name()?.to_str()?.to_ascii_lowercase();
        let stem = name.strip_suffix(".json")?;
        let after_registry = &stem[stem.find("registry")? + "registry".len()..];
        after_registry
            .contains("policy")
            .then_some(DeclaredDocument::RegistryPolicy)
    }
}

/// Organisation policy: the ECR4xx rules fire only for keys that are set.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrgPolicy {
    pub allowed_regions: Option<Vec<String>>,
    pub denied_regions: Vec<String>,
    pub allowed_accounts: Option<Vec<String>>,
    pub max_unique_destinations: Option<usize>,
    pub required_destinations: Vec<RequiredDestination>,
    /// A cross-account destination needs its registry policy among the
    /// linted files (ECR506 when it is missing).
    pub require_registry_policies: bool,
    /// A destination that replication creates repositories in needs a
    /// repository creation template for them among the linted files, even
    /// when none of its templates is (ECR705).
    pub require_creation_templates: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequiredDestination {
    pub region: String,
    pub registry_id: String,
    /// Prefixes that must reach the destination; `None`: every repository.
    pub repositories: Option<Vec<String>>,
}

/// What the user told us about one file: source context and rule levels.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Settings {
    pub source_region: Option<String>,
    pub source_registry: Option<String>,
    /// The registry the registry policies of these files belong to, when
    /// their ARNs do not say (`[destination]`).
    pub destination_registry: Option<String>,
    pub destination_region: Option<String>,
    /// Rule code → level, overriding the rule's default.
    pub levels: HashMap<&'static str, Level>,
    pub extra_regions: Vec<String>,
    pub policy: OrgPolicy,
    /// Codes of rules whose fixes are dropped (`[fix]` of `.ecrlint.toml`).
    pub unfixable: Vec<&'static str>,
    /// The registry policy scope of the registries these files' policies
    /// belong to, unless a file's own account setting says otherwise.
    pub registry_policy_scope: PolicyScope,
    /// What the user declared the file to be (`[[overrides]] document`).
    pub document: Option<DeclaredDocument>,
    /// Terraform variable values (`--var-file`, `--var`, `[terraform]`).
    pub terraform_vars: crate::document::module::Assignments,
    /// The Terraform module (folder) the file is read as part of.
    pub terraform_module: Option<crate::document::module::ModuleView>,
    /// The folder of the Terraform file linted, where the local module
    /// sources it names (`./modules/ecr`) are read from.
    pub terraform_folder: Option<std::path::PathBuf>,
    /// The run's local module folders, each read once (`None`: read afresh).
    pub terraform_folders: Option<std::sync::Arc<crate::document::module::Folders>>,
    /// Findings kept whole per file (`None` or 0: all); the others are
    /// counted (`rules::findings`). `max-findings` of `.ecrlint.toml`;
    /// the batch sets it from `--max-findings` or the default.
    pub max_findings: Option<usize>,
}

impl Settings {
    /// The level in force for the rule `code`, whose own default is `default`.
    pub fn level(&self, code: &str, default: Level) -> Level {
        self.levels.get(code).copied().unwrap_or(default)
    }
}

/// What a rule selection (`select`, `extend-select`, `ignore`) does to each
/// rule it touches; built and explained in `config::select`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    /// On: at the level already in force, or `default`, or (for a rule
    /// off by default) a warning.
    On {
        default: Level,
    },
    Off,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    pub choices: Vec<(&'static str, Choice)>,
}

impl Selection {
    /// `levels` (rule code → level; a rule absent is at its default) with
    /// this selection applied.
    pub fn apply(&self, levels: &mut HashMap<&'static str, Level>) {
        for &(code, choice) in &self.choices {
            let level = match choice {
                Choice::Off => Level::Off,
                Choice::On { default } => match levels.get(code).copied().unwrap_or(default) {
                    Level::Off if default == Level::Off => Level::WARNING,
                    Level::Off => default,
                    on => on,
                },
            };
            levels.insert(code, level);
        }
    }
}

/// Settings that win over any configuration file (command-line flags, or
/// an editor's), already checked by whoever built them.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub source_region: Option<String>,
    pub source_registry: Option<String>,
    /// `--select`, `--extend-select`, `--ignore`: applied before `levels`.
    pub selection: Option<Selection>,
    /// Rule code → level.
    pub levels: HashMap<&'static str, Level>,
    pub registry_policy_scope: Option<PolicyScope>,
    /// Terraform variable values (`--var-file`, `--var`): after the configuration's.
    pub terraform_vars: crate::document::module::Assignments,
}

impl Overrides {
    /// `settings` (rule defaults, or a configuration file's) with these on top.
    pub fn apply(&self, mut settings: Settings) -> Settings {
        if self.source_region.is_some() {
            settings.source_region = self.source_region.clone();
        }
        if self.source_registry.is_some() {
            settings.source_registry = self.source_registry.clone();
        }
        if let Some(scope) = self.registry_policy_scope {
            settings.registry_policy_scope = scope;
        }
        if let Some(selection) = &self.selection {
            selection.apply(&mut settings.levels);
        }
        settings.levels.extend(self.levels.iter().map(|(k, v)| (*k, *v)));
        let flags = &self.terraform_vars;
        settings
            .terraform_vars
            .var_files
            .extend(flags.var_files.iter().cloned());
        settings.terraform_vars.vars.extend(flags.vars.iter().cloned());
        settings
    }
}
