//! `.ecrlint.toml`: where a configuration is applied, rule levels, extra
//! Regions, organisation policy and per-path overrides. Every value is
//! checked with its span, so a mistake in the file is reported like a
//! finding: file:line:col, snippet, help.
//!
//! [`load`] and [`parse`] read one file: `raw` is its TOML layout,
//! `check` turns that into a [`Config`] or errors, and `resolver`
//! decides which file governs each linted file.

mod check;
mod extend;
mod raw;
mod requested;
mod resolver;
pub mod select;
mod wording;

pub use extend::shown;
pub use requested::{check_source_region, Requested};
pub use resolver::{Mode, Resolved, Resolver};

use crate::facts::facts;
use crate::settings::{DeclaredDocument, Level, PolicyScope, Settings};
use crate::syntax::Span;
use globset::GlobSet;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub const FILE_NAME: &str = ".ecrlint.toml";

/// What directory walks pass over unless a configuration's `exclude`
/// replaces the list (ruff's semantics; `extend-exclude` adds to it): each
/// pattern, and the file that must be beside what it matches. A folder
/// named `target` is Cargo's build folder only beside a `Cargo.toml`;
/// elsewhere (`infra/target/`, a deployment target) it is the user's own.
pub const DEFAULT_EXCLUDE: &[(&str, Option<&str>)] = &[("target", Some("Cargo.toml")), ("node_modules", None)];

