//! `.ecrlint.toml`: where a configuration is applied, rule levels, extra
//! Regions, organisation policy and per-path overrides. Every value is
//! checked with its span, so a mistake in the file is reported like a
//! finding: file:line:col, snippet, help.

use crate::facts::facts;
use crate::rules;
use crate::settings::{Level, OrgPolicy, Overrides, RequiredDestination, Settings};
use crate::syntax::Span;
use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use toml::Spanned;

pub const FILE_NAME: &str = ".ecrlint.toml";

/// A mistake in a configuration file, with the span of the value at fault.
#[derive(Debug, Clone)]
pub struct ConfigError {
    pub path: PathBuf,
    /// The whole file, shared by all of its errors (thousands of errors
    /// must not each hold a copy).
    pub text: Arc<str>,
    pub span: Span,
    pub message: String,
    pub help: Option<String>,
}

/// One loaded configuration file.
#[derive(Debug)]
pub struct Config {
    pub path: PathBuf,
    /// The settings of every file it governs, before `[[overrides]]`.
    pub base: Settings,
    overrides: Vec<Override>,
}

#[derive(Debug)]
struct Override {
    globs: GlobSet,
    patterns: Vec<String>,
    levels: HashMap<&'static str, Level>,
}

impl Config {
    /// The directory that relative paths in the file are relative to.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The settings for a file: the base, with the levels of every matching
    /// `[[overrides]]` in order. Returns the matching override patterns too.
    pub fn settings_for(&self, file: &Path) -> (Settings, Vec<String>) {
        let mut settings = self.base.clone();
        let mut matched = Vec::new();
        let relative = relative_to(file, self.dir());
        for o in &self.overrides {
            if o.globs.is_match(&relative) {
                settings.levels.extend(o.levels.iter().map(|(k, v)| (*k, *v)));
                matched.extend(o.patterns.iter().cloned());
            }
        }
        (settings, matched)
    }
}

/// `file` relative to `dir` when it lies inside it (both made absolute).
fn relative_to(file: &Path, dir: &Path) -> PathBuf {
    let abs = |p: &Path| std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let (file, dir) = (abs(file), abs(dir));
    file.strip_prefix(&dir).map(Path::to_path_buf).unwrap_or(file)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    source: Option<RawSource>,
    #[serde(default, deserialize_with = "pairs::deserialize")]
    rules: pairs::Pairs,
    regions: Option<RawRegions>,
    policy: Option<RawPolicy>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSource {
    region: Option<Spanned<String>>,
    registry_id: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRegions {
    #[serde(default)]
    extra: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPolicy {
    allowed_regions: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    denied_regions: Vec<Spanned<String>>,
    allowed_accounts: Option<Vec<Spanned<String>>>,
    max_unique_destinations: Option<Spanned<i64>>,
    #[serde(default)]
    required_destinations: Vec<RawRequired>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawRequired {
    region: Spanned<String>,
    registry_id: Spanned<String>,
    repositories: Option<Vec<Spanned<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    files: Vec<Spanned<String>>,
    #[serde(default, deserialize_with = "pairs::deserialize")]
    rules: pairs::Pairs,
}

/// Tables such as `[rules]` are read as ordered (key, value) pairs so each
/// key keeps its span; serde sees a map, this adapter lists it.
mod pairs {
    use serde::de::{Deserializer, MapAccess, Visitor};
    use std::fmt;
    use toml::Spanned;

    pub type Pairs = Vec<(Spanned<String>, Spanned<String>)>;

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Pairs, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Pairs;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of RULE = \"error\" | \"warning\" | \"info\" | \"off\"")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Pairs, A::Error> {
                let mut out = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    out.push(entry);
                }
                Ok(out)
            }
        }
        d.deserialize_map(V)
    }
}

struct Checker<'a> {
    path: &'a Path,
    text: Arc<str>,
    errors: Vec<ConfigError>,
}

impl Checker<'_> {
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

    fn levels(&mut self, pairs: &[(Spanned<String>, Spanned<String>)]) -> HashMap<&'static str, Level> {
        let mut levels = HashMap::new();
        for (rule, level) in pairs {
            let Some(meta) = rules::find(rule.get_ref()) else {
                let names = rules::RULES.iter().flat_map(|r| [r.meta.code, r.meta.name]);
                let help = crate::text::nearest(rule.get_ref(), names)
                    .map(|n| format!("did you mean `{n}`? `ecrlint rules` lists every rule"))
                    .unwrap_or_else(|| "`ecrlint rules` lists every rule".into());
                self.error(rule, format!("unknown rule `{}`", rule.get_ref()), Some(help));
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
}

/// Largest configuration file read: a real one is a few kilobytes.
const MAX_CONFIG_SIZE: u64 = 1 << 20;

/// Reads a configuration file: a regular file (a device or pipe could
/// block or never end) of at most [`MAX_CONFIG_SIZE`] bytes of UTF-8.
fn read_config(path: &Path) -> std::io::Result<String> {
    use std::io::Read;
    let not_regular = || std::io::Error::other("not a regular file");
    if !std::fs::metadata(path)?.is_file() {
        return Err(not_regular());
    }
    let file = std::fs::File::open(path)?;
    if !file.metadata()?.is_file() {
        return Err(not_regular());
    }
    let mut bytes = Vec::new();
    file.take(MAX_CONFIG_SIZE + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_SIZE {
        return Err(std::io::Error::other(
            "larger than 1 MiB; a configuration is a few kilobytes",
        ));
    }
    String::from_utf8(bytes).map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "not UTF-8 text"))
}

