//! Lints a list of inputs: settings for each, reading (capped, regular
//! files only), [`lint`] on every core, results handed back in input order
//! as they are ready. Shared by the command line and anything else that
//! lints a workspace (a language server), so neither copies the loop.
//!
//! Every input gets exactly one result, in order: a bug (a panic) while
//! resolving settings, reading or linting one file becomes that file's
//! internal error, and the other files go on.

use crate::config::Resolver;
use crate::crosscheck::{self, FileFacts};
use crate::discover::Input;
use crate::fix::apply::{fix_text, Fixed, Linter, Mode};
use crate::fix::stamp::Stamp;
use crate::lint::{lint, Origin, Outcome};
use crate::render::{FileResult, Fixes};
use crate::settings::Overrides;
use crate::settings::Settings;
use crate::syntax::ReadAs;
use std::io::Read;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

/// What became of one input.
pub enum Linted {
    /// Linted, or failed (`FileResult::error` says why).
    File(FileResult),
    /// Not a replication document, in a folder: passed over, for this reason.
    Skipped(&'static str),
}

/// What bounds the work on each file.
pub struct Limits {
    /// Larger files (and standard input) are errors.
    pub max_file_size: u64,
    /// Named files that are not replication documents are skipped, as in folders.
    pub skip_unrecognised: bool,
    /// Fix each file's findings (in memory: the caller writes the text).
    pub fix: Option<crate::fix::apply::Mode>,
    /// Findings kept per file (0: all); the others are only counted
    /// ([`crate::render::Omitted`]), so that memory stays bounded.
    pub max_findings: usize,
}

const INTERNAL_ERROR: &str = "internal error while linting this file; please report it with the file";

/// Reads at most `cap` bytes, and says so when there is more. `expected`:
/// the size the file had, so that a small file takes one read (and one
/// more to see its end), not a read per doubling of the buffer.
fn read_capped(reader: impl Read, cap: u64, expected: u64) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::with_capacity(expected.min(cap).saturating_add(1) as usize);
    reader.take(cap.saturating_add(1)).read_to_end(&mut buf)?;
    if buf.len() as u64 > cap {
        return Err(too_large(cap));
    }
    Ok(buf)
}

fn too_large(cap: u64) -> std::io::Error {
    std::io::Error::other(format!(
        "larger than the {} limit (--max-file-size raises it)",
        show_size(cap)
    ))
}

fn show_size(bytes: u64) -> String {
    match bytes {
        b if b >= 1 << 30 && b % (1 << 30) == 0 => format!("{} GiB", b >> 30),
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b}-byte"),
    }
}

/// The bytes of one input, at most `cap` of them. A named path must be a
/// regular file: a device or pipe (`/dev/zero`) could block or never end.
pub fn read_input(input: &Input, cap: u64) -> std::io::Result<Vec<u8>> {
    read_stamped(input, cap).map(|(bytes, _)| bytes)
}

/// [`read_input`], with what the file was when read (none for standard
/// input), taken before reading: a write during the read changes it.
fn read_stamped(input: &Input, cap: u64) -> std::io::Result<(Vec<u8>, Option<Stamp>)> {
    match input {
        Input::Stdin(_) => Ok((read_capped(std::io::stdin().lock(), cap, 0)?, None)),
        Input::Explicit(p) | Input::Found(p) => {
            let not_regular =
                || std::io::Error::other("not a regular file (ecrlint reads files, and `-` for standard input)");
            let meta = std::fs::metadata(p)?;
            if meta.is_dir() || !meta.is_file() {
                return Err(not_regular());
            }
            if meta.len() > cap {
                return Err(too_large(cap));
            }
            let file = std::fs::File::open(p)?;
            let opened = file.metadata()?;
            // Swapped for something else since the check above.
            if !opened.is_file() {
                return Err(not_regular());
            }
            Ok((read_capped(file, cap, opened.len())?, Some(Stamp::of(&opened))))
        }
    }
}

