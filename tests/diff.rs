//! `ecrlint diff`: what a change does to what is deployed, whatever the
//! shape on either side (tests/fixtures-review/), between two folders or
//! between a git revision and the work tree.

mod common;

use common::{copy_tree, ecrlint};
use serde_json::Value;
use std::path::Path;

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures-review")
        .join(name)
}

fn diff(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = ecrlint().current_dir(dir).arg("diff").args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

fn schema_checked(text: &str) -> Value {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/diff.schema.json")).unwrap(),
    )
    .unwrap();
    let report: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&report).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{report:#}");
    report
}

/// (kind, destination `account region` or the policy's registry, repositories) of each change.
fn changes(report: &Value) -> Vec<(String, String, Vec<String>)> {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let registry = if c["destination"].is_null() {
                &c["registry"]
            } else {
                &c["destination"]
            };
            (
                c["kind"].as_str().unwrap().to_string(),
                format!(
                    "{} {}",
                    registry["account"].as_str().unwrap(),
                    registry["region"].as_str().unwrap()
                ),
                c["repositories"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r.as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect()
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

/// Both sides copied side by side into a temporary folder: (the folder).
fn sides(old: &str, new: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&fixture(old), &dir.path().join("old"));
    copy_tree(&fixture(new), &dir.path().join("new"));
    dir
}

#[test]
fn the_same_deployment_in_another_shape_is_no_change() {
    for (old, new) in [
        ("api", "terraform"),
        ("terraform", "cloudformation"),
        ("cloudformation", "api"),
        ("terraform-plan", "cloudformation"),
        ("api", "terraform-plan"),
    ] {
        let dir = sides(old, new);
        let (out, err, code) = diff(dir.path(), &["old", "new"]);
        assert_eq!(
            (out.as_str(), code),
            ("no change in what is deployed\n", 0),
            "{old} → {new}: {err}"
        );
        let (json, _, _) = diff(dir.path(), &["old", "new", "--format", "json"]);
        let report = schema_checked(&json);
        assert_eq!(report["unchanged"], true);
        assert_eq!(report["changes"], serde_json::json!([]));
    }
}

#[test]
fn each_kind_of_change_is_named_with_the_repositories_it_moves() {
    let dir = sides("terraform", "api-changed");
    let (json, err, code) = diff(dir.path(), &["old", "new", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let report = schema_checked(&json);
    assert_eq!(
        changes(&report),
        [
            (
                "filter-widened".into(),
                "109876543210 us-west-2".into(),
                strings(&["staging-web"])
            ),
            (
                "deletions-enabled".into(),
                "210987654321 eu-west-1".into(),
                strings(&[])
            ),
            (
                "destination-added".into(),
                "333344445555 ap-southeast-2".into(),
                strings(&["prod-api", "staging-web"])
            ),
            ("grant-removed".into(), "109876543210 us-west-2".into(), strings(&[])),
        ]
    );
    let added = &report["changes"][2];
    assert_eq!(
        added["command"],
        "aws ecr start-replication-backfill --destination region=ap-southeast-2,registryId=333344445555 \
         --registry-id 210987654321 --region us-east-1"
    );
    assert!(added["message"]
        .as_str()
        .unwrap()
        .contains("existing images are not copied"));
    assert_eq!(added["at"], "replication.json:6");
    // The grant is gone from the old side, where it was written.
    assert_eq!(report["changes"][3]["at"], "registry-policy.tf:4");

    // And back: each change undone.
    let (json, _, _) = diff(dir.path(), &["new", "old", "--format", "json"]);
    let report = schema_checked(&json);
    assert_eq!(
        changes(&report),
        [
            (
                "filter-narrowed".into(),
                "109876543210 us-west-2".into(),
                strings(&["staging-web"])
            ),
            (
                "deletions-disabled".into(),
                "210987654321 eu-west-1".into(),
                strings(&[])
            ),
            (
                "destination-removed".into(),
                "333344445555 ap-southeast-2".into(),
                strings(&["prod-api", "staging-web"])
            ),
            ("grant-added".into(), "109876543210 us-west-2".into(), strings(&[])),
        ]
    );
    let removed = &report["changes"][2]["message"];
    assert!(
        removed
            .as_str()
            .unwrap()
            .contains("replicas stay, nothing is deleted there"),
        "{removed}"
    );
}

#[test]
fn fail_on_names_the_kinds_that_set_exit_1() {
    let dir = sides("terraform", "api-changed");
    let code = |kinds: &str| diff(dir.path(), &["old", "new", "--fail-on", kinds]).2;
    assert_eq!(code("deletions-enabled"), 1);
    assert_eq!(code("destination-removed,grant-removed"), 1);
    assert_eq!(code("destination-removed,filter-narrowed"), 0);
    let (_, err, code) = diff(dir.path(), &["old", "new", "--fail-on", "deletions"]);
    assert_eq!(code, 2);
    assert!(err.contains("deletions-enabled"), "the kinds are listed: {err}");
}

#[test]
fn the_text_says_what_to_do() {
    let dir = sides("terraform", "api-changed");
    let (human, _, _) = diff(dir.path(), &["old", "new"]);
    insta::assert_snapshot!(human);
}

#[test]
fn the_markdown_says_what_to_do_with_the_picture() {
    let dir = sides("terraform", "api-changed");
    let (markdown, _, _) = diff(dir.path(), &["old", "new", "--format", "markdown"]);
    insta::assert_snapshot!(markdown);
}

#[test]
fn a_side_that_does_not_exist_or_a_file_that_does_not_parse_is_trouble() {
    let dir = sides("api", "api-changed");
    let (_, err, code) = diff(dir.path(), &["old", "missing"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing does not exist"), "{err}");
    std::fs::write(dir.path().join("new/broken.json"), r#"{"rules": [{"destinations": ["#).unwrap();
    let (out, err, code) = diff(dir.path(), &["old", "new"]);
    assert_eq!(code, 2, "a side read in part may show changes that are not there");
    assert!(out.contains("destination-added"), "{out}");
    assert!(err.contains("broken.json: does not parse"), "{err}");
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .current_dir(dir)
        .args([
            "-c",
            "user.name=ecrlint",
            "-c",
            "user.email=ecrlint@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Replaces the work tree's files (not `.git`) with the fixture's.
fn replace_with(root: &Path, fixture_name: &str) {
    for entry in std::fs::read_dir(root).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().is_some_and(|n| n != ".git") {
            std::fs::remove_file(&path).unwrap();
        }
    }
    copy_tree(&fixture(fixture_name), root);
}

#[test]
fn base_compares_a_revision_with_the_work_tree_without_touching_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    copy_tree(&fixture("terraform"), root);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "Terraform"]);
    // The same deployment rewritten as API JSON: a change of form only.
    replace_with(root, "api");
    git(root, &["add", "-A"]);
    git(root, &["commit", "-qm", "API JSON"]);
    let (out, err, code) = diff(root, &["--base", "HEAD~1"]);
    assert_eq!((out.as_str(), code), ("no change in what is deployed\n", 0), "{err}");

    // A change in the work tree, not committed.
    replace_with(root, "api-changed");
    let status = git(root, &["status", "--porcelain"]);
    let (json, err, code) = diff(
        root,
        &["--base", "HEAD", "--format", "json", "--fail-on", "deletions-enabled"],
    );
    assert_eq!(code, 1, "{err}");
    let kinds: Vec<String> = changes(&schema_checked(&json)).into_iter().map(|c| c.0).collect();
    assert_eq!(
        kinds,
        [
            "filter-widened",
            "deletions-enabled",
            "destination-added",
            "grant-removed"
        ]
    );
    // From a subfolder too: the workspace is the work tree.
    std::fs::create_dir(root.join("sub")).unwrap();
    let (_, _, code) = diff(&root.join("sub"), &["--base", "HEAD", "--fail-on", "deletions-enabled"]);
    assert_eq!(code, 1);
    std::fs::remove_dir(root.join("sub")).unwrap();
    assert_eq!(
        git(root, &["status", "--porcelain"]),
        status,
        "the work tree is untouched"
    );

    let (_, err, code) = diff(root, &["--base", "no-such-revision"]);
    assert_eq!(code, 2);
    assert!(err.contains("`no-such-revision` is not a commit"), "{err}");
    let outside = tempfile::tempdir().unwrap();
    let (_, err, code) = diff(outside.path(), &["--base", "HEAD"]);
    assert_eq!(code, 2);
    assert!(err.contains("--base needs a git work tree"), "{err}");
}

#[test]
fn the_picture_colours_what_the_change_adds_and_changes() {
    let dir = sides("terraform", "api-changed");
    let (mermaid, _, code) = diff(dir.path(), &["old", "new", "--format", "mermaid"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(mermaid);
    // And back: the removed edge is dashed, in red.
    let (mermaid, _, _) = diff(dir.path(), &["new", "old", "--format", "mermaid"]);
    assert!(mermaid.contains("r0 -.->|\"prod…, staging…\"| r3"), "{mermaid}");
    assert!(mermaid.contains("linkStyle 2 stroke:#cf222e"), "{mermaid}");
}

/// The nodes and edges of an SVG that Graphviz drew.
fn svg_counts(svg: &str) -> (usize, usize) {
    (
        svg.matches("class=\"node\"").count(),
        svg.matches("class=\"edge\"").count(),
    )
}

#[test]
#[ignore = "needs graphviz"]
fn graphviz_lays_out_the_dot_picture() {
    // `dot` takes `-V`, not `--version`.
    let runs = std::process::Command::new("dot")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        runs,
        "this test needs Graphviz's `dot` (.ci/run installs Debian's graphviz)"
    );
    let dir = sides("terraform", "api-changed");
    for (old, new) in [("old", "new"), ("new", "old"), ("old", "old")] {
        let (dot, _, code) = diff(dir.path(), &[old, new, "--format", "dot"]);
        assert_eq!(code, 0);
        let mut layout = std::process::Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut layout.stdin.take().unwrap(), dot.as_bytes()).unwrap();
        let out = layout.wait_with_output().unwrap();
        assert!(out.status.success(), "{}\n{dot}", String::from_utf8_lossy(&out.stderr));
        let svg = String::from_utf8(out.stdout).unwrap();
        // Four registries; three routes on each side (one added, or removed).
        let expected = if old == new { (3, 2) } else { (4, 3) };
        assert_eq!(svg_counts(&svg), expected, "{old} → {new}\n{dot}");
    }
}

/// What Mermaid drew of `diagram` in a headless Chromium: (nodes, edges,
/// edge labels), or the error it threw.
fn drawn_by_mermaid(diagram: &str) -> Result<(u64, u64, Vec<String>), String> {
    let mermaid_js = common::needs_env("ECRLINT_MERMAID_JS", "mermaid.min.js of the mermaid npm package");
    assert!(
        !diagram.contains("</script"),
        "the diagram would end its script element"
    );
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("page.html");
    std::fs::write(
        &page,
        format!(
            r#"<!doctype html><html><body>
<script type="text/plain" id="source">{diagram}</script>
<pre id="result">pending</pre><div id="out"></div>
<script src="file://{}"></script>
<script>
mermaid.initialize({{startOnLoad: false}});
mermaid.render('picture', document.getElementById('source').textContent).then(({{svg}}) => {{
  const out = document.getElementById('out');
  out.innerHTML = svg;
  document.getElementById('result').textContent = JSON.stringify({{
    nodes: out.querySelectorAll('g.node').length,
    edges: out.querySelectorAll('path.flowchart-link').length,
    labels: Array.from(out.querySelectorAll('g.edgeLabel')).map(l => l.textContent),
  }});
}}).catch(e => {{ document.getElementById('result').textContent = JSON.stringify({{error: String(e)}}); }});
</script></body></html>"#,
            Path::new(&mermaid_js).display()
        ),
    )
    .unwrap();
    let out = std::process::Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--allow-file-access-from-files",
        ])
        .arg(format!("--user-data-dir={}", dir.path().join("profile").display()))
        .args(["--virtual-time-budget=20000", "--dump-dom"])
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout);
    let result = dom
        .split("<pre id=\"result\">")
        .nth(1)
        .and_then(|rest| rest.split("</pre>").next())
        .unwrap_or_else(|| panic!("no result in the page: {dom}"));
    let result: Value = serde_json::from_str(&result.replace("&quot;", "\"").replace("&amp;", "&"))
        .unwrap_or_else(|e| panic!("{e}: {result}"));
    if let Some(error) = result["error"].as_str() {
        return Err(error.to_string());
    }
    let labels = result["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    Ok((
        result["nodes"].as_u64().unwrap(),
        result["edges"].as_u64().unwrap(),
        labels,
    ))
}

#[test]
#[ignore = "needs chromium and the mermaid npm package"]
fn mermaid_draws_the_markdown_picture_in_a_browser() {
    let dir = sides("terraform", "api-changed");
    let (markdown, _, _) = diff(dir.path(), &["old", "new", "--format", "markdown"]);
    let diagram = markdown
        .split("```mermaid\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the Markdown embeds a Mermaid diagram");
    let (nodes, edges, labels) = drawn_by_mermaid(diagram).unwrap();
    assert_eq!((nodes, edges), (4, 3));
    assert_eq!(
        labels,
        [
            "prod…, staging…",
            "every repository; deletions replicate",
            "prod…, staging…"
        ]
    );
    // A removed edge (dashed) draws too; and Mermaid does reject what is not a diagram.
    let (mermaid, _, _) = diff(dir.path(), &["new", "old", "--format", "mermaid"]);
    assert_eq!(drawn_by_mermaid(&mermaid).map(|d| (d.0, d.1)), Ok((4, 3)));
    assert!(drawn_by_mermaid("flowchart LR\n  r0 -->|\"a\" r1\n").is_err());
}

#[test]
fn source_flags_name_the_registry_the_files_do_not() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixture("api/replication.json"), dir.path().join("replication.json")).unwrap();
    std::fs::copy(fixture("terraform/main.tf"), dir.path().join("main.tf")).unwrap();
    // The JSON names no source; the Terraform names its Region only: one
    // registry, whose naming is no change, and the report says what it took.
    let (json, _, code) = diff(dir.path(), &["replication.json", "main.tf", "--format", "json"]);
    assert_eq!(code, 0);
    let report = schema_checked(&json);
    assert_eq!(report["unchanged"], true, "{report:#}");
    assert_eq!(
        report["assumed"],
        serde_json::json!([
            "the old side's source the deploying account in the deploying Region is taken to be the new side's \
             the deploying account in us-east-1: the old files do not name it (--source-registry-id and \
             --source-region say it)"
        ])
    );
    let (out, _, _) = diff(dir.path(), &["replication.json", "main.tf"]);
    assert_eq!(
        out,
        "no change in what is deployed\nnote: the old side's source the deploying account in the deploying Region \
         is taken to be the new side's the deploying account in us-east-1: the old files do not name it \
         (--source-registry-id and --source-region say it)\n"
    );
    // One unnamed source on one side, two named on the other (Terraform in two
    // Regions): which is meant is not known, so nothing is taken.
    let new = dir.path().join("new");
    std::fs::create_dir(&new).unwrap();
    let main = std::fs::read_to_string(fixture("terraform/main.tf")).unwrap();
    std::fs::write(new.join("east.tf"), &main).unwrap();
    std::fs::create_dir(new.join("central")).unwrap();
    std::fs::write(
        new.join("central/main.tf"),
        main.replace("region = \"us-east-1\"", "region = \"eu-central-1\""),
    )
    .unwrap();
    let (json, _, _) = diff(dir.path(), &["replication.json", "new", "--format", "json"]);
    let report = schema_checked(&json);
    assert!(report.get("assumed").is_none(), "{report:#}");
    let kinds: Vec<String> = changes(&report).into_iter().map(|c| c.0).collect();
    assert_eq!(
        kinds.iter().filter(|k| *k == "destination-added").count(),
        4,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| *k == "destination-removed").count(),
        2,
        "{kinds:?}"
    );
    let flags = ["--source-region", "us-east-1", "--source-registry-id", "210987654321"];
    let (out, err, code) = diff(dir.path(), &[&["replication.json", "main.tf"][..], &flags].concat());
    assert_eq!((out.as_str(), code), ("no change in what is deployed\n", 0), "{err}");
    let (_, err, code) = diff(
        dir.path(),
        &["replication.json", "main.tf", "--source-region", "us-esat-1"],
    );
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `us-east-1`"), "{err}");
}

