//! What a file was when it was read, so that a fix is written back only
//! over the very file it was computed from: not over a save made since.

use std::fs::Metadata;
use std::time::SystemTime;

/// A file's size, modification time and identity (device and inode) when
/// read. The writer compares it, and the content byte for byte, right
/// before it replaces the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    pub len: u64,
    pub modified: Option<SystemTime>,
    /// Device and inode: a file renamed over the old one (an editor's
    /// atomic save) is another file, whatever its time.
    pub identity: Option<(u64, u64)>,
}

impl Stamp {
    pub fn of(meta: &Metadata) -> Stamp {
        #[cfg(unix)]
        let identity = {
            use std::os::unix::fs::MetadataExt;
            Some((meta.dev(), meta.ino()))
        };
        #[cfg(not(unix))]
        let identity = None;
        Stamp {
            len: meta.len(),
            modified: meta.modified().ok(),
            identity,
        }
    }

    /// Whether `meta` describes the same file, unchanged as far as its
    /// size, time and identity tell.
    pub fn matches(&self, meta: &Metadata) -> bool {
        *self == Stamp::of(meta)
    }
}
