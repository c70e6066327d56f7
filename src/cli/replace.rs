//! Writes a fixed file back, losing nothing: only over the very file the
//! fix was computed from (not a save made meanwhile), only where the user
//! may write and asked for it (never through a link out of the folders a
//! walk was given), and keeping what the file was (owner, group, mode,
//! hard links, extended attributes).
//!
//! A file is replaced atomically (a temporary file beside it, renamed over
//! it), unless replacing it would lose something: a file with several hard
//! links, or whose owner, group or extended attributes the new file cannot
//! take, is written in place, after its original bytes are put beside it
//! (`.ecrlint-fix-PID-N.orig`, removed once the write is on disk and kept
//! should the run be killed half-way).

use crate::fix::stamp::Stamp;
use std::cell::Cell;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// Why a file was not written. `trouble` makes the run exit 2.
#[derive(Debug)]
pub struct Refused {
    pub reason: String,
    pub trouble: bool,
}

impl Refused {
    fn error(reason: impl Into<String>) -> Refused {
        Refused {
            reason: reason.into(),
            trouble: true,
        }
    }
}

impl From<io::Error> for Refused {
    fn from(e: io::Error) -> Refused {
        Refused::error(e.to_string())
    }
}

/// The reason given for a file changed since it was read.
pub const CHANGED: &str =
    "it changed since ecrlint read it (saved meanwhile?): left as it is; run ecrlint again to fix it";

/// What the file to write is and where it came from.
pub struct Target<'a> {
    pub path: &'a Path,
    /// Found in a folder walk (not named on the command line).
    pub found: bool,
    /// The folders the walk was given, resolved (`canonicalize`d).
    pub roots: &'a [PathBuf],
    /// The bytes the fix was computed from, and the file when they were read.
    pub original: &'a [u8],
    pub read: Option<Stamp>,
    /// Flush the new bytes to disk before they replace the old (`--sync`):
    /// durable across a power loss, at a disk flush per file. Without it the
    /// swap is still atomic for every other process.
    pub sync: bool,
}

thread_local! {
    static FLUSHES: Cell<usize> = const { Cell::new(0) };
}

/// How many files this thread has flushed to disk while writing fixes: a
/// flush shows only in its cost, so tests of `--sync` count them here.
pub fn flushes_on_this_thread() -> usize {
    FLUSHES.with(Cell::get)
}

fn flush(file: &File) -> io::Result<()> {
    FLUSHES.with(|n| n.set(n.get() + 1));
    file.sync_all()
}

/// Writes `fixed` over `target`. `Ok(Some(note))`: written, with something
/// the user should be told (the file named was a link, and its target was
/// written).
pub fn write_fixed(target: &Target, fixed: &[u8]) -> Result<Option<String>, Refused> {
    let (real, note, meta) = resolve(target)?;
    if !meta.is_file() {
        return Err(Refused::error("not a regular file"));
    }
    may_write(&real, &meta)?;
    // Whether it is still what was read is checked where it counts, right
    // before the swap or the write in place (and after the swap): a check
    // here too cost five system calls a file to spare work only when a
    // save came in between.
    let dir = match real.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if links(&meta) > 1 {
        write_in_place(&real, &dir, target, fixed)?;
    } else {
        match replace(&real, &dir, &meta, target, fixed)? {
            Replaced::Done => {}
            Replaced::KeepsLess => write_in_place(&real, &dir, target, fixed)?,
        }
    }
    Ok(note)
}

