//! `ecrlint server`: the Language Server Protocol over standard
//! input/output. Documents are linted as `check` lints the files of a
//! directory, by [`engine`] (the one door into the rest of ecrlint), on a
//! worker thread so that the reader never waits for a lint; a result for a
//! version that has since changed is dropped. Edits are applied to the text
//! and its line index where they fall; changes already waiting are applied
//! together and the document is linted once, when none is left.

// lsp_types::Uri caches parts of its parse in a Cell, but hashes and
// compares by its text, which never changes: it is a sound map key.
#![allow(clippy::mutable_key_type)]

mod actions;
mod completion;
mod convert;
pub mod engine;
mod hover;
mod position;
mod review;
mod scan;
mod transport;
mod uri;
mod worker;

use crossbeam_channel::{unbounded, Receiver, Sender};
use engine::{Engine, Settings};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as notif, Notification as _};
use lsp_types::request::{self as req, Request as _};
use lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionProviderCapability, CompletionOptions, HoverProviderCapability,
    InitializeParams, InitializeResult, MessageType, OneOf, SaveOptions, ServerCapabilities, ServerInfo,
    ShowMessageParams, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Uri, WorkspaceFoldersServerCapabilities, WorkspaceServerCapabilities,
};
use position::{Encoding, LineIndex, Lines};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use worker::{publish, work, Changes, Job, Live, Shared, Work};

/// The kind of the "fix all" code action (editors' fix-on-save asks for it).
pub const FIX_ALL: &str = "source.fixAll.ecrlint";

/// Runs the server until `exit`: 0 after a `shutdown` request, else 1.
pub fn run() -> i32 {
    let (connection, threads) = transport::stdio();
    let code = serve(connection);
    threads.join();
    code
}

/// Serves one connection until `exit` (or its end); returns the exit code.
pub fn serve(connection: lsp_server::Connection) -> i32 {
    let lsp_server::Connection { sender, receiver } = connection;
    let Some((id, params)) = wait_for_initialize(&sender, &receiver) else {
        return 1;
    };
    let encoding = position::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref()),
    );
    let folders = workspace_folders(&params);
    let options: Result<engine::Options, String> = match params.initialization_options {
        None | Some(serde_json::Value::Null) => Ok(engine::Options::default()),
        Some(v) => serde_json::from_value(v).map_err(|e| format!("initializationOptions: {e}")),
    };
    let (engine, options_error) = match options {
        Ok(options) => Engine::new(&options),
        Err(e) => (Engine::new(&engine::Options::default()).0, Err(e)),
    };
    let result = InitializeResult {
        capabilities: capabilities(encoding),
        server_info: Some(ServerInfo {
            name: "ecrlint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    let _ = sender.send(Response::new_ok(id, result).into());
    let watch = params
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|w| w.dynamic_registration)
        .unwrap_or(false);
    let engine = Arc::new(engine);
    let shared = Arc::new(Shared::default());
    let (jobs, queue) = unbounded();
    let shows_progress = params
        .capabilities
        .window
        .as_ref()
        .and_then(|w| w.work_done_progress)
        .unwrap_or(false);
    let (scans, snapshots) = scan::spawn(
        engine.clone(),
        outermost(&folders),
        shows_progress.then(|| sender.clone()),
    );
    let worker = {
        let (shared, sender) = (shared.clone(), sender.clone());
        std::thread::Builder::new()
            .name("ecrlint-lint".into())
            .spawn(move || work(&queue, snapshots, &shared, &sender, encoding))
            .expect("spawn the lint thread")
    };
    let mut server = Server {
        sender,
        encoding,
        engine,
        docs: HashMap::new(),
        shared,
        jobs,
        scans,
        folders,
        found_workspaces: Vec::new(),
        config_uris: HashSet::new(),
        shown_config_errors: Vec::new(),
        shutdown: false,
        next_request: 0,
        generation: 0,
        stale: Vec::new(),
        model: None,
        disk_model: None,
    };
    if let Err(e) = options_error {
        server.show(MessageType::ERROR, format!("ecrlint: {e}; using no options"));
    }
    let code = server.main_loop(&receiver, watch);
    drop(server);
    let _ = worker.join();
    code
}

/// The workspace folders (or, from a client that names none, the older
/// root URI) as paths: the check across files reads the files in them.
fn workspace_folders(params: &InitializeParams) -> Vec<PathBuf> {
    #[allow(deprecated)]
    let uris: Vec<&Uri> = match &params.workspace_folders {
        Some(folders) => folders.iter().map(|f| &f.uri).collect(),
        None => params.root_uri.iter().collect(),
    };
    uris.into_iter().filter_map(uri::to_path).collect()
}

/// The folders to walk: each once, and none inside another (it is walked
/// with it).
fn outermost(folders: &[PathBuf]) -> Vec<PathBuf> {
    let mut roots = folders.to_vec();
    roots.sort();
    roots.dedup();
    let all = roots.clone();
    roots.retain(|r| !all.iter().any(|o| o != r && r.starts_with(o)));
    roots
}

/// Answers requests before `initialize` as the protocol says; `None` when
/// the connection ends (or `exit` comes) first.
fn wait_for_initialize(
    sender: &Sender<Message>,
    receiver: &Receiver<Message>,
) -> Option<(RequestId, InitializeParams)> {
    for message in receiver {
        match message {
            Message::Request(r) if r.method == req::Initialize::METHOD => {
                match serde_json::from_value::<InitializeParams>(r.params) {
                    Ok(params) => return Some((r.id, params)),
                    Err(e) => {
                        let _ = sender.send(
                            Response::new_err(r.id, ErrorCode::InvalidParams as i32, format!("initialize: {e}")).into(),
                        );
                    }
                }
            }
            Message::Request(r) => {
                let _ = sender.send(
                    Response::new_err(
                        r.id,
                        ErrorCode::ServerNotInitialized as i32,
                        "the server is not initialized yet".into(),
                    )
                    .into(),
                );
            }
            Message::Notification(n) if n.method == notif::Exit::METHOD => return None,
            _ => {}
        }
    }
    None
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(position::kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                include_text: Some(false),
            })),
            ..Default::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), ":".into()]),
            ..Default::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX, CodeActionKind::new(FIX_ALL)]),
            resolve_provider: Some(false),
            ..Default::default()
        })),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..Default::default()
    }
}

