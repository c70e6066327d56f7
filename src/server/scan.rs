//! The scan thread: walks the workspace folders as `check` would and reads
//! the facts of each new or changed file, off the lint thread, so that a
//! large workspace never delays a lint. Each walk ends in a [`Snapshot`]
//! for the lint thread; requests that arrive during a walk are answered by
//! one more walk. A client that can show progress (`window.workDoneProgress`)
//! sees each walk as `$/progress`: begun, files read, ended.

use super::engine::{self, Engine, FileFacts, Member, OtherFile, Settings};
use crossbeam_channel::{unbounded, Receiver, Sender};
use lsp_server::{Message, Notification, Request, RequestId};
use lsp_types::notification::{Notification as _, Progress as ProgressNotification};
use lsp_types::request::{Request as _, WorkDoneProgressCreate};
use lsp_types::{
    NumberOrString, ProgressParams, ProgressParamsValue, WorkDoneProgress, WorkDoneProgressBegin,
    WorkDoneProgressCreateParams, WorkDoneProgressEnd, WorkDoneProgressReport,
};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The workspace's files as one walk found them.
#[derive(Default)]
pub(super) struct Snapshot {
    /// The files with facts for the check across files, keyed by path with
    /// links resolved (as open documents are compared with them).
    pub(super) files: BTreeMap<PathBuf, Member>,
    /// Whether any file's facts differ from the previous walk's.
    pub(super) changed: bool,
}

/// What the main thread asks of the scan thread.
pub(super) enum Ask {
    /// Walk the folders again (files added, changed, removed).
    Walk,
    /// The workspace folders changed: walk these from now on.
    Folders(Vec<PathBuf>),
}

/// The main thread's handle on the scan thread. Dropped, it stops the walk
/// under way: an exiting server waits for no walk (the scan thread holds a
/// sender of the client's messages, for progress, until it ends).
pub(super) struct Scanner {
    asks: Sender<Ask>,
    stop: Arc<AtomicBool>,
}

impl Scanner {
    pub(super) fn ask(&self, ask: Ask) {
        let _ = self.asks.send(ask);
    }
}

