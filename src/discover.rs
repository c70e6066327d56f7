//! Which files to lint: explicit paths always (unless `--force-exclude`
//! and an `exclude` glob matches them); in directories, candidate files by
//! extension, skipping hidden files and folders, what the `exclude` and
//! `extend-exclude` globs of `.ecrlint.toml` match (by default `target`
//! beside a `Cargo.toml`, and `node_modules`), and what `.gitignore`,
//! `.ignore` and `.git/info/exclude` leave out (unless `--no-ignore`), but
//! never a file in the git index (committed with `git add -f`).

use crate::config::Resolver;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// A file the user named, or `-` (stdin) with its display name.
    Explicit(PathBuf),
    Stdin(String),
    /// A file found by walking a directory.
    Found(PathBuf),
}

impl Input {
    pub fn display(&self) -> String {
        match self {
            Input::Explicit(p) | Input::Found(p) => display_path(p),
            Input::Stdin(name) => name.clone(),
        }
    }

    /// The path whose folder decides the configuration: for standard input,
    /// `--stdin-filename` (relative to the current folder).
    pub fn config_path(&self) -> PathBuf {
        match self {
            Input::Explicit(p) | Input::Found(p) => p.clone(),
            Input::Stdin(name) => PathBuf::from(name),
        }
    }

    /// The name's bytes without a leading `./`: the order of the report, and
    /// what makes two inputs the same file (names that are not UTF-8 differ
    /// here even when their displayed forms are alike).
    fn key(&self) -> &[u8] {
        let raw = match self {
            Input::Explicit(p) | Input::Found(p) => p.as_os_str().as_encoded_bytes(),
            Input::Stdin(name) => name.as_bytes(),
        };
        raw.strip_prefix(b"./").unwrap_or(raw)
    }

    pub fn is_explicit(&self) -> bool {
        !matches!(self, Input::Found(_))
    }
}

fn display_path(p: &Path) -> String {
    let s = p.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

/// Why an excluded file or folder was passed over (`--verbose`).
pub const EXCLUDED: &str =
    "excluded by `exclude` or `extend-exclude` (default: target beside a Cargo.toml, node_modules)";

pub struct Discovery {
    pub inputs: Vec<Input>,
    /// Directory entries that could not be walked, with the reason.
    pub errors: Vec<(String, String)>,
    /// Files passed over in directories, with the reason (for `--verbose`).
    pub skipped: Vec<(String, &'static str)>,
    /// A walk stopped at [`WalkOptions::max_entries`].
    pub truncated: bool,
}

/// How directories are walked.
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Also read files that `.gitignore`, `.ignore` or `.git/info/exclude`
    /// leave out (`--no-ignore`).
    pub no_ignore: bool,
    /// Files named on the command line are passed over too when an
    /// `exclude` glob matches them or a folder above them (`--force-exclude`).
    pub force_exclude: bool,
    /// Stop a directory walk after this many entries (files and folders):
    /// a language server whose workspace is a home folder must not read it
    /// all. `None`: no limit (the command line).
    pub max_entries: Option<usize>,
}

/// The files to lint among `paths`. `resolver` decides which configuration
/// (and so which `exclude` globs) governs each folder.
pub fn discover(
    paths: &[PathBuf],
    stdin_name: Option<&str>,
    options: WalkOptions,
    resolver: &Arc<Resolver>,
) -> Discovery {
    let mut d = Discovery {
        inputs: Vec::new(),
        errors: Vec::new(),
        skipped: Vec::new(),
        truncated: false,
    };
    for path in paths {
        if path.as_os_str() == "-" {
            // Named by --stdin-filename, standard input is excluded as that file would be.
            match stdin_name {
                Some(name) if options.force_exclude && resolver.excluded_named(Path::new(name)) => {
                    d.skipped.push((name.to_string(), EXCLUDED));
                }
                name => d.inputs.push(Input::Stdin(name.unwrap_or("<stdin>").to_string())),
            }
            continue;
        }
        if options.force_exclude && resolver.excluded_named(path) {
            d.skipped.push((display_path(path), EXCLUDED));
            continue;
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => walk(path, options, resolver, &mut d),
            // A missing path is kept: reading it fails and is reported with the file.
            _ => d.inputs.push(Input::Explicit(path.clone())),
        }
    }
    d.inputs.sort_by(|a, b| a.key().cmp(b.key()));
    d.inputs.dedup_by(|a, b| a.key() == b.key());
    d
}

/// For `--add-suppressions`: the override files of the folder of each
/// Terraform file among `inputs` join them. What an override file puts in
/// place of a block of that file is reported there by the folder run, so
/// the comment that suppresses it goes there, where every run reads it;
/// the hook on `main.tf` alone wrote one in `main.tf` that the folder run
/// then called unused. Files the configuration excludes stay out.
pub fn with_override_files(inputs: &mut Vec<Input>, resolver: &Resolver) {
    use crate::document::module::{is_configuration, is_override, override_files};
    let mut folders: Vec<&Path> = inputs
        .iter()
        .filter_map(|i| match i {
            Input::Explicit(p) | Input::Found(p) => Some(p.as_path()),
            Input::Stdin(_) => None,
        })
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| is_configuration(n) && !is_override(n))
        })
        .map(|p| p.parent().unwrap_or(Path::new("")))
        .collect();
    folders.sort();
    folders.dedup();
    let added: Vec<Input> = folders
        .iter()
        .flat_map(|folder| {
            let read = if folder.as_os_str().is_empty() {
                Path::new(".")
            } else {
                folder
            };
            override_files(read).into_iter().map(move |name| folder.join(name))
        })
        .filter(|path| !resolver.excluded_named(path))
        .map(Input::Explicit)
        .collect();
    if added.is_empty() {
        return;
    }
    inputs.extend(added);
    inputs.sort_by(|a, b| a.key().cmp(b.key()));
    inputs.dedup_by(|a, b| a.key() == b.key());
}

