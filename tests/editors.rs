//! Editor recipes from the README, tried for real where the editor runs
//! here: Neovim headless with the README's makeprg/errorformat, and the VS
//! Code problem-matcher pattern applied to real output.

mod common;

use std::path::Path;
use std::process::Command;

const BAD: &str = "{\n  \"rules\": [\n    {\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"21098765432\"}]}\n  ]\n}\n";

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The first line of the README that contains `needle`, trimmed.
fn readme_line(needle: &str) -> String {
    readme()
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("README lacks {needle}"))
        .trim()
        .to_string()
}

#[test]
fn neovim_quickfix_reads_the_findings() {
    if Command::new("nvim").arg("--version").output().is_err() {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "nvim is missing in CI");
        eprintln!("skipped: nvim is not installed (apt-get install neovim)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("bad.json"), BAD).unwrap();
    // The two settings exactly as the README gives them.
    let makeprg = readme_line("set makeprg=");
    let errorformat = readme_line("set errorformat=");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_ecrlint")).parent().unwrap();
    let out = Command::new("nvim")
        .current_dir(dir.path())
        .env("PATH", format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default()))
        .args(["--headless", "--clean", "-c", &makeprg, "-c", &errorformat, "-c", "silent make", "-c"])
        .arg("call writefile([json_encode(map(getqflist(), {_, v -> {'file': bufname(v.bufnr), 'lnum': v.lnum, 'col': v.col, 'type': v.type, 'text': v.text, 'valid': v.valid}}))], 'qf.json')")
        .args(["-c", "qa!", "bad.json"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let qf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("qf.json")).unwrap()).unwrap();
    let items: Vec<_> = qf.as_array().unwrap().iter().filter(|i| i["valid"] == 1).collect();
    assert_eq!(items.len(), 1, "{qf:#}");
    let item = items[0];
    assert_eq!(item["file"], "bad.json");
    assert_eq!(item["lnum"], 3);
    assert_eq!(item["col"], 61);
    assert_eq!(item["type"], "e");
    assert!(
        item["text"]
            .as_str()
            .unwrap()
            .starts_with("[ECR204 invalid-registry-id] registryId"),
        "{item}"
    );
}

#[test]
fn vscode_problem_matcher_pattern_matches_concise_output() {
    // The "regexp" of the README's tasks.json, JSON-unescaped.
    let line = readme_line("\"regexp\":");
    let value: serde_json::Value = serde_json::from_str(&format!("{{{}}}", line.trim_end_matches(','))).unwrap();
    let pattern = regex::Regex::new(value["regexp"].as_str().unwrap()).unwrap();
    let out = common::ecrlint()
        .args([
            "check",
            "--format",
            "concise",
            "-",
            "--stdin-filename",
            "infra/replication.json",
        ])
        .write_stdin(BAD)
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let c = pattern
        .captures(text.lines().next().unwrap())
        .expect("the pattern matches");
    // file, line, column, severity, code, message: the groups the task names.
    assert_eq!(&c[1], "infra/replication.json");
    assert_eq!(&c[2], "3");
    assert_eq!(&c[3], "61");
    assert_eq!(&c[4], "error");
    assert_eq!(&c[5], "ECR204");
    assert!(c[6].starts_with("registryId"));
}