impl Drop for Scanner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Starts the scan thread for these folders: snapshots come back on the
/// receiver, and progress goes to the client through `progress` when it is
/// given. Without folders there is nothing to walk: an empty snapshot is
/// ready at once.
pub(super) fn spawn(
    engine: Arc<Engine>,
    roots: Vec<PathBuf>,
    progress: Option<Sender<Message>>,
) -> (Scanner, Receiver<Snapshot>) {
    let (requests, requested) = unbounded::<Ask>();
    let (snapshots, received) = unbounded();
    let stop = Arc::new(AtomicBool::new(false));
    let stopped = stop.clone();
    if roots.is_empty() {
        let _ = snapshots.send(Snapshot::default());
    }
    std::thread::Builder::new()
        .name("ecrlint-scan".into())
        .spawn(move || {
            let mut roots = roots;
            let mut workspace = Workspace::default();
            let mut walks = 0u64;
            while let Ok(first) = requested.recv() {
                // Requests queued before this walk starts are answered by it.
                for ask in std::iter::once(first).chain(requested.try_iter()) {
                    if let Ask::Folders(folders) = ask {
                        roots = folders;
                    }
                }
                walks += 1;
                let mut report = progress
                    .as_ref()
                    .filter(|_| !roots.is_empty())
                    .map(|sender| Progress::begin(sender, walks));
                let walked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    workspace.rescan(&engine, &roots, &mut |read, of| {
                        if let Some(r) = report.as_mut() {
                            r.files_read(read, of);
                        }
                        !stopped.load(Ordering::Relaxed)
                    })
                }));
                if stopped.load(Ordering::Relaxed) {
                    break;
                }
                let changed = walked.unwrap_or_else(|_| {
                    eprintln!("ecrlint server: internal error while reading the workspace's files");
                    let changed = workspace.files.values().any(|f| !f.facts.is_empty());
                    workspace = Workspace::default();
                    changed
                });
                if let Some(r) = report {
                    let with_facts = workspace.files.values().filter(|f| !f.facts.is_empty()).count();
                    r.end(workspace.files.len(), with_facts, workspace.too_large);
                }
                if snapshots.send(workspace.snapshot(changed)).is_err() {
                    break;
                }
            }
        })
        .expect("spawn the scan thread");
    (Scanner { asks: requests, stop }, received)
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
    /// file, telling `files_read` how far it is (files done, of how many),
    /// which answers whether to go on; returns whether any file's facts
    /// changed (a walk not gone on with leaves the files half read).
    fn rescan(&mut self, engine: &Engine, roots: &[PathBuf], files_read: &mut dyn FnMut(usize, usize) -> bool) -> bool {
        if roots.is_empty() {
            let changed = self.files.values().any(|f| !f.facts.is_empty());
            *self = Workspace::default();
            return changed;
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
        let total = found.len();
        for (done, path) in found.into_iter().enumerate() {
            if !files_read(done, total) {
                return changed;
            }
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

    /// What the lint thread needs of this walk.
    fn snapshot(&self, changed: bool) -> Snapshot {
        let files = self
            .files
            .iter()
            .filter(|(_, f)| !f.facts.is_empty())
            .map(|(path, f)| {
                let member = Member {
                    facts: f.facts.clone(),
                    file: f.file.clone(),
                };
                (path.clone(), member)
            })
            .collect();
        Snapshot { files, changed }
    }
}

/// One walk's `$/progress`: a token created for it, begun, reported at most
/// every [`Progress::EVERY`], ended.
struct Progress<'s> {
    sender: &'s Sender<Message>,
    token: NumberOrString,
    last: Instant,
}

impl<'s> Progress<'s> {
    const EVERY: Duration = Duration::from_millis(250);

    fn begin(sender: &'s Sender<Message>, walk: u64) -> Progress<'s> {
        let token = NumberOrString::String(format!("ecrlint/workspace/{walk}"));
        let create = Request::new(
            RequestId::from(format!("ecrlint-progress-{walk}")),
            WorkDoneProgressCreate::METHOD.into(),
            WorkDoneProgressCreateParams { token: token.clone() },
        );
        let _ = sender.send(create.into());
        let progress = Progress {
            sender,
            token,
            last: Instant::now(),
        };
        progress.send(WorkDoneProgress::Begin(WorkDoneProgressBegin {
            title: "ecrlint".into(),
            cancellable: Some(false),
            message: Some("reading the workspace".into()),
            percentage: Some(0),
        }));
        progress
    }

    fn files_read(&mut self, read: usize, of: usize) {
        if self.last.elapsed() < Self::EVERY {
            return;
        }
        self.last = Instant::now();
        let percentage = u32::try_from(read * 100 / of.max(1)).unwrap_or(100);
        self.send(WorkDoneProgress::Report(WorkDoneProgressReport {
            cancellable: Some(false),
            message: Some(format!("reading the workspace: {read} of {of} files")),
            percentage: Some(percentage),
        }));
    }

    fn end(self, files: usize, with_facts: usize, too_large: bool) {
        let message = match (files, too_large) {
            (_, true) => "too many files: only open documents are checked against each other".to_string(),
            (1, _) => format!("1 file, {with_facts} in the check across files"),
            _ => format!("{files} files, {with_facts} in the check across files"),
        };
        self.send(WorkDoneProgress::End(WorkDoneProgressEnd { message: Some(message) }));
    }

    fn send(&self, value: WorkDoneProgress) {
        let params = ProgressParams {
            token: self.token.clone(),
            value: ProgressParamsValue::WorkDone(value),
        };
        let _ = self
            .sender
            .send(Notification::new(ProgressNotification::METHOD.into(), params).into());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::time::Duration;

    fn engine() -> Arc<Engine> {
        Arc::new(Engine::new(&engine::Options::default()).0)
    }

    fn next(snapshots: &Receiver<Snapshot>) -> Snapshot {
        snapshots.recv_timeout(Duration::from_secs(60)).expect("a snapshot")
    }

    #[test]
    fn without_folders_an_empty_snapshot_is_ready_at_once() {
        let (requests, snapshots) = spawn(engine(), Vec::new(), None);
        let first = snapshots.try_recv().expect("ready before any request");
        assert!(first.files.is_empty() && !first.changed);
        requests.ask(Ask::Walk);
        let walked = next(&snapshots);
        assert!(walked.files.is_empty() && !walked.changed);
    }

    #[test]
    fn each_walk_reports_the_files_with_facts_and_whether_they_changed() {
        let dir = tempfile::tempdir().unwrap();
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cross-account");
        let policy = dir.path().join("destination/dr/registry-policy.json");
        for file in ["source/replication.json", "destination/dr/registry-policy.json"] {
            let to = dir.path().join(file);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(example.join(file), &to).unwrap();
        }
        std::fs::write(dir.path().join("notes.json"), r#"{"rules": []}"#).unwrap();
        let (requests, snapshots) = spawn(engine(), vec![dir.path().to_path_buf()], None);
        assert!(
            snapshots.recv_timeout(Duration::from_millis(200)).is_err(),
            "walks only when asked"
        );

        requests.ask(Ask::Walk);
        let first = next(&snapshots);
        let names: Vec<_> = first
            .files
            .keys()
            .map(|p| p.strip_prefix(dir.path().canonicalize().unwrap()).unwrap().to_owned())
            .collect();
        assert_eq!(
            names,
            [
                Path::new("destination/dr/registry-policy.json"),
                Path::new("source/replication.json")
            ]
        );
        assert!(first.changed);

        requests.ask(Ask::Walk);
        assert!(!next(&snapshots).changed, "nothing changed on disk");

        // Its malformed repository ARN mended: it grants now (and its size
        // changed, whatever the file system's clock granularity).
        let text = std::fs::read_to_string(&policy).unwrap();
        let mended = text.replace("arn:aws:eu-west-1:", "arn:aws:ecr:eu-west-1:");
        assert_ne!(text, mended);
        std::fs::write(&policy, &mended).unwrap();
        requests.ask(Ask::Walk);
        let after = next(&snapshots);
        assert!(after.changed);
        assert_eq!(after.files[&policy.canonicalize().unwrap()].file.text, mended);

        std::fs::remove_file(&policy).unwrap();
        requests.ask(Ask::Walk);
        let gone = next(&snapshots);
        assert!(gone.changed);
        assert_eq!(gone.files.len(), 1);

        // The folder removed from the workspace: nothing is left to check.
        requests.ask(Ask::Folders(Vec::new()));
        let none = next(&snapshots);
        assert!(none.changed && none.files.is_empty());
        // And added back.
        requests.ask(Ask::Folders(vec![dir.path().to_path_buf()]));
        let back = next(&snapshots);
        assert!(back.changed);
        assert_eq!(back.files.len(), 1);
    }

    #[test]
    fn a_walk_stops_at_the_first_file_once_told_to() {
        let dir = tempfile::tempdir().unwrap();
        for i in 0..5 {
            std::fs::copy(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cross-account/source/replication.json"),
                dir.path().join(format!("r{i}.json")),
            )
            .unwrap();
        }
        let roots = [dir.path().to_path_buf()];
        let mut asked = Vec::new();
        let mut stopped = Workspace::default();
        stopped.rescan(&engine(), &roots, &mut |read, of| {
            asked.push((read, of));
            false
        });
        assert_eq!(asked, [(0, 5)]);
        assert!(stopped.files.is_empty(), "no file read");
        let mut whole = Workspace::default();
        assert!(whole.rescan(&engine(), &roots, &mut |_, _| true));
        assert_eq!(whole.files.len(), 5);
    }
}