/// Reads and checks one configuration file.
pub fn load(path: &Path) -> Result<Config, Vec<ConfigError>> {
    let text = read_config(path).map_err(|e| {
        vec![ConfigError {
            path: path.to_path_buf(),
            text: Arc::from(""),
            span: Span::default(),
            message: format!("cannot read the configuration: {e}"),
            help: None,
        }]
    })?;
    parse(path, &text)
}

pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<ConfigError>> {
    let shared: Arc<str> = Arc::from(text);
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let span = e.span().map(|r| Span::new(r.start, r.end)).unwrap_or_default();
        vec![ConfigError {
            path: path.to_path_buf(),
            text: shared.clone(),
            span,
            message: e.message().trim().to_string(),
            help: Some(format!(
                "the keys of {FILE_NAME} are [source], [rules], [regions], [policy] and [[overrides]]"
            )),
        }]
    })?;
    let mut c = Checker {
        path,
        text: shared.clone(),
        errors: Vec::new(),
    };
    let source = raw.source.unwrap_or(RawSource {
        region: None,
        registry_id: None,
    });
    let source_region = source.region.as_ref().and_then(|r| c.region(r, "source region"));
    let source_registry = source
        .registry_id
        .as_ref()
        .and_then(|r| c.account(r, "source registry-id"));
    let levels = c.levels(&raw.rules);
    let extra_regions: Vec<String> = raw
        .regions
        .map(|r| r.extra)
        .unwrap_or_default()
        .iter()
        .filter_map(|r| c.region(r, "extra region"))
        .collect();
    // A typo here would silently turn off the checks against the source
    // Region (ECR306, ECR307): it must be a known Region or an extra one.
    if let (Some(region), Some(spanned)) = (&source_region, &source.region) {
        if let Err(message) = check_source_region(region, &extra_regions) {
            c.error(
                spanned,
                format!("source region {message}"),
                Some("a Region newer than ecrlint's list can be added to [regions] extra".into()),
            );
        }
    }
    let policy = match raw.policy {
        None => OrgPolicy::default(),
        Some(p) => {
            let allowed_regions = p
                .allowed_regions
                .map(|v| v.iter().filter_map(|r| c.region(r, "allowed region")).collect());
            let denied_regions = p
                .denied_regions
                .iter()
                .filter_map(|r| c.region(r, "denied region"))
                .collect();
            let allowed_accounts = p
                .allowed_accounts
                .map(|v| v.iter().filter_map(|a| c.account(a, "allowed account")).collect());
            let max_unique_destinations = p
                .max_unique_destinations
                .and_then(|m| match usize::try_from(*m.get_ref()) {
                    Ok(n) if n > 0 => Some(n),
                    _ => {
                        c.error(&m, "max-unique-destinations must be a positive number".into(), None);
                        None
                    }
                });
            let required_destinations = p
                .required_destinations
                .iter()
                .filter_map(|r| {
                    let region = c.region(&r.region, "required destination region");
                    let registry_id = c.account(&r.registry_id, "required destination registry-id");
                    let repositories = r.repositories.as_ref().map(|reps| {
                        reps.iter()
                            .filter_map(|p| {
                                if facts().filter_pattern.is_match(p.get_ref()) && !p.get_ref().is_empty() {
                                    Some(p.get_ref().clone())
                                } else {
                                    c.error(
                                        p,
                                        format!("`{}` is not a repository-name prefix", p.get_ref()),
                                        Some("use lower-case letters, digits and single `.`, `_`, `-` or `/`".into()),
                                    );
                                    None
                                }
                            })
                            .collect()
                    });
                    Some(RequiredDestination {
                        region: region?,
                        registry_id: registry_id?,
                        repositories,
                    })
                })
                .collect();
            OrgPolicy {
                allowed_regions,
                denied_regions,
                allowed_accounts,
                max_unique_destinations,
                required_destinations,
            }
        }
    };
    let mut overrides = Vec::new();
    for o in &raw.overrides {
        let mut builder = GlobSetBuilder::new();
        for g in &o.files {
            match Glob::new(g.get_ref()) {
                Ok(glob) => {
                    builder.add(glob);
                }
                Err(e) => c.error(g, format!("invalid glob `{}`: {}", g.get_ref(), e.kind()), None),
            }
        }
        let levels = c.levels(&o.rules);
        if let Ok(globs) = builder.build() {
            overrides.push(Override {
                globs,
                patterns: o.files.iter().map(|g| g.get_ref().clone()).collect(),
                levels,
            });
        }
    }
    if !c.errors.is_empty() {
        return Err(c.errors);
    }
    Ok(Config {
        path: path.to_path_buf(),
        base: Settings {
            source_region,
            source_registry,
            levels,
            extra_regions,
            policy,
        },
        overrides,
    })
}

