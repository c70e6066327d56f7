//! The GitHub Action (`action.yml`): its metadata is complete (actionlint
//! lints workflows, not action metadata, so this test checks what the
//! runner needs), and its composite steps run here as the runner runs them:
//! `${{ inputs.* }}` expanded, `if:` decided, each `run:` in bash with its
//! `env:`, `$GITHUB_PATH` entries put on PATH for the next steps. pip takes
//! the wheel from `scripts/build-wheel` (`ECRLINT_TEST_WHEEL`, standing in
//! for PyPI) with no index, no Rust toolchain and no other ecrlint on PATH;
//! without a wheel, the steps after the install run with this build's binary.

mod common;

use common::{copy_tree, test_wheel};
use ecrlint::syntax::{yaml, Node};
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Step {
    name: String,
    condition: Option<String>,
    shell: Option<String>,
    env: Vec<(String, String)>,
    run: Option<String>,
    uses: Option<String>,
}

fn text(node: Option<&Node>) -> Option<String> {
    node.and_then(|n| n.as_str()).map(str::to_string)
}

fn field<'a>(node: &'a Node<'a>, key: &str) -> Option<&'a Node<'a>> {
    node.get(key).map(|m| &m.value)
}

fn action_source() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("action.yml")).unwrap()
}

/// (inputs with their defaults, steps) of action.yml.
fn action(source: &str) -> (Vec<(String, Option<String>)>, Vec<Step>) {
    let root = yaml::parse(source.as_bytes()).expect("action.yml is YAML");
    for key in ["name", "description"] {
        assert!(
            text(field(&root, key)).is_some_and(|t| !t.is_empty()),
            "action.yml needs `{key}`"
        );
    }
    let inputs: Vec<(String, Option<String>)> = field(&root, "inputs")
        .and_then(|i| i.as_object())
        .expect("inputs")
        .iter()
        .map(|m| {
            assert!(
                text(field(&m.value, "description")).is_some(),
                "input {} needs a description",
                m.key
            );
            (m.key.to_string(), text(field(&m.value, "default")))
        })
        .collect();
    let runs = field(&root, "runs").expect("runs");
    assert_eq!(text(field(runs, "using")).as_deref(), Some("composite"));
    let steps = field(runs, "steps")
        .and_then(|s| s.as_array())
        .expect("runs.steps")
        .iter()
        .map(|s| Step {
            name: text(field(s, "name")).expect("every step is named"),
            condition: text(field(s, "if")),
            shell: text(field(s, "shell")),
            env: field(s, "env")
                .and_then(|e| e.as_object())
                .unwrap_or_default()
                .iter()
                .map(|m| (m.key.to_string(), text(Some(&m.value)).expect("env values are text")))
                .collect(),
            run: text(field(s, "run")),
            uses: text(field(s, "uses")),
        })
        .collect();
    (inputs, steps)
}

/// `${{ inputs.NAME }}` replaced; any other expression is not expected here.
fn expand(value: &str, inputs: &HashMap<String, String>) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(at) = rest.find("${{") {
        out.push_str(&rest[..at]);
        let end = rest[at..].find("}}").expect("closed expression") + at;
        let expr = rest[at + 3..end].trim();
        let name = expr
            .strip_prefix("inputs.")
            .unwrap_or_else(|| panic!("unexpected expression `{expr}`"));
        out.push_str(inputs.get(name).unwrap_or_else(|| panic!("no input `{name}`")));
        rest = &rest[end + 2..];
    }
    out + rest
}

