//! `.ecrlint.toml`: where a configuration is applied, rule levels, extra
//! Regions, organisation policy and per-path overrides. Every value is
//! checked with its span, so a mistake in the file is reported like a
//! finding: file:line:col, snippet, help.
//!
//! [`load`] and [`parse`] read one file: `raw` is its TOML layout,
//! `check` turns that into a [`Config`] or errors, and `resolver`
//! decides which file governs each linted file.

mod check;
mod raw;
mod resolver;
mod wording;

pub use resolver::{Mode, Resolved, Resolver};

use crate::facts::facts;
use crate::settings::{Level, Settings};
use crate::syntax::Span;
use globset::GlobSet;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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

/// Reads and checks one configuration file's text.
pub fn parse(path: &Path, text: &str) -> Result<Config, Vec<ConfigError>> {
    let shared: Arc<str> = Arc::from(text);
    let raw: raw::RawConfig = toml::from_str(text).map_err(|e| {
        let span = e.span().map(|r| Span::new(r.start, r.end)).unwrap_or_default();
        // serde's words ("invalid type: map, expected a sequence") in plain ones.
        let (message, help) = wording::plain(e.message(), text, span);
        vec![ConfigError {
            path: path.to_path_buf(),
            text: shared.clone(),
            span,
            message,
            help,
        }]
    })?;
    check::config(path, shared, raw)
}
