//! The real `pre-commit` (from PyPI) running our hooks through
//! `pre-commit try-repo` on a scratch repository: good files, a bad one, one
//! with a misspelt key, a registry scanning configuration and unrelated
//! files. Every hook is held to the same verdicts: `ecrlint-system`, the
//! `rust` and `python` hooks (builds, when asked), and the mirror in
//! `pre-commit-mirror/` installing the wheel. Skipped locally when
//! pre-commit is missing; in CI (`CI=true`) it must be there.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn needs_pre_commit() {
    common::needs_command("pre-commit", "pip install pre-commit");
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

/// PATH without any ecrlint, so that a hook runs the one it installed.
fn path_without_ecrlint() -> std::ffi::OsString {
    std::env::join_paths(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .filter(|dir| !dir.join("ecrlint").exists()),
    )
    .unwrap()
}

/// Runs `pre-commit try-repo` for `hook` of this repository over every
/// file; (exit code, output). The system hook finds the binary the tests
/// build on PATH; the others only the one they install.
fn try_repo(scratch: &Path, hook: &str, home: &Path) -> (i32, String) {
    let mut path = path_without_ecrlint();
    if hook == "ecrlint-system" {
        let bin_dir: PathBuf = Path::new(env!("CARGO_BIN_EXE_ecrlint")).parent().unwrap().to_path_buf();
        path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(&path))).unwrap();
    }
    // Hooks that build ecrlint (rust, python) build into target/, so that
    // a second run of these tests is an incremental build, not a new one;
    // each into its own folder, as their tests run at once (`cargo install`
    // copying the binary that maturin is writing failed a CI run).
    let target = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target/pre-commit-hooks")
        .join(hook);
    let mut cmd = Command::new("pre-commit");
    cmd.env("PATH", path).env("CARGO_TARGET_DIR", target);
    try_repo_with(cmd, Path::new(env!("CARGO_MANIFEST_DIR")), scratch, hook, home)
}

fn try_repo_with(mut cmd: Command, repo: &Path, scratch: &Path, hook: &str, home: &Path) -> (i32, String) {
    let out = cmd
        .current_dir(scratch)
        .env("PRE_COMMIT_HOME", home)
        .env("NO_COLOR", "1")
        .arg("try-repo")
        .arg(repo)
        .args([hook, "--all-files", "--color", "never"])
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
    check_hook_with(hook, &|scratch, home| try_repo(scratch, hook, home));
}

/// The hook's verdicts on the scratch repository, before and after its
/// mistakes are fixed, with `try_repo` running it.
fn check_hook_with(hook: &str, try_repo: &dyn Fn(&Path, &Path) -> (i32, String)) {
    let scratch = scratch_repo();
    let home = tempfile::tempdir().unwrap();
    let (code, text) = try_repo(scratch.path(), home.path());
    assert_eq!(code, 1, "the bad file fails the {hook} hook:\n{text}");
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
    let (code, text) = try_repo(scratch.path(), home.path());
    assert_eq!(code, 0, "passes once fixed:\n{text}");
}

#[test]
#[ignore = "needs pre-commit (pip install pre-commit): .ci/run installs it and runs this"]
fn system_hook_fails_on_the_bad_file_and_passes_once_fixed() {
    needs_pre_commit();
    check_hook("ecrlint-system");
}

/// The `language: rust` hook builds ecrlint with cargo (minutes), so it runs
/// only when asked (`cargo test -- --ignored`, as .ci/run does).
#[test]
#[ignore = "needs pre-commit, and builds ecrlint with cargo (minutes): .ci/run runs this"]
fn rust_hook_builds_and_lints() {
    needs_pre_commit();
    check_hook("ecrlint");
}

/// The `language: python` hook: pip installs this repository, which
/// maturin builds with cargo (minutes), so it runs only when asked
/// (`cargo test -- --ignored`, as .ci/run does).
#[test]
#[ignore = "needs pre-commit, and builds ecrlint with maturin (minutes): .ci/run runs this"]
fn python_hook_builds_with_maturin_and_lints() {
    needs_pre_commit();
    check_hook("ecrlint-python");
}

fn mirror() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("pre-commit-mirror")
}

/// The mirror installs the wheel of the version it is tagged with: its pin
/// is Cargo.toml's version.
#[test]
fn the_mirror_pins_this_version_of_the_wheel() {
    let pyproject = std::fs::read_to_string(mirror().join("pyproject.toml")).unwrap();
    let pin = format!("dependencies = [\"ecrlint=={}\"]", env!("CARGO_PKG_VERSION"));
    assert!(
        pyproject.lines().any(|l| l == pin),
        "pre-commit-mirror/pyproject.toml must say {pin}"
    );
}

/// The mirror's hook (ruff-pre-commit's layout), as a repository of its
/// own: pip installs the wheel from `scripts/build-wheel` (standing in for
/// PyPI, through PIP_FIND_LINKS) with no Rust toolchain on PATH and no
/// ecrlint there either, and the hook gives the same verdicts as the others.
#[test]
#[ignore = "needs pre-commit and ECRLINT_TEST_WHEEL (scripts/build-wheel): .ci/run provides them and runs this"]
fn mirror_hook_installs_the_wheel_without_rust() {
    let wheel = common::test_wheel();
    needs_pre_commit();
    let repo = tempfile::tempdir().unwrap();
    for name in ["pyproject.toml", ".pre-commit-hooks.yaml"] {
        std::fs::copy(mirror().join(name), repo.path().join(name)).unwrap();
    }
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-qm", "mirror"]);
    // PATH without cargo, rustc or an ecrlint.
    let path = std::env::join_paths(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .filter(|dir| !["cargo", "rustc", "ecrlint"].iter().any(|tool| dir.join(tool).exists())),
    )
    .unwrap();
    let links = match std::env::var("PIP_FIND_LINKS") {
        Ok(links) if !links.is_empty() => format!("{links} {}", wheel.parent().unwrap().display()),
        _ => wheel.parent().unwrap().display().to_string(),
    };
    check_hook_with("mirror ecrlint", &|scratch, home| {
        let mut cmd = Command::new("pre-commit");
        cmd.env("PATH", &path).env("PIP_FIND_LINKS", &links);
        let (code, text) = try_repo_with(cmd, repo.path(), scratch, "ecrlint", home);
        assert!(!text.contains("cargo"), "nothing was built:\n{text}");
        (code, text)
    });
}

/// The hooks pass `--force-exclude`: what `exclude` globs leave out of
/// directory walks stays out of the hook, which names every staged file.
#[test]
#[ignore = "needs pre-commit (pip install pre-commit): .ci/run installs it and runs this"]
fn the_hooks_respect_exclude_globs() {
    needs_pre_commit();
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
