//! The language server answers an edit that only adds or removes blanks
//! between JSON tokens with the last lint's findings and facts, moved
//! (`blank_edits::moved`). Property: after any sequence of random edits,
//! blanks or not, on every JSON fixture and on a large generated document,
//! what the server would hold equals a full lint of the text.

use ecrlint::blank_edits::{moved, Change, Linted};
use ecrlint::crosscheck::FileFacts;
use ecrlint::diagnostic::Diagnostic;
use ecrlint::document::shape::Shape;
use ecrlint::lint::{lint, Origin, Outcome};
use ecrlint::settings::Settings;
use ecrlint::syntax::ReadAs;
use std::path::{Path, PathBuf};

/// A small deterministic generator: failures name their seed and step.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

type Lint = (Option<&'static Shape>, Vec<Diagnostic>, FileFacts);

fn full(text: &str, read_as: ReadAs, settings: &Settings) -> Option<Lint> {
    match lint(text.as_bytes(), read_as, Origin::Found, settings) {
        Outcome::Linted {
            document,
            diagnostics,
            facts,
            ..
        } => Some((document, diagnostics, facts)),
        Outcome::Skipped { .. } => None,
    }
}

/// A random edit: mostly blanks typed or deleted next to blanks already
/// there (where an edit of blanks between tokens is likely), sometimes a
/// character or a deletion anywhere.
fn random_change(text: &str, rng: &mut Rng) -> Change {
    let bytes = text.as_bytes();
    let boundary = |mut at: usize| {
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let blanks: Vec<usize> = (0..=bytes.len())
        .filter(|&i| {
            i == bytes.len()
                || matches!(bytes[i], b' ' | b'\n' | b'\t' | b'\r')
                || i > 0 && matches!(bytes[i - 1], b' ' | b'\n' | b',' | b'{' | b'[')
        })
        .collect();
    let inserted = ["", " ", "\n", "  ", "\t", "\r\n", "x", "\"", "1", ",", "}"];
    match rng.below(10) {
        0..=6 if !blanks.is_empty() => {
            let at = blanks[rng.below(blanks.len())];
            let removable = bytes[at..]
                .iter()
                .take_while(|b| matches!(b, b' ' | b'\n' | b'\t' | b'\r'))
                .count();
            let removed = if removable > 0 && rng.below(2) == 0 {
                1 + rng.below(removable)
            } else {
                0
            };
            let inserted = if removed > 0 && rng.below(2) == 0 {
                ""
            } else {
                inserted[1 + rng.below(5)]
            };
            Change {
                at,
                removed,
                inserted: inserted.into(),
            }
        }
        _ => {
            let at = boundary(rng.below(bytes.len() + 1));
            let removed = boundary((at + rng.below(3)).min(bytes.len())) - at;
            Change {
                at,
                removed,
                inserted: inserted[rng.below(inserted.len())].into(),
            }
        }
    }
}

/// Edits `text` `steps` times, one change or a few at once, checking after
/// each what the moved findings (when they are moved) against a full lint.
/// Returns how many times they were moved.
fn check_edits(name: &Path, mut text: String, seed: u64, steps: usize) -> usize {
    let read_as = ReadAs::for_path(name);
    let settings = Settings::default();
    let mut rng = Rng(seed);
    let mut held = full(&text, read_as, &settings);
    let mut moves = 0;
    for step in 0..steps {
        let before = text.clone();
        let changes: Vec<Change> = (0..1 + rng.below(3) * rng.below(2))
            .map(|_| {
                let change = random_change(&text, &mut rng);
                text.replace_range(change.at..change.at + change.removed, &change.inserted);
                change
            })
            .collect();
        let expected = full(&text, read_as, &settings);
        if let Some((Some(shape), found, facts)) = &held {
            let linted = Linted { shape, found, facts };
            if let Some((found, facts)) = moved(&before, &text, read_as, &settings, &changes, linted) {
                moves += 1;
                let got = (Some(*shape), found, facts);
                assert!(
                    Some(&got) == expected.as_ref(),
                    "{} (seed {seed}, step {step}): moved findings differ from a lint after {changes:?}\nmoved: {got:#?}\nlint: {expected:#?}",
                    name.display()
                );
            }
        }
        // A text that no longer parses is put back (as an editor's undo), so
        // that the edits go on on a document with findings to move.
        let broken = expected
            .as_ref()
            .is_none_or(|(_, found, _)| found.iter().any(|d| d.code == "ECR001"));
        if broken && held.is_some() {
            text = before;
        } else {
            held = expected;
        }
    }
    eprintln!("{}: {moves} of {steps} edits moved", name.display());
    moves
}

#[test]
fn moved_findings_equal_a_lint_on_every_json_fixture() {
    let mut files: Vec<PathBuf> = Vec::new();
    let mut folders = vec![PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures"))];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() > 300, "the JSON fixtures: {}", files.len());
    let mut moves = 0;
    for (i, file) in files.iter().enumerate() {
        // Files of other encodings are read as bytes: no editor's text.
        let Ok(text) = String::from_utf8(std::fs::read(file).unwrap()) else {
            continue;
        };
        moves += check_edits(file, text, 0x9e37_79b9_7f4a_7c15 ^ i as u64, 12);
    }
    // Most JSON fixtures are linted with findings: many edits were moved.
    assert!(moves > 1000, "only {moves} edits took the moved findings");
}

/// Rules of 8 destinations and 20 filters (the server benchmark's shape),
/// over the quota, with findings in some rules.
fn big_document(rules: usize) -> String {
    let rules: Vec<String> = (0..rules)
        .map(|r| {
            let destinations: Vec<String> = (0..8)
                .map(|d| {
                    let region = ["us-west-2", "eu-west-1", "ap-northeast-1", "us-east-2", "us-wst-2"][(r + d) % 5];
                    format!("        {{\"region\": \"{region}\", \"registryId\": \"2{r:06}{d:05}\"}}")
                })
                .collect();
            let filters: Vec<String> = (0..20)
                .map(|f| {
                    let kind = if (r + f) % 7 == 0 { "PREFIX" } else { "PREFIX_MATCH" };
                    format!("        {{\"filter\": \"team{r}/svc-{f}/\", \"filterType\": \"{kind}\"}}")
                })
                .collect();
            format!(
                "    {{\n      \"destinations\": [\n{}\n      ],\n      \"repositoryFilters\": [\n{}\n      ]\n    }}",
                destinations.join(",\n"),
                filters.join(",\n")
            )
        })
        .collect();
    format!("{{\n  \"rules\": [\n{}\n  ]\n}}\n", rules.join(",\n"))
}

#[test]
fn moved_findings_equal_a_lint_on_a_large_document() {
    let text = big_document(40);
    let moves = check_edits(Path::new("big.json"), text, 0x2545_f491_4f6c_dd1d, 60);
    assert!(moves > 20, "only {moves} edits took the moved findings");
}