fn walk(root: &Path, options: WalkOptions, resolver: &Arc<Resolver>, d: &mut Discovery) {
    // The filter must own what it uses; what it excludes comes back here.
    let excluded: Arc<Mutex<Vec<String>>> = Arc::default();
    let (filter_resolver, filter_excluded) = (resolver.clone(), excluded.clone());
    let walker = ignore::WalkBuilder::new(root)
        .sort_by_file_name(|a, b| a.cmp(b))
        // Hidden files and folders are skipped by the filter below, which
        // also keeps the root itself even when its name starts with a dot.
        .hidden(false)
        .git_ignore(!options.no_ignore)
        .git_exclude(!options.no_ignore)
        .ignore(!options.no_ignore)
        .parents(!options.no_ignore)
        // A .gitignore counts in a folder that is not (yet) a repository.
        .require_git(false)
        .filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            if e.file_name().to_string_lossy().starts_with('.') {
                return false;
            }
            if filter_resolver.excluded(e.path()) {
                filter_excluded
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(display_path(e.path()));
                return false;
            }
            true
        })
        .build();
    for (seen, entry) in walker.enumerate() {
        if options.max_entries.is_some_and(|max| seen >= max) {
            d.truncated = true;
            break;
        }
        match entry {
            Err(e) => {
                d.errors.push((display_path(root), e.to_string()));
            }
            Ok(e) if e.file_type().is_none_or(|t| t.is_dir()) => {}
            Ok(e) => {
                // A FIFO or device in a tree would block or never end: only
                // regular files (and links, whose read reports a broken target).
                let special = if e.path_is_symlink() {
                    std::fs::metadata(e.path()).is_ok_and(|m| !m.is_file())
                } else {
                    !e.file_type().is_some_and(|t| t.is_file())
                };
                if !crate::syntax::is_walked(e.path()) {
                    d.skipped
                        .push((display_path(e.path()), "not a file type ecrlint reads"));
                } else if special {
                    d.skipped.push((display_path(e.path()), "not a regular file"));
                } else {
                    d.inputs.push(Input::Found(e.into_path()));
                }
            }
        }
    }
    let excluded = std::mem::take(&mut *excluded.lock().unwrap_or_else(|p| p.into_inner()));
    if !options.no_ignore && !d.truncated {
        d.inputs.extend(tracked_but_ignored(root, resolver));
    }
    d.skipped.extend(excluded.into_iter().map(|p| (p, EXCLUDED)));
}