/// An open document.
struct Doc {
    version: i32,
    /// Edited in place; a lint job holds the text it was given (the first
    /// edit after it copies).
    text: Arc<String>,
    /// Its lines, updated with each edit; indexed when first needed after
    /// a whole-text change (by a request or an edit here, else by the lint
    /// thread), not on the main thread at every change.
    lines: std::cell::OnceCell<Arc<Lines>>,
    path: Option<PathBuf>,
    /// The file on disk it is, links resolved (see `Job::file`).
    file: Option<PathBuf>,
    /// The destination values hover explains, read from the text once
    /// per version, on the first hover.
    values: std::cell::OnceCell<Arc<engine::Values>>,
    /// The model of this version alone, for the hover's review, with the
    /// root its path is shown from: read once per version, so that a view
    /// of the workspace after an edit reads the edited document only.
    piece: Option<(Option<PathBuf>, Arc<crate::model::Model>)>,
    /// The name the format is chosen by: the path, or for an untitled
    /// document a name its language id gives (`terraform`: `.tf`).
    format: Option<PathBuf>,
    /// The last good settings: kept while its configuration file is broken.
    settings: Arc<Settings>,
    /// Set anew on every change; a lint result for an older one is dropped.
    generation: u64,
    /// The changes made since the text of the last lint job (that of
    /// `generation`), in order; `None` after a whole-text change or when
    /// opened. The lint thread moves that lint's findings by them when they
    /// only add or remove blanks.
    changes: Option<Vec<engine::Change>>,
    /// An `exclude` glob of its configuration matches it: no findings, no
    /// fixes (as `check --force-exclude`, which editors' hooks also use).
    excluded: bool,
}

struct Server {
    sender: Sender<Message>,
    encoding: Encoding,
    engine: Arc<Engine>,
    docs: HashMap<Uri, Doc>,
    shared: Arc<Shared>,
    jobs: Sender<Work>,
    /// Asks the scan thread to walk the workspace folders again.
    scans: scan::Scanner,
    /// The workspace folders, as the client last named them.
    folders: Vec<PathBuf>,
    /// Without folders from the client: the workspaces of the documents
    /// opened (their git work trees, or topmost `.ecrlint.toml` folders),
    /// so that the check across files reads what `check` reads.
    found_workspaces: Vec<PathBuf>,
    /// Configuration files whose errors are published.
    config_uris: HashSet<Uri>,
    /// The configuration errors last shown in a message, not to repeat it.
    shown_config_errors: Vec<(PathBuf, String)>,
    shutdown: bool,
    next_request: i32,
    /// The last generation given to a document's text.
    generation: u64,
    /// Documents changed since their last lint: linted when no more
    /// changes are waiting (a burst of keystrokes is linted once).
    stale: Vec<Uri>,
    /// What the workspace deploys, for hover's review: built on the first
    /// hover on a filter or a destination after a document, a watched file
    /// or the folders change, from the files on disk and each open
    /// document's piece (`Doc::piece`).
    model: Option<Arc<review::ModelView>>,
    /// Its files on disk (the open documents left out), read again only
    /// when a watched file, the folders or the set of open documents
    /// change, not at every keystroke.
    disk_model: Option<Arc<crate::model::Model>>,
}

/// A request's failure: a JSON-RPC error code and message.
type Failure = (ErrorCode, String);

impl Doc {
    /// Its lines, indexed now if a whole-text change left them to be.
    fn lines(&self) -> Arc<Lines> {
        self.lines.get_or_init(|| Arc::new(Lines::new(&self.text))).clone()
    }
}

