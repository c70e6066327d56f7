//! The lint thread: it takes the newest version of each document (older
//! ones queued behind it are never linted), lints it through the engine,
//! checks it across the workspace's files, and publishes the findings
//! unless the document changed meanwhile.
//!
//! The check across files (a configuration's cross-account destinations
//! against the registry policies that must let them in) sees the files
//! `check` would lint in the workspace folders, read from disk by the scan
//! thread ([`super::scan`]: at start, on a save, on a watched change), with
//! each open document as it is in the editor. Until the first walk is in,
//! documents get their own findings only (a policy not read yet must not
//! look missing). When a document's facts or the workspace's files change,
//! the open documents the check concerns are checked again, and published
//! when their findings changed.

use super::position::{LineIndex, Lines};
use super::scan::Snapshot;
use super::{convert, engine, Encoding, Settings};
use crossbeam_channel::{never, select, Receiver, Sender};
use engine::{Member, OtherFile};
use lsp_server::{Message, Notification};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::{PublishDiagnosticsParams, Uri};
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex};

/// What the lint thread and the main thread share: each open document's
/// current generation, and the findings of its latest lint.
#[derive(Default)]
pub(super) struct Shared {
    pub(super) docs: Mutex<HashMap<Uri, Live>>,
    /// Signalled when findings are stored: a request waits for the lint
    /// under way instead of linting the same text a second time.
    linted: Condvar,
}

pub(super) struct Live {
    pub(super) generation: u64,
    /// The findings for `generation`, once linted.
    pub(super) findings: Option<Arc<Vec<engine::Diagnostic>>>,
    /// A lint job for `generation` is on its way to the lint thread.
    pub(super) queued: bool,
}