fn failed(input: &Input, error: String) -> Linted {
    let (path, path_bytes) = names(input);
    Linted::File(FileResult {
        path,
        path_bytes,
        text: String::new(),
        document: None,
        diagnostics: Vec::new(),
        error: Some(error),
        fixed: None,
        omitted: Default::default(),
    })
}

/// The name to report, and its bytes when it is not UTF-8.
fn names(input: &Input) -> (String, Option<Vec<u8>>) {
    let path = input.display();
    let bytes = match input {
        Input::Explicit(p) | Input::Found(p) if p.to_str().is_none() => {
            let raw = p.as_os_str().as_encoded_bytes();
            Some(raw.strip_prefix(b"./").unwrap_or(raw).to_vec())
        }
        _ => None,
    };
    (path, bytes)
}

/// Resolves one input's settings, reads it and lints it. A panic anywhere
/// in that becomes this file's internal error.
pub fn lint_one(input: &Input, resolver: &Resolver, overrides: &Overrides, limits: &Limits) -> Linted {
    lint_with_facts(input, resolver, overrides, limits).0
}

/// [`lint_one`], and what the check across files needs of the result.
fn lint_with_facts(input: &Input, resolver: &Resolver, overrides: &Overrides, limits: &Limits) -> (Linted, FileFacts) {
    // The resolver's caches recover from a poisoned lock, so a panic
    // half-way leaves them usable by the next file.
    catch_unwind(AssertUnwindSafe(|| lint_unguarded(input, resolver, overrides, limits)))
        .unwrap_or_else(|_| (failed(input, INTERNAL_ERROR.into()), FileFacts::default()))
}

fn lint_unguarded(input: &Input, resolver: &Resolver, overrides: &Overrides, limits: &Limits) -> (Linted, FileFacts) {
    let settings = match resolver.resolve(&input.config_path(), overrides) {
        Ok(r) => r.settings,
        Err(config) => {
            let why = format!(
                "not linted: its configuration {} has errors",
                crate::text::escape_path(&crate::config::ConfigError::shown(&config))
            );
            return (failed(input, why), FileFacts::default());
        }
    };
    let (bytes, stamp) = match read_stamped(input, limits.max_file_size) {
        Ok(read) => read,
        Err(e) => return (failed(input, format!("cannot read: {e}")), FileFacts::default()),
    };
    let origin = if input.is_explicit() && !limits.skip_unrecognised {
        Origin::Named
    } else {
        Origin::Found
    };
    let read_as = ReadAs::for_path(&input.config_path());
    match lint(&bytes, read_as, origin, &settings) {
        Outcome::Skipped { reason } => (Linted::Skipped(reason), FileFacts::default()),
        Outcome::Linted {
            document,
            diagnostics,
            mut facts,
        } => {
            let (path, path_bytes) = names(input);
            let (text, undecoded) = match String::from_utf8(bytes) {
                Ok(text) => (text, None),
                Err(e) => (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(e.into_bytes())),
            };
            let mut file = FileResult {
                path,
                path_bytes,
                text,
                document: document.map(|d| d.name),
                diagnostics,
                error: None,
                fixed: None,
                omitted: Default::default(),
            };
            if let Some(mode) = limits.fix {
                fix(&mut file, mode, read_as, origin, &settings, undecoded.is_none());
                if let Some(fixes) = &mut file.fixed {
                    fixes.read = stamp;
                    fixes.undecoded = undecoded;
                }
                // The facts of the text as fixed (read again only when it changed).
                if file.fixed.as_ref().is_some_and(|f| f.applied > 0) {
                    facts = crosscheck::file_facts(&file.text, read_as, &settings);
                }
            }
            file.cap(limits.max_findings);
            (Linted::File(file), facts)
        }
    }
}