impl Server {
    fn main_loop(&mut self, receiver: &Receiver<Message>, watch: bool) -> i32 {
        loop {
            if receiver.is_empty() {
                self.lint_stale();
            }
            let Ok(message) = receiver.recv() else { break };
            let change =
                matches!(&message, Message::Notification(n) if n.method == notif::DidChangeTextDocument::METHOD);
            if !change {
                // Whatever comes next sees the findings of the text as it is.
                self.lint_stale();
            }
            match message {
                Message::Request(r) => {
                    if self.shutdown {
                        self.reply_err(r.id, ErrorCode::InvalidRequest, "the server is shutting down".into());
                        continue;
                    }
                    let id = r.id.clone();
                    let method = r.method.clone();
                    // A bug answers this request with an error; the server goes on.
                    let answer = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.request(r)))
                        .unwrap_or_else(|_| Err((ErrorCode::InternalError, format!("internal error in `{method}`"))));
                    match answer {
                        Ok(value) => {
                            let _ = self.sender.send(Response::new_ok(id, value).into());
                        }
                        Err((code, message)) => self.reply_err(id, code, message),
                    }
                }
                Message::Notification(n) if n.method == notif::Exit::METHOD => {
                    return if self.shutdown { 0 } else { 1 };
                }
                Message::Notification(n) if n.method == notif::Initialized::METHOD => {
                    if watch {
                        self.register_watcher();
                    }
                    // The workspace's files, for the check across files.
                    self.scans.ask(scan::Ask::Walk);
                }
                Message::Notification(n) => {
                    if !self.shutdown {
                        let method = n.method.clone();
                        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.notification(n))).is_err() {
                            eprintln!("ecrlint server: internal error in `{method}`");
                        }
                    }
                }
                // Answers to our own requests (the watcher registration).
                Message::Response(_) => {}
            }
        }
        // The client went away without `exit`.
        1
    }

    fn reply_err(&self, id: RequestId, code: ErrorCode, message: String) {
        let _ = self.sender.send(Response::new_err(id, code as i32, message).into());
    }

    fn request(&mut self, r: Request) -> Result<serde_json::Value, Failure> {
        fn params<P: serde::de::DeserializeOwned>(r: Request) -> Result<P, Failure> {
            serde_json::from_value(r.params).map_err(|e| (ErrorCode::InvalidParams, format!("{}: {e}", r.method)))
        }
        let value = match r.method.as_str() {
            req::Shutdown::METHOD => {
                self.shutdown = true;
                serde_json::Value::Null
            }
            req::HoverRequest::METHOD => {
                let p: lsp_types::HoverParams = params(r)?;
                let pos = p.text_document_position_params;
                let doc = self.doc(&pos.text_document.uri)?;
                let findings = self.findings(&pos.text_document.uri);
                let values = self.values(&pos.text_document.uri);
                let uri = pos.text_document.uri;
                let encoding = self.encoding;
                let review = |offset| {
                    // Most hovers are on nothing the review speaks of: the
                    // hovered document alone says so, without the workspace.
                    let piece = self.piece(&uri)?;
                    if !review::speaks_at(&piece, 0, offset) {
                        return None;
                    }
                    let view = self.model();
                    let file = *view.open.get(&uri)?;
                    review::review(&view.model, file, offset)
                };
                serde_json::to_value(hover::hover(doc, &findings, &values, review, pos.position, encoding))
                    .unwrap_or_default()
            }
            req::Completion::METHOD => {
                let p: lsp_types::CompletionParams = params(r)?;
                let pos = p.text_document_position;
                let doc = self.doc(&pos.text_document.uri)?;
                let items = completion::complete(&doc, pos.position, self.encoding);
                serde_json::to_value(items).unwrap_or_default()
            }
            req::CodeActionRequest::METHOD => {
                let p: lsp_types::CodeActionParams = params(r)?;
                let uri = p.text_document.uri.clone();
                let doc = self.doc(&uri)?;
                let findings = self.findings(&uri);
                let excluded = self.docs.get(&uri).is_some_and(|d| d.excluded);
                let index = LineIndex::with_lines(&doc.text, &doc.lines, self.encoding);
                let ignore_here = |d: &engine::Diagnostic| self.ignore_action(&uri, &index, &doc, d);
                let actions = actions::code_actions(&uri, &index, &findings, &p, engine::fixes, ignore_here, || {
                    if excluded {
                        return None;
                    }
                    engine::fix_all(&doc.text, doc.path.as_deref(), &doc.settings)
                });
                serde_json::to_value(actions).unwrap_or_default()
            }
            _ => return Err((ErrorCode::MethodNotFound, format!("unsupported request `{}`", r.method))),
        };
        Ok(value)
    }

    /// "Ignore ECRxxx here": a suppression comment above the finding's line
    /// (YAML, Terraform HCL), or, in JSON, an `[[overrides]]` table turning
    /// the rule off for the file, appended to the `.ecrlint.toml` that
    /// governs it (none is created: without one, no action).
    fn ignore_action(
        &self,
        uri: &Uri,
        index: &LineIndex,
        doc: &DocView,
        d: &engine::Diagnostic,
    ) -> Option<(String, lsp_types::WorkspaceEdit)> {
        if let Some(comment) = engine::ignore_here(d, &doc.text, doc.path.as_deref()) {
            let title = format!("Ignore {} ({}) here", d.code, d.rule);
            return Some((title, actions::edit(uri, index, &[comment])));
        }
        let path = doc.path.as_deref()?;
        let json = crate::syntax::ReadAs::for_path(path).resolve(doc.text.as_bytes())
            == Some(crate::syntax::SourceFormat::Json);
        if !json || d.code == crate::rules::invalid_json::META.code || path.as_os_str().is_empty() {
            return None;
        }
        let config = self.engine.config_file_for(path)?;
        let text = std::fs::read_to_string(&config).ok()?;
        let table = engine::ignore_override(&config, &text, path, d.code)?;
        let config_uri = uri::from_path(&config)?;
        let config_index = LineIndex::new(&text, self.encoding);
        let title = format!(
            "Ignore {} ({}) in this file: [[overrides]] in {}",
            d.code,
            d.rule,
            config.file_name()?.to_string_lossy()
        );
        Some((
            title,
            actions::edit(
                &config_uri,
                &config_index,
                &[crate::fix::Edit::insert(text.len(), table)],
            ),
        ))
    }

    fn doc(&self, uri: &Uri) -> Result<DocView, Failure> {
        let doc = self
            .docs
            .get(uri)
            .ok_or_else(|| (ErrorCode::InvalidParams, format!("{} is not open", uri.as_str())))?;
        Ok(DocView {
            text: doc.text.clone(),
            lines: doc.lines(),
            path: doc.format.clone(),
            settings: doc.settings.clone(),
        })
    }

    /// The findings of the document's current text: the lint thread's (when
    /// its lint is under way, once it is done: one lint per version), else
    /// linted here and now.
    fn findings(&self, uri: &Uri) -> Arc<Vec<engine::Diagnostic>> {
        let Some(doc) = self.docs.get(uri) else {
            return Arc::default();
        };
        self.shared.findings(uri, doc.generation).unwrap_or_else(|| {
            Arc::new(engine::lint(&doc.text, doc.format.as_deref(), &doc.settings).unwrap_or_default())
        })
    }

    /// The folder the model's paths are shown from.
    fn model_root(&self) -> Option<PathBuf> {
        let roots = if self.folders.is_empty() {
            outermost(&self.found_workspaces)
        } else {
            outermost(&self.folders)
        };
        roots.into_iter().next()
    }

    /// The model of the document's current text alone (see `Doc::piece`);
    /// `None` for a document with neither a path nor a format name.
    fn piece(&mut self, uri: &Uri) -> Option<Arc<crate::model::Model>> {
        let root = self.model_root();
        let doc = self.docs.get_mut(uri)?;
        if let Some((read_from, piece)) = &doc.piece {
            if *read_from == root {
                return Some(piece.clone());
            }
        }
        let open = crate::load::OpenText {
            file: doc.file.clone().or_else(|| doc.format.clone())?,
            text: doc.text.to_string(),
            settings: (*doc.settings).clone(),
        };
        let piece = Arc::new(crate::load::read_open(root.as_deref(), &open));
        #[cfg(test)]
        tests::PIECES_READ.with(|n| n.set(n.get() + 1));
        doc.piece = Some((root, piece.clone()));
        Some(piece)
    }

    /// The model of the workspace as the editor shows it (open documents'
    /// texts in place of their files), built once per workspace state from
    /// the files on disk (kept while only open documents change) and each
    /// open document's piece (kept while it does not change).
    fn model(&mut self) -> Arc<review::ModelView> {
        if let Some(view) = &self.model {
            return view.clone();
        }
        let roots = if self.folders.is_empty() {
            outermost(&self.found_workspaces)
        } else {
            outermost(&self.folders)
        };
        let disk = match &self.disk_model {
            Some(disk) => disk.clone(),
            None => {
                let except: Vec<PathBuf> = self
                    .docs
                    .values()
                    .filter_map(|doc| doc.file.clone().or_else(|| doc.format.clone()))
                    .collect();
                let disk = Arc::new(self.engine.disk_model(&roots, &except));
                self.disk_model = Some(disk.clone());
                disk
            }
        };
        // In URI order: the same workspace is the same model.
        let mut uris: Vec<Uri> = self.docs.keys().cloned().collect();
        uris.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        let pieces: Vec<(Uri, Arc<crate::model::Model>)> = uris
            .into_iter()
            .filter_map(|uri| Some((uri.clone(), self.piece(&uri)?)))
            .collect();
        let (model, indices) = disk.joined(&pieces.iter().map(|(_, p)| &**p).collect::<Vec<_>>());
        let open = pieces
            .into_iter()
            .zip(indices)
            .filter_map(|((uri, _), index)| Some((uri, index?)))
            .collect();
        let view = Arc::new(review::ModelView { model, open });
        self.model = Some(view.clone());
        view
    }

    /// The destination values of the document's current text (read once per version).
    fn values(&self, uri: &Uri) -> Arc<engine::Values> {
        let Some(doc) = self.docs.get(uri) else {
            return Arc::default();
        };
        doc.values
            .get_or_init(|| Arc::new(engine::values(&doc.text, doc.format.as_deref())))
            .clone()
    }

    fn notification(&mut self, n: Notification) {
        // What the workspace deploys may have changed: the next hover reads
        // it again; the files on disk too, unless only an open text changed.
        let method = n.method.as_str();
        if method == notif::DidChangeTextDocument::METHOD {
            self.model = None;
        } else if matches!(
            method,
            notif::DidOpenTextDocument::METHOD
                | notif::DidSaveTextDocument::METHOD
                | notif::DidCloseTextDocument::METHOD
                | notif::DidChangeWorkspaceFolders::METHOD
                | notif::DidChangeWatchedFiles::METHOD
        ) {
            self.model = None;
            self.disk_model = None;
        }
        fn params<P: serde::de::DeserializeOwned>(n: Notification) -> Option<P> {
            match serde_json::from_value(n.params) {
                Ok(p) => Some(p),
                Err(e) => {
                    eprintln!("ecrlint server: ignoring malformed `{}`: {e}", n.method);
                    None
                }
            }
        }
        match n.method.as_str() {
            notif::DidOpenTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidOpenTextDocumentParams>(n) else {
                    return;
                };
                let item = p.text_document;
                let path = uri::to_path(&item.uri);
                let settings = Arc::new(self.settings_for(path.as_ref(), None));
                let format = path.clone().or_else(|| engine::name_for_language(&item.language_id));
                let excluded = path.as_deref().is_some_and(|p| self.engine.excluded(p));
                let file = path
                    .as_ref()
                    .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.clone()));
                if self.folders.is_empty() && self.engine.finds_workspaces {
                    let workspace = path.as_deref().and_then(crate::discover::workspace_of);
                    if let Some(workspace) = workspace.filter(|w| !self.found_workspaces.contains(w)) {
                        self.found_workspaces.push(workspace);
                        self.scans.ask(scan::Ask::Folders(outermost(&self.found_workspaces)));
                    }
                }
                self.stale.retain(|u| *u != item.uri);
                self.docs.insert(
                    item.uri.clone(),
                    Doc {
                        version: item.version,
                        lines: Default::default(),
                        text: Arc::new(item.text),
                        path,
                        file,
                        values: Default::default(),
                        piece: None,
                        format,
                        settings,
                        generation: 0,
                        changes: None,
                        excluded,
                    },
                );
                let mates = self.terraform_texts_changed(&item.uri);
                self.lint(&item.uri);
                for mate in mates {
                    self.lint(&mate);
                }
                self.report_config_errors();
            }
            notif::DidChangeTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidChangeTextDocumentParams>(n) else {
                    return;
                };
                let uri = p.text_document.uri;
                let encoding = self.encoding;
                let Some(doc) = self.docs.get_mut(&uri) else { return };
                for change in p.content_changes {
                    match change.range {
                        None => {
                            doc.text = Arc::new(change.text);
                            doc.lines = Default::default();
                            doc.changes = None;
                        }
                        Some(range) => {
                            let (start, end) = {
                                let lines = doc.lines();
                                let index = LineIndex::with_lines(&doc.text, &lines, encoding);
                                let start = index.offset(range.start);
                                (start, index.offset(range.end).max(start))
                            };
                            if let Some(changes) = &mut doc.changes {
                                changes.push(engine::Change {
                                    at: start,
                                    removed: end - start,
                                    inserted: change.text.clone(),
                                });
                            }
                            // Copied only when a lint job still holds them.
                            let text = Arc::make_mut(&mut doc.text);
                            text.replace_range(start..end, &change.text);
                            if let Some(lines) = doc.lines.get_mut() {
                                Arc::make_mut(lines).edit(text, start, end - start, change.text.len());
                            }
                        }
                    }
                }
                doc.values = Default::default();
                doc.piece = None;
                doc.version = p.text_document.version;
                if !self.stale.contains(&uri) {
                    self.stale.push(uri);
                }
            }
            notif::DidSaveTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidSaveTextDocumentParams>(n) else {
                    return;
                };
                let uri = p.text_document.uri;
                // Configuration files are read again on every save, not only
                // when the editor reports a change: editors without a file
                // watcher (Neovim 0.7) or without the .ecrlint.toml open
                // still pick up an edited configuration at the next save.
                let changed = self.reload_configs();
                self.scans.ask(scan::Ask::Walk);
                if self.docs.contains_key(&uri) && !changed.contains(&uri) {
                    self.lint(&uri);
                }
                if uri::to_path(&uri).is_some_and(|p| engine::is_terraform_configuration(&p)) {
                    self.lint_module_callers(&uri, &changed);
                }
            }
            notif::DidCloseTextDocument::METHOD => {
                let Some(p) = params::<lsp_types::DidCloseTextDocumentParams>(n) else {
                    return;
                };
                let uri = p.text_document.uri;
                if self.docs.remove(&uri).is_none() || self.config_uris.contains(&uri) {
                    return;
                }
                self.shared.lock().remove(&uri);
                let _ = self.sender.send(publish(uri.clone(), None, Vec::new()));
                // Its file on disk stands for it again in its folder's module.
                for mate in self.terraform_texts_changed(&uri) {
                    self.lint(&mate);
                }
                // Its file on disk stands for it again in the check across files.
                let _ = self.jobs.send(Work::Closed);
            }
            notif::DidChangeWorkspaceFolders::METHOD => {
                let Some(p) = params::<lsp_types::DidChangeWorkspaceFoldersParams>(n) else {
                    return;
                };
                let removed: Vec<PathBuf> = p.event.removed.iter().filter_map(|f| uri::to_path(&f.uri)).collect();
                self.folders.retain(|f| !removed.contains(f));
                self.folders
                    .extend(p.event.added.iter().filter_map(|f| uri::to_path(&f.uri)));
                self.scans.ask(scan::Ask::Folders(outermost(&self.folders)));
            }
            notif::DidChangeWatchedFiles::METHOD => {
                let Some(p) = params::<lsp_types::DidChangeWatchedFilesParams>(n) else {
                    return;
                };
                let mut changed = Vec::new();
                if p.changes
                    .iter()
                    .any(|c| uri::to_path(&c.uri).is_some_and(|p| engine::changes_settings(&p)))
                {
                    changed = self.reload_configs();
                }
                if let Some(c) = p
                    .changes
                    .iter()
                    .find(|c| uri::to_path(&c.uri).is_some_and(|p| engine::is_terraform_configuration(&p)))
                {
                    self.lint_module_callers(&c.uri, &changed);
                }
                self.scans.ask(scan::Ask::Walk);
            }
            _ => {}
        }
    }

    /// A document's settings; while its configuration file is broken, its
    /// last good ones (or, never having had any, the options alone).
    fn settings_for(&self, path: Option<&PathBuf>, last_good: Option<&Arc<Settings>>) -> Settings {
        let Some(path) = path else {
            return self.engine.settings_without_file();
        };
        match self.engine.settings_for(path) {
            Ok(s) => s,
            Err(_) => last_good.map_or_else(|| self.engine.settings_without_file(), |s| (**s).clone()),
        }
    }

    /// Queues a lint of every open `.tf` document but `saved` and those in
    /// `linted`: a Terraform file changed on disk may be one of a local
    /// module that they follow, read from disk when they are linted, whose
    /// findings are theirs (a caller kept the findings of the module as it
    /// was until it was edited itself).
    fn lint_module_callers(&mut self, saved: &Uri, linted: &[Uri]) {
        let callers: Vec<Uri> = self
            .docs
            .iter()
            .filter(|(uri, doc)| {
                *uri != saved
                    && !linted.contains(uri)
                    && doc
                        .path
                        .as_deref()
                        .is_some_and(|p| p.extension().is_some_and(|e| e == "tf"))
            })
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in callers {
            self.lint(&uri);
        }
    }

    /// Queues a lint of each document changed since its last.
    fn lint_stale(&mut self) {
        let stale = std::mem::take(&mut self.stale);
        let mut mates = Vec::new();
        for uri in &stale {
            mates.extend(self.terraform_texts_changed(uri));
        }
        mates.retain(|m| !stale.contains(m));
        mates.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        mates.dedup();
        for uri in stale.iter().chain(&mates) {
            self.lint(uri);
        }
    }

    /// Open Terraform documents stand for their files in their folder's
    /// module, as edited, as the folder run reads the files: an override
    /// file's blocks replace the others' as the editor shows them, and an
    /// open override file reports its own findings (an open `main.tf` no
    /// longer repeats them at its resource). After `uri` (a `.tf` or
    /// `.tf.json` document) opened, changed or closed, the modules are
    /// read again and the open documents of its folder get their settings
    /// again; returns those other than `uri`, to lint again. A document
    /// alone in its folder (no module) costs nothing more.
    fn terraform_texts_changed(&mut self, uri: &Uri) -> Vec<Uri> {
        let Some(path) = uri::to_path(uri).filter(|p| engine::is_terraform_configuration(p)) else {
            return Vec::new();
        };
        let folder = path.parent().map(Path::to_path_buf);
        // Its Terraform mates: no other document reads the module.
        let in_folder = |doc: &Doc| {
            doc.path
                .as_deref()
                .is_some_and(|p| engine::is_terraform_configuration(p) && p.parent() == folder.as_deref())
        };
        let mates: Vec<Uri> = self
            .docs
            .iter()
            .filter(|(u, doc)| *u != uri && in_folder(doc))
            .map(|(u, _)| u.clone())
            .collect();
        // Alone open in its folder, its text matters to others only
        // through an override file (the module is read again, a parse of
        // each of its files). A closed document's text leaves the modules
        // in any case.
        let open = self.docs.get(uri);
        let alone = open.is_some_and(|doc| {
            doc.settings.terraform_module.is_none()
                || engine::override_files(folder.as_deref().unwrap_or(Path::new(""))).is_empty()
        });
        if mates.is_empty() && alone {
            return Vec::new();
        }
        let open = self
            .docs
            .values()
            .filter_map(|doc| {
                let path = doc.path.as_ref().filter(|p| engine::is_terraform_configuration(p))?;
                Some((path.clone(), doc.text.to_string()))
            })
            .collect();
        self.engine.set_open_terraform(open);
        for mate in mates.iter().chain(std::iter::once(uri)) {
            let Some(doc) = self.docs.get(mate) else { continue };
            let settings = Arc::new(self.settings_for(doc.path.as_ref(), Some(&doc.settings)));
            if let Some(doc) = self.docs.get_mut(mate) {
                doc.settings = settings;
                doc.piece = None;
            }
        }
        mates
    }

    /// Queues a lint of the document's current text.
    fn lint(&mut self, uri: &Uri) {
        let Some(doc) = self.docs.get_mut(uri) else { return };
        if doc.path.as_deref().is_some_and(engine::is_config_file) {
            // Its diagnostics are its errors, published by `report_config_errors`.
            return;
        }
        // Unique across documents and reopenings: a job queued for a
        // document before it was closed and opened again is never current.
        self.generation += 1;
        let changes = doc.changes.replace(Vec::new()).map(|list| Changes {
            since: doc.generation,
            list,
        });
        doc.generation = self.generation;
        if doc.excluded {
            self.shared.lock().insert(
                uri.clone(),
                Live {
                    generation: doc.generation,
                    findings: Some(Arc::default()),
                    queued: false,
                },
            );
            let _ = self.sender.send(publish(uri.clone(), Some(doc.version), Vec::new()));
            return;
        }
        self.shared.lock().insert(
            uri.clone(),
            Live {
                generation: doc.generation,
                findings: None,
                queued: true,
            },
        );
        let sent = self.jobs.send(Work::Lint(Job {
            uri: uri.clone(),
            generation: doc.generation,
            version: doc.version,
            text: doc.text.clone(),
            lines: doc.lines.get().cloned(),
            path: doc.format.clone(),
            file: doc.file.clone(),
            settings: doc.settings.clone(),
            changes,
        }));
        if sent.is_err() {
            // No lint thread: a request lints this version itself.
            if let Some(live) = self.shared.lock().get_mut(uri) {
                live.queued = false;
            }
        }
    }

    /// Reads the configuration files again and re-lints each open document
    /// whose settings changed; returns those documents.
    fn reload_configs(&mut self) -> Vec<Uri> {
        self.engine.reload_configs();
        let uris: Vec<Uri> = self.docs.keys().cloned().collect();
        let mut changed = Vec::new();
        for uri in uris {
            let doc = &self.docs[&uri];
            let settings = self.settings_for(doc.path.as_ref(), Some(&doc.settings));
            let excluded = doc.path.as_deref().is_some_and(|p| self.engine.excluded(p));
            if settings == *doc.settings && excluded == doc.excluded {
                continue;
            }
            if let Some(doc) = self.docs.get_mut(&uri) {
                doc.settings = Arc::new(settings);
                doc.excluded = excluded;
                doc.piece = None;
            }
            self.model = None;
            self.lint(&uri);
            changed.push(uri);
        }
        self.report_config_errors();
        changed
    }

    /// Publishes each broken configuration file's errors on it (clearing
    /// those of files now fixed) and says so in a message when they change.
    fn report_config_errors(&mut self) {
        let errors = self.engine.config_errors();
        let mut by_file: HashMap<Uri, Vec<lsp_types::Diagnostic>> = HashMap::new();
        for e in &errors {
            if let Some(uri) = uri::from_path(&e.path) {
                by_file
                    .entry(uri)
                    .or_default()
                    .push(convert::config_error(e, self.encoding));
            }
        }
        for uri in self.config_uris.drain() {
            if !by_file.contains_key(&uri) {
                let _ = self.sender.send(publish(uri, None, Vec::new()));
            }
        }
        for (uri, diagnostics) in by_file {
            self.config_uris.insert(uri.clone());
            let _ = self.sender.send(publish(uri, None, diagnostics));
        }
        let shown: Vec<(PathBuf, String)> = errors.iter().map(|e| (e.path.clone(), e.message.clone())).collect();
        if shown != self.shown_config_errors {
            if let Some(first) = errors.first() {
                let index = LineIndex::new(&first.text, Encoding::CodePoint);
                let at = index.position(first.span.start);
                self.show(
                    MessageType::ERROR,
                    format!(
                        "ecrlint: {}:{}:{}: {}{}; the files it governs keep their last good settings",
                        first.path.display(),
                        at.line + 1,
                        at.character + 1,
                        first.message,
                        match errors.len() {
                            1 => String::new(),
                            n => format!(" (and {} more errors)", n - 1),
                        }
                    ),
                );
            }
            self.shown_config_errors = shown;
        }
    }

    fn show(&self, typ: MessageType, message: String) {
        let _ = self
            .sender
            .send(Notification::new(notif::ShowMessage::METHOD.into(), ShowMessageParams { typ, message }).into());
    }

    /// Asks the client to report changes to configuration files.
    fn register_watcher(&mut self) {
        use lsp_types::{
            DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, Registration, RegistrationParams,
        };
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![
                FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/{}", engine::CONFIG_FILE_NAME)),
                    kind: None,
                },
                // The files the check across files reads, and the Terraform
                // variable files whose values open documents use.
                FileSystemWatcher {
                    glob_pattern: GlobPattern::String(format!("**/*.{{{}}}", engine::walked_extensions().join(","))),
                    kind: None,
                },
            ],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "ecrlint-config-watcher".into(),
                method: notif::DidChangeWatchedFiles::METHOD.into(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.next_request += 1;
        let id = RequestId::from(format!("ecrlint-{}", self.next_request));
        let _ = self
            .sender
            .send(Request::new(id, req::RegisterCapability::METHOD.into(), params).into());
    }
}