/// Whether a step with this `if:` runs, given whether a step before it
/// failed. The forms the action uses, joined by `&&` and maybe wrapped in
/// `${{ }}`: `inputs.NAME != ''`, `inputs.NAME == ''`, `inputs.NAME ==
/// 'true'` and `!cancelled()`, which lets a step run after a failure (a
/// condition without a status function means `success() && ...`).
fn condition(expr: Option<&str>, inputs: &HashMap<String, String>, failed: bool) -> bool {
    let Some(expr) = expr else { return !failed };
    let expr = expr.trim();
    let expr = expr
        .strip_prefix("${{")
        .and_then(|e| e.strip_suffix("}}"))
        .unwrap_or(expr);
    let mut after_failure = false;
    let mut holds = true;
    for term in expr.split("&&").map(str::trim) {
        if term == "!cancelled()" {
            after_failure = true;
            continue;
        }
        let (name, wanted, equal) = if let Some(name) = term.strip_suffix(" != ''") {
            (name, "", false)
        } else if let Some(name) = term.strip_suffix(" == ''") {
            (name, "", true)
        } else if let Some(name) = term.strip_suffix(" == 'true'") {
            (name, "true", true)
        } else {
            panic!("unexpected condition `{term}`")
        };
        let name = name.trim().strip_prefix("inputs.").expect("an input");
        holds &= (inputs[name] == wanted) == equal;
    }
    holds && (after_failure || !failed)
}

#[test]
fn action_metadata_is_complete_and_pins_this_version() {
    let (inputs, steps) = action(&action_source());
    let defaults: HashMap<_, _> = inputs.into_iter().collect();
    assert_eq!(
        defaults["version"].as_deref(),
        Some(env!("CARGO_PKG_VERSION")),
        "the action installs the version it is released with"
    );
    for name in [
        "paths",
        "args",
        "working-directory",
        "sarif-file",
        "diff",
        "diff-base",
        "diff-fail-on",
        "diff-comment",
        "github-token",
    ] {
        assert!(defaults[name].is_some(), "{name} has a default");
    }
    for step in &steps {
        assert!(step.uses.is_none(), "{}: the action needs no other action", step.name);
        assert!(step.run.is_some(), "{}", step.name);
        // A composite action's run steps must name their shell.
        assert_eq!(step.shell.as_deref(), Some("bash"), "{}", step.name);
        let run = step.run.as_deref().unwrap();
        assert!(
            !run.contains("${{"),
            "{}: inputs reach scripts through env, never pasted into them",
            step.name
        );
    }
}

struct Outcome {
    /// (step name, exit code, standard output and error); skipped steps are absent.
    steps: Vec<(String, i32, String)>,
}

/// Where the Action's ecrlint comes from.
enum Binary<'a> {
    /// The install step installs this wheel.
    Wheel(&'a Path),
    /// The install step is skipped and this build's binary is on PATH.
    Built,
}

/// Runs the action's steps in `workspace` with `given` inputs over the
/// defaults; after a failed step only the steps whose `if:` allows it run (as
/// the runner does).
fn run_action(workspace: &Path, binary: Binary, given: &[(&str, &str)]) -> Outcome {
    run_action_with(workspace, binary, given, &[], None)
}