/// The file to write (the end of any links) and a note on how it was
/// reached: a link named on the command line is followed, and said so; a
/// folder walk never writes through a link, nor to a file outside its roots.
/// With the file's metadata: the link's target's, or, for a name that is no
/// link, what `symlink_metadata` gave (no second `stat`).
fn resolve(target: &Target) -> Result<(PathBuf, Option<String>, Metadata), Refused> {
    let path = target.path;
    let own = std::fs::symlink_metadata(path)?;
    let is_link = own.file_type().is_symlink();
    let real = std::fs::canonicalize(path)?;
    let meta = if is_link { std::fs::metadata(&real)? } else { own };
    let shown = || crate::text::escape_path(&real);
    if target.found {
        let inside = target.roots.iter().any(|root| real.starts_with(root));
        if !inside {
            return Err(Refused::error(format!(
                "it leads to {}, outside the folders given: a folder walk never writes through a link out of its \
                 folders (name the file to fix it)",
                shown()
            )));
        }
        if is_link {
            // Its target is in the folders, and fixed under its own name
            // where the walk meets it: writing it twice would race.
            return Err(Refused {
                reason: format!(
                    "it is a symbolic link to {}: a folder walk never writes through links (the target is fixed \
                     under its own name)",
                    shown()
                ),
                trouble: false,
            });
        }
        return Ok((real, None, meta));
    }
    let note = is_link.then(|| {
        format!(
            "{} is a symbolic link: its target {} is fixed",
            crate::text::escape_path(path),
            shown()
        )
    });
    Ok((real, note, meta))
}

