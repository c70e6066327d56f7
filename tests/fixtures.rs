//! Every rule has fixtures under `tests/fixtures/<CODE>-<name>/`:
//! `invalid-*` must produce that rule's finding (and the rendered output is
//! snapshotted), `valid-*` must produce none of it. A `<fixture>.args` file
//! holds command-line settings (`--source-region`, `--source-registry-id`,
//! `--registry-policy-scope`, `--rule`); an `.ecrlint.toml` beside them applies as `check` finds it.
//!
//! They run in-process, through the library path `check` and the language
//! server share (`batch::lint_one`: settings, reading, `lint`), and the
//! human renderer; the CLI's own behaviour is tested in `cli.rs`.

use ecrlint::batch::{lint_one, Limits, Linted};
use ecrlint::config::{Mode, Resolver};
use ecrlint::discover::Input;
use ecrlint::render::{human, FileResult};
use ecrlint::settings::{Level, Overrides};
use std::path::{Path, PathBuf};

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    dirs
}

/// The settings a fixture's `.args` file gives, as `check` would take them.
fn overrides_for(fixture: &Path) -> Overrides {
    let args = std::fs::read_to_string(fixture.with_extension("args")).unwrap_or_default();
    let words: Vec<&str> = args.split_whitespace().collect();
    let mut overrides = Overrides::default();
    for pair in words.chunks(2) {
        match pair {
            ["--source-region", region] => overrides.source_region = Some(region.to_string()),
            ["--source-registry-id", id] => overrides.source_registry = Some(id.to_string()),
            ["--registry-policy-scope", scope] => {
                overrides.registry_policy_scope = Some(ecrlint::settings::PolicyScope::parse(scope).unwrap())
            }
            ["--rule", spec] => {
                let (rule, level) = spec.split_once('=').unwrap();
                let meta = ecrlint::rules::find(rule).unwrap();
                overrides.levels.insert(meta.code, Level::parse(level).unwrap());
            }
            other => panic!("{}: unknown arguments {other:?}", fixture.display()),
        }
    }
    overrides
}

/// The fixture linted as a file named on the command line, shown by its name.
fn run(fixture: &Path) -> FileResult {
    let limits = Limits {
        max_file_size: 64 << 20,
        skip_unrecognised: false,
        fix: None,
        max_findings: 0,
    };
    let resolver = Resolver::new(Mode::Discover);
    match lint_one(
        &Input::Explicit(fixture.to_path_buf()),
        &resolver,
        &overrides_for(fixture),
        &limits,
    ) {
        Linted::File(mut file) => {
            assert_eq!(file.error, None, "{}", fixture.display());
            file.path = fixture.file_name().unwrap().to_string_lossy().to_string();
            file
        }
        Linted::Skipped(why) => panic!("{}: a named file is never skipped ({why})", fixture.display()),
    }
}

/// A fixture folder (for the rules that check across files): every file in
/// it linted in one run, as `check` does with the files named, with the
/// `.ecrlint.toml` files inside it in force. Paths are relative to the
/// crate, as the tests run there.
fn run_set(dir: &Path) -> Vec<FileResult> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "tf") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(dir, &mut files);
    files.sort();
    let inputs: Vec<Input> = files
        .iter()
        .map(|f| Input::Explicit(f.strip_prefix(root).unwrap().to_path_buf()))
        .collect();
    let limits = Limits {
        max_file_size: 64 << 20,
        skip_unrecognised: false,
        fix: None,
        max_findings: 0,
    };
    let resolver = Resolver::new(Mode::Discover);
    let mut results = Vec::new();
    ecrlint::batch::lint_all(&inputs, &resolver, &overrides_for(dir), &limits, |_, linted| {
        match linted {
            Linted::File(file) => results.push(file),
            Linted::Skipped(why) => panic!("{}: a named file is never skipped ({why})", dir.display()),
        }
        Ok(())
    })
    .unwrap();
    results
}

