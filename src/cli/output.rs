//! Where output goes, with every write checked: standard output (a closed
//! pipe ends the run as a pipe writer does) and `--output-file` (atomic for
//! regular files, direct for devices and pipes, no temporary file left
//! behind on failure or on a signal).

use super::EXIT_TROUBLE;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Ends the process when standard output is closed, as `cat` does: killed
/// by SIGPIPE (a shell reports 141), quietly. Elsewhere, exit code 141.
pub fn exit_on_closed_pipe() -> ! {
    #[cfg(unix)]
    // SAFETY: restoring a signal's default action and raising it are plain
    // system calls with no memory effects.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
        libc::raise(libc::SIGPIPE);
    }
    std::process::exit(128 + 13)
}

/// The exit code for a failed write to `what`: a closed pipe ends quietly,
/// anything else is reported.
pub fn write_failed(what: &str, e: &io::Error) -> i32 {
    if e.kind() == io::ErrorKind::BrokenPipe {
        exit_on_closed_pipe();
    }
    line_to_stderr!("error: cannot write {what}: {e}");
    EXIT_TROUBLE
}

/// Prints `text` on standard output; the exit code is `ok`, or that of the
/// failed write.
pub fn print(text: &str, ok: i32) -> i32 {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Ok(()) => ok,
        Err(e) => write_failed("to standard output", &e),
    }
}

/// The report's destination.
pub enum Sink {
    Stdout(BufWriter<io::Stdout>),
    /// Standard error, when standard output carries fixed text.
    Stderr(BufWriter<io::Stderr>),
    /// A device, a pipe or a terminal, written in place.
    Direct(BufWriter<File>),
    /// A regular file (or a new one): written to `temp`, renamed over `target` at the end.
    Atomic {
        file: BufWriter<File>,
        temp: PathBuf,
        target: PathBuf,
    },
}

impl Sink {
    pub fn stdout() -> Sink {
        Sink::Stdout(BufWriter::with_capacity(64 * 1024, io::stdout()))
    }

    pub fn stderr() -> Sink {
        Sink::Stderr(BufWriter::new(io::stderr()))
    }

    /// Opens `path` for the report: in place when it is (or links to) anything
    /// but a regular file, else through a temporary file in the same folder.
    pub fn open(path: &Path) -> io::Result<Sink> {
        match destination(path)? {
            Destination::Direct => {
                let file = std::fs::OpenOptions::new().write(true).open(path)?;
                Ok(Sink::Direct(BufWriter::with_capacity(64 * 1024, file)))
            }
            Destination::Replace(target) => {
                let dir = match target.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                // `-o reports/ecrlint.sarif` in a fresh CI checkout: make the folder.
                std::fs::create_dir_all(&dir)?;
                let (file, temp) = create_temp(&dir)?;
                // A report replacing an old one keeps its permissions.
                if let Ok(old) = std::fs::metadata(&target) {
                    let _ = file.set_permissions(old.permissions());
                }
                Ok(Sink::Atomic {
                    file: BufWriter::with_capacity(64 * 1024, file),
                    temp,
                    target,
                })
            }
        }
    }

    /// Opens `path` to add to its end (made, with its folders, when missing):
    /// for a page other steps write too, such as GitHub's step summary.
    pub fn append(path: &Path) -> io::Result<Sink> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new().append(true).create(true).open(path)?;
        Ok(Sink::Direct(BufWriter::with_capacity(64 * 1024, file)))
    }

    /// Flushes and, for a temporary file, renames it over the target.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush()?;
        if let Sink::Atomic { temp, target, .. } = &self {
            std::fs::rename(temp, target)?;
            forget_temp();
            // Renamed: nothing left for `drop` to remove.
            if let Sink::Atomic { temp, .. } = &mut self {
                *temp = PathBuf::new();
            }
        }
        Ok(())
    }
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::Stderr(w) => w.write(buf),
            Sink::Direct(w) => w.write(buf),
            Sink::Atomic { file, .. } => file.write(buf),
        }
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.write_all(buf),
            Sink::Stderr(w) => w.write_all(buf),
            Sink::Direct(w) => w.write_all(buf),
            Sink::Atomic { file, .. } => file.write_all(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::Stderr(w) => w.flush(),
            Sink::Direct(w) => w.flush(),
            Sink::Atomic { file, .. } => file.flush(),
        }
    }
}

impl Drop for Sink {
    /// A report that was not finished leaves no temporary file behind.
    fn drop(&mut self) {
        if let Sink::Atomic { temp, .. } = self {
            if !temp.as_os_str().is_empty() {
                let _ = std::fs::remove_file(&*temp);
                forget_temp();
            }
        }
    }
}

enum Destination {
    Direct,
    /// Replace this regular file (the end of any chain of links), or create it.
    Replace(PathBuf),
}

/// How to write to `path`. Devices, pipes, sockets, `/dev/stdout`,
/// `/dev/fd/N`, and links to any of them are written in place: replacing them
/// with a regular file would break them (as root, even `/dev/null`).
fn destination(path: &Path) -> io::Result<Destination> {
    let mut current = path.to_path_buf();
    // Links are followed one by one, since a link into /proc/self/fd
    // (/dev/stdout) names a descriptor, not the file it happens to point at.
    for _ in 0..40 {
        if current.starts_with("/dev") || current.starts_with("/proc") {
            return Ok(Destination::Direct);
        }
        let meta = match std::fs::symlink_metadata(&current) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Destination::Replace(current)),
            Err(e) => return Err(e),
        };
        if meta.file_type().is_symlink() {
            let next = std::fs::read_link(&current)?;
            current = match current.parent() {
                Some(dir) if next.is_relative() => dir.join(next),
                _ => next,
            };
            continue;
        }
        return Ok(if meta.is_file() {
            Destination::Replace(current)
        } else if meta.is_dir() {
            return Err(io::Error::other("it is a folder"));
        } else {
            Destination::Direct
        });
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

