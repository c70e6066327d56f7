//! The lint thread: it takes the newest version of each document (older
//! ones queued behind it are never linted), lints it through the engine,
//! and publishes the findings unless the document changed meanwhile.

use super::{convert, engine, Encoding, Settings};
use crossbeam_channel::{Receiver, Sender};
use lsp_server::{Message, Notification};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::{PublishDiagnosticsParams, Uri};
use std::collections::HashMap;
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
    pub(super) path: Option<PathBuf>,
    pub(super) settings: Arc<Settings>,
}

/// The lint thread: takes the newest job of each document (older ones
/// queued behind it are never linted), lints, and publishes unless the
/// document changed meanwhile.
pub(super) fn work(queue: &Receiver<Job>, shared: &Shared, sender: &Sender<Message>, encoding: Encoding) {
    while let Ok(first) = queue.recv() {
        let mut newest: Vec<Job> = Vec::new();
        for job in std::iter::once(first).chain(queue.try_iter()) {
            match newest.iter_mut().find(|j| j.uri == job.uri) {
                Some(older) => *older = job,
                None => newest.push(job),
            }
        }
        for job in newest {
            let current = |docs: &HashMap<Uri, Live>| docs.get(&job.uri).map(|l| l.generation) == Some(job.generation);
            if !current(&shared.lock()) {
                continue;
            }
            let found = std::panic::catch_unwind(|| engine::lint(&job.text, job.path.as_deref(), &job.settings))
                .unwrap_or_else(|_| {
                    eprintln!("ecrlint server: internal error while linting {}", job.uri.as_str());
                    None
                })
                .unwrap_or_default();
            let diagnostics = convert::diagnostics(&job.uri, &job.text, encoding, &found);
            let mut docs = shared.lock();
            if !current(&docs) {
                continue;
            }
            if let Some(live) = docs.get_mut(&job.uri) {
                live.findings = Some(Arc::new(found));
            }
            // Sent while holding the lock: a close cannot slip its empty
            // list in before this one.
            let _ = sender.send(publish(job.uri, Some(job.version), diagnostics));
        }
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
