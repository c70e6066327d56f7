//! A property of every fix together, over mutated fixtures: applying all
//! fixes (safe, or safe and unsafe) yields a file that parses, has no
//! finding the original did not have, and is a fixed point (fixing it
//! again changes nothing). And the same through the file system: `check
//! --fix` on mutated files while other writers save some of them and a
//! signal may stop the run leaves each file its original bytes, its fix,
//! or the other writer's bytes, and nothing beside them.

use ecrlint::fix::apply::Mode;
use ecrlint::fix_loop::{fix_text, Linter};
use ecrlint::lint::{lint, Origin, Outcome};
use ecrlint::settings::Settings;
use ecrlint::syntax::ReadAs;
use proptest::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Every fixture and fix case, with its name (which picks the format).
fn corpus() -> &'static [(PathBuf, String)] {
    static CORPUS: OnceLock<Vec<(PathBuf, String)>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
        let mut files = Vec::new();
        for dir in ["fixtures", "fixes"] {
            let mut stack = vec![root.join(dir)];
            while let Some(d) = stack.pop() {
                for e in std::fs::read_dir(d).unwrap() {
                    let p = e.unwrap().path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if p.extension().is_some_and(|x| x == "json" || x == "yaml" || x == "tf") {
                        if let Ok(text) = std::fs::read_to_string(&p) {
                            files.push((p, text));
                        }
                    }
                }
            }
        }
        files.sort();
        files
    })
}

/// Mistakes the fixes are for, and a few that break the file.
const MUTATIONS: &[(&str, &str)] = &[
    ("PREFIX_MATCH", "prefix"),
    ("PREFIX_MATCH", "Prefix_Match"),
    ("PREFIX_MATCH", "PREFIX"),
    ("us-west-2", "US-WEST-2"),
    ("us-west-2", "us-wset-2"),
    ("eu-west-1", "EU-WEST-1"),
    ("\"us-", "\" us-"),
    ("prod", "Prod"),
    ("prod", "prod/*"),
    ("registryId", "registryID"),
    ("RegistryId", "Registryid"),
    ("destinations", "destination"),
    ("Destinations", "Destination"),
    ("\"210987654321\"", "210987654321"),
    (",", ""),
    (":", " "),
    ("- ", "-"),
];

/// Applies mutation `kind` at the `n`-th place it fits (modulo their count),
/// or duplicates line `n` for kinds past the table (a duplicate item or key).
fn mutate(text: &str, kind: usize, n: usize) -> String {
    match MUTATIONS.get(kind) {
        Some((from, to)) => {
            let places: Vec<usize> = text.match_indices(from).map(|(i, _)| i).collect();
            if places.is_empty() {
                return text.to_string();
            }
            let at = places[n % places.len()];
            format!("{}{to}{}", &text[..at], &text[at + from.len()..])
        }
        None => {
            let lines: Vec<&str> = text.split_inclusive('\n').collect();
            if lines.is_empty() {
                return text.to_string();
            }
            let i = n % lines.len();
            let mut out: String = lines[..=i].concat();
            out.push_str(lines[i]);
            out.push_str(&lines[i + 1..].concat());
            out
        }
    }
}

fn tally(text: &str, read_as: ReadAs, settings: &Settings) -> Option<HashMap<(String, String), usize>> {
    let Outcome::Linted { diagnostics, .. } = lint(text.as_bytes(), read_as, Origin::Named, settings) else {
        return None;
    };
    let mut counts = HashMap::new();
    for d in diagnostics {
        *counts
            .entry((d.code.to_string(), without_numbers(&d.message)))
            .or_insert(0) += 1;
    }
    Some(counts)
}