/// Applies the fixes `mode` allows to a linted file, in memory: its text
/// and findings become the fixed ones, the original kept beside them.
/// Text that was not `decoded` (not UTF-8) is left as it is.
fn fix(file: &mut FileResult, mode: Mode, read_as: ReadAs, origin: Origin, settings: &Settings, decoded: bool) {
    // Text that is not UTF-8 is lossy here: fixing it would lose bytes.
    let fixable = decoded
        && file
            .diagnostics
            .iter()
            .any(|d| d.fix.as_ref().is_some_and(|f| mode.allows(f.applicability)));
    let fixed = if fixable {
        let linter = Linter {
            read_as,
            origin,
            settings,
        };
        fix_text(&file.text, linter, mode)
    } else {
        Fixed {
            text: file.text.clone(),
            applied: 0,
            dropped: Vec::new(),
            diagnostics: None,
            lints: 0,
        }
    };
    let original = std::mem::replace(&mut file.text, fixed.text);
    let before = match fixed.diagnostics {
        Some(after) => std::mem::replace(&mut file.diagnostics, after),
        None => file.diagnostics.clone(),
    };
    file.fixed = Some(Box::new(Fixes {
        original,
        undecoded: None,
        read: None,
        applied: fixed.applied,
        dropped: fixed.dropped,
        before,
        before_omitted: Default::default(),
    }));
}

/// Lints on every core and hands each result to `done` in input (path)
/// order, then checks across files ([`crosscheck`]): registry policies
/// against the configurations that need them. A result streams to `done`
/// as soon as it and every earlier one are ready, until the first file the
/// check across files concerns (a policy, or a cross-account destination):
/// from there on, results are held until every file is linted, and get
/// the findings across files before they are handed on, still in order.
pub fn lint_all(
    inputs: &[Input],
    resolver: &Resolver,
    overrides: &Overrides,
    limits: &Limits,
    mut done: impl FnMut(&Input, Linted) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut held: Vec<(usize, Linted, FileFacts)> = Vec::new();
    let mut next = 0;
    lint_each(inputs, resolver, overrides, limits, |input, (linted, facts)| {
        let i = next;
        next += 1;
        if held.is_empty() && facts.is_empty() {
            return done(input, linted);
        }
        held.push((i, linted, facts));
        Ok(())
    })?;
    // Without a registry policy, or a file whose settings require one,
    // the check across files finds nothing: the held files go on as they are.
    let policies = held
        .iter()
        .any(|(_, _, facts)| facts.require_policies || !facts.policies.is_empty());
    if !policies {
        return held.into_iter().try_for_each(|(i, linted, _)| done(&inputs[i], linted));
    }
    let mut found = cross_findings(&mut held);
    let mut added: Vec<Vec<crate::diagnostic::Diagnostic>> = held.iter().map(|_| Vec::new()).collect();
    for (member, d) in std::mem::take(&mut found.diagnostics) {
        added[member].push(d);
    }
    let mut answered = vec![false; held.len()];
    for (member, _) in &found.answered {
        answered[*member] = true;
    }
    for (member, ((i, mut linted, _), extra)) in held.into_iter().zip(added).enumerate() {
        let input = &inputs[i];
        if let Linted::File(file) = &mut linted {
            // Settings again only for the files the check changes.
            if !extra.is_empty() || answered[member] {
                match resolver.resolve(&input.config_path(), overrides) {
                    Ok(r) => found.add_to(member, &mut file.diagnostics, extra, &r.settings),
                    Err(_) => found.drop_answered(member, &mut file.diagnostics),
                }
                file.cap(limits.max_findings);
            }
        }
        done(input, linted)?;
    }
    Ok(())
}