/// [`DEFAULT_EXCLUDE`] as `ecrlint config` shows it.
pub fn default_exclude_described() -> String {
    DEFAULT_EXCLUDE
        .iter()
        .map(|(pattern, beside)| match beside {
            Some(file) => format!("{pattern} (beside a {file})"),
            None => pattern.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// [`DEFAULT_EXCLUDE`], anchored at `base`.
pub(crate) fn default_exclude(base: &Path) -> Vec<Exclude> {
    DEFAULT_EXCLUDE
        .iter()
        .filter_map(|(pattern, beside)| {
            let mut e = Exclude::new(base, pattern).ok()?;
            e.beside = *beside;
            Some(e)
        })
        .collect()
}

/// One `exclude` or `extend-exclude` glob, anchored at the folder of the
/// configuration file it is written in.
#[derive(Debug, Clone)]
pub struct Exclude {
    /// Absolute, without `.` or `..`.
    base: PathBuf,
    /// Parsed when read (so a bad pattern is reported then), compiled to
    /// its matcher on the first path it is tested against: a run that walks
    /// no folder never tests one, and compiling the default excludes was
    /// 4.3 % of a small file's run (0.17 M instructions, callgrind).
    glob: globset::Glob,
    matcher: std::sync::OnceLock<globset::GlobMatcher>,
    /// As written.
    pub pattern: String,
    /// A file that must be beside what it matches (the defaults' `Cargo.toml`).
    beside: Option<&'static str>,
}

impl Exclude {
    /// A pattern as written in the file in `base`: `./` in front and `/`
    /// at the end are dropped (`generated/` is the folder `generated`).
    pub(crate) fn new(base: &Path, pattern: &str) -> Result<Exclude, globset::Error> {
        let trimmed = pattern.strip_prefix("./").unwrap_or(pattern);
        let trimmed = trimmed.trim_end_matches('/');
        let glob = globset::GlobBuilder::new(if trimmed.is_empty() { pattern } else { trimmed })
            .literal_separator(true)
            .build()?;
        Ok(Exclude {
            base: normalize(base),
            glob,
            matcher: std::sync::OnceLock::new(),
            pattern: pattern.to_string(),
            beside: None,
        })
    }

    /// Whether `path` (absolute and normalized) matches: its path relative
    /// to the base, or its name (`node_modules`, `*.generated.json`). A name
    /// matches outside the base only when `name_anywhere` (the entries of a
    /// walk, not the folders above a named file).
    fn matches(&self, path: &Path, name_anywhere: bool) -> bool {
        let inside = path.strip_prefix(&self.base).ok().filter(|r| !r.as_os_str().is_empty());
        let glob = self.matcher.get_or_init(|| self.glob.compile_matcher());
        let matched = inside.is_some_and(|relative| glob.is_match(relative))
            || ((inside.is_some() || name_anywhere) && path.file_name().is_some_and(|n| glob.is_match(n)));
        matched
            && self
                .beside
                .is_none_or(|file| path.parent().is_some_and(|folder| folder.join(file).is_file()))
    }

    /// The pattern, with the file it needs beside it.
    pub fn describe(&self) -> String {
        match self.beside {
            Some(file) => format!("{} (beside a {file})", self.pattern),
            None => self.pattern.clone(),
        }
    }
}

/// The first of `patterns` that `path` (absolute, normalized) matches.
pub(crate) fn excluded_by<'a>(patterns: &'a [Exclude], path: &Path, name_anywhere: bool) -> Option<&'a Exclude> {
    patterns.iter().find(|e| e.matches(path, name_anywhere))
}

/// `path` made absolute as [`std::path::absolute`] does, with the current
/// folder read once per process rather than once per call (three `getcwd`
/// calls a file). ecrlint never changes its current folder.
pub fn absolute(path: &Path) -> PathBuf {
    static CURRENT: std::sync::OnceLock<Option<PathBuf>> = std::sync::OnceLock::new();
    let current = CURRENT.get_or_init(|| std::env::current_dir().ok());
    let joined = match current {
        Some(current) if path.is_relative() && !path.as_os_str().is_empty() => current.join(path),
        _ => path.to_path_buf(),
    };
    // A path std would give back unchanged needs no walk through its
    // components (that walk was 4,000 instructions a call, three calls a
    // file). The current folder, from getcwd, is already in that form.
    if current.is_some() && already_absolute(&joined) {
        return joined;
    }
    std::path::absolute(&joined).unwrap_or(joined)
}

/// Whether [`std::path::absolute`] returns `path` as it is: rooted at one
/// `/`, with no empty (`//`, trailing `/`) or `.` component. (`..` is kept
/// by name there too.)
fn already_absolute(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        match path.as_os_str().as_bytes().strip_prefix(b"/") {
            Some(b"") => true,
            Some(rest) => rest.split(|b| *b == b'/').all(|c| !c.is_empty() && c != b"."),
            None => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

/// `path` made absolute, with `.` and `..` resolved by name (not through
/// links), so that two spellings of one path compare equal.
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let abs = absolute(path);
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

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

impl ConfigError {
    /// The file's path as findings show paths: relative to the current
    /// folder when inside it.
    pub fn shown_path(&self) -> PathBuf {
        wording::shown_path(&self.path)
    }

    /// [`ConfigError::shown_path`] for any configuration file's path.
    pub fn shown(path: &Path) -> PathBuf {
        wording::shown_path(path)
    }
}

/// One loaded configuration file.
#[derive(Debug)]
pub struct Config {
    pub path: PathBuf,
    /// The settings of every file it governs, before `[[overrides]]`.
    pub base: Settings,
    overrides: Vec<Override>,
    /// What directory walks pass over: `exclude` (or [`DEFAULT_EXCLUDE`]),
    /// then `extend-exclude`.
    pub exclude: Vec<Exclude>,
    /// `[baseline] file`: known findings, not reported (see [`crate::baseline`]).
    pub baseline: Option<PathBuf>,
    /// The files its settings come from: this one, then the one it
    /// `extend`s, and so on.
    pub chain: Vec<PathBuf>,
    /// The file of the chain that set each key in force (`source.region`,
    /// `source.registry-id`, `rules.ECR206`).
    pub origins: HashMap<String, PathBuf>,
}

impl Config {
    /// Where `key` was set, as `ecrlint config` says it: the file's name
    /// when several files make the configuration, else "configuration file".
    pub fn origin_of(&self, key: &str) -> String {
        match self.origins.get(key) {
            Some(file) if self.chain.len() > 1 => shown(file),
            _ => "configuration file".to_string(),
        }
    }
}

#[derive(Debug)]
struct Override {
    /// The folder of the file it is written in: its globs are relative to it.
    base: PathBuf,
    globs: GlobSet,
    patterns: Vec<String>,
    levels: HashMap<&'static str, Level>,
    document: Option<DeclaredDocument>,
    registry_policy_scope: Option<PolicyScope>,
    max_findings: Option<usize>,
}

impl Config {
    /// The directory that relative paths in the file are relative to.
    pub fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The `exclude` pattern that `path` matches, if any. `path` is absolute
    /// and normalized; see [`Exclude`] for `name_anywhere`.
    pub fn excludes(&self, path: &Path, name_anywhere: bool) -> Option<&Exclude> {
        excluded_by(&self.exclude, path, name_anywhere)
    }

    /// The settings for a file: the base, with the levels of every matching
    /// `[[overrides]]` in order. Returns the matching override patterns too.
    pub fn settings_for(&self, file: &Path) -> (Settings, Vec<String>) {
        let mut settings = self.base.clone();
        let mut matched = Vec::new();
        for o in &self.overrides {
            if o.globs.is_match(relative_to(file, &o.base)) {
                settings.levels.extend(o.levels.iter().map(|(k, v)| (*k, *v)));
                settings.document = o.document.or(settings.document);
                if let Some(scope) = o.registry_policy_scope {
                    settings.registry_policy_scope = scope;
                }
                settings.max_findings = o.max_findings.or(settings.max_findings);
                matched.extend(o.patterns.iter().cloned());
            }
        }
        (settings, matched)
    }
}

/// `file` relative to `dir` when it lies inside it (both made absolute).
fn relative_to(file: &Path, dir: &Path) -> PathBuf {
    let (file, dir) = (normalize(file), normalize(dir));
    file.strip_prefix(&dir).map(Path::to_path_buf).unwrap_or(file)
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

/// `Ok` when `region` is a known Region or one of `extra`; else what is
/// wrong with it (`` `us-esat-1` is not a known Region; did you mean `us-east-1`?``).
pub fn check_known_region(region: &str, extra: &[String]) -> Result<(), String> {
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

/// Reads and checks one configuration file's text; a file it `extend`s
/// is read from disk, relative to `path`.
pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<ConfigError>> {
    extend::resolve(path, text)
}

/// One file's checked settings, without what it extends, and every mistake
/// in it, in file order. A value that does not fit the layout (an unknown
/// key, a wrong type) stops serde at the first one; so each is reported,
/// blanked out of a copy of the text (same offsets: spaces for its bytes)
/// and the copy read again, until the rest fits and is checked value by
/// value. `Err` only when the text is not TOML at all.
fn parse_layer(path: &Path, text: &str) -> Result<(check::Layer, Vec<ConfigError>), Vec<ConfigError>> {
    /// More mistakes than any real file holds: past it, the rest is not read.
    const MAX_LAYOUT_ERRORS: usize = 100;
    let shared: Arc<str> = Arc::from(text);
    let mut errors = Vec::new();
    let mut readable = text.to_string();
    let raw = loop {
        match toml::from_str::<raw::RawConfig>(&readable) {
            Ok(raw) => break Some(raw),
            Err(e) => {
                let span = e.span().map(|r| Span::new(r.start, r.end)).unwrap_or_default();
                // serde's words ("invalid type: map, expected a sequence") in plain ones.
                if errors.last().is_some_and(|last: &ConfigError| last.span == span) {
                    // Blanking did not get past it: read no further.
                    break None;
                }
                let (message, help) = wording::plain(e.message(), text, span);
                errors.push(ConfigError {
                    path: path.to_path_buf(),
                    text: shared.clone(),
                    span,
                    message,
                    help,
                });
                if errors.len() >= MAX_LAYOUT_ERRORS || !blank_entry_at(&mut readable, span) {
                    break None;
                }
            }
        }
    };
    let in_file_order = |errors: &mut Vec<ConfigError>| errors.sort_by_key(|e| (e.span.start, e.span.end));
    match raw {
        Some(raw) => {
            let (layer, more) = check::layer(path, shared, raw);
            errors.extend(more);
            in_file_order(&mut errors);
            Ok((layer, errors))
        }
        None => {
            in_file_order(&mut errors);
            Err(errors)
        }
    }
}

/// Replaces with spaces (keeping line breaks, so every offset stays) the
/// innermost `key = value` of `text` that holds `span`: a table with its
/// header and keys. `false` when there is none (TOML syntax errors).
fn blank_entry_at(text: &mut String, span: Span) -> bool {
    use toml::de::{DeTable, DeValue};
    /// Where an entry ends: its value's end, or its last key's for a table.
    fn end_of(value: &toml::Spanned<DeValue>) -> usize {
        let mut end = value.span().end;
        match value.get_ref() {
            DeValue::Table(t) => {
                for (_, v) in t.iter() {
                    end = end.max(end_of(v));
                }
            }
            DeValue::Array(items) => {
                for i in items.iter() {
                    end = end.max(end_of(i));
                }
            }
            _ => {}
        }
        end
    }
    fn find(table: &DeTable, span: Span) -> Option<std::ops::Range<usize>> {
        for (key, value) in table.iter() {
            let start = key.span().start.min(value.span().start);
            let range = start..end_of(value);
            if !range.contains(&span.start) {
                continue;
            }
            let inner = match value.get_ref() {
                DeValue::Table(t) => find(t, span),
                DeValue::Array(items) => items.iter().find_map(|i| match i.get_ref() {
                    DeValue::Table(t) => find(t, span),
                    _ => None,
                }),
                _ => None,
            };
            return Some(inner.unwrap_or(range));
        }
        None
    }
    let Some(range) = toml::de::DeTable::parse(text)
        .ok()
        .and_then(|t| find(t.get_ref(), span))
        .filter(|r| r.start < r.end && text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
    else {
        return false;
    };
    let blank: String = text[range.clone()]
        .chars()
        .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
        .collect();
    // Multi-byte characters become one space each: pad to keep the length.
    let pad = range.len() - blank.len();
    text.replace_range(range, &(blank + &" ".repeat(pad)));
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn absolute_is_what_std_makes_of_the_path() {
        for p in [
            "/", "//", "///a", "/a", "/a/", "/a//b", "/a/./b", "/a/.", "/a/..", "/a/../b", "/.a", "/a..", "a", "a/",
            "./a", "a/./b", "../a", "a/..", ".", "..", "a//b",
        ] {
            assert_eq!(
                absolute(Path::new(p)),
                std::path::absolute(Path::new(p)).unwrap(),
                "{p}"
            );
        }
    }

    proptest! {
        #[test]
        fn absolute_agrees_with_std_on_any_path(p in "[/.a]{1,8}") {
            prop_assert_eq!(absolute(Path::new(&p)), std::path::absolute(Path::new(&p)).unwrap());
        }
    }
}
