//! Every rule has fixtures under `tests/fixtures/<CODE>-<name>/`:
//! `invalid-*` must produce that rule's finding (and the rendered output is
//! snapshotted), `valid-*` must produce none of it.
//!
//! Every linted fixture file (a top-level one, or one inside a fixture
//! folder) states the codes it yields, exactly: `<file name>.codes` beside
//! it holds them sorted, one a line (an empty file: no finding at all). So a
//! `valid-*` file has no finding unless its list says so, and a change of
//! behaviour shows as a changed list. `ECRLINT_BLESS_CODES=1 cargo test
//! --test fixtures` writes the lists from what is found; read the diff
//! before committing it, as with snapshots.
//!
//! A `<fixture>.args` file
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

/// `<file name>.codes`: the codes `file` yields, sorted, one a line.
fn codes_file(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap().to_os_string();
    name.push(".codes");
    file.with_file_name(name)
}

/// Compares the codes found in `file` with its `.codes` list (or writes the
/// list, with `ECRLINT_BLESS_CODES=1`); a mismatch is added to `failures`.
fn check_codes(file: &Path, found: &[&str], failures: &mut Vec<String>) {
    let mut found: Vec<&str> = found.to_vec();
    found.sort_unstable();
    let list = codes_file(file);
    let found_text: String = found.iter().map(|code| format!("{code}\n")).collect();
    if std::env::var_os("ECRLINT_BLESS_CODES").is_some() {
        std::fs::write(&list, &found_text).unwrap();
        return;
    }
    match std::fs::read_to_string(&list) {
        Ok(stated) => {
            let stated: Vec<&str> = stated.lines().collect();
            if stated != found {
                failures.push(format!(
                    "{}: {} states {stated:?}, found {found:?}",
                    file.display(),
                    list.display()
                ));
            }
        }
        Err(_) => failures.push(format!("{}: no {} stating its codes", file.display(), list.display())),
    }
}

/// A fixture file's name in its snapshot: JSON fixtures are named by stem;
/// others keep their extension in the name.
fn fixture_name(file: &Path) -> String {
    let file_name = file.file_name().unwrap().to_string_lossy().to_string();
    match file_name.strip_suffix(".json") {
        Some(stem) if !stem.contains('.') => stem.to_string(),
        _ => file_name.replace('.', "_"),
    }
}

/// The files of a fixture folder that are linted one by one.
fn fixture_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| ["json", "yaml", "yml", "template", "tf"].contains(&e.to_str().unwrap_or_default()))
        })
        .collect();
    files.sort();
    files
}

/// The fixture folders (checked as one run) inside a rule's fixture folder.
fn fixture_sets(dir: &Path) -> Vec<PathBuf> {
    let mut sets: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    sets.sort();
    sets
}

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

/// The fixture linted as a file named on the command line, shown by its
/// name. The loose files of a rule's folder are each a configuration of
/// their own, not one Terraform module.
fn run(fixture: &Path) -> FileResult {
    let limits = Limits {
        max_file_size: 64 << 20,
        skip_unrecognised: false,
        fix: None,
        terraform_modules: false,
        max_findings: Some(0),
        add_suppressions: false,
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
            } else if p.extension().is_some_and(|e| e == "json" || e == "yaml" || e == "tf")
                // Files read by their name (`terragrunt.hcl`).
                || ecrlint::syntax::read_file_names().any(|n| p.file_name().is_some_and(|f| f == n))
            {
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
        terraform_modules: true,
        max_findings: Some(0),
        add_suppressions: false,
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
        for set in fixture_sets(&dir) {
            let name = set.file_name().unwrap().to_string_lossy().to_string();
            let results = run_set(&set);
            let root = Path::new(env!("CARGO_MANIFEST_DIR"));
            for file in &results {
                let codes: Vec<&str> = file.diagnostics.iter().map(|d| d.code).collect();
                check_codes(&root.join(&file.path), &codes, &mut failures);
            }
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
        for file in fixture_files(&dir) {
            let name = fixture_name(&file);
            let result = run(&file);
            let found: Vec<&str> = result.diagnostics.iter().map(|d| d.code).collect();
            check_codes(&file, &found, &mut failures);
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

#[test]
fn every_codes_list_has_its_fixture() {
    fn walk(dir: &Path, stale: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, stale);
            } else if path.extension().is_some_and(|e| e == "codes") && !path.with_extension("").is_file() {
                stale.push(path.display().to_string());
            }
        }
    }
    let mut stale = Vec::new();
    walk(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"),
        &mut stale,
    );
    assert!(
        stale.is_empty(),
        "codes lists without their fixture file:\n{}",
        stale.join("\n")
    );
}

/// Every `.snap` file is one a test writes: a fixture's (named
/// `fixtures__<folder>__<fixture>`), or another test file's, named after a
/// test function that takes a snapshot. A snapshot left behind by a renamed
/// or deleted fixture or test fails here, not silently forever.
#[test]
fn no_snapshot_is_orphaned() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut written = std::collections::BTreeSet::new();
    for dir in fixture_dirs() {
        let dir_name = dir.file_name().unwrap().to_string_lossy().to_string();
        let invalid = fixture_files(&dir)
            .iter()
            .map(|f| fixture_name(f))
            .chain(
                fixture_sets(&dir)
                    .iter()
                    .map(|s| s.file_name().unwrap().to_string_lossy().to_string()),
            )
            .filter(|name| name.starts_with("invalid-"))
            .collect::<Vec<_>>();
        for name in invalid {
            written.insert(format!("fixtures__{dir_name}__{name}.snap"));
        }
    }
    let mut orphans = Vec::new();
    for entry in std::fs::read_dir(root.join("tests/snapshots")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        if written.contains(&name) {
            continue;
        }
        // `<test file>__<test function>.snap`, from `assert_snapshot!(value)` in that function.
        let takes_snapshot = name
            .strip_suffix(".snap")
            .and_then(|stem| stem.split_once("__"))
            .filter(|(module, _)| *module != "fixtures")
            .and_then(|(module, function)| {
                let source = std::fs::read_to_string(root.join("tests").join(format!("{module}.rs"))).ok()?;
                let body = &source[source.find(&format!("fn {function}("))?..];
                let end = body[1..].find("\nfn ").map_or(body.len(), |i| i + 1);
                Some(body[..end].contains("assert_snapshot!("))
            });
        if takes_snapshot != Some(true) {
            orphans.push(name);
        }
    }
    assert!(
        orphans.is_empty(),
        "snapshots no test writes (delete them):\n{}",
        orphans.join("\n")
    );
}