/// The findings across the held files, by index into them. Each file's
/// facts and text are lent to the check (moved, not copied) and given back.
fn cross_findings(held: &mut [(usize, Linted, FileFacts)]) -> crosscheck::Findings {
    let members: Vec<crosscheck::Member> = held
        .iter_mut()
        .map(|(_, linted, facts)| {
            let (path, path_bytes, text) = match linted {
                Linted::File(f) => (f.path.clone(), f.path_bytes.clone(), std::mem::take(&mut f.text)),
                Linted::Skipped(_) => Default::default(),
            };
            crosscheck::Member {
                facts: std::mem::take(facts),
                file: std::sync::Arc::new(crate::diagnostic::OtherFile { path, path_bytes, text }),
            }
        })
        .collect();
    // A panic in the check across files loses its findings, never the files.
    let found = catch_unwind(AssertUnwindSafe(|| crosscheck::check(&members)));
    for ((_, linted, facts), member) in held.iter_mut().zip(members) {
        *facts = member.facts;
        if let Linted::File(f) = linted {
            // Findings in other files may still point at it (their labels).
            f.text = std::sync::Arc::try_unwrap(member.file).map_or_else(|shared| shared.text.clone(), |own| own.text);
        }
    }
    found.unwrap_or_default()
}

/// Lints on every core and hands each result to `done` in input (path)
/// order as soon as it and every earlier one are ready, so that a report
/// streams. An error from `done` stops the run; otherwise `done` is called
/// once for every input.
///
/// Workers take chunks of consecutive inputs through one atomic index and
/// put each result in that input's slot; this thread hands the slots on in
/// order. Nobody waits on a lock per file: this thread sleeps only when
/// the next result is not ready (woken once, by the end of that result's
/// chunk), and a worker only when it is `AHEAD` files past the one being
/// written (a slow file never makes the rest pile up in memory).
fn lint_each(
    inputs: &[Input],
    resolver: &Resolver,
    overrides: &Overrides,
    limits: &Limits,
    mut done: impl FnMut(&Input, (Linted, FileFacts)) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // One input needs no pool (and asking the OS for the core count costs
    // as much as linting a small file).
    let workers = match inputs.len() {
        0 | 1 => 1,
        n => std::thread::available_parallelism().map_or(1, |c| c.get()).min(n),
    };
    if workers == 1 {
        return inputs
            .iter()
            .try_for_each(|i| done(i, lint_with_facts(i, resolver, overrides, limits)));
    }
    // Chunks short enough that the last ones spread over the workers.
    let chunk = (inputs.len() / (workers * 8)).clamp(1, CHUNK);
    let pool = Pool {
        slots: inputs.iter().map(|_| Mutex::new(None)).collect(),
        chunk,
        window: workers * (AHEAD + chunk),
        next: AtomicUsize::new(0),
        written: AtomicUsize::new(0),
        stopped: AtomicBool::new(false),
        waiting_for: AtomicUsize::new(usize::MAX),
        running: AtomicUsize::new(workers),
        sleepers: AtomicUsize::new(0),
        sleep: (Mutex::new(()), Condvar::new()),
        writer: std::thread::current(),
    };
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let pool = &pool;
            scope.spawn(move || {
                // Whatever ends this worker (a bug outside `lint_with_facts`
                // included), the writer hears of it.
                let _leaving = Leaving(pool);
                pool.work(|i| lint_with_facts(&inputs[i], resolver, overrides, limits));
            });
        }
        // However this thread leaves the loop (an error from `done`, or a
        // panic in it), the workers stop rather than wait for a window
        // that no longer moves.
        let _stopping = Stopping(&pool);
        (0..inputs.len()).try_for_each(|i| {
            // `lint_with_facts` catches panics, so each input has its
            // result; should a worker still have died, the inputs it took
            // are reported as internal errors rather than vanishing, and
            // the later results are not shifted onto the wrong files.
            let linted = pool
                .wait_for(i)
                .unwrap_or_else(|| (failed(&inputs[i], INTERNAL_ERROR.into()), FileFacts::default()));
            done(&inputs[i], linted)?;
            pool.written(i + 1);
            Ok(())
        })
    })
}

/// Inputs a worker takes at a time (fewer when there are few inputs).
const CHUNK: usize = 16;

/// Files each worker may lint ahead of the one being written.
const AHEAD: usize = 16;

