//! The lint thread: it takes the newest version of each document (older
//! ones queued behind it are never linted), lints it through the engine,
//! checks it across the workspace's files, and publishes the findings
//! unless the document changed meanwhile.
//!
//! The check across files (a configuration's cross-account destinations
//! against the registry policies that must let them in) sees the files
//! `check` would lint in the workspace folders, read from disk
//! ([`Workspace`], walked again when the main thread asks: at start, on a
//! save, on a watched change), with each open document as it is in the
//! editor. When a document's facts change, the other open documents the
//! check concerns are checked again and published.

use super::{convert, engine, Encoding, Settings};
use crossbeam_channel::{Receiver, Sender};
use engine::{Engine, FileFacts, Member, OtherFile};
use lsp_server::{Message, Notification};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::{PublishDiagnosticsParams, Uri};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

/// What the lint thread and the main thread share: each open document's
/// current generation, and the findings of its latest lint.
#[derive(Default)]
pub(super) struct Shared {
    pub(super) docs: Mutex<HashMap<Uri, Live>>,
}

pub(super) struct Live {
    pub(super) generation: u64,
    /// The findings for `generation`, once linted.
    pub(super) findings: Option<Arc<Vec<engine::Diagnostic>>>,
}

impl Shared {
    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, Live>> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }
}

pub(super) struct Job {
    pub(super) uri: Uri,
    pub(super) generation: u64,
    pub(super) version: i32,
    pub(super) text: Arc<str>,
    /// The name the format is chosen by.
    pub(super) path: Option<PathBuf>,
    /// The file on disk it is, when it is one, links resolved (the check
    /// across files reads the editor's text instead of the file's).
    pub(super) file: Option<PathBuf>,
    pub(super) settings: Arc<Settings>,
}

/// What the main thread asks of the lint thread.
pub(super) enum Work {
    Lint(Job),
    /// Walk the workspace folders again (files added, changed, removed).
    Rescan,
    /// A document was closed: its file on disk stands for it again.
    Closed,
}

/// An open document as last linted: what it needs to be checked across
/// files again without linting it again.
struct Linted {
    job: Job,
    /// Its own findings, before the check across files.
    own: Vec<engine::Diagnostic>,
    facts: FileFacts,
    file: Arc<OtherFile>,
}

/// The lint thread: takes the newest job of each document (older ones
/// queued behind it are never linted), lints, and publishes unless the
/// document changed meanwhile.
pub(super) fn work(
    queue: &Receiver<Work>,
    shared: &Shared,
    sender: &Sender<Message>,
    encoding: Encoding,
    engine: &Engine,
    roots: &[PathBuf],
) {
    let mut workspace = Workspace::default();
    let mut open: HashMap<Uri, Linted> = HashMap::new();
    while let Ok(first) = queue.recv() {
        let mut newest: Vec<Job> = Vec::new();
        let mut rescan = false;
        for work in std::iter::once(first).chain(queue.try_iter()) {
            match work {
                Work::Rescan => rescan = true,
                Work::Closed => {}
                Work::Lint(job) => match newest.iter_mut().find(|j| j.uri == job.uri) {
                    Some(older) => *older = job,
                    None => newest.push(job),
                },
            }
        }
        let current = |uri: &Uri, generation: u64, docs: &HashMap<Uri, Live>| {
            docs.get(uri).map(|l| l.generation) == Some(generation)
        };
        // Closed documents are forgotten (their files on disk count again).
        let mut facts_changed = false;
        {
            let docs = shared.lock();
            open.retain(|uri, l| {
                let keep = docs.contains_key(uri);
                facts_changed |= !keep && !l.facts.is_empty();
                keep
            });
        }
        facts_changed |= rescan && workspace.rescan(engine, roots);
        let mut linted_now: Vec<Uri> = Vec::new();
        for job in newest {
            if !current(&job.uri, job.generation, &shared.lock()) {
                continue;
            }
            let guarded = std::panic::catch_unwind(|| {
                engine::lint_with_facts(&job.text, job.path.as_deref(), &job.settings).unwrap_or_default()
            });
            let (own, facts) = guarded.unwrap_or_else(|_| {
                eprintln!("ecrlint server: internal error while linting {}", job.uri.as_str());
                Default::default()
            });
            let file = Arc::new(OtherFile {
                path: job.uri.as_str().to_string(),
                path_bytes: None,
                text: job.text.to_string(),
            });
            let before = open.get(&job.uri).map(|l| &l.facts);
            facts_changed |= before != Some(&facts) && !(before.is_none() && facts.is_empty());
            linted_now.push(job.uri.clone());
            open.insert(job.uri.clone(), Linted { job, own, facts, file });
        }
        // Every document linted now; and when what the check across files
        // reads has changed, every other open document it concerns.
        let mut to_publish = linted_now.clone();
        if facts_changed {
            to_publish.extend(
                open.iter()
                    .filter(|(uri, l)| !l.facts.is_empty() && !linted_now.contains(uri))
                    .map(|(uri, _)| uri.clone()),
            );
        }
        for uri in to_publish {
            let Some(linted) = open.get(&uri) else { continue };
            let mut found = linted.own.clone();
            if !linted.facts.is_empty() {
                let (members, index) = members_for(&workspace, &open, &uri);
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    engine::check_across(&members, index, &linted.job.settings, &mut found);
                }));
            }
            let job = &linted.job;
            let diagnostics = convert::diagnostics(&job.uri, &job.text, encoding, &found);
            let mut docs = shared.lock();
            if !current(&job.uri, job.generation, &docs) {
                continue;
            }
            if let Some(live) = docs.get_mut(&job.uri) {
                live.findings = Some(Arc::new(found));
            }
            // Sent while holding the lock: a close cannot slip its empty
            // list in before this one.
            let _ = sender.send(publish(job.uri.clone(), Some(job.version), diagnostics));
        }
    }
}

