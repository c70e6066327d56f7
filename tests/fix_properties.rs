//! A property of every fix together, over mutated fixtures: applying all
//! fixes (safe, or safe and unsafe) yields a file that parses, has no
//! finding the original did not have, and is a fixed point (fixing it
//! again changes nothing).

use ecrlint::fix::apply::{fix_text, Linter, Mode};
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
        *counts.entry((d.code.to_string(), d.message)).or_insert(0) += 1;
    }
    Some(counts)
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