/// `run_action` with more of the runner's environment (`GITHUB_EVENT_PATH`,
/// `GITHUB_STEP_SUMMARY`, ...) and a folder of stand-in tools first on PATH.
fn run_action_with(
    workspace: &Path,
    binary: Binary,
    given: &[(&str, &str)],
    runner_env: &[(&str, OsString)],
    tools: Option<&Path>,
) -> Outcome {
    let (inputs, steps) = action(&action_source());
    let mut values: HashMap<String, String> = inputs
        .into_iter()
        .map(|(name, default)| (name, default.unwrap_or_default()))
        .collect();
    for (name, value) in given {
        assert!(values.contains_key(*name), "no input {name}");
        values.insert(name.to_string(), value.to_string());
    }
    let temp = tempfile::tempdir().unwrap();
    let github_path = temp.path().join("github_path");
    std::fs::write(&github_path, "").unwrap();
    // PATH without cargo, rustc or an ecrlint.
    let mut path: Vec<PathBuf> = std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
        .filter(|dir| !["cargo", "rustc", "ecrlint"].iter().any(|tool| dir.join(tool).exists()))
        .collect();
    let wheel = match binary {
        Binary::Wheel(wheel) => wheel.to_path_buf(),
        Binary::Built => {
            let built = assert_cmd::cargo::cargo_bin("ecrlint");
            path.insert(0, built.parent().unwrap().to_path_buf());
            PathBuf::from("/nonexistent/no-wheel.whl")
        }
    };
    if let Some(tools) = tools {
        path.insert(0, tools.to_path_buf());
    }
    let mut outcome = Outcome { steps: Vec::new() };
    let mut failed = false;
    for step in steps {
        if matches!(binary, Binary::Built) && step.name.starts_with("Install") {
            continue;
        }
        if !condition(step.condition.as_deref(), &values, failed) {
            continue;
        }
        let mut cmd = Command::new("bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c"])
            .arg(step.run.as_deref().unwrap())
            .current_dir(workspace)
            .env("PATH", std::env::join_paths(&path).unwrap())
            .env("RUNNER_TEMP", temp.path())
            .env("GITHUB_PATH", &github_path)
            .env("GITHUB_ACTION_PATH", env!("CARGO_MANIFEST_DIR"))
            .env("PIP_FIND_LINKS", wheel.parent().unwrap())
            .env("PIP_NO_INDEX", "1")
            .env("NO_COLOR", "1");
        for (key, value) in runner_env {
            cmd.env(key, value);
        }
        for (key, value) in &step.env {
            cmd.env(key, expand(value, &values));
        }
        let out = cmd.output().unwrap();
        let code = out.status.code().unwrap_or(-1);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        outcome.steps.push((step.name.clone(), code, text));
        // Lines added to $GITHUB_PATH go before PATH for the later steps.
        for line in std::fs::read_to_string(&github_path).unwrap().lines().rev() {
            let dir = PathBuf::from(line);
            if !path.contains(&dir) {
                path.insert(0, dir);
            }
        }
        failed |= code != 0;
    }
    outcome
}

/// A workspace with the bundled examples in `infra/` (valid files, files
/// with findings, and the cross-account folder).
fn workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples"),
        &dir.path().join("infra"),
    );
    dir
}

/// The outcome of the lint step, after the install step passed (when it ran).
fn lint_step(outcome: &Outcome) -> &(String, i32, String) {
    let lint = outcome.steps.last().expect("a step ran");
    assert_eq!(lint.0, "Lint", "the lint step ran last: {:?}", outcome.steps);
    if let [install, _] = outcome.steps.as_slice() {
        assert_eq!(install.1, 0, "install:\n{}", install.2);
        assert!(
            install.2.contains(&format!("ecrlint {}", env!("CARGO_PKG_VERSION"))),
            "{}",
            install.2
        );
    }
    lint
}

