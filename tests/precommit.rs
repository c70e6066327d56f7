//! The real `pre-commit` (from PyPI) running our hooks through
//! `pre-commit try-repo` on a scratch repository: good files, a bad one, one
//! with a misspelt key, a registry scanning configuration and unrelated files. Skipped locally when pre-commit is missing; in CI
//! (`CI=true`) it must be there.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn have_pre_commit() -> bool {
    if Command::new("pre-commit")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "pre-commit is missing in CI"
    );
    eprintln!("skipped: pre-commit is not installed (pip install pre-commit)");
    false
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

const GOOD: &str =
    "{\n  \"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}]}]\n}\n";
const STACK: &str = "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: us-west-2\n                RegistryId: !Ref AWS::AccountId\n";
const MISSPELT: &str =
    "{\n  \"rules\": [{\"destinatons\": [{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}]}]\n}\n";
const SCANNING: &str = "{\"scanType\": \"ENHANCED\", \"rules\": [{\"scanFrequency\": \"CONTINUOUS_SCAN\", \"repositoryFilters\": [{\"filter\": \"*\", \"filterType\": \"WILDCARD\"}]}]}\n";
const BAD: &str = "{\n  \"rules\": [\n    {\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"21098765432\"}]}\n  ]\n}\n";

/// Runs `pre-commit try-repo` for `hook` over every file; (exit code, output).
fn try_repo(scratch: &Path, hook: &str, home: &Path) -> (i32, String) {
    let repo = env!("CARGO_MANIFEST_DIR");
    let bin_dir: PathBuf = Path::new(env!("CARGO_BIN_EXE_ecrlint")).parent().unwrap().to_path_buf();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let out = Command::new("pre-commit")
        .current_dir(scratch)
        .env("PATH", path)
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        .args(["try-repo", repo, hook, "--all-files", "--color", "never"])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

fn scratch_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("infra")).unwrap();
    std::fs::write(root.join("infra/good.json"), GOOD).unwrap();
    std::fs::write(root.join("infra/bad.json"), BAD).unwrap();
    std::fs::write(root.join("infra/misspelt.json"), MISSPELT).unwrap();
    std::fs::write(root.join("infra/scanning.json"), SCANNING).unwrap();
    std::fs::write(
        root.join("package.json"),
        "{\"name\": \"app\", \"version\": \"1.0.0\"}\n",
    )
    .unwrap();
    std::fs::write(root.join("deployment.yaml"), "apiVersion: apps/v1\nkind: Deployment\n").unwrap();
    std::fs::write(root.join("infra/stack.yaml"), STACK).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "scratch"]);
    dir
}

fn check_hook(hook: &str) {
    let scratch = scratch_repo();
    let home = tempfile::tempdir().unwrap();
    let (code, text) = try_repo(scratch.path(), hook, home.path());
    assert_eq!(code, 1, "the bad file fails the hook:\n{text}");
    assert!(
        text.contains("infra/bad.json:3:"),
        "names the bad file and its line:\n{text}"
    );
    assert!(text.contains("ECR204"), "{text}");
    let summaries = text
        .lines()
        .filter(|l| l.starts_with('✖') || l.starts_with('✔'))
        .count();
    assert_eq!(summaries, 1, "one call, one summary (require_serial):\n{text}");
    assert!(
        text.contains("infra/misspelt.json:2:") && text.contains("ECR102"),
        "a misspelt key fails the commit, never skipped:\n{text}"
    );
    assert!(
        !text.contains("scanning.json"),
        "a registry scanning configuration passes:\n{text}"
    );
    assert!(
        !text.contains("package.json"),
        "unrelated JSON is not reported:\n{text}"
    );
    assert!(!text.contains("good.json:"), "{text}");
    assert!(
        !text.contains("deployment.yaml") && !text.contains("stack.yaml:"),
        "{text}"
    );

    std::fs::write(scratch.path().join("infra/bad.json"), GOOD).unwrap();
    std::fs::write(scratch.path().join("infra/misspelt.json"), GOOD).unwrap();
    git(scratch.path(), &["commit", "-qam", "fix"]);
    let (code, text) = try_repo(scratch.path(), hook, home.path());
    assert_eq!(code, 0, "passes once fixed:\n{text}");
}

#[test]
fn system_hook_fails_on_the_bad_file_and_passes_once_fixed() {
    if have_pre_commit() {
        check_hook("ecrlint-system");
    }
}

/// The `language: rust` hook builds ecrlint with cargo (minutes), so it runs
/// only when asked: CI sets ECRLINT_TEST_RUST_HOOK=1.
#[test]
fn rust_hook_builds_and_lints() {
    if std::env::var("ECRLINT_TEST_RUST_HOOK").as_deref() != Ok("1") {
        eprintln!("skipped: set ECRLINT_TEST_RUST_HOOK=1 to build the language: rust hook");
        return;
    }
    if have_pre_commit() {
        check_hook("ecrlint");
    }
}

/// The hooks pass `--force-exclude`: what `exclude` globs leave out of
/// directory walks stays out of the hook, which names every staged file.
#[test]
fn the_hooks_respect_exclude_globs() {
    if !have_pre_commit() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::create_dir_all(root.join("vendor/lib")).unwrap();
    std::fs::write(root.join(".ecrlint.toml"), "extend-exclude = [\"vendor\"]\n").unwrap();
    std::fs::write(root.join("vendor/lib/bad.json"), BAD).unwrap();
    std::fs::write(root.join("good.json"), GOOD).unwrap();
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["commit", "-qm", "scratch"]);
    let home = tempfile::tempdir().unwrap();
    let (code, text) = try_repo(root, "ecrlint-system", home.path());
    assert_eq!(code, 0, "the excluded file is not linted:\n{text}");
    assert!(!text.contains("vendor/lib/bad.json:"), "{text}");
    std::fs::write(root.join(".ecrlint.toml"), "").unwrap();
    git(root, &["commit", "-qam", "no exclude"]);
    let (code, text) = try_repo(root, "ecrlint-system", home.path());
    assert_eq!(code, 1, "without the glob it is:\n{text}");
    assert!(text.contains("vendor/lib/bad.json:3:"), "{text}");
}