/// A message with each run of digits as `#`: a count in a message may
/// rightly change when a fix repairs what it counts (fixing `registryID`
/// makes ECR305's "100 unique destinations" 101), and that finding is the
/// same problem, not an added one.
fn without_numbers(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        if c.is_ascii_digit() {
            if !out.ends_with('#') {
                out.push('#');
            }
        } else {
            out.push(c);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn fixing_everything_parses_adds_nothing_and_is_a_fixed_point(
        file in any::<prop::sample::Index>(),
        mutations in prop::collection::vec((0..MUTATIONS.len() + 1, any::<usize>()), 1..4),
        unsafe_too in any::<bool>(),
    ) {
        let (path, original) = file.get(corpus());
        let mut text = original.clone();
        for (kind, n) in mutations {
            text = mutate(&text, kind, n);
        }
        let settings = Settings::default();
        let read_as = ReadAs::for_path(path);
        let linter = Linter { read_as, origin: Origin::Named, settings: &settings };
        let mode = if unsafe_too { Mode::Unsafe } else { Mode::Safe };
        let fixed = fix_text(&text, linter, mode);
        let before = tally(&text, read_as, &settings);
        let after = tally(&fixed.text, read_as, &settings);
        if fixed.applied == 0 {
            prop_assert_eq!(&fixed.text, &text);
        }
        if let (Some(before), Some(after)) = (&before, &after) {
            for (key, n) in after {
                prop_assert!(
                    before.get(key).is_some_and(|m| n <= m),
                    "{}: fixing added {:?}\n--- mutated\n{}\n--- fixed\n{}", path.display(), key, text, fixed.text
                );
            }
        } else {
            prop_assert_eq!(before.is_some(), after.is_some(), "fixing changed whether the file is linted");
        }
        let again = fix_text(&fixed.text, linter, mode);
        prop_assert_eq!(again.applied, 0, "{}: not a fixed point\n{}", path.display(), fixed.text);
        prop_assert_eq!(&again.text, &fixed.text);
    }
}

/// What another program saving file `i` while ecrlint runs writes: never
/// a replication document, so never fixed.
fn saved_bytes(i: usize) -> Vec<u8> {
    format!("saved by another program while ecrlint ran ({i})\n").into_bytes()
}

/// Saves `bytes` as an editor does: a new file renamed over the old.
fn save_atomically(path: &Path, bytes: &[u8]) {
    let new = path.with_extension("saving");
    std::fs::write(&new, bytes).unwrap();
    std::fs::rename(&new, path).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn fixing_files_while_others_save_them_loses_nobodys_bytes(
        files in prop::collection::vec(
            (any::<prop::sample::Index>(), prop::collection::vec((0..MUTATIONS.len() + 1, any::<usize>()), 1..3)),
            1..5,
        ),
        saves in prop::collection::vec(prop::option::of(0u64..30_000), 5),
        stop_after in prop::option::of(0u64..60_000),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let settings = Settings::default();
        let mut names = Vec::new();
        let mut originals = Vec::new();
        let mut fixes = Vec::new();
        for (i, (file, mutations)) in files.iter().enumerate() {
            let (path, original) = file.get(corpus());
            let mut text = original.clone();
            for &(kind, n) in mutations {
                text = mutate(&text, kind, n);
            }
            let ext = path.extension().unwrap().to_string_lossy().to_string();
            let name = format!("f{i}.{ext}");
            let linter = Linter { read_as: ReadAs::for_path(Path::new(&name)), origin: Origin::Named, settings: &settings };
            fixes.push(fix_text(&text, linter, Mode::Safe).text.into_bytes());
            std::fs::write(dir.path().join(&name), &text).unwrap();
            names.push(name);
            originals.push(text.into_bytes());
        }
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ecrlint"))
            .args(["check", "--isolated", "--fix"])
            .args(&names)
            .current_dir(dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let pid = child.id();
        let saved: Vec<bool> = std::thread::scope(|scope| {
            let writers: Vec<_> = names
                .iter()
                .zip(&saves)
                .enumerate()
                .map(|(i, (name, delay))| {
                    let path = dir.path().join(name);
                    scope.spawn(move || {
                        let Some(delay) = *delay else { return false };
                        std::thread::sleep(std::time::Duration::from_micros(delay));
                        save_atomically(&path, &saved_bytes(i));
                        true
                    })
                })
                .collect();
            if let Some(delay) = stop_after {
                std::thread::sleep(std::time::Duration::from_micros(delay));
                // SAFETY: signals our own child, which has not been waited for yet.
                unsafe { libc::kill(pid as libc::pid_t, libc::SIGTERM) };
            }
            writers.into_iter().map(|w| w.join().unwrap()).collect()
        });
        child.wait().unwrap();
        for (i, name) in names.iter().enumerate() {
            let now = std::fs::read(dir.path().join(name)).unwrap();
            if saved[i] {
                // The other program saved last: its bytes, never overwritten.
                prop_assert_eq!(&now, &saved_bytes(i), "{}", name);
            } else {
                prop_assert!(
                    now == originals[i] || now == fixes[i],
                    "{}: neither its bytes nor its fix:\n{}", name, String::from_utf8_lossy(&now)
                );
            }
        }
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !names.contains(n))
            .collect();
        left.sort();
        prop_assert!(left.is_empty(), "left beside the files: {:?}", left);
    }
}