/// A new file with a short name in `dir` (a name near the 255-byte limit
/// leaves no room for a suffix), registered for removal on a signal.
fn create_temp(dir: &Path) -> io::Result<(File, PathBuf)> {
    let pid = std::process::id();
    for attempt in 0..100 {
        let temp = dir.join(format!(".ecrlint-{pid}-{attempt}.tmp"));
        // Known to the signal handler before it exists: a signal between
        // creating and remembering it would leave it behind.
        remember_temp(&temp);
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&temp) {
            Ok(file) => return Ok((file, temp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                forget_temp();
                continue;
            }
            Err(e) => {
                forget_temp();
                return Err(e);
            }
        }
    }
    Err(io::Error::other("cannot create a temporary file next to it"))
}

/// Removes a report left by an earlier run when this one writes none, so
/// that a stale report is never taken for this run's. Only regular files:
/// a device or pipe is left alone. Says what it did on standard error.
pub fn remove_stale(path: &Path) {
    let Ok(Destination::Replace(target)) = destination(path) else {
        return;
    };
    if !target.is_file() {
        return;
    }
    match std::fs::remove_file(&target) {
        Ok(()) => line_to_stderr!(
            "note: removed the previous report {}: this run wrote none",
            crate::text::escape_path(path)
        ),
        Err(e) => line_to_stderr!(
            "warning: the previous report {} is stale (this run wrote none) and could not be removed: {e}",
            crate::text::escape_path(path)
        ),
    }
}

#[cfg(unix)]
mod temp_registry {
    //! The temporary file's name, readable from a signal handler (which may
    //! neither allocate nor lock): a leaked C string behind an atomic pointer.

    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    use std::path::Path;
    use std::sync::atomic::{AtomicPtr, Ordering};
    use std::sync::Once;

    static TEMP: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());
    static HANDLERS: Once = Once::new();

    /// A fixed file's temporary file, while it is written (beside the report's).
    static FIX_TEMP: AtomicPtr<libc::c_char> = AtomicPtr::new(std::ptr::null_mut());

    extern "C" fn on_signal(signal: libc::c_int) {
        let temp = TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst);
        let fix_temp = FIX_TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst);
        // SAFETY: `unlink`, `signal` and `raise` are async-signal-safe; the
        // pointers, when set, are C strings that nothing frees once swapped
        // out here (the process ends with the signal).
        unsafe {
            if !temp.is_null() {
                libc::unlink(temp);
            }
            if !fix_temp.is_null() {
                libc::unlink(fix_temp);
            }
            libc::signal(signal, libc::SIG_DFL);
            libc::raise(signal);
        }
    }

    pub fn remember(path: &Path) {
        remember_in(&TEMP, path);
    }

    pub fn remember_fix(path: &Path) {
        remember_in(&FIX_TEMP, path);
    }

    pub fn forget_fix() {
        free(FIX_TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst));
    }

    /// Frees a name taken out of a slot. Safe to do: the handler swaps a
    /// slot before reading it, so a name swapped out here is one it never
    /// got (`--fix` of many files leaked one name per fixed file: found by
    /// the fuzz target's several-files mode).
    fn free(name: *mut libc::c_char) {
        if !name.is_null() {
            // SAFETY: every non-null pointer in a slot came from
            // `CString::into_raw`, and the swap made this one ours alone.
            drop(unsafe { CString::from_raw(name) });
        }
    }

    fn remember_in(slot: &AtomicPtr<libc::c_char>, path: &Path) {
        let Ok(c) = CString::new(path.as_os_str().as_bytes()) else {
            return;
        };
        free(slot.swap(c.into_raw(), Ordering::SeqCst));
        HANDLERS.call_once(|| {
            for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
                // SAFETY: installs a handler that only calls async-signal-safe functions.
                unsafe {
                    libc::signal(signal, on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t);
                }
            }
        });
    }

    pub fn forget() {
        free(TEMP.swap(std::ptr::null_mut(), Ordering::SeqCst));
    }
}

#[cfg(unix)]
fn remember_temp(path: &Path) {
    temp_registry::remember(path);
}

#[cfg(unix)]
fn forget_temp() {
    temp_registry::forget();
}

/// Names a fixed file's temporary file, removed should a signal stop the
/// run while it exists (it has its own slot beside the report's).
#[cfg(unix)]
pub(super) fn remember_fix_temp(path: &Path) {
    temp_registry::remember_fix(path);
}

#[cfg(unix)]
pub(super) fn forget_fix_temp() {
    temp_registry::forget_fix();
}

#[cfg(not(unix))]
pub(super) fn remember_fix_temp(_: &Path) {}

#[cfg(not(unix))]
pub(super) fn forget_fix_temp() {}

#[cfg(not(unix))]
fn remember_temp(_: &Path) {}

#[cfg(not(unix))]
fn forget_temp() {}
