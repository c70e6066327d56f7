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

/// The `if:` forms the action uses: `inputs.NAME != ''` and `== ''`.
fn condition(expr: &str, inputs: &HashMap<String, String>) -> bool {
    let (name, equal) = if let Some(name) = expr.strip_suffix(" != ''") {
        (name, false)
    } else if let Some(name) = expr.strip_suffix(" == ''") {
        (name, true)
    } else {
        panic!("unexpected condition `{expr}`")
    };
    let name = name.trim().strip_prefix("inputs.").expect("an input");
    inputs[name].is_empty() == equal
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
    for name in ["paths", "args", "working-directory", "sarif-file"] {
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
/// defaults, until a step fails (as the runner does).
fn run_action(workspace: &Path, binary: Binary, given: &[(&str, &str)]) -> Outcome {
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
    let mut outcome = Outcome { steps: Vec::new() };
    for step in steps {
        if matches!(binary, Binary::Built) && step.name.starts_with("Install") {
            continue;
        }
        if let Some(expr) = &step.condition {
            if !condition(expr, &values) {
                continue;
            }
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
        if code != 0 {
            break;
        }
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