/// The files of the check across files for the open document `uri`: the
/// workspace's files on disk that are not open, and the open documents as
/// edited, in path order; with the document's index among them.
fn members_for(workspace: &Workspace, open: &HashMap<Uri, Linted>, uri: &Uri) -> (Vec<Member>, usize) {
    let open_files: Vec<&PathBuf> = open.values().filter_map(|l| l.job.file.as_ref()).collect();
    let mut all: Vec<(String, Member)> = workspace
        .files
        .iter()
        .filter(|(path, f)| !f.facts.is_empty() && !open_files.contains(path))
        .map(|(_, f)| {
            (
                f.file.path.clone(),
                Member {
                    facts: f.facts.clone(),
                    file: f.file.clone(),
                },
            )
        })
        .collect();
    all.extend(
        open.iter()
            .filter(|(u, l)| !l.facts.is_empty() || *u == uri)
            .map(|(u, l)| {
                (
                    u.as_str().to_string(),
                    Member {
                        facts: l.facts.clone(),
                        file: l.file.clone(),
                    },
                )
            }),
    );
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let index = all.iter().position(|(u, _)| u == uri.as_str()).unwrap_or(0);
    (all.into_iter().map(|(_, m)| m).collect(), index)
}

/// The files of the workspace folders that the check across files
/// concerns, read from disk.
#[derive(Default)]
struct Workspace {
    files: BTreeMap<PathBuf, OnDisk>,
    /// The last walk gave up ([`MAX_WORKSPACE_ENTRIES`]); said once.
    too_large: bool,
}

/// A walk of the workspace folders stops here (a workspace opened at a home
/// folder): the check across files then sees the open documents only.
const MAX_WORKSPACE_ENTRIES: usize = 100_000;

struct OnDisk {
    /// Size and modification time when read: a file is read again only
    /// when they change.
    stamp: (u64, Option<std::time::SystemTime>),
    /// Its settings when read (a changed `.ecrlint.toml` changes its facts).
    settings: Settings,
    facts: FileFacts,
    file: Arc<OtherFile>,
}

impl Workspace {
    /// Walks the folders as `check` would and reads each new or changed
    /// file; returns whether any file's facts changed.
    fn rescan(&mut self, engine: &Engine, roots: &[PathBuf]) -> bool {
        if roots.is_empty() {
            return false;
        }
        let Some(found) = engine.files_in(roots, MAX_WORKSPACE_ENTRIES) else {
            if !self.too_large {
                eprintln!(
                    "ecrlint server: the workspace holds more than {MAX_WORKSPACE_ENTRIES} files and folders; \
                     only open documents are checked against each other"
                );
            }
            self.too_large = true;
            let changed = self.files.values().any(|f| !f.facts.is_empty());
            self.files.clear();
            return changed;
        };
        self.too_large = false;
        let mut changed = false;
        let mut files = BTreeMap::new();
        for path in found {
            let Ok(meta) = std::fs::metadata(&path) else { continue };
            let stamp = (meta.len(), meta.modified().ok());
            let Ok(settings) = engine.settings_for(&path) else {
                continue;
            };
            let old = self.files.remove(&path);
            let entry = match old {
                Some(f) if f.stamp == stamp && f.settings == settings => f,
                old => {
                    let Some(text) = engine::read_file(&path) else {
                        changed |= old.is_some_and(|o| !o.facts.is_empty());
                        continue;
                    };
                    let facts = std::panic::catch_unwind(|| engine::file_facts(&text, Some(&path), &settings))
                        .unwrap_or_default();
                    let before = old.map(|o| o.facts).unwrap_or_default();
                    changed |= before != facts && !(before.is_empty() && facts.is_empty());
                    let name = super::uri::from_path(&path)
                        .map_or_else(|| path.display().to_string(), |u| u.as_str().to_string());
                    OnDisk {
                        stamp,
                        settings,
                        file: Arc::new(OtherFile {
                            path: name,
                            path_bytes: None,
                            // Only labels in files with facts read it.
                            text: if facts.is_empty() { String::new() } else { text },
                        }),
                        facts,
                    }
                }
            };
            // Keyed as open documents are compared with it (links resolved).
            files.insert(std::fs::canonicalize(&path).unwrap_or(path), entry);
        }
        // Files gone since the last walk.
        changed |= self.files.values().any(|f| !f.facts.is_empty());
        self.files = files;
        changed
    }
}

pub(super) fn publish(uri: Uri, version: Option<i32>, diagnostics: Vec<lsp_types::Diagnostic>) -> Message {
    Notification::new(
        notif::PublishDiagnostics::METHOD.into(),
        PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        },
    )
    .into()
}