/// One run annotates, writes the SARIF report and fails on findings.
fn annotates_and_writes_sarif(binary: Binary) {
    let dir = workspace();
    let outcome = run_action(
        dir.path(),
        binary,
        &[
            ("paths", "infra/"),
            ("sarif-file", "reports/ecrlint.sarif"),
            ("args", "--fail-on warning"),
        ],
    );
    let (_, code, text) = lint_step(&outcome);
    assert_eq!(*code, 1, "findings fail the lint step:\n{text}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("reports/ecrlint.sarif")).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results.iter().any(|r| r["ruleId"] == "ECR205"), "{sarif}");
    // The annotations and the SARIF report are of the same run: one result per annotation.
    let annotations = text.lines().filter(|l| l.starts_with("::")).count();
    assert_eq!(annotations, results.len(), "{text}");
    assert!(
        text.lines().any(|l| l.starts_with(
            "::error file=infra/invalid-common-mistakes.json,line=8,col=21,endLine=8,endColumn=29,title=ECR205 invalid-filter::"
        )),
        "{text}"
    );
    assert!(!text.contains("valid-cross-region.json"), "{text}");
    // The check across files runs over the folders the Action is given.
    assert!(
        text.lines().any(
            |l| l.starts_with("::error file=infra/cross-account/source/replication.json,")
                && l.contains("title=ECR506 missing-replication-grant::")
        ),
        "{text}"
    );
}

#[test]
#[ignore = "needs ECRLINT_TEST_WHEEL, a wheel from scripts/build-wheel: .ci/run builds it and runs this"]
fn the_action_installs_the_wheel_annotates_and_writes_sarif_in_one_run() {
    annotates_and_writes_sarif(Binary::Wheel(&test_wheel()));
}

/// The lint step adds its counts, worst findings and picture to the job
/// summary, after what is there; `summary: false` leaves it alone.
#[test]
fn the_lint_step_adds_a_summary_with_the_picture_to_the_job_page() {
    let dir = workspace();
    let page = dir.path().join("step-summary.md");
    std::fs::write(&page, "an earlier step's lines\n").unwrap();
    let env = [("GITHUB_STEP_SUMMARY", OsString::from(&page))];
    let outcome = run_action_with(dir.path(), Binary::Built, &[("paths", "infra/")], &env, None);
    let (_, code, text) = lint_step(&outcome);
    assert_eq!(*code, 1, "{text}");
    let written = std::fs::read_to_string(&page).unwrap();
    let annotations = text.lines().filter(|l| l.starts_with("::")).count();
    let rows = written.lines().filter(|l| l.starts_with("| :")).count();
    assert_eq!(rows, annotations, "one row per annotation:\n{written}");
    assert!(
        written.starts_with("an earlier step's lines\n### ecrlint: "),
        "{written}"
    );
    assert!(
        written.contains("| :x: error | infra/invalid-common-mistakes.json:8 | [ECR205]("),
        "{written}"
    );
    assert!(
        written.contains("#### Replication the checked files set up\n\n```mermaid\nflowchart LR\n"),
        "{written}"
    );

    std::fs::write(&page, "").unwrap();
    let outcome = run_action_with(
        dir.path(),
        Binary::Built,
        &[("paths", "infra/"), ("summary", "false")],
        &env,
        None,
    );
    assert_eq!(lint_step(&outcome).1, 1);
    assert_eq!(std::fs::read_to_string(&page).unwrap(), "");
}

#[test]
fn the_lint_step_annotates_and_writes_sarif_in_one_run() {
    annotates_and_writes_sarif(Binary::Built);
}

/// Without `sarif-file`, no SARIF file; `args` reach ecrlint.
fn without_sarif_passes_args(binary: Binary) {
    let dir = workspace();
    let outcome = run_action(
        dir.path(),
        binary,
        &[
            // One path a line, as a YAML block gives them (indented, last line ended).
            (
                "paths",
                "  infra/valid-cross-region.json\n  infra/cloudformation.yaml\n",
            ),
            ("args", "--fail-on error"),
        ],
    );
    let (_, code, text) = lint_step(&outcome);
    assert_eq!(*code, 0, "two valid files, one a line:\n{text}");
    assert!(text.contains("2 files"), "{text}");
    assert!(!dir.path().join("reports").exists());
}

#[test]
#[ignore = "needs ECRLINT_TEST_WHEEL, a wheel from scripts/build-wheel: .ci/run builds it and runs this"]
fn the_action_without_sarif_passes_args() {
    without_sarif_passes_args(Binary::Wheel(&test_wheel()));
}

#[test]
fn the_lint_step_without_sarif_passes_args() {
    without_sarif_passes_args(Binary::Built);
}

#[test]
fn trouble_fails_the_lint_step_with_its_own_exit_code() {
    let dir = workspace();
    let outcome = run_action(
        dir.path(),
        Binary::Built,
        &[("paths", "infra/\nmissing/"), ("sarif-file", "ecrlint.sarif")],
    );
    let (_, code, text) = lint_step(&outcome);
    assert_eq!(
        *code, 2,
        "a path that does not exist is trouble, not a finding:\n{text}"
    );
}

/// Paths with spaces, quoted `args` and a working directory.
fn spaces_quotes_and_working_directory(binary: Binary) {
    let dir = workspace();
    let stacks = dir.path().join("my infra/stacks");
    std::fs::create_dir_all(&stacks).unwrap();
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples");
    std::fs::copy(
        examples.join("invalid-common-mistakes.json"),
        stacks.join("common mistakes.json"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("my infra/ci settings.toml"),
        "[rules]\nECR205 = \"warning\"\n",
    )
    .unwrap();
    let outcome = run_action(
        dir.path(),
        binary,
        &[
            ("working-directory", "my infra"),
            ("paths", "stacks/common mistakes.json\n"),
            ("args", "--config 'my infra/ci settings.toml' --fail-on error"),
            ("sarif-file", "reports/ecrlint.sarif"),
        ],
    );
    let (_, code, text) = lint_step(&outcome);
    assert_eq!(*code, 1, "errors other than ECR205 are left:\n{text}");
    let sarif = std::fs::read_to_string(dir.path().join("my infra/reports/ecrlint.sarif"))
        .expect("the SARIF file is relative to working-directory");
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let filter = results.iter().find(|r| r["ruleId"] == "ECR205").expect("ECR205");
    assert_eq!(filter["level"], "warning", "the quoted --config applied: {filter}");
    // Annotations name the file from the repository root, where GitHub places them.
    assert!(
        text.lines().any(|l| l.starts_with(
            "::warning file=my infra/stacks/common mistakes.json,line=8,col=21,endLine=8,endColumn=29,title=ECR205 invalid-filter::"
        )),
        "{text}"
    );
}

#[test]
#[ignore = "needs ECRLINT_TEST_WHEEL, a wheel from scripts/build-wheel: .ci/run builds it and runs this"]
fn the_action_takes_paths_with_spaces_quoted_args_and_a_working_directory() {
    spaces_quotes_and_working_directory(Binary::Wheel(&test_wheel()));
}

#[test]
fn the_lint_step_takes_paths_with_spaces_quoted_args_and_a_working_directory() {
    spaces_quotes_and_working_directory(Binary::Built);
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=ecrlint", "-c", "user.email=ecrlint@example.com"])
        .args(["-c", "commit.gpgsign=false", "-c", "protocol.file.allow=always"])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

/// A pull request's checkout as actions/checkout leaves it: a clone of depth
/// one of the head commit, whose base commit (the first of two) is not in
/// the clone. Returns (the folder holding `origin` and `clone`, the base SHA).
fn pull_request_checkout() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let origin = dir.path().join("origin");
    let review = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures-review");
    std::fs::create_dir(&origin).unwrap();
    git(&origin, &["init", "-q"]);
    copy_tree(&review.join("terraform"), &origin);
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-qm", "Terraform"]);
    let base = git(&origin, &["rev-parse", "HEAD"]);
    git(&origin, &["rm", "-q", "main.tf", "registry-policy.tf"]);
    copy_tree(&review.join("api-changed"), &origin);
    git(&origin, &["add", "-A"]);
    git(&origin, &["commit", "-qm", "API JSON, changed"]);
    let url = format!("file://{}", origin.display());
    git(dir.path(), &["clone", "-q", "--depth=1", &url, "clone"]);
    (dir, base)
}

/// A stand-in `gh` that records each call (one line of arguments, and the
/// body it was given) and answers a comment listing as `gh api --jq` would:
/// with the ids in `gh-listing`, one a line (none when the file is absent).
fn fake_gh(dir: &Path) -> PathBuf {
    let tools = dir.join("tools");
    std::fs::create_dir(&tools).unwrap();
    let script = format!(
        r#"#!/usr/bin/env bash
log={log}
printf '%s\n' "$*" >>"$log/gh-calls"
for arg; do
  case $arg in body=@*) cat "${{arg#body=@}}" >"$log/gh-body" ;; esac
done
case " $* " in
  *" --method "*) ;;
  *) cat "$log/gh-listing" 2>/dev/null || true ;;
esac
"#,
        log = dir.display()
    );
    let gh = tools.join("gh");
    std::fs::write(&gh, script).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&gh, std::fs::Permissions::from_mode(0o755)).unwrap();
    tools
}

