//! GitLab Code Quality reports (`artifacts: reports: codequality`), shown in
//! merge requests: a JSON array with one object per finding, the subset of
//! the Code Climate issue format that GitLab reads: `description`,
//! `check_name`, `fingerprint`, `severity` (`info`, `minor`, `major`,
//! `critical`, `blocker`) and `location` (`path`, relative to the project
//! root, and `lines.begin`/`lines.end`, integers).
//!
//! The description is the message, then `help:` and the help on a line of
//! its own (as in GitHub annotations), then, for a finding of the check
//! across files, `see:` and each place in another file that it points at
//! (`path:line: label`), since an issue has one location only.
//! Severities: error → `major`, warning → `minor`, info → `info`; a file that
//! could not be checked is one `critical` issue (`check_name`
//! `file-not-checked`, line 1), so that the merge request shows it; so are
//! the findings of a file past `--max-findings` (`findings-not-shown`, at
//! the severity of the worst of them).
//!
//! The fingerprint tells GitLab which findings of two pipelines are the same
//! one (it shows only the first of equal fingerprints). It is FNV-1a (128
//! bits, 32 hex digits) of the path, the rule code, the JSON pointer of the
//! finding (its place in the document: lines added above it do not change
//! it), the message and, when these four repeat within a file, the
//! repetition's number. It is the same on every platform and version of
//! ecrlint for the same finding.

use super::{positions, shown, write_nested_json, FileResult, Renderer, Summary};
use crate::diagnostic::Severity;
use crate::lines::LineIndex;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::PathBuf;

#[derive(Serialize)]
struct Issue<'a> {
    description: Cow<'a, str>,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location,
}

#[derive(Serialize)]
struct Location {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// FNV-1a, 128 bits: small, fixed by its definition, so a fingerprint never
/// changes with the Rust version or the platform.
fn fnv1a_128(parts: &[&[u8]]) -> u128 {
    const OFFSET: u128 = 0x6c62272e07bb014262b821756295c58d;
    const PRIME: u128 = 0x0000000001000000000000000000013b;
    let mut hash = OFFSET;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A separator that no part holds, so ("ab", "c") ≠ ("a", "bc").
            hash ^= 0xff;
            hash = hash.wrapping_mul(PRIME);
        }
        for &byte in *part {
            hash ^= u128::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    hash
}

/// The fingerprint of a finding: see the module documentation.
pub fn fingerprint(path: &str, code: &str, pointer: &str, message: &str, repeat: usize) -> String {
    let repeat = repeat.to_string();
    let mut parts: Vec<&[u8]> = vec![path.as_bytes(), code.as_bytes(), pointer.as_bytes(), message.as_bytes()];
    if repeat != "0" {
        parts.push(repeat.as_bytes());
    }
    format!("{:032x}", fnv1a_128(&parts))
}

/// The Code Quality array, written an issue at a time.
pub struct Gitlab {
    /// Absolute paths under this folder are made relative to it (GitLab
    /// wants paths relative to the project root, where the job runs).
    base: Option<PathBuf>,
    written: usize,
}

impl Gitlab {
    pub fn new(base: Option<PathBuf>) -> Self {
        Gitlab { base, written: 0 }
    }

    /// The path as GitLab links it: relative, with `/` separators, without
    /// a leading `./`.
    fn relative(&self, path: &str) -> String {
        let mut path = Cow::Borrowed(path);
        if let Some(base) = &self.base {
            if let Ok(rest) = std::path::Path::new(path.as_ref()).strip_prefix(base) {
                path = Cow::Owned(rest.to_string_lossy().into_owned());
            }
        }
        let mut path = if cfg!(windows) {
            path.replace('\\', "/")
        } else {
            path.into_owned()
        };
        while let Some(rest) = path.strip_prefix("./") {
            path = rest.trim_start_matches('/').to_string();
        }
        path
    }

    fn issue(&mut self, out: &mut dyn Write, issue: &Issue) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"\n  " } else { b",\n  " })?;
        self.written += 1;
        write_nested_json(out, issue, 2)
    }
}

impl Renderer for Gitlab {
    fn begin(&mut self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(b"[")
    }