type Slot = Mutex<Option<(Linted, FileFacts)>>;

/// What the workers of [`lint_each`] and its writer share.
struct Pool {
    /// Each input's result, once linted and until written.
    slots: Vec<Slot>,
    chunk: usize,
    /// How far past the next result to write a worker may lint.
    window: usize,
    /// The first input no worker has taken.
    next: AtomicUsize,
    /// How many results are written.
    written: AtomicUsize,
    stopped: AtomicBool,
    /// The slot whose filling wakes the writer (`usize::MAX`: none).
    waiting_for: AtomicUsize,
    /// Workers not yet finished.
    running: AtomicUsize,
    /// Workers asleep because they are a window ahead.
    sleepers: AtomicUsize,
    sleep: (Mutex<()>, Condvar),
    writer: std::thread::Thread,
}

/// Marks a worker finished when dropped, and wakes the writer.
struct Leaving<'p>(&'p Pool);

impl Drop for Leaving<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // Its chunk will never be finished: stop rather than have the
            // others wait for the window to move.
            self.0.stop();
        }
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        self.0.writer.unpark();
    }
}

/// Stops the workers when dropped.
struct Stopping<'p>(&'p Pool);

impl Drop for Stopping<'_> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

impl Pool {
    fn work(&self, mut lint: impl FnMut(usize) -> (Linted, FileFacts)) {
        loop {
            let start = self.next.fetch_add(self.chunk, Ordering::Relaxed);
            if start >= self.slots.len() {
                return;
            }
            let end = (start + self.chunk).min(self.slots.len());
            for i in start..end {
                if !self.wait_for_window(i) {
                    return;
                }
                let result = lint(i);
                *lock(&self.slots[i]) = Some(result);
                if self.waiting_for.load(Ordering::SeqCst) == i {
                    self.writer.unpark();
                }
            }
        }
    }

    /// Waits until input `i` is within the window; false when the run stopped.
    fn wait_for_window(&self, i: usize) -> bool {
        let within = || i < self.written.load(Ordering::SeqCst) + self.window;
        if !within() {
            let mut guard = lock(&self.sleep.0);
            self.sleepers.fetch_add(1, Ordering::SeqCst);
            while !within() && !self.stopped.load(Ordering::SeqCst) {
                guard = self.sleep.1.wait(guard).unwrap_or_else(|e| e.into_inner());
            }
            self.sleepers.fetch_sub(1, Ordering::SeqCst);
        }
        !self.stopped.load(Ordering::Relaxed)
    }

    /// Input `i`'s result, once ready; `None` when every worker ended
    /// without one.
    fn wait_for(&self, i: usize) -> Option<(Linted, FileFacts)> {
        let take = || lock(&self.slots[i]).take();
        loop {
            if let Some(result) = take() {
                return Some(result);
            }
            if self.running.load(Ordering::SeqCst) == 0 {
                return take();
            }
            // Woken by the last result of `i`'s chunk (a worker lints a
            // chunk in order), not by every result on the way.
            let chunk_end = ((i / self.chunk + 1) * self.chunk).min(self.slots.len());
            self.waiting_for.store(chunk_end - 1, Ordering::SeqCst);
            if let Some(result) = take() {
                return Some(result);
            }
            if self.running.load(Ordering::SeqCst) == 0 {
                return take();
            }
            std::thread::park();
        }
    }

    /// Records that `count` results are written, and wakes the workers
    /// waiting for the window to move.
    fn written(&self, count: usize) {
        self.written.store(count, Ordering::SeqCst);
        if self.sleepers.load(Ordering::SeqCst) > 0 {
            let _guard = lock(&self.sleep.0);
            self.sleep.1.notify_all();
        }
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        let _guard = lock(&self.sleep.0);
        self.sleep.1.notify_all();
    }
}

/// A lock even after a panic elsewhere while it was held: a slot or the
/// sleep lock is only ever set whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}