/// The runner's environment for a `pull_request` event on pull request 7,
/// whose base is `base`; the job summary goes to `dir/summary.md`.
fn pull_request_env(dir: &Path, base: &str) -> Vec<(&'static str, OsString)> {
    let event = dir.join("event.json");
    let payload = serde_json::json!({
        "number": 7,
        "pull_request": {"number": 7, "base": {"sha": base}}
    });
    std::fs::write(&event, payload.to_string()).unwrap();
    std::fs::write(dir.join("summary.md"), "").unwrap();
    vec![
        ("GITHUB_EVENT_NAME", "pull_request".into()),
        ("GITHUB_EVENT_PATH", event.into()),
        ("GITHUB_REPOSITORY", "octo/infra".into()),
        ("GITHUB_STEP_SUMMARY", dir.join("summary.md").into()),
    ]
}

fn step<'a>(outcome: &'a Outcome, name: &str) -> &'a (String, i32, String) {
    outcome
        .steps
        .iter()
        .find(|s| s.0 == name)
        .unwrap_or_else(|| panic!("step {name} ran: {:?}", outcome.steps))
}

#[test]
fn the_diff_step_fetches_the_base_and_writes_the_summary_after_the_lint_step_fails() {
    let (dir, base) = pull_request_checkout();
    let clone = dir.path().join("clone");
    assert!(
        Command::new("git")
            .current_dir(&clone)
            .args(["cat-file", "-e", &format!("{base}^{{commit}}")])
            .status()
            .is_ok_and(|s| !s.success()),
        "the shallow clone lacks the base commit"
    );
    let outcome = run_action_with(
        &clone,
        Binary::Built,
        &[("diff", "true"), ("args", "--fail-on info")],
        &pull_request_env(dir.path(), &base),
        Some(&fake_gh(dir.path())),
    );
    assert_eq!(
        step(&outcome, "Lint").1,
        1,
        "the fixtures have infos, and infos fail: {:?}",
        outcome.steps
    );
    let (_, code, text) = step(&outcome, "Diff");
    assert_eq!(*code, 0, "{text}");
    let page = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    // The lint step's summary first (the runner shows each step's in order), then the diff's.
    let (lint, summary) = page.split_once("<!-- ecrlint-diff -->\n").expect("the diff's marker");
    assert!(lint.starts_with("### ecrlint: "), "{page}");
    for kind in [
        "filter-widened",
        "deletions-enabled",
        "destination-added",
        "grant-removed",
    ] {
        assert!(summary.contains(kind), "{kind}:\n{summary}");
    }
    assert!(
        summary
            .contains("aws ecr start-replication-backfill --destination region=ap-southeast-2,registryId=333344445555"),
        "{summary}"
    );
    assert!(summary.contains("```mermaid\n"), "{summary}");
    assert!(
        !dir.path().join("gh-calls").exists(),
        "no comment unless diff-comment: true"
    );
}