#[test]
fn fixture_folders_are_checked_as_one_run() {
    let mut failures = Vec::new();
    for dir in fixture_dirs() {
        let dir_name = dir.file_name().unwrap().to_string_lossy().to_string();
        let code = &dir_name[..6];
        let mut sets: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_dir())
            .collect();
        sets.sort();
        for set in sets {
            let name = set.file_name().unwrap().to_string_lossy().to_string();
            let results = run_set(&set);
            let found: Vec<&str> = results
                .iter()
                .flat_map(|f| f.diagnostics.iter().map(|d| d.code))
                .collect();
            if name.starts_with("invalid-") {
                if !found.contains(&code) {
                    failures.push(format!("{dir_name}/{name}: expected {code}, found {found:?}"));
                }
                let human = human::render(
                    &results,
                    &human::HumanOptions {
                        color: false,
                        width: 100,
                    },
                );
                insta::assert_snapshot!(format!("{dir_name}__{name}"), human);
            } else if found.contains(&code) {
                failures.push(format!("{dir_name}/{name}: {code} must not fire, found {found:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_fixtures_that_fire_and_that_pass() {
    let codes: Vec<String> = fixture_dirs()
        .iter()
        .map(|d| d.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    for rule in ecrlint::rules::RULES {
        let dir = format!("{}-{}", rule.meta.code, rule.meta.name);
        assert!(codes.contains(&dir), "no fixtures for {dir}");
    }
    for dir in fixture_dirs() {
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("invalid-")),
            "{} has no invalid fixture",
            dir.display()
        );
        assert!(
            names.iter().any(|n| n.starts_with("valid-")),
            "{} has no valid fixture",
            dir.display()
        );
    }
}

#[test]
fn fixtures_produce_their_rule_and_snapshots_match() {
    let mut failures = Vec::new();
    for dir in fixture_dirs() {
        let dir_name = dir.file_name().unwrap().to_string_lossy().to_string();
        let code = &dir_name[..6];
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.extension().is_some_and(|e| {
                    ["json", "yaml", "yml", "template", "tf"].contains(&e.to_str().unwrap_or_default())
                })
            })
            .collect();
        files.sort();
        for file in files {
            // JSON fixtures are named by stem; others keep their extension in the name.
            let file_name = file.file_name().unwrap().to_string_lossy().to_string();
            let name = match file_name.strip_suffix(".json") {
                Some(stem) if !stem.contains('.') => stem.to_string(),
                _ => file_name.replace('.', "_"),
            };
            let result = run(&file);
            let found: Vec<&str> = result.diagnostics.iter().map(|d| d.code).collect();
            // Every pointer names a value of the file, one that holds the span.
            let bytes = std::fs::read(&file).unwrap();
            let yaml = file.extension().is_some_and(|e| e == "yaml" || e == "yml");
            let hcl = file.extension().is_some_and(|e| e == "tf");
            let parsed = if yaml {
                ecrlint::syntax::yaml::parse(&bytes)
            } else if hcl {
                ecrlint::syntax::hcl::parse(&bytes)
            } else {
                ecrlint::syntax::json::parse(&bytes)
            };
            if let Ok(root) = parsed {
                // ECR001 is about the bytes (a byte order mark), not a value.
                for d in result.diagnostics.iter().filter(|d| d.code != "ECR001") {
                    let (pointer, start) = (d.pointer.as_str(), d.span.start);
                    match root.resolve(pointer) {
                        Some((node, _)) if node.span.start <= start && start < node.span.end.max(start + 1) => {}
                        Some((_, Some(key))) if key.start <= start && start < key.end => {}
                        _ => failures.push(format!(
                            "{dir_name}/{name}: pointer {pointer} does not hold offset {start}"
                        )),
                    }
                }
            }
            if name.starts_with("invalid-") {
                if !found.contains(&code) {
                    failures.push(format!("{dir_name}/{name}: expected {code}, found {found:?}"));
                }
                let human = human::render(
                    std::slice::from_ref(&result),
                    &human::HumanOptions {
                        color: false,
                        width: 100,
                    },
                );
                insta::assert_snapshot!(format!("{dir_name}__{name}"), human);
            } else if found.contains(&code) {
                failures.push(format!("{dir_name}/{name}: {code} must not fire, found {found:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