    fn file(&mut self, out: &mut dyn Write, file: &FileResult) -> io::Result<()> {
        let path = self.relative(&file.path);
        if let Some(error) = &file.error {
            let description = format!("{} could not be checked: {}", file.shown_path(), shown(error));
            let issue = Issue {
                fingerprint: fingerprint(&path, "file-not-checked", "", &description, 0),
                description: Cow::Owned(description),
                check_name: "file-not-checked",
                severity: "critical",
                location: Location {
                    path: path.clone(),
                    lines: Lines { begin: 1, end: 1 },
                },
            };
            self.issue(out, &issue)?;
        }
        let index = LineIndex::new(&file.text);
        let mut seen: HashMap<(&str, &str, &str), usize> = HashMap::new();
        for d in &file.diagnostics {
            let repeat = seen
                .entry((d.code, d.pointer.as_str(), d.message.as_str()))
                .or_insert(0);
            let (start, end) = positions(&index, &file.text, d.span);
            let mut description = match &d.help {
                Some(help) => Cow::Owned(format!("{}\nhelp: {}", shown(&d.message), shown(help))),
                None => shown(&d.message),
            };
            for label in &d.labels {
                if let Some(other) = &label.file {
                    let (start, _) = positions(&LineIndex::new(&other.text), &other.text, label.span);
                    let text = description.to_mut();
                    text.push_str(&format!(
                        "\nsee: {}:{}: {}",
                        self.relative(&other.shown_path()),
                        start.line,
                        shown(&label.message)
                    ));
                }
            }
            let issue = Issue {
                description,
                check_name: d.code,
                fingerprint: fingerprint(&path, d.code, &d.pointer, &d.message, *repeat),
                severity: severity(d.severity),
                location: Location {
                    path: path.clone(),
                    lines: Lines {
                        begin: start.line,
                        end: end.line,
                    },
                },
            };
            *repeat += 1;
            self.issue(out, &issue)?;
        }
        // The findings past the cap: one issue says how many, so that the
        // merge request does not look clean.
        if file.omitted.total() > 0 {
            let description = format!("{}: {}", file.shown_path(), file.omitted.message());
            let issue = Issue {
                fingerprint: fingerprint(&path, "findings-not-shown", "", "", 0),
                description: Cow::Owned(description),
                check_name: "findings-not-shown",
                severity: severity(
                    file.omitted
                        .by_rule
                        .iter()
                        .map(|r| r.severity)
                        .max()
                        .unwrap_or(Severity::Info),
                ),
                location: Location {
                    path: path.clone(),
                    lines: Lines { begin: 1, end: 1 },
                },
            };
            self.issue(out, &issue)?;
        }
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        out.write_all(if self.written == 0 { b"]\n" } else { b"\n]\n" })
    }
}

pub fn render(files: &[FileResult]) -> String {
    super::to_string(&mut Gitlab::new(None), files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_128_matches_its_published_values() {
        // The FNV reference values: the empty string is the offset basis,
        // and "a" is 0xd228cb696f1a8caf78912b704e4a8964.
        assert_eq!(fnv1a_128(&[b""]), 0x6c62272e07bb014262b821756295c58d);
        assert_eq!(fnv1a_128(&[b"a"]), 0xd228cb696f1a8caf78912b704e4a8964);
    }

    #[test]
    fn fingerprints_separate_their_parts_and_repeats() {
        let a = fingerprint("a.json", "ECR204", "/rules/0", "m", 0);
        assert_eq!(a.len(), 32);
        assert_eq!(a, fingerprint("a.json", "ECR204", "/rules/0", "m", 0));
        assert_ne!(a, fingerprint("a.jso", "nECR204", "/rules/0", "m", 0));
        assert_ne!(a, fingerprint("a.json", "ECR204", "/rules/0", "m", 1));
        assert_ne!(a, fingerprint("b.json", "ECR204", "/rules/0", "m", 0));
    }

    #[test]
    fn paths_are_relative_with_forward_slashes() {
        let g = Gitlab::new(Some(PathBuf::from("/work/repo")));
        assert_eq!(g.relative("/work/repo/infra/a.json"), "infra/a.json");
        assert_eq!(g.relative("./infra/a.json"), "infra/a.json");
        assert_eq!(g.relative(".//infra/a.json"), "infra/a.json");
        assert_eq!(g.relative("infra/a.json"), "infra/a.json");
        // Outside the project: left as given.
        assert_eq!(g.relative("/elsewhere/a.json"), "/elsewhere/a.json");
    }
}