#[test]
fn the_diff_comment_is_created_once_then_updated_in_place() {
    let (dir, base) = pull_request_checkout();
    let clone = dir.path().join("clone");
    let tools = fake_gh(dir.path());
    let env = pull_request_env(dir.path(), &base);
    let inputs = [("diff", "true"), ("diff-comment", "true"), ("paths", "missing.json")];
    let calls = || std::fs::read_to_string(dir.path().join("gh-calls")).unwrap();

    let first = run_action_with(&clone, Binary::Built, &inputs, &env, Some(&tools));
    let (_, code, text) = step(&first, "Diff");
    assert_eq!(*code, 0, "{text}");
    let listing = "api --paginate repos/octo/infra/issues/7/comments \
                   --jq .[] | select(.body | contains(\"<!-- ecrlint-diff -->\")) | .id";
    let first_calls = calls();
    let lines: Vec<&str> = first_calls.lines().collect();
    assert_eq!(lines.len(), 2, "{first_calls}");
    assert_eq!(lines[0], listing);
    assert!(
        lines[1].starts_with("api --method POST repos/octo/infra/issues/7/comments -F body=@"),
        "{first_calls}"
    );
    let body = std::fs::read_to_string(dir.path().join("gh-body")).unwrap();
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    // The comment is the diff's part of the job summary, after the lint step's.
    let (lint, diff) = summary.split_at(summary.find("<!-- ecrlint-diff -->").expect("the marker"));
    assert_eq!(body, diff, "the comment is the diff's summary");
    assert!(lint.starts_with("### ecrlint: "), "{summary}");
    assert!(
        body.contains("deletions-enabled") && body.contains("```mermaid"),
        "{body}"
    );

    // The second run finds the comment by its marker and updates it.
    std::fs::write(dir.path().join("gh-listing"), "4242\n").unwrap();
    std::fs::remove_file(dir.path().join("gh-calls")).unwrap();
    let second = run_action_with(&clone, Binary::Built, &inputs, &env, Some(&tools));
    let (_, code, text) = step(&second, "Diff");
    assert_eq!(*code, 0, "{text}");
    let calls = calls();
    let lines: Vec<&str> = calls.lines().collect();
    assert_eq!(lines.len(), 2, "{calls}");
    assert_eq!(lines[0], listing);
    assert!(
        lines[1].starts_with("api --method PATCH repos/octo/infra/issues/comments/4242 -F body=@"),
        "{calls}"
    );
    assert!(text.contains("updated comment 4242 on #7"), "{text}");
}