/// The files under `root` that git tracks although its ignore rules match
/// them (committed with `git add -f`): they are part of the repository,
/// so they are linted, unless hidden, excluded by a glob (the file or a
/// folder above it, as the walk decides), or of a type ecrlint does not
/// read. Nothing when `root` is in no git work tree or git cannot
/// be run.
fn tracked_but_ignored(root: &Path, resolver: &Resolver) -> Vec<Input> {
    if !root.ancestors().any(|a| a.join(".git").exists()) {
        return Vec::new();
    }
    let listed = std::process::Command::new("git")
        .arg("-C")
        .arg(root)
        .args([
            "ls-files",
            "-z",
            "--cached",
            "--ignored",
            "--exclude-standard",
            "--",
            ".",
        ])
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output();
    let Some(listed) = listed.ok().filter(|o| o.status.success()) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for name in listed.stdout.split(|&b| b == 0).filter(|n| !n.is_empty()) {
        let Some(relative) = path_from_bytes(name) else {
            continue;
        };
        let hidden = relative
            .components()
            .any(|c| c.as_os_str().as_encoded_bytes().starts_with(b"."));
        let readable = crate::syntax::is_walked(&relative);
        if hidden || !readable {
            continue;
        }
        let path = root.join(&relative);
        let under_excluded = path
            .ancestors()
            .take(relative.components().count())
            .any(|a| resolver.excluded(a));
        if !under_excluded && std::fs::metadata(&path).is_ok_and(|m| m.is_file()) {
            found.push(Input::Found(path));
        }
    }
    found
}

/// A path from git's bytes (UTF-8 on Windows).
fn path_from_bytes(bytes: &[u8]) -> Option<PathBuf> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(PathBuf::from(std::ffi::OsStr::from_bytes(bytes)))
    }
    #[cfg(not(unix))]
    {
        std::str::from_utf8(bytes).ok().map(PathBuf::from)
    }
}

/// The workspace a file belongs to, the unit of the check across files:
/// the git work tree holding it (what CI checks out), else the topmost
/// folder above it with an `.ecrlint.toml` (one in a subfolder sets
/// settings, not the workspace). `None`: neither, and the folders given
/// are the workspace.
pub fn workspace_of(path: &Path) -> Option<PathBuf> {
    workspace_of_folder(path.parent().unwrap_or(Path::new("")))
}

/// [`workspace_of`] a file in `folder`.
fn workspace_of_folder(folder: &Path) -> Option<PathBuf> {
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let absolute = std::path::absolute(folder).ok()?;
    let mut topmost_config = None;
    for folder in absolute.ancestors() {
        // `.git` is a folder in a clone, a file in a worktree or submodule.
        if folder.join(".git").exists() {
            return Some(folder.to_path_buf());
        }
        if folder.join(crate::config::FILE_NAME).is_file() {
            topmost_config = Some(folder.to_path_buf());
        }
    }
    topmost_config
}