/// `Ok` when `region` is a known Region or one of `extra`; else what is
/// wrong with it (`` `us-esat-1` is not a known Region; did you mean `us-east-1`?``).
pub fn check_source_region(region: &str, extra: &[String]) -> Result<(), String> {
    let f = facts();
    if f.region(region).is_some() || extra.iter().any(|r| r == region) {
        return Ok(());
    }
    let candidates = f.known_regions().chain(extra.iter().map(String::as_str));
    let suggestion = crate::text::nearest(region, candidates)
        .map(|r| format!("; did you mean `{r}`?"))
        .unwrap_or_default();
    Err(format!(
        "`{}` is not a known Region{suggestion}",
        crate::text::escape_hidden(region)
    ))
}

/// Which configuration applies to each linted file.
pub enum Mode {
    /// `--isolated`: none.
    Isolated,
    /// `--config PATH`: this one for every file.
    Explicit(std::sync::Arc<Config>),
    /// The closest `.ecrlint.toml` above each file.
    Discover,
}

/// The settings for one file, and where they came from (for `ecrlint config`).
pub struct Resolved {
    pub settings: Settings,
    pub config: Option<Arc<Config>>,
    /// The `[[overrides]]` patterns that matched the file.
    pub overrides: Vec<String>,
}

/// A configuration file, loaded or with the errors it has.
type Loaded = Result<std::sync::Arc<Config>, Vec<ConfigError>>;

/// Finds and loads configuration files once each, from any thread.
pub struct Resolver {
    mode: Mode,
    /// Directory → the configuration file that governs it, if any.
    found: std::sync::Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Configuration file → loaded, or the errors it has.
    loaded: std::sync::Mutex<HashMap<PathBuf, Loaded>>,
}

impl Resolver {
    pub fn new(mode: Mode) -> Self {
        Resolver {
            mode,
            found: Default::default(),
            loaded: Default::default(),
        }
    }

    /// The configuration for a file (by its real or `--stdin-filename` path).
    /// `Err` carries the broken file's path: its errors are in [`Resolver::errors`].
    pub fn for_file(&self, file: &Path) -> Result<Option<std::sync::Arc<Config>>, PathBuf> {
        match &self.mode {
            Mode::Isolated => Ok(None),
            Mode::Explicit(c) => Ok(Some(c.clone())),
            Mode::Discover => {
                let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
                let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
                let Some(path) = self.find(&dir) else { return Ok(None) };
                let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
                let entry = loaded
                    .entry(path.clone())
                    .or_insert_with(|| load(&path).map(std::sync::Arc::new));
                entry.as_ref().map(|c| Some(c.clone())).map_err(|_| path)
            }
        }
    }

    /// The settings for a file: rule defaults, then its configuration (with
    /// the `[[overrides]]` matching it), then `overrides`, which win.
    /// `Err` carries the broken configuration's path, as for [`Resolver::for_file`].
    pub fn resolve(&self, file: &Path, overrides: &Overrides) -> Result<Resolved, PathBuf> {
        let config = self.for_file(file)?;
        let (settings, matched) = match &config {
            Some(c) => c.settings_for(file),
            None => (Settings::default(), Vec::new()),
        };
        Ok(Resolved {
            settings: overrides.apply(settings),
            config,
            overrides: matched,
        })
    }

    /// The closest configuration file at or above `dir`; stops at the root.
    fn find(&self, dir: &Path) -> Option<PathBuf> {
        let mut found = self.found.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(hit) = found.get(dir) {
            return hit.clone();
        }
        // Whatever form it takes (a broken or circular link, a folder), the
        // nearest one is the one in force: loading it reports what is wrong,
        // rather than a parent's configuration silently applying instead.
        let hit = dir
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| std::fs::symlink_metadata(p).is_ok());
        found.insert(dir.to_path_buf(), hit.clone());
        hit
    }

    /// Every error of every configuration file loaded so far, in path order.
    pub fn errors(&self) -> Vec<ConfigError> {
        let loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        let mut broken: Vec<_> = loaded
            .iter()
            .filter_map(|(p, r)| r.as_ref().err().map(|e| (p, e)))
            .collect();
        broken.sort_by_key(|(p, _)| p.to_path_buf());
        broken.into_iter().flat_map(|(_, e)| e.iter().cloned()).collect()
    }
}