#[test]
fn diff_fail_on_fails_the_diff_step_after_writing_the_summary() {
    let (dir, base) = pull_request_checkout();
    let clone = dir.path().join("clone");
    let env = pull_request_env(dir.path(), &base);
    let tools = fake_gh(dir.path());
    let run = |fail_on: &str| {
        let inputs = [("diff", "true"), ("diff-fail-on", fail_on), ("paths", "missing.json")];
        let outcome = run_action_with(&clone, Binary::Built, &inputs, &env, Some(&tools));
        step(&outcome, "Diff").1
    };
    assert_eq!(run("deletions-enabled,destination-removed"), 1);
    let summary = std::fs::read_to_string(dir.path().join("summary.md")).unwrap();
    assert!(summary.contains("deletions-enabled"), "{summary}");
    assert_eq!(run("destination-removed"), 0, "no destination is removed");
}

/// On a push the base is the commit before the push; a new branch's push has
/// none (all zeros), and then HEAD~1 is compared, fetched by deepening the
/// shallow clone.
#[test]
fn on_a_push_the_diff_compares_with_the_commit_before_it_or_head_1() {
    let (dir, base) = pull_request_checkout();
    let clone = dir.path().join("clone");
    let tools = fake_gh(dir.path());
    let event = dir.path().join("push.json");
    let summary = dir.path().join("summary.md");
    // The new branch first, so that HEAD~1 is not yet in the clone.
    for before in ["0000000000000000000000000000000000000000", base.as_str()] {
        std::fs::write(&event, serde_json::json!({ "before": before }).to_string()).unwrap();
        std::fs::write(&summary, "").unwrap();
        let env = [
            ("GITHUB_EVENT_NAME", "push".into()),
            ("GITHUB_EVENT_PATH", event.clone().into()),
            ("GITHUB_REPOSITORY", "octo/infra".into()),
            ("GITHUB_STEP_SUMMARY", summary.clone().into()),
        ];
        let inputs = [("diff", "true"), ("diff-comment", "true"), ("paths", "missing.json")];
        let outcome = run_action_with(&clone, Binary::Built, &inputs, &env, Some(&tools));
        let (_, code, text) = step(&outcome, "Diff");
        assert_eq!(*code, 0, "before {before}: {text}");
        assert!(text.contains("not a pull request (push): no comment written"), "{text}");
        let written = std::fs::read_to_string(&summary).unwrap();
        assert!(written.contains("destination-added"), "before {before}:\n{written}");
    }
    assert!(
        !dir.path().join("gh-calls").exists(),
        "no comment outside a pull request"
    );
}
