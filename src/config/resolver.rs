//! Which `.ecrlint.toml` governs each file: found once per folder and
//! loaded once per file, from any thread, until told the file changed
//! ([`Resolver::invalidate`]).

use super::{default_exclude, excluded_by, load, normalize, Config, ConfigError, Exclude, FILE_NAME};
use crate::settings::{Overrides, Settings};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// Which configuration applies to each linted file.
pub enum Mode {
    /// `--isolated`: none.
    Isolated,
    /// `--config PATH`: this one for every file.
    Explicit(Arc<Config>),
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
type Loaded = Result<Arc<Config>, Vec<ConfigError>>;

/// Finds and loads configuration files once each, from any thread.
pub struct Resolver {
    mode: Mode,
    /// Directory → the configuration file that governs it, if any.
    found: RwLock<HashMap<PathBuf, Option<PathBuf>>>,
    /// Configuration file → loaded, or the errors it has.
    loaded: RwLock<HashMap<PathBuf, Loaded>>,
    /// [`DEFAULT_EXCLUDE`], anchored at the current folder: for files no
    /// configuration governs.
    default_exclude: Vec<Exclude>,
    /// Terraform modules (folders) read so far, each once.
    modules: crate::document::module::Modules,
}

impl Resolver {
    pub fn new(mode: Mode) -> Self {
        Resolver {
            mode,
            found: Default::default(),
            loaded: Default::default(),
            default_exclude: default_exclude(Path::new(".")),
            modules: Default::default(),
        }
    }

    /// Notes the files a run lints (before it lints any): a finding on a
    /// value written in one of them is reported there.
    pub fn note_linted<'p>(&self, paths: impl Iterator<Item = &'p Path>) {
        self.modules.note_linted(paths);
    }

    /// The Terraform documents open in an editor, as edited: they stand
    /// for their files in their folders' modules.
    pub fn set_open_terraform(&self, open: HashMap<PathBuf, String>) {
        self.modules.set_open(open);
    }

    /// How many local module folders were read from disk so far (each once per resolver).
    pub fn module_folder_reads(&self) -> usize {
        self.modules.folders.reads()
    }

    /// `settings` for the file at `path`, with the Terraform module it is
    /// part of (its folder, read once per resolver) when it is a `.tf` or
    /// `.tf.json` file.
    pub fn with_module(&self, path: &Path, mut settings: crate::settings::Settings) -> crate::settings::Settings {
        settings.terraform_module = self.modules.for_file(path, &settings.terraform_vars);
        let terraform = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(crate::document::module::is_configuration);
        // `main.tf` named alone is in the folder `""`, read as `.`.
        settings.terraform_folders = terraform.then(|| self.modules.folders.clone());
        settings.terraform_folder = terraform.then(|| match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        });
        settings
    }

    /// Whether a directory walk passes over `path` (a file or folder met in
    /// the walk): the `exclude` and `extend-exclude` globs of the
    /// configuration governing its folder, or [`DEFAULT_EXCLUDE`] without
    /// one. A broken configuration excludes nothing (its files are then
    /// reported as not linted, rather than silently passed over).
    pub fn excluded(&self, path: &Path) -> bool {
        self.excluded_as(&normalize(path), true)
    }

    /// Whether a path named on the command line is excluded (`--force-exclude`):
    /// it, or a folder above it, matches inside the folder of the
    /// configuration that governs it (so `ecrlint check --force-exclude .`
    /// in a folder named `target` still lints it).
    pub fn excluded_named(&self, path: &Path) -> bool {
        normalize(path).ancestors().any(|a| self.excluded_as(a, false))
    }

    fn excluded_as(&self, path: &Path, name_anywhere: bool) -> bool {
        match self.for_file(path) {
            Ok(Some(config)) => config.excludes(path, name_anywhere).is_some(),
            Ok(None) => excluded_by(&self.default_exclude, path, name_anywhere).is_some(),
            Err(_) => false,
        }
    }

    /// The configuration for a file (by its real or `--stdin-filename` path).
    /// `Err` carries the broken file's path: its errors are in [`Resolver::errors`].
    pub fn for_file(&self, file: &Path) -> Result<Option<Arc<Config>>, PathBuf> {
        match &self.mode {
            Mode::Isolated => Ok(None),
            Mode::Explicit(c) => Ok(Some(c.clone())),
            Mode::Discover => {
                let abs = super::absolute(file);
                let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
                let Some(path) = self.find(&dir) else { return Ok(None) };
                let known = |loaded: &Loaded| loaded.as_ref().map(|c| Some(c.clone())).map_err(|_| path.clone());
                if let Some(hit) = read(&self.loaded).get(&path) {
                    return known(hit);
                }
                let mut loaded = write(&self.loaded);
                let entry = loaded.entry(path.clone()).or_insert_with(|| load(&path).map(Arc::new));
                known(entry)
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
        let mut settings = overrides.apply(settings);
        if settings.document.is_none() {
            settings.document = crate::settings::DeclaredDocument::by_name(file);
        }
        Ok(Resolved {
            settings,
            config,
            overrides: matched,
        })
    }

    /// Forgets what is known about the configuration file at `path`, which
    /// was edited, created or deleted: the next file it may govern loads it
    /// afresh (as does every configuration that extends it), and folders
    /// below it look again for their closest one. (An
    /// explicit `--config` is loaded once: make a new resolver to reload it.)
    pub fn invalidate(&self, path: &Path) {
        let path = super::absolute(path);
        // Itself, every configuration that extends it (directly or not), and
        // any with errors (one may be a missing file it extends, now created).
        let normalized = super::normalize(&path);
        write(&self.loaded).retain(|p, loaded| match loaded {
            Ok(c) => *p != path && !c.chain.iter().any(|f| super::normalize(f) == normalized),
            Err(_) => false,
        });
        if let Some(dir) = path.parent() {
            write(&self.found).retain(|d, _| !d.starts_with(dir));
        }
    }

    /// Forgets every configuration file found or loaded so far.
    pub fn invalidate_all(&self) {
        write(&self.loaded).clear();
        write(&self.found).clear();
        // A Terraform folder's variables and values may have changed too.
        self.modules.forget();
    }

    /// The closest configuration file at or above `dir`; stops at the root.
    fn find(&self, dir: &Path) -> Option<PathBuf> {
        if let Some(hit) = read(&self.found).get(dir) {
            return hit.clone();
        }
        // Whatever form it takes (a broken or circular link, a folder), the
        // nearest one is the one in force: loading it reports what is wrong,
        // rather than a parent's configuration silently applying instead.
        let hit = dir
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| std::fs::symlink_metadata(p).is_ok());
        write(&self.found).insert(dir.to_path_buf(), hit.clone());
        hit
    }

    /// Every error of every configuration file loaded so far, in path order.
    pub fn errors(&self) -> Vec<ConfigError> {
        let loaded = read(&self.loaded);
        let mut broken: Vec<_> = loaded
            .iter()
            .filter_map(|(p, r)| r.as_ref().err().map(|e| (p, e)))
            .collect();
        broken.sort_by_key(|(p, _)| p.to_path_buf());
        broken.into_iter().flat_map(|(_, e)| e.iter().cloned()).collect()
    }
}

/// The guarded cache, even after a panic elsewhere while it was held: each
/// entry goes in whole, so a panic cannot leave one half-written. Read
/// locks for lookups: every file asks, on every worker at once, and a
/// mutex made them wait on each other.
fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|e| e.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(|e| e.into_inner())
}