#[cfg(unix)]
fn links(meta: &Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn links(_: &Metadata) -> u64 {
    1
}

/// Refuses a file the user may not write, or has made read-only: its
/// folder letting us replace it is no permission to change it.
#[cfg(unix)]
fn may_write(path: &Path, meta: &Metadata) -> Result<(), Refused> {
    use std::os::unix::ffi::OsStrExt;
    use std::os::unix::fs::MetadataExt;
    let mode = meta.mode() & 0o7777;
    if mode & 0o222 == 0 {
        return Err(Refused::error(format!(
            "it is read-only (mode {mode:04o}): ecrlint does not change a file nobody may write; make it \
             writable to fix it"
        )));
    }
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: a valid C string; faccessat only reads it.
    let allowed = unsafe { libc::faccessat(libc::AT_FDCWD, c_path.as_ptr(), libc::W_OK, libc::AT_EACCESS) } == 0;
    if !allowed {
        return Err(Refused::error(format!(
            "you may not write it (owner {}, mode {mode:04o})",
            meta.uid()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn may_write(_: &Path, meta: &Metadata) -> Result<(), Refused> {
    if meta.permissions().readonly() {
        return Err(Refused::error(
            "it is read-only: ecrlint does not change a read-only file; make it writable to fix it",
        ));
    }
    Ok(())
}

/// Whether the file at `path` is still what the fix was computed from: the
/// same size, time and identity as when read, and the same bytes.
fn unchanged(path: &Path, target: &Target) -> io::Result<bool> {
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    let same_stamp = target.read.as_ref().is_none_or(|s| s.matches(&meta));
    if !same_stamp || meta.len() != target.original.len() as u64 {
        return Ok(false);
    }
    // Compared piece by piece: no second copy of a large file in memory (and
    // no 64 KiB zeroed for a small one: this runs twice per fixed file).
    let mut buf = vec![0; (target.original.len() + 1).min(64 * 1024)];
    let mut expected = target.original;
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(expected.is_empty());
        }
        if n > expected.len() || buf[..n] != expected[..n] {
            return Ok(false);
        }
        expected = &expected[n..];
    }
}

enum Replaced {
    Done,
    /// The new file could not take the old one's owner, group or extended
    /// attributes: nothing was written.
    KeepsLess,
}

/// Replaces `path` atomically with `fixed`, through a temporary file that
/// takes its owner, group, mode and extended attributes first.
fn replace(path: &Path, dir: &Path, meta: &Metadata, target: &Target, fixed: &[u8]) -> Result<Replaced, Refused> {
    let (mut file, temp) = create_beside(dir, "tmp", true)?;
    let discard = |temp: &Path| {
        let _ = std::fs::remove_file(temp);
        super::output::forget_fix_temp();
    };
    let same_mode = match keeps_attributes(&file, path, meta) {
        Ok(Some(same_mode)) => same_mode,
        Ok(None) => {
            discard(&temp);
            return Ok(Replaced::KeepsLess);
        }
        Err(e) => {
            discard(&temp);
            return Err(e.into());
        }
    };
    let written = file
        .write_all(fixed)
        .and_then(|()| {
            if same_mode {
                Ok(())
            } else {
                file.set_permissions(meta.permissions())
            }
        })
        .and_then(|()| if target.sync { flush(&file) } else { Ok(()) })
        .map_err(Refused::from)
        .and_then(|()| {
            // The last moment before the rename: a save made since the read
            // is never overwritten.
            if !unchanged(path, target)? {
                return Err(Refused::error(CHANGED));
            }
            swap_in(&temp, path, target)
        });
    match written {
        Ok(()) => {
            // Swapped: the name holds the old file now (renamed: nothing).
            let _ = std::fs::remove_file(&temp);
            super::output::forget_fix_temp();
            Ok(Replaced::Done)
        }
        Err(e) => {
            discard(&temp);
            Err(e)
        }
    }
}

/// Renames `temp` over `path`. Where the system can swap two names at once
/// (Linux), the file swapped out is checked to be the one read: a save
/// that landed between the last check and the swap is swapped back, so it
/// is never lost, and the file is reported as changed.
fn swap_in(temp: &Path, path: &Path, target: &Target) -> Result<(), Refused> {
    #[cfg(target_os = "linux")]
    if exchange(temp, path).is_ok() {
        // `temp` now names the file that was at `path`.
        if unchanged(temp, target)? {
            return Ok(());
        }
        exchange(temp, path)?;
        return Err(Refused::error(CHANGED));
    }
    Ok(std::fs::rename(temp, path)?)
}

/// Swaps the files named `a` and `b`, atomically (`renameat2` with
/// `RENAME_EXCHANGE`); an error where the kernel or file system cannot.
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    const RENAME_EXCHANGE: libc::c_uint = 1 << 1;
    let a = std::ffi::CString::new(a.as_os_str().as_bytes()).map_err(io::Error::other)?;
    let b = std::ffi::CString::new(b.as_os_str().as_bytes()).map_err(io::Error::other)?;
    // SAFETY: valid C strings; renameat2 only reads them.
    let done = unsafe {
        libc::syscall(
            libc::SYS_renameat2,
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Gives the new file the old one's owner, group and extended attributes;
/// `None` when it cannot take one of them (another user's file, an
/// attribute only its owner or the system may set), else whether it has
/// the old one's mode already (created with it: no `fchmod` needed).
fn keeps_attributes(file: &File, path: &Path, meta: &Metadata) -> io::Result<Option<bool>> {
    #[cfg(unix)]
    let same_mode = {
        use std::os::unix::fs::MetadataExt;
        let new = file.metadata()?;
        if (new.uid(), new.gid()) != (meta.uid(), meta.gid())
            && std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid())).is_err()
        {
            return Ok(None);
        }
        // A `fchown` may clear set-user and set-group bits: compared after.
        new.mode() == meta.mode() && (new.uid(), new.gid()) == (meta.uid(), meta.gid())
    };
    #[cfg(not(unix))]
    let same_mode = false;
    Ok(xattrs::copy(path, file)?.then_some(same_mode))
}

/// Writes `fixed` into the file at `path` itself (it keeps its inode, so
/// its hard links, owner, group, mode and attributes), with its original
/// bytes beside it until the new ones are on disk.
fn write_in_place(path: &Path, dir: &Path, target: &Target, fixed: &[u8]) -> Result<(), Refused> {
    // Not removed on a signal: should the run be killed half-way through
    // the write, the original is still there.
    let (mut backup, backup_path) = create_beside(dir, "orig", false)?;
    let saved = backup.write_all(target.original).and_then(|()| flush(&backup));
    if let Err(e) = saved {
        let _ = std::fs::remove_file(&backup_path);
        return Err(e.into());
    }
    if !unchanged(path, target)? {
        let _ = std::fs::remove_file(&backup_path);
        return Err(Refused::error(CHANGED));
    }
    let written = OpenOptions::new().write(true).open(path).and_then(|mut file| {
        file.write_all(fixed)?;
        file.set_len(fixed.len() as u64)?;
        flush(&file)
    });
    match written {
        Ok(()) => {
            let _ = std::fs::remove_file(&backup_path);
            Ok(())
        }
        Err(e) => Err(Refused::error(format!(
            "{e}; its original bytes are in {}",
            crate::text::escape_path(&backup_path)
        ))),
    }
}

/// A new file with a short name in `dir`; `on_signal`: removed should the
/// run be stopped by a signal while it exists.
fn create_beside(dir: &Path, extension: &str, on_signal: bool) -> io::Result<(File, PathBuf)> {
    // Asked once: a system call per fixed file otherwise.
    static PID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let pid = *PID.get_or_init(std::process::id);
    for attempt in 0..100 {
        let path = dir.join(format!(".ecrlint-fix-{pid}-{attempt}.{extension}"));
        if on_signal {
            // Known to the signal handler before it exists.
            super::output::remember_fix_temp(&path);
        }
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((file, path)),
            Err(e) => {
                if on_signal {
                    super::output::forget_fix_temp();
                }
                // Another process's: not ours to remove.
                if e.kind() != io::ErrorKind::AlreadyExists {
                    return Err(e);
                }
            }
        }
    }
    Err(io::Error::other("cannot create a temporary file next to it"))
}

#[cfg(target_os = "linux")]
mod xattrs {
    //! Extended attributes (user attributes, ACLs, security labels), copied
    //! through the descriptors with the C library.

    use std::ffi::CString;
    use std::fs::File;
    use std::io;
    use std::os::fd::AsRawFd;
    use std::path::Path;

    /// Copies every extended attribute of the file at `from` onto `to`;
    /// `false` when one cannot be set. A file system without them has none
    /// to copy.
    pub fn copy(from: &Path, to: &File) -> io::Result<bool> {
        // Most files have none: one call by name says so, where opening
        // the file to ask took four.
        let c_from =
            CString::new(std::os::unix::ffi::OsStrExt::as_bytes(from.as_os_str())).map_err(io::Error::other)?;
        // SAFETY: a valid C string; a null buffer of length 0 asks the size.
        match unsafe { libc::llistxattr(c_from.as_ptr(), std::ptr::null_mut(), 0) } {
            0 => return Ok(true),
            n if n < 0 && io::Error::last_os_error().raw_os_error() == Some(libc::ENOTSUP) => return Ok(true),
            _ => {}
        }
        let source = File::open(from)?;
        let names = match list(&source) {
            Ok(names) => names,
            Err(e) if e.raw_os_error() == Some(libc::ENOTSUP) => return Ok(true),
            Err(e) => return Err(e),
        };
        for name in names.split(|&b| b == 0).filter(|n| !n.is_empty()) {
            let name = CString::new(name).map_err(io::Error::other)?;
            let value = get(&source, &name)?;
            // SAFETY: a valid descriptor, C string and buffer of that length.
            let set = unsafe { libc::fsetxattr(to.as_raw_fd(), name.as_ptr(), value.as_ptr().cast(), value.len(), 0) };
            if set != 0 {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Calls `read` with a buffer until it is large enough (the list can
    /// grow between asking its size and reading it).
    fn grow(mut read: impl FnMut(*mut libc::c_void, usize) -> isize) -> io::Result<Vec<u8>> {
        loop {
            let size = read(std::ptr::null_mut(), 0);
            if size < 0 {
                return Err(io::Error::last_os_error());
            }
            let mut buf = vec![0u8; size as usize];
            let got = read(buf.as_mut_ptr().cast(), buf.len());
            if got >= 0 {
                buf.truncate(got as usize);
                return Ok(buf);
            }
            let e = io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::ERANGE) {
                return Err(e);
            }
        }
    }

    fn list(file: &File) -> io::Result<Vec<u8>> {
        // SAFETY: a valid descriptor; the buffer is `size` bytes or null with 0.
        grow(|buf, size| unsafe { libc::flistxattr(file.as_raw_fd(), buf.cast(), size) })
    }

    fn get(file: &File, name: &CString) -> io::Result<Vec<u8>> {
        // SAFETY: as above, with a valid C string.
        grow(|buf, size| unsafe { libc::fgetxattr(file.as_raw_fd(), name.as_ptr(), buf, size) })
    }
}

#[cfg(not(target_os = "linux"))]
mod xattrs {
    //! Extended attributes are copied on Linux only (README, "Fixes").

    pub fn copy(_: &std::path::Path, _: &std::fs::File) -> std::io::Result<bool> {
        Ok(true)
    }
}