/// The files of the workspaces of `inputs` that are not among them, walked
/// as a directory named on the command line would be (`options`; the
/// workspace is never cut short by `max_entries` unless it says so). Paths
/// under the current folder are shown relative to it, as when the
/// workspace is checked from its root.
pub fn workspace_rest(inputs: &[Input], options: WalkOptions, resolver: &Arc<Resolver>) -> Vec<Input> {
    // One walk up per folder, not per file: a run's files share few folders.
    let mut folders: Vec<PathBuf> = inputs
        .iter()
        .map(|i| i.config_path().parent().map(Path::to_path_buf).unwrap_or_default())
        .collect();
    folders.sort();
    folders.dedup();
    let mut roots: Vec<PathBuf> = folders
        .iter()
        .filter_map(|folder| workspace_of_folder(folder))
        .collect();
    roots.sort();
    roots.dedup();
    if roots.is_empty() {
        return Vec::new();
    }
    let named: std::collections::HashSet<PathBuf> = inputs
        .iter()
        .filter_map(|i| std::path::absolute(i.config_path()).ok())
        .collect();
    let here = std::env::current_dir().ok();
    let shown = |root: &Path| match here.as_deref().and_then(|h| root.strip_prefix(h).ok()) {
        Some(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
        Some(rel) => rel.to_path_buf(),
        None => root.to_path_buf(),
    };
    let paths: Vec<PathBuf> = roots.iter().map(|r| shown(r)).collect();
    let options = WalkOptions {
        force_exclude: false,
        ..options
    };
    // A workspace above the current folder (a check run in a subfolder of
    // the work tree) is walked by its absolute path; its files are shown
    // from the current folder (`../destination/policy.json`), as its own
    // files are.
    let from_here = |input: Input| match (input, here.as_deref()) {
        (Input::Found(path), Some(here)) if path.is_absolute() && roots.iter().any(|r| here.starts_with(r)) => {
            Input::Found(relative_to(&path, here))
        }
        (input, _) => input,
    };
    discover(&paths, None, options, resolver)
        .inputs
        .into_iter()
        .filter(|i| std::path::absolute(i.config_path()).is_ok_and(|p| !named.contains(&p)))
        .map(from_here)
        .collect()
}

/// `path` as seen from the folder `here` (both absolute, without `..`):
/// up to their common folder, then down.
fn relative_to(path: &Path, here: &Path) -> PathBuf {
    let (mut path_parts, mut here_parts) = (path.components().peekable(), here.components().peekable());
    while let (Some(a), Some(b)) = (path_parts.peek(), here_parts.peek()) {
        if a != b {
            break;
        }
        path_parts.next();
        here_parts.next();
    }
    let mut relative: PathBuf = here_parts.map(|_| std::path::Component::ParentDir).collect();
    relative.extend(path_parts);
    relative
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Mode;

    #[test]
    fn a_path_is_shown_from_a_folder_up_to_their_common_folder_then_down() {
        let relative = |path: &str, here: &str| relative_to(Path::new(path), Path::new(here));
        assert_eq!(relative("/w/a/b/x.json", "/w/a/c"), Path::new("../b/x.json"));
        assert_eq!(relative("/w/x.json", "/w/a/c"), Path::new("../../x.json"));
        assert_eq!(relative("/w/a/x.json", "/w"), Path::new("a/x.json"));
    }

    #[test]
    fn the_workspace_is_the_git_work_tree_else_the_topmost_settings_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        let file = root.join("outer/source/replication.json");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        // Neither above it (a temporary folder is in no work tree).
        assert_eq!(workspace_of(&file), None);
        // A settings file in its folder sets settings; the topmost one is the workspace.
        std::fs::write(root.join("outer/source/.ecrlint.toml"), "").unwrap();
        assert_eq!(workspace_of(&file), Some(root.join("outer/source")));
        std::fs::write(root.join("outer/.ecrlint.toml"), "").unwrap();
        assert_eq!(workspace_of(&file), Some(root.join("outer")));
        // A git work tree wins, whatever settings files are above or below its root.
        std::fs::create_dir(root.join("outer/source/.git")).unwrap();
        assert_eq!(workspace_of(&file), Some(root.join("outer/source")));
    }

    #[test]
    fn a_walk_stops_at_its_entry_limit_and_says_so() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..10 {
            std::fs::write(dir.path().join(format!("{i}.json")), "{}").unwrap();
        }
        let resolver = Arc::new(Resolver::new(Mode::Isolated));
        let roots = [dir.path().to_path_buf()];
        let walk = |max_entries| {
            let options = WalkOptions {
                max_entries,
                ..WalkOptions::default()
            };
            discover(&roots, None, options, &resolver)
        };
        let all = walk(None);
        assert_eq!((all.inputs.len(), all.truncated), (10, false));
        // The root folder is an entry too.
        let enough = walk(Some(11));
        assert_eq!((enough.inputs.len(), enough.truncated), (10, false));
        let cut = walk(Some(4));
        assert_eq!((cut.inputs.len(), cut.truncated), (3, true));
    }
}
