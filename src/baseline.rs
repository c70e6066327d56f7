//! A baseline: the findings a repository had when it adopted ecrlint,
//! written by `check --write-baseline FILE` and read from `[baseline] file`
//! or `--baseline FILE` (checkov's name). A known finding is not reported;
//! a new one is. Findings are matched by rule, file and a fingerprint of
//! what the finding is about, never by line: the code, the text under the
//! finding's span with its blanks squeezed (so re-indenting keeps it), and
//! its JSON pointer. Lines added or moved above a finding leave it known;
//! the same mistake made again elsewhere is new. Identical findings are
//! counted: a baseline with two of one finding covers two, not a third.
//!
//! File paths are relative to the baseline file's folder, with `/`, so the
//! file means the same from any working directory and on any system.
//! `schemas/baseline.schema.json` describes the file.

use crate::diagnostic::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The format's version, written in every file and checked on reading.
const VERSION: u64 = 1;

/// One known finding, as the file holds it.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The file, relative to the baseline's folder, `/`-separated.
    pub path: String,
    pub code: String,
    pub fingerprint: String,
    /// For people reading the file; not matched (messages may change wording).
    pub message: String,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    version: u64,
    findings: Vec<Entry>,
}

/// The fingerprint of `d` in `text`: FNV-1a (64 bits, stable across
/// releases and platforms, unlike the standard library's hasher) of the
/// code, the text under the span with runs of blanks squeezed to one
/// space, and the pointer.
pub fn fingerprint(d: &Diagnostic, text: &str) -> String {
    let under = text.get(d.span.start..d.span.end).unwrap_or("");
    let squeezed = under.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [d.code, &squeezed, &d.pointer] {
        for byte in part.bytes().chain(std::iter::once(0)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

/// `file` as the baseline at `dir` names it: relative to `dir` (through
/// `..` when outside it), with `/` separators.
fn relative(dir: &Path, file: &str) -> String {
    let file = crate::config::normalize(&crate::config::absolute(Path::new(file)));
    let dir = crate::config::normalize(&crate::config::absolute(dir));
    let (file, dir): (Vec<_>, Vec<_>) = (file.components().collect(), dir.components().collect());
    let shared = file.iter().zip(&dir).take_while(|(a, b)| a == b).count();
    if shared == 0 {
        // Another drive (Windows): only the absolute path names it.
        return file
            .iter()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
    }
    let up = std::iter::repeat_n("..".into(), dir.len() - shared);
    up.chain(file[shared..].iter().map(|c| c.as_os_str().to_string_lossy()))
        .collect::<Vec<_>>()
        .join("/")
}

/// The folder a baseline file's paths are relative to.
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// A baseline being read: what is left of each known finding.
pub struct Baseline {
    dir: PathBuf,
    /// (path, code, fingerprint) → how many of that finding are known and not yet met.
    left: HashMap<(String, String, String), usize>,
    /// The files this run linted, as the baseline names them: only their
    /// entries can be stale.
    linted: BTreeSet<String>,
}

impl Baseline {
    /// Reads the baseline at `path`; the error says what is wrong with it.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it: {e}"))?;
        let file: File = serde_json::from_str(&text).map_err(|e| {
            format!("it is not an ecrlint baseline ({e}); write one with `ecrlint check --write-baseline FILE`")
        })?;
        if file.version != VERSION {
            return Err(format!(
                "it is version {} of the baseline format; this ecrlint reads version {VERSION}: write it again with \
                 `ecrlint check --write-baseline FILE`",
                file.version
            ));
        }
        let mut left = HashMap::new();
        for e in file.findings {
            *left.entry((e.path, e.code, e.fingerprint)).or_insert(0) += 1;
        }
        Ok(Baseline {
            dir: folder_of(path),
            left,
            linted: BTreeSet::new(),
        })
    }

    /// Drops the known findings of a file from `diagnostics`; how many.
    pub fn filter(&mut self, path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> usize {
        let path = relative(&self.dir, path);
        let before = diagnostics.len();
        diagnostics.retain(|d| {
            let key = (path.clone(), d.code.to_string(), fingerprint(d, text));
            match self.left.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        self.linted.insert(path);
        before - diagnostics.len()
    }

    /// The entries of the files linted that no finding matched.
    pub fn stale(&self) -> usize {
        self.left
            .iter()
            .filter(|((path, _, _), _)| self.linted.contains(path))
            .map(|(_, n)| n)
            .sum()
    }
}

/// A baseline being written: every finding of the run.
pub struct Writer {
    dir: PathBuf,
    entries: Vec<Entry>,
}

impl Writer {
    /// For the baseline file at `path`.
    pub fn new(path: &Path) -> Writer {
        Writer {
            dir: folder_of(path),
            entries: Vec::new(),
        }
    }

    /// Records a file's findings and takes them out (they are now known); how many.
    pub fn record(&mut self, path: &str, text: &str, diagnostics: &mut Vec<Diagnostic>) -> usize {
        let path = relative(&self.dir, path);
        for d in diagnostics.iter() {
            self.entries.push(Entry {
                path: path.clone(),
                code: d.code.to_string(),
                fingerprint: fingerprint(d, text),
                message: d.message.clone(),
            });
        }
        let n = diagnostics.len();
        diagnostics.clear();
        n
    }

    /// The file's text: entries sorted by path, code, fingerprint, so that
    /// a baseline written again differs only where findings did.
    pub fn finish(mut self) -> String {
        self.entries.sort();
        let file = File {
            version: VERSION,
            findings: self.entries,
        };
        let mut text = serde_json::to_string_pretty(&file).unwrap_or_default();
        text.push('\n');
        text
    }
}