impl Shared {
    pub(super) fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, Live>> {
        self.docs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The findings of `generation` of the document: at once when they are
    /// in, else when the lint thread has them (a request just after an edit
    /// waits for the one lint of that version). `None` when no lint of that
    /// generation is under way, or the lint thread has ended.
    pub(super) fn findings(&self, uri: &Uri, generation: u64) -> Option<Arc<Vec<engine::Diagnostic>>> {
        let mut docs = self.lock();
        loop {
            let live = docs.get(uri).filter(|l| l.generation == generation)?;
            if let Some(findings) = &live.findings {
                return Some(findings.clone());
            }
            if !live.queued {
                return None;
            }
            docs = self.linted.wait(docs).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The lint thread is gone: nothing queued will be linted.
    fn abandon(&self) {
        for live in self.lock().values_mut() {
            live.queued = false;
        }
        self.linted.notify_all();
    }
}

pub(super) struct Job {
    pub(super) uri: Uri,
    pub(super) generation: u64,
    pub(super) version: i32,
    pub(super) text: Arc<String>,
    /// `None` after a whole-text change: indexed here.
    pub(super) lines: Option<Arc<Lines>>,
    /// The name the format is chosen by.
    pub(super) path: Option<PathBuf>,
    /// The file on disk it is, when it is one, links resolved (the check
    /// across files reads the editor's text instead of the file's).
    pub(super) file: Option<PathBuf>,
    pub(super) settings: Arc<Settings>,
    /// The changes that made its text of an earlier job's; `None` when not known.
    pub(super) changes: Option<Changes>,
}

/// The changes that made a job's text of the text of job `since`.
pub(super) struct Changes {
    pub(super) since: u64,
    pub(super) list: Vec<engine::Change>,
}

/// What the main thread asks of the lint thread.
pub(super) enum Work {
    Lint(Job),
    /// A document was closed: its file on disk stands for it again.
    Closed,
}

/// An open document as last linted: what it needs to be checked across
/// files again without linting it again.
struct Linted {
    job: Job,
    /// Its own findings (before the check across files), its facts and
    /// its shape (none when the lint failed or the text is no replication
    /// document).
    lint: engine::Linted,
    file: Arc<OtherFile>,
    /// The findings last published for it (own and across files).
    sent: Option<Arc<Vec<engine::Diagnostic>>>,
}

/// The lint thread: takes the newest job of each document (older ones
/// queued behind it are never linted), lints, and publishes unless the
/// document changed meanwhile; ends when the main thread's queue closes.
pub(super) fn work(
    queue: &Receiver<Work>,
    mut scans: Receiver<Snapshot>,
    shared: &Shared,
    sender: &Sender<Message>,
    encoding: Encoding,
) {
    // However this thread ends, a request waiting for a lint is let go.
    struct Abandon<'a>(&'a Shared);
    impl Drop for Abandon<'_> {
        fn drop(&mut self) {
            self.0.abandon();
        }
    }
    let _abandon = Abandon(shared);
    // The workspace's files with facts; `None` until the first walk is in.
    let mut workspace: Option<BTreeMap<PathBuf, Member>> = None;
    let mut open: HashMap<Uri, Linted> = HashMap::new();
    loop {
        let mut works: Vec<Work> = Vec::new();
        let mut snapshots: Vec<Snapshot> = Vec::new();
        let mut scans_ended = false;
        select! {
            recv(queue) -> work => match work {
                Ok(work) => works.push(work),
                Err(_) => return,
            },
            recv(scans) -> snapshot => match snapshot {
                Ok(snapshot) => snapshots.push(snapshot),
                Err(_) => scans_ended = true,
            },
        }
        if scans_ended {
            scans = never();
            continue;
        }
        works.extend(queue.try_iter());
        snapshots.extend(scans.try_iter());
        let mut facts_changed = false;
        if let Some(latest) = snapshots.pop() {
            facts_changed = workspace.is_none() || latest.changed || snapshots.iter().any(|s| s.changed);
            workspace = Some(latest.files);
        }
        let mut newest: Vec<Job> = Vec::new();
        for work in works {
            match work {
                Work::Closed => {}
                Work::Lint(mut job) => match newest.iter_mut().find(|j| j.uri == job.uri) {
                    Some(older) => {
                        // Its changes follow the older job's, which is not linted.
                        job.changes = match (older.changes.take(), job.changes.take()) {
                            (Some(mut first), Some(then)) if then.since == older.generation => {
                                first.list.extend(then.list);
                                Some(first)
                            }
                            _ => None,
                        };
                        *older = job;
                    }
                    None => newest.push(job),
                },
            }
        }
        let current = |uri: &Uri, generation: u64, docs: &HashMap<Uri, Live>| {
            docs.get(uri).map(|l| l.generation) == Some(generation)
        };
        // Closed documents are forgotten (their files on disk count again).
        {
            let docs = shared.lock();
            open.retain(|uri, l| {
                let keep = docs.contains_key(uri);
                facts_changed |= !keep && !l.lint.facts.is_empty();
                keep
            });
        }
        let mut linted_now: Vec<Uri> = Vec::new();
        for job in newest {
            if !current(&job.uri, job.generation, &shared.lock()) {
                continue;
            }
            let moved = job.changes.as_ref().and_then(|changes| {
                let before = open.get(&job.uri).filter(|l| {
                    l.job.generation == changes.since
                        && l.job.path == job.path
                        && Arc::ptr_eq(&l.job.settings, &job.settings)
                })?;
                engine::moved_findings(
                    &before.job.text,
                    &job.text,
                    job.path.as_deref(),
                    &job.settings,
                    &changes.list,
                    &before.lint,
                )
            });
            let lint = moved.unwrap_or_else(|| {
                let guarded = std::panic::catch_unwind(|| {
                    engine::lint_with_facts(&job.text, job.path.as_deref(), &job.settings).unwrap_or_default()
                });
                guarded.unwrap_or_else(|_| {
                    eprintln!("ecrlint server: internal error while linting {}", job.uri.as_str());
                    Default::default()
                })
            });
            let file = Arc::new(OtherFile {
                path: job.uri.as_str().to_string(),
                path_bytes: None,
                text: job.text.to_string(),
            });
            let before = open.get(&job.uri).map(|l| &l.lint.facts);
            facts_changed |= before != Some(&lint.facts) && !(before.is_none() && lint.facts.is_empty());
            linted_now.push(job.uri.clone());
            open.insert(
                job.uri.clone(),
                Linted {
                    job,
                    lint,
                    file,
                    sent: None,
                },
            );
        }
        // Every document linted now; and when what the check across files
        // reads has changed, every other open document it concerns.
        let mut to_publish = linted_now.clone();
        if facts_changed {
            to_publish.extend(
                open.iter()
                    .filter(|(uri, l)| !l.lint.facts.is_empty() && !linted_now.contains(uri))
                    .map(|(uri, _)| uri.clone()),
            );
        }
        for uri in to_publish {
            let Some(linted) = open.get(&uri) else { continue };
            let mut found = linted.lint.diagnostics.clone();
            if let Some(workspace) = workspace.as_ref().filter(|_| !linted.lint.facts.is_empty()) {
                let (members, index) = members_for(workspace, &open, &uri);
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    engine::check_across(&members, index, &linted.job.settings, &mut found);
                }));
            }
            let Some(linted) = open.get_mut(&uri) else { continue };
            // Checked again for another document's change, and found the
            // same: the editor already shows these (a keystroke elsewhere
            // that moved nothing the check reads).
            if linted.sent.as_deref() == Some(&found) {
                continue;
            }
            let found = Arc::new(found);
            linted.sent = Some(found.clone());
            let job = &linted.job;
            let lines = job.lines.clone().unwrap_or_else(|| Arc::new(Lines::new(&job.text)));
            let index = LineIndex::with_lines(&job.text, &lines, encoding);
            let diagnostics = convert::diagnostics(&job.uri, &index, &found);
            let mut docs = shared.lock();
            if !current(&job.uri, job.generation, &docs) {
                continue;
            }
            if let Some(live) = docs.get_mut(&job.uri) {
                live.findings = Some(found);
                live.queued = false;
            }
            shared.linted.notify_all();
            // Sent while holding the lock: a close cannot slip its empty
            // list in before this one.
            let _ = sender.send(publish(job.uri.clone(), Some(job.version), diagnostics));
        }
    }
}

/// The files of the check across files for the open document `uri`: the
/// workspace's files on disk that are not open, and the open documents as
/// edited, in path order; with the document's index among them.
fn members_for(workspace: &BTreeMap<PathBuf, Member>, open: &HashMap<Uri, Linted>, uri: &Uri) -> (Vec<Member>, usize) {
    let open_files: Vec<&PathBuf> = open.values().filter_map(|l| l.job.file.as_ref()).collect();
    let mut all: Vec<(String, Member)> = workspace
        .iter()
        .filter(|(path, _)| !open_files.contains(path))
        .map(|(_, m)| {
            let member = Member {
                facts: m.facts.clone(),
                file: m.file.clone(),
            };
            (m.file.path.clone(), member)
        })
        .collect();
    all.extend(
        open.iter()
            .filter(|(u, l)| !l.lint.facts.is_empty() || *u == uri)
            .map(|(u, l)| {
                (
                    u.as_str().to_string(),
                    Member {
                        facts: l.lint.facts.clone(),
                        file: l.file.clone(),
                    },
                )
            }),
    );
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let index = all.iter().position(|(u, _)| u == uri.as_str()).unwrap_or(0);
    (all.into_iter().map(|(_, m)| m).collect(), index)
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