/// Creation templates: added, removed, changed (what it gives), each on
/// its registry, in any shape; a template moved to another shape with the
/// same settings is no change.
#[test]
fn creation_templates_added_removed_or_changed_are_changes() {
    let dir = tempfile::tempdir().unwrap();
    let write = |side: &str, name: &str, text: &str| common::write(&dir.path().join(side), name, text);
    write(
        "old",
        "templates.json",
        r#"{"registryId": "109876543210", "repositoryCreationTemplates": [
            {"prefix": "prod", "appliedFor": ["REPLICATION"], "imageTagMutability": "MUTABLE"},
            {"prefix": "legacy", "appliedFor": ["REPLICATION"]},
            {"prefix": "same", "appliedFor": ["PULL_THROUGH_CACHE"]}]}"#,
    );
    // The same `same` template, now in Terraform; `prod` made IMMUTABLE,
    // `legacy` gone, `team-a` new.
    write(
        "new",
        "templates.json",
        r#"{"registryId": "109876543210", "repositoryCreationTemplates": [
            {"prefix": "prod", "appliedFor": ["REPLICATION"], "imageTagMutability": "IMMUTABLE"},
            {"prefix": "team-a", "appliedFor": ["REPLICATION"]}]}"#,
    );
    write(
        "new",
        "same.tf",
        "resource \"aws_ecr_repository_creation_template\" \"same\" {\n  prefix      = \"same\"\n  applied_for = [\"PULL_THROUGH_CACHE\"]\n}\n",
    );
    std::fs::write(
        dir.path().join("new/.ecrlint.toml"),
        "[destination]\nregistry-id = \"109876543210\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("old/.ecrlint.toml"),
        "[destination]\nregistry-id = \"109876543210\"\n",
    )
    .unwrap();
    let (json, err, code) = diff(dir.path(), &["old", "new", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let report = schema_checked(&json);
    let kinds: Vec<(String, String)> = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_string(),
                c["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let kinds_only: Vec<&str> = kinds.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        kinds_only,
        ["template-changed", "template-added", "template-removed"],
        "{kinds:#?}"
    );
    assert!(
        kinds[0].1.contains("`prod`")
            && kinds[0].1.contains("tags MUTABLE")
            && kinds[0].1.contains("to for REPLICATION; tags IMMUTABLE"),
        "{}",
        kinds[0].1
    );
    assert!(kinds[1].1.contains("`team-a`"), "{}", kinds[1].1);
    assert!(kinds[2].1.contains("`legacy`"), "{}", kinds[2].1);
    assert_eq!(diff(dir.path(), &["old", "new", "--fail-on", "template-removed"]).2, 1);
}