/// What a request handler reads of a document.
pub(crate) struct DocView {
    text: Arc<String>,
    lines: Arc<Lines>,
    /// The name the format is chosen by (see `Doc::format`).
    path: Option<PathBuf>,
    settings: Arc<Settings>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    thread_local! {
        /// How many documents' models the server on this thread has read.
        pub(super) static PIECES_READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    fn notification(method: &str, params: serde_json::Value) -> Message {
        Notification::new(method.into(), params).into()
    }

    /// The diagnostics the server has published to `client` so far.
    fn published(client: &lsp_server::Connection) -> Vec<lsp_types::PublishDiagnosticsParams> {
        client
            .receiver
            .try_iter()
            .filter_map(|m| match m {
                Message::Notification(n) if n.method == notif::PublishDiagnostics::METHOD => {
                    serde_json::from_value(n.params).ok()
                }
                _ => None,
            })
            .collect()
    }

    /// Changes already waiting when one is read are applied together and
    /// linted once: every message is queued before the server reads any.
    #[test]
    fn queued_changes_are_applied_together_and_linted_once() {
        let (server, client) = lsp_server::Connection::memory();
        let uri = "file:///coalesce/replication.json";
        let text = include_str!("../../examples/invalid-common-mistakes.json");
        let send = |m: Message| client.sender.send(m).unwrap();
        send(Request::new(1.into(), req::Initialize::METHOD.into(), json!({"capabilities": {}})).into());
        send(notification(notif::Initialized::METHOD, json!({})));
        send(notification(
            notif::DidOpenTextDocument::METHOD,
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
        ));
        // Line breaks typed at the start, in an order that joins a `\r`
        // to a `\n` typed before it, then a key's letters one by one.
        let mut expected = text.to_string();
        let mut version = 1;
        let mut change = |start: (u32, u32), end: (u32, u32), insert: &str| {
            version += 1;
            send(notification(
                notif::DidChangeTextDocument::METHOD,
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{
                    "range": {"start": {"line": start.0, "character": start.1},
                              "end": {"line": end.0, "character": end.1}},
                    "text": insert}]}),
            ));
            version
        };
        for insert in ["\n", "\r", "\r\n", "\r", "\n", "\n"].iter().cycle().take(60) {
            change((0, 0), (0, 0), insert);
            expected.insert_str(0, insert);
        }
        let lines_before = LineIndex::new(&expected, Encoding::Utf16).position(expected.len()).line;
        // `"rules"` becomes `"rulesx"` letter by letter, then back.
        let key = expected.find("\"rules\"").unwrap() + 6;
        let at = LineIndex::new(&expected, Encoding::Utf16).position(key);
        for (n, letter) in "xyz".chars().enumerate() {
            let c = at.character + n as u32;
            change((at.line, c), (at.line, c), &letter.to_string());
        }
        let last = change((at.line, at.character + 1), (at.line, at.character + 3), "");
        expected.insert(key, 'x');
        assert!(lines_before > 0);
        send(Request::new(2.into(), req::Shutdown::METHOD.into(), json!(null)).into());
        send(notification(notif::Exit::METHOD, json!(null)));
        assert_eq!(serve(server), 0);

        let published = published(&client);
        let versions: Vec<Option<i32>> = published.iter().map(|p| p.version).collect();
        assert!(
            versions.iter().all(|v| *v == Some(1) || *v == Some(last)),
            "only the opened and the last version are linted: {versions:?}"
        );
        let final_findings = published.last().expect("the last version's findings");
        assert_eq!(final_findings.version, Some(last));
        let engine = Engine::new(&engine::Options::default()).0;
        let path = PathBuf::from("/coalesce/replication.json");
        let settings = engine.settings_for(&path).unwrap();
        let found = engine::lint(&expected, Some(&path), &settings).unwrap();
        let index = LineIndex::new(&expected, Encoding::Utf16);
        let want = convert::diagnostics(&uri.parse().unwrap(), &index, &found);
        assert!(want.iter().any(|d| d.message.contains("rulesx")), "{want:#?}");
        assert_eq!(final_findings.diagnostics, want);
    }

    /// Blanks typed and deleted between tokens (whose findings the lint
    /// thread moves from the last lint's), mixed with an edit of a value:
    /// each version's findings are those of a lint of its text. A request
    /// after each change has every version linted.
    #[test]
    fn findings_after_blank_edits_are_a_lint_of_the_text() {
        let (server, client) = lsp_server::Connection::memory();
        let uri = "file:///blanks/replication.json";
        let mut text = include_str!("../../examples/invalid-common-mistakes.json").to_string();
        let send = |m: Message| client.sender.send(m).unwrap();
        send(Request::new(1.into(), req::Initialize::METHOD.into(), json!({"capabilities": {}})).into());
        send(notification(notif::Initialized::METHOD, json!({})));
        send(notification(
            notif::DidOpenTextDocument::METHOD,
            json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": text}}),
        ));
        let lines = text.lines().count() as u32;
        let mut texts = vec![(1, text.clone())];
        for version in 2..40 {
            let line = (version as u32 * 7) % lines;
            let (start, end, insert) = match version % 4 {
                _ if version == 20 => {
                    let value = text.find("prod/*").unwrap();
                    let at = LineIndex::new(&text, Encoding::Utf16).position(value);
                    (at, lsp_types::Position::new(at.line, at.character + 6), "prod/")
                }
                0 => (lsp_types::Position::new(line, 0), lsp_types::Position::new(line, 1), ""),
                1 => (
                    lsp_types::Position::new(line, 0),
                    lsp_types::Position::new(line, 0),
                    "\n",
                ),
                _ => (
                    lsp_types::Position::new(line, 0),
                    lsp_types::Position::new(line, 0),
                    "  ",
                ),
            };
            let index = LineIndex::new(&text, Encoding::Utf16);
            let (from, to) = (index.offset(start), index.offset(end));
            // Only blanks are deleted (the one value edit aside).
            if insert.is_empty() && !text[from..to].chars().all(char::is_whitespace) {
                continue;
            }
            text.replace_range(from..to, insert);
            send(notification(
                notif::DidChangeTextDocument::METHOD,
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{
                    "range": {"start": start, "end": end}, "text": insert}]}),
            ));
            send(
                Request::new(
                    (version + 100).into(),
                    req::HoverRequest::METHOD.into(),
                    json!({"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}),
                )
                .into(),
            );
            texts.push((version, text.clone()));
        }
        send(Request::new(2.into(), req::Shutdown::METHOD.into(), json!(null)).into());
        send(notification(notif::Exit::METHOD, json!(null)));
        assert_eq!(serve(server), 0);

        let published = published(&client);
        let engine = Engine::new(&engine::Options::default()).0;
        let path = PathBuf::from("/blanks/replication.json");
        let settings = engine.settings_for(&path).unwrap();
        assert!(texts.len() > 30, "{} versions", texts.len());
        // The lint thread may take the newest of several versions at once
        // (their changes together): the last one is always published.
        assert_eq!(published.last().and_then(|p| p.version), texts.last().map(|(v, _)| *v));
        for sent in &published {
            let (version, text) = texts
                .iter()
                .find(|(v, _)| sent.version == Some(*v))
                .expect("a version sent");
            let found = engine::lint(text, Some(&path), &settings).unwrap();
            let index = LineIndex::new(text, Encoding::Utf16);
            assert!(!found.is_empty());
            assert_eq!(
                sent.diagnostics,
                convert::diagnostics(&uri.parse().unwrap(), &index, &found),
                "version {version}"
            );
        }
    }

    /// A hover reads the workspace's model only where the review speaks (a
    /// filter, a destination), and after an edit reads the edited document
    /// alone into it: every message is queued first, then the count of
    /// documents read and the hovers' texts are checked.
    #[test]
    fn hover_reads_only_edited_documents_and_only_where_it_reviews() {
        let (server, client) = lsp_server::Connection::memory();
        let send = |m: Message| client.sender.send(m).unwrap();
        let replication = "file:///pieces/replication.json";
        let repositories = "file:///pieces/repositories.tf";
        let text = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "109876543210"}], "repositoryFilters": [{"filter": "prod/", "filterType": "PREFIX_MATCH"}]}]}"#;
        let edited = text.replace("prod/", "dev/");
        let tf = |names: &[&str]| {
            names
                .iter()
                .enumerate()
                .map(|(i, name)| format!("resource \"aws_ecr_repository\" \"r{i}\" {{\n  name = \"{name}\"\n}}\n"))
                .collect::<String>()
        };
        send(Request::new(1.into(), req::Initialize::METHOD.into(), json!({"capabilities": {}})).into());
        send(notification(notif::Initialized::METHOD, json!({})));
        let open = |uri: &str, language: &str, text: &str| {
            notification(
                notif::DidOpenTextDocument::METHOD,
                json!({"textDocument": {"uri": uri, "languageId": language, "version": 1, "text": text}}),
            )
        };
        send(open(replication, "json", text));
        send(open(repositories, "terraform", &tf(&["prod/api", "dev/api"])));
        let change = |uri: &str, version: i32, text: &str| {
            notification(
                notif::DidChangeTextDocument::METHOD,
                json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
            )
        };
        let mut id = 1;
        let mut hover = |text: &str, needle: &str| {
            id += 1;
            // One line: the character is the byte offset, two into the value.
            let character = text.find(needle).unwrap() + 2;
            send(
                Request::new(
                    id.into(),
                    req::HoverRequest::METHOD.into(),
                    json!({"textDocument": {"uri": replication}, "position": {"line": 0, "character": character}}),
                )
                .into(),
            );
        };
        // Both documents read for the first review.
        hover(text, "\"prod/\"");
        // On a key: the model is not needed.
        hover(text, "\"rules\"");
        // The other document changes: it alone is read again.
        send(change(repositories, 2, &tf(&["prod/api", "dev/api", "prod/web"])));
        hover(text, "\"prod/\"");
        // The hovered one changes: read for the hover on a key, once.
        send(change(replication, 2, &edited));
        hover(&edited, "\"rules\"");
        hover(&edited, "\"dev/\"");
        // The other changes, and the hover is not on a filter: nothing is read.
        send(change(
            repositories,
            3,
            &tf(&["prod/api", "dev/api", "prod/web", "dev/web"]),
        ));
        hover(&edited, "\"rules\"");
        // Now on the filter: the other document, read once more.
        hover(&edited, "\"dev/\"");
        send(Request::new(99.into(), req::Shutdown::METHOD.into(), json!(null)).into());
        send(notification(notif::Exit::METHOD, json!(null)));
        PIECES_READ.with(|n| n.set(0));
        assert_eq!(serve(server), 0);
        assert_eq!(PIECES_READ.with(|n| n.get()), 2 + 1 + 1 + 1);

        let first_lines: Vec<String> = client
            .receiver
            .try_iter()
            .filter_map(|m| match m {
                Message::Response(r) if r.id != 1.into() && r.id != 99.into() => Some(r),
                _ => None,
            })
            .map(|r| {
                let value = r.response_result.expect("an answer");
                let text = value["contents"]["value"].as_str().unwrap_or_default();
                // The review is the section after the key's description.
                text.split("\n\n---\n\n")
                    .find(|s| s.starts_with("**Filter**"))
                    .unwrap_or("no review")
                    .lines()
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert_eq!(
            first_lines,
            [
                "**Filter** `prod/` (rule 1): takes 1 of the workspace's 2 repositories: `prod/api`",
                "no review",
                "**Filter** `prod/` (rule 1): takes 2 of the workspace's 3 repositories: `prod/api`, `prod/web`",
                "no review",
                "**Filter** `dev/` (rule 1): takes 1 of the workspace's 3 repositories: `dev/api`",
                "no review",
                "**Filter** `dev/` (rule 1): takes 2 of the workspace's 4 repositories: `dev/api`, `dev/web`",
            ]
        );
    }

    /// A change to one document that changes nothing another one's check
    /// across files reads (its destinations moved, none added) does not
    /// publish the other's findings again.
    #[test]
    fn unchanged_findings_of_other_documents_are_not_sent_again() {
        let (server, client) = lsp_server::Connection::memory();
        let send = |m: Message| client.sender.send(m).unwrap();
        let config = |account: &str| {
            format!(r#"{{"rules": [{{"destinations": [{{"region": "us-west-2", "registryId": "{account}"}}]}}]}}"#)
        };
        let (a, b) = ("file:///unchanged/a.json", "file:///unchanged/b.json");
        send(Request::new(1.into(), req::Initialize::METHOD.into(), json!({"capabilities": {}})).into());
        send(notification(notif::Initialized::METHOD, json!({})));
        for (uri, account) in [(a, "109876543210"), (b, "111987654321")] {
            send(notification(
                notif::DidOpenTextDocument::METHOD,
                json!({"textDocument": {"uri": uri, "languageId": "json", "version": 1, "text": config(account)}}),
            ));
        }
        // `b`'s destination moves along, keystroke by keystroke.
        for version in 2..6 {
            let text = format!("{}{}", " ".repeat(version as usize), config("111987654321"));
            send(notification(
                notif::DidChangeTextDocument::METHOD,
                json!({"textDocument": {"uri": b, "version": version}, "contentChanges": [{"text": text}]}),
            ));
            // A request between keystrokes: each version is linted.
            send(
                Request::new(
                    (version + 10).into(),
                    req::HoverRequest::METHOD.into(),
                    json!({"textDocument": {"uri": b}, "position": {"line": 0, "character": 0}}),
                )
                .into(),
            );
        }
        send(Request::new(99.into(), req::Shutdown::METHOD.into(), json!(null)).into());
        send(notification(notif::Exit::METHOD, json!(null)));
        assert_eq!(serve(server), 0);

        let published: Vec<(String, Option<i32>)> = client
            .receiver
            .try_iter()
            .filter_map(|m| match m {
                Message::Notification(n) if n.method == notif::PublishDiagnostics::METHOD => {
                    serde_json::from_value::<lsp_types::PublishDiagnosticsParams>(n.params).ok()
                }
                _ => None,
            })
            .map(|p| (p.uri.as_str().to_string(), p.version))
            .collect();
        let of_a: Vec<&Option<i32>> = published.iter().filter(|(u, _)| u == a).map(|(_, v)| v).collect();
        assert_eq!(of_a, [&Some(1)], "{published:?}");
        assert_eq!(published.last(), Some(&(b.to_string(), Some(5))), "{published:?}");
    }
}
