//! Every rule has fixtures under `tests/fixtures/<CODE>-<name>/`:
//! `invalid-*.json` must produce that rule's finding (and the rendered
//! output is snapshotted), `valid-*.json` must produce none of it.
//! A `<fixture>.args` file holds extra command-line arguments.

mod common;

use std::path::{Path, PathBuf};

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<_> = std::fs::read_dir(root).unwrap().map(|e| e.unwrap().path()).collect();
    dirs.sort();
    dirs
}

fn args_for(fixture: &Path) -> Vec<String> {
    std::fs::read_to_string(fixture.with_extension("args"))
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default()
}

fn run(fixture: &Path, format: &str) -> (String, i32) {
    let dir = fixture.parent().unwrap();
    let out = common::ecrlint()
        .current_dir(dir)
        .args(["check", "--color", "never", "--format", format])
        .arg(fixture.file_name().unwrap())
        .args(args_for(fixture))
        .output()
        .unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap_or(-1))
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
                p.extension()
                    .is_some_and(|e| ["json", "yaml", "yml", "template"].contains(&e.to_str().unwrap_or_default()))
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
            let (json, _) = run(&file, "json");
            let report: serde_json::Value = serde_json::from_str(&json).unwrap();
            let found: Vec<&str> = report["files"][0]["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|d| d["code"].as_str().unwrap())
                .collect();
            // Every pointer names a value of the file, one that holds the span.
            let bytes = std::fs::read(&file).unwrap();
            let yaml = file.extension().is_some_and(|e| e == "yaml" || e == "yml");
            let parsed = if yaml {
                ecrlint::syntax::yaml::parse(&bytes)
            } else {
                ecrlint::syntax::json::parse(&bytes)
            };
            if let Ok(root) = parsed {
                // ECR001 is about the bytes (a byte order mark), not a value.
                let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
                for d in diagnostics.iter().filter(|d| d["code"] != "ECR001") {
                    let pointer = d["pointer"].as_str().unwrap();
                    let start = d["span"]["start"].as_u64().unwrap() as usize;
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
                let (human, _) = run(&file, "human");
                insta::assert_snapshot!(format!("{dir_name}__{name}"), human);
            } else if found.contains(&code) {
                failures.push(format!("{dir_name}/{name}: {code} must not fire, found {found:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
