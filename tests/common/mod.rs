//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `../shared/<name>` beside the repository: reference data that CI lays
/// out next to the clone. Missing locally, the test is skipped with a note;
/// missing in CI (`CI=true`), it fails, so CI never skips it silently.
pub fn shared(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("shared")
        .join(name);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{} is missing: CI must have shared/ beside the clone", path.display());
    }
    eprintln!("skipped: {} not found", path.display());
    None
}

pub fn ecrlint() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("ecrlint").expect("binary builds");
    cmd.env_remove("NO_COLOR").env("COLUMNS", "100");
    cmd
}

/// Runs `ecrlint check --format json` on text given as stdin and returns the codes found.
pub fn codes_for(text: &str, args: &[&str]) -> Vec<String> {
    codes_for_file(text, "input.json", args)
}

/// [`codes_for`], with stdin named `name` (its extension picks the format).
pub fn codes_for_file(text: &str, name: &str, args: &[&str]) -> Vec<String> {
    let out = ecrlint()
        .args(["check", "--format", "json", "-", "--stdin-filename", name])
        .args(args)
        .write_stdin(text)
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    report["files"][0]["diagnostics"]
        .as_array()
        .expect("diagnostics list")
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Writes `text` to `dir/name`, creating folders.
pub fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}
