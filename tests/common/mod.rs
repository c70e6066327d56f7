//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// `tests/data/<name>`: reference data copied into the repository from
/// the workplace's shared folder (JSONTestSuite, the real-file corpus), so a
/// plain clone runs every test. `tests/data/README.md` says how to refresh it.
pub fn data(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("data")
        .join(name);
    assert!(path.exists(), "{} is missing from the repository", path.display());
    path
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
    // Run in a folder of its own: from this repository, the check across
    // files would read its workspace (examples/) into the verdict.
    let alone = tempfile::tempdir().expect("a temporary folder");
    let out = ecrlint()
        .current_dir(alone.path())
        .args(["check", "--format", "json", "-", "--stdin-filename", name])
        .args(args)
        .write_stdin(text)
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    codes_by_file(&report).into_iter().next().expect("one file").1
}

/// `ecrlint check --format json` with `args` in `dir`: the report and the
/// exit code. Panics, showing standard error, when there is no report.
pub fn json_report(dir: &Path, args: &[&str]) -> (serde_json::Value, i32) {
    let out = ecrlint()
        .current_dir(dir)
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .expect("runs");
    let report = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("no JSON report: {}", String::from_utf8_lossy(&out.stderr)));
    (report, out.status.code().expect("exits"))
}

/// Each file of a JSON report, in order: its path and its diagnostics.
pub fn report_files(report: &serde_json::Value) -> Vec<(String, Vec<serde_json::Value>)> {
    report["files"]
        .as_array()
        .expect("files list")
        .iter()
        .map(|f| {
            let path = f["path"].as_str().expect("path").to_string();
            (path, f["diagnostics"].as_array().expect("diagnostics list").clone())
        })
        .collect()
}

/// Each file of a JSON report, in order: its path and its codes.
pub fn codes_by_file(report: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    report_files(report)
        .into_iter()
        .map(|(path, diagnostics)| {
            let codes = diagnostics
                .iter()
                .map(|d| d["code"].as_str().expect("code").to_string())
                .collect();
            (path, codes)
        })
        .collect()
}

/// Each finding of a JSON report, in order: its file, code and line.
pub fn codes_and_lines(report: &serde_json::Value) -> Vec<(String, String, u64)> {
    report_files(report)
        .into_iter()
        .flat_map(|(path, diagnostics)| {
            diagnostics.into_iter().map(move |d| {
                let line = d["start"]["line"].as_u64().expect("line");
                (path.clone(), d["code"].as_str().expect("code").to_string(), line)
            })
        })
        .collect()
}

/// Writes `text` to `dir/name`, creating folders.
pub fn write(dir: &Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The wheel `scripts/build-wheel` built, named by `ECRLINT_TEST_WHEEL`.
/// Tests that need it are `#[ignore = "needs ECRLINT_TEST_WHEEL …"]`:
/// `.ci/run` builds the wheel and runs them with `cargo test -- --ignored`,
/// so a missing wheel fails there, and a plain `cargo test` counts them as
/// ignored, never as passed having checked nothing.
pub fn test_wheel() -> PathBuf {
    let path = PathBuf::from(needs_env("ECRLINT_TEST_WHEEL", "a wheel from scripts/build-wheel"));
    assert!(path.is_file(), "ECRLINT_TEST_WHEEL={} is not a file", path.display());
    path
}

/// The value of `var`, which an ignored test needs (see [`test_wheel`]).
pub fn needs_env(var: &str, what: &str) -> std::ffi::OsString {
    std::env::var_os(var).unwrap_or_else(|| panic!("this test needs {var}: {what} (.ci/run provides it)"))
}

/// Whether `command --version` runs; an ignored test that needs it fails
/// when it does not (see [`test_wheel`]).
pub fn needs_command(command: &str, install: &str) {
    let runs = std::process::Command::new(command)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(runs, "this test needs `{command}`: {install} (.ci/run installs it)");
}

/// Copies the folder `from` into `to`, with everything below it.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// The pages a user reads: README.md, then every Markdown file of the docs
/// book (`docs/`, in path order), each as (path from the repository root, text).
pub fn doc_pages() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut paths = Vec::new();
    let mut folders = vec![root.join("docs")];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                paths.push(path.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            }
        }
    }
    paths.sort();
    paths.insert(0, "README.md".to_string());
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(root.join(&path)).unwrap();
            (path, text)
        })
        .collect()
}

/// The text of one page of the docs book (`docs/<page>`).
pub fn doc_page(page: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs").join(page);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
