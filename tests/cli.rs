//! The command-line contract: exit codes, stdin, directories, unreadable
//! files, output formats and their order.

mod common;

use common::ecrlint;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

const VALID: &str = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "210987654321"}]}]}"#;
const WARNING_ONLY: &str = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "111122223333"}]}]}"#;
const INVALID: &str = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "2109876543"}]}]}"#;
const INFO_ONLY: &str = r#"{"rules": []}"#;

use common::write;

/// [`common::json_report`], arguments first.
fn json_report(args: &[&str], dir: &Path) -> (serde_json::Value, i32) {
    common::json_report(dir, args)
}

#[test]
fn exit_codes_follow_fail_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "valid.json", VALID);
    write(dir.path(), "warning.json", WARNING_ONLY);
    write(dir.path(), "invalid.json", INVALID);
    write(dir.path(), "info.json", INFO_ONLY);
    let code = |file: &str, fail_on: &str| {
        ecrlint()
            .current_dir(dir.path())
            .args(["check", file, "--fail-on", fail_on])
            .output()
            .unwrap()
            .status
            .code()
            .unwrap()
    };
    assert_eq!(code("valid.json", "info"), 0);
    assert_eq!(code("warning.json", "warning"), 1, "default level fails on warnings");
    assert_eq!(code("warning.json", "error"), 0);
    assert_eq!(code("invalid.json", "error"), 1);
    assert_eq!(code("invalid.json", "never"), 0);
    assert_eq!(code("info.json", "warning"), 0);
    assert_eq!(code("info.json", "info"), 1);
    // The default is --fail-on warning.
    ecrlint()
        .current_dir(dir.path())
        .args(["check", "warning.json"])
        .assert()
        .code(1);
}

#[test]
fn usage_errors_exit_2() {
    ecrlint().args(["check", "--format", "yaml"]).assert().code(2);
    ecrlint()
        .args(["check", "--source-registry-id", "123"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("12-digit"));
    ecrlint().args(["check", "--source-region", "mars-1"]).assert().code(2);
    ecrlint().args(["check", "--rule", "ECR999=off"]).assert().code(2);
    ecrlint().args(["check", "--rule", "ECR204=loud"]).assert().code(2);
    ecrlint().args(["check", "-", "-"]).write_stdin("").assert().code(2);
    ecrlint().arg("--help").assert().code(0);
}

#[test]
fn stdin_uses_the_given_filename_and_is_always_linted() {
    ecrlint()
        .args([
            "check",
            "--color",
            "never",
            "-",
            "--stdin-filename",
            "deploy/replication.json",
        ])
        .write_stdin(INVALID)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("deploy/replication.json:1:"))
        .stdout(predicate::str::contains("ECR204"));
    // Even a name that directory mode would skip, and content that is not a replication document.
    ecrlint()
        .args(["check", "--format", "json", "-", "--stdin-filename", ".hidden/x.txt"])
        .write_stdin("{}")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("ECR003"));
}

#[test]
fn directories_are_walked_recursively_skipping_unrelated_and_hidden() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "infra/replication.json", INVALID);
    write(root, "infra/ok.json", VALID);
    write(root, "package.json", r#"{"name": "app", "version": "1.0.0"}"#);
    write(
        root,
        "tsconfig.json",
        "{\n  // comments are fine here\n  \"compilerOptions\": {}\n}",
    );
    write(root, "eslint.json", r#"{"rules": {"no-console": "off"}}"#);
    write(root, "broken/replication.json", "{\"rules\": [{\"destinations\": [}]}");
    write(root, ".git/replication.json", INVALID);
    // Cargo's build folder: `target` beside a Cargo.toml.
    write(root, "Cargo.toml", "[package]\nname = \"app\"\n");
    write(root, "target/replication.json", INVALID);
    write(root, "node_modules/x/replication.json", INVALID);
    write(root, ".hidden.json", INVALID);
    write(root, "notes.txt", INVALID);
    let (report, code) = json_report(&["."], root);
    assert_eq!(code, 1);
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        ["broken/replication.json", "infra/ok.json", "infra/replication.json"]
    );
    assert_eq!(
        report["files"][0]["diagnostics"][0]["code"], "ECR001",
        "a broken config is reported, not skipped"
    );
    assert_eq!(report["files"][0]["document"], serde_json::Value::Null);
    assert_eq!(report["files"][2]["document"], "configuration");

    // --verbose says what was skipped and why.
    ecrlint()
        .current_dir(root)
        .args(["check", "--format", "concise", "--verbose"])
        .assert()
        .stdout(predicate::str::contains("skipped").not())
        .stderr(predicate::str::contains(
            "skipped package.json: not a replication document or CloudFormation template",
        ))
        .stderr(predicate::str::contains(
            "skipped tsconfig.json: does not parse, and has no replication keys",
        ))
        .stderr(predicate::str::contains("skipped eslint.json"))
        .stderr(predicate::str::contains("skipped notes.txt"));
}

#[test]
fn no_path_means_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a/replication.json", INVALID);
    ecrlint()
        .current_dir(dir.path())
        .arg("check")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("a/replication.json"));
}

#[test]
fn unreadable_files_are_reported_and_the_rest_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "cfg/bad.json", INVALID);
    // A dangling link cannot be read, whoever runs the test (root included).
    std::os::unix::fs::symlink(root.join("nowhere.json"), root.join("cfg/dangling.json")).unwrap();
    let out = ecrlint()
        .current_dir(root)
        .args(["check", "--format", "json", "cfg", "missing.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("error: missing.json: cannot read: "), "{stderr}");
    assert!(stderr.contains("error: cfg/dangling.json: cannot read: "), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert_eq!(files[0]["path"], "cfg/bad.json");
    assert_eq!(
        files[0]["diagnostics"][0]["code"], "ECR204",
        "other files are still linted"
    );
    assert_eq!(files[1]["path"], "cfg/dangling.json");
    assert!(files[1]["error"].as_str().is_some());
}

#[test]
fn explicit_files_are_always_linted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "package.json", r#"{"name": "app"}"#);
    write(dir.path(), "config.txt", VALID);
    let (report, code) = json_report(&["package.json", "config.txt"], dir.path());
    assert_eq!(code, 1);
    assert_eq!(report["files"][1]["diagnostics"][0]["code"], "ECR003");
    assert_eq!(report["files"][0]["path"], "config.txt");
    assert_eq!(report["files"][0]["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn json_report_matches_its_schema_and_the_documented_fields() {
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "a.json", "{\n  \"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"2109876543\"}, {\"region\": \"us-west-2\", \"registryId\": \"2109876543\"}]}]\n}\n");
    write(root, "b.json", "{ \"rules\": [1,] }");
    write(root, "c.json", "{\"zé\": 1, \"rules\": []}");
    std::os::unix::fs::symlink(root.join("nowhere"), root.join("d.json")).unwrap();
    let (report, _) = json_report(&["a.json", "b.json", "c.json", "d.json"], root);
    let errors: Vec<String> = validator
        .iter_errors(&report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{report:#}");

    let d = &report["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "ECR204");
    assert_eq!(d["rule"], "invalid-registry-id");
    assert_eq!(d["severity"], "error");
    assert_eq!(d["pointer"], "/rules/0/destinations/0/registryId");
    assert_eq!(d["start"], serde_json::json!({"line": 2, "column": 69}));
    let text = fs::read_to_string(root.join("a.json")).unwrap();
    let (s, e) = (
        d["span"]["start"].as_u64().unwrap() as usize,
        d["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "\"2109876543\"");
    let dup = &report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "ECR301")
        .unwrap()["labels"][0];
    assert_eq!(dup["message"], "first listed here");
    assert_eq!(
        report["summary"],
        serde_json::json!({"files": 4, "errors": 4, "warnings": 1, "infos": 1})
    );
    // Columns count Unicode scalar values, not bytes.
    let c = &report["files"][2]["diagnostics"];
    let unknown = c.as_array().unwrap().iter().find(|d| d["code"] == "ECR102").unwrap();
    assert_eq!(unknown["start"]["column"], 2);
    let rules_note = c.as_array().unwrap().iter().find(|d| d["code"] == "ECR308").unwrap();
    assert_eq!(
        rules_note["start"]["column"], 20,
        "after `é`, a 2-byte character counted once"
    );
    assert_eq!(rules_note["span"]["start"], 20, "byte offset 20 is column 20, not 21");
}

#[test]
fn output_is_in_path_then_position_order_whatever_the_parallelism() {
    let dir = tempfile::tempdir().unwrap();
    for i in (0..40).rev() {
        write(dir.path(), &format!("f{i:02}.json"), INVALID);
    }
    let (report, _) = json_report(&["."], dir.path());
    let paths: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
    assert_eq!(paths.len(), 40);
    let again = json_report(&["."], dir.path()).0;
    assert_eq!(report, again);
}

#[test]
fn colour_is_off_when_piped_or_no_color_and_on_when_forced() {
    let has_escape = |out: &[u8]| out.windows(2).any(|w| w == b"\x1b[");
    let out = ecrlint().args(["check", "-"]).write_stdin(INVALID).output().unwrap();
    assert!(!has_escape(&out.stdout), "piped output is plain");
    let out = ecrlint()
        .args(["check", "--color", "always", "-"])
        .write_stdin(INVALID)
        .output()
        .unwrap();
    assert!(has_escape(&out.stdout));
    let out = ecrlint()
        .env("NO_COLOR", "1")
        .args(["check", "--color", "never", "-"])
        .write_stdin(INVALID)
        .output()
        .unwrap();
    assert!(!has_escape(&out.stdout));
}

#[test]
fn rule_levels_from_the_command_line() {
    let codes = common::codes_for(VALID, &["--rule", "unfiltered-rule=warning"]);
    assert_eq!(codes, ["ECR310"]);
    let codes = common::codes_for(WARNING_ONLY, &["--rule", "ECR206=off"]);
    assert!(codes.is_empty());
    ecrlint()
        .args(["check", "--format", "json", "--rule", "ECR206=error", "-"])
        .write_stdin(WARNING_ONLY)
        .assert()
        .stdout(predicate::str::contains("\"severity\": \"error\""));
}

#[test]
fn summary_line_and_explain_hint() {
    ecrlint()
        .args(["check", "--color", "never", "-", "--stdin-filename", "x.json"])
        .write_stdin(VALID)
        .assert()
        .code(0)
        .stdout("✔ No problems found in 1 file.\n");
    ecrlint()
        .args(["check", "--color", "never", "-"])
        .write_stdin(INVALID)
        .assert()
        .stdout(predicate::str::contains(
            "✖ 1 error in 1 of 1 file.\nRun `ecrlint explain ECR204`",
        ));
}

#[test]
fn rules_command_lists_the_table() {
    ecrlint()
        .args(["rules"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ECR204  invalid-registry-id"));
    let out = ecrlint().args(["rules", "--format", "json"]).output().unwrap();
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), ecrlint::rules::RULES.len());
    assert_eq!(
        rows[0],
        serde_json::json!({"code": "ECR001", "name": "invalid-json", "default": "error", "configurable": false, "summary": ecrlint::rules::RULES[0].meta.summary, "fixable": false, "url": ecrlint::rules::RULES[0].meta.doc_url()})
    );
}

#[test]
fn the_bundled_examples_give_the_documented_result() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // As README.md runs it: this repository's .ecrlint.toml keeps its test data
    // (policies of the same example accounts) out of the workspace.
    let (report, code) = json_report(&["examples"], root);
    assert_eq!(code, 1);
    let by_path = |p: &str| {
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == p)
            .unwrap()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(by_path("examples/valid-cross-region.json").is_empty());
    // A number where CloudFormation expects text deploys as its text: valid.
    assert!(by_path("examples/cloudformation.yaml").is_empty());
    assert_eq!(
        by_path("examples/invalid-common-mistakes.json"),
        // The number under the misspelt `destination` is read too: no second wave once it is fixed.
        ["ECR202", "ECR204", "ECR205", "ECR201", "ECR102", "ECR103"]
    );
    assert_eq!(
        by_path("examples/describe-registry.json"),
        ["ECR312", "ECR304", "ECR313"]
    );
    // Cross-account: the DR policy's ARN is malformed, so the configuration
    // lacks its grant there; the production policy is right.
    assert!(by_path("examples/cross-account/destination/prod/registry-policy.json").is_empty());
    assert_eq!(
        by_path("examples/cross-account/destination/dr/registry-policy.json"),
        ["ECR502"]
    );
    assert_eq!(by_path("examples/cross-account/source/replication.json"), ["ECR506"]);
    // Multi-account: what arrives at production and DR (issue 26): the build
    // account's `prod` filter takes `production-reports`, which production's
    // `prod` creation template (for `prod/…`) never applies to; `prod/api`
    // moves tags and is KMS-encrypted, production pre-creates it IMMUTABLE
    // with AES256; production replicates on to DR, which never gets build images.
    assert_eq!(
        by_path("examples/multi-account/source/template.yaml"),
        ["ECR703", "ECR704", "ECR706"]
    );
    assert_eq!(by_path("examples/multi-account/prod/template.yaml"), ["ECR701"]);
    assert!(by_path("examples/multi-account/dr/main.tf").is_empty());
    assert_eq!(report["files"].as_array().unwrap().len(), 10);
}

#[test]
fn directories_pick_up_templates_and_yaml_but_skip_other_yaml() {
    // `cfn/other.template` is a template without a replication resource: a
    // neighbour, passed over.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "cfn/replication.yaml", "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: us-west-2\n                RegistryId: 012345670123\n");
    write(
        root,
        "cfn/other.template",
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Repo:\n    Type: AWS::ECR::Repository\n",
    );
    write(
        root,
        "cfn/broken.yml",
        "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties: [\n",
    );
    write(
        root,
        "cdk.out/AppStack.template.json",
        r#"{"Resources": {"R": {"Type": "AWS::ECR::ReplicationConfiguration", "Properties": {"ReplicationConfiguration": {"Rules": [{"Destinations": [{"Region": "eu-west-1", "RegistryId": {"Ref": "AWS::AccountId"}}]}]}}}}}"#,
    );
    write(
        root,
        "k8s/deployment.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n",
    );
    write(root, ".github/workflows/ci.yml", "on: push\njobs: {}\n");
    write(root, "notes.yaml", "just: [an, unrelated, file]\n");
    let (report, code) = json_report(&["."], root);
    assert_eq!(code, 1);
    let files: Vec<(String, String, Vec<String>)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["document"].as_str().unwrap_or("none").to_string(),
                f["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["code"].as_str().unwrap().to_string())
                    .collect(),
            )
        })
        .collect();
    let expected = [
        ("cdk.out/AppStack.template.json", "cloudformation-template", vec![]),
        ("cfn/broken.yml", "none", vec!["ECR001"]),
        ("cfn/replication.yaml", "cloudformation-template", vec!["ECR103"]),
    ];
    let expected: Vec<(String, String, Vec<String>)> = expected
        .into_iter()
        .map(|(p, d, c)| {
            (
                p.to_string(),
                d.to_string(),
                c.into_iter().map(str::to_string).collect(),
            )
        })
        .collect();
    assert_eq!(files, expected);
}

#[test]
fn stdin_is_read_as_yaml_by_its_filename_or_its_content() {
    let template = "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: us-west-2\n                RegistryId: \"2109876543\"\n";
    for name in ["stack.yaml", "stack.template", "-"] {
        let mut cmd = ecrlint();
        cmd.args(["check", "--format", "concise", "-"]);
        if name != "-" {
            cmd.args(["--stdin-filename", name]);
        }
        let out = cmd.write_stdin(template).output().unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            text.contains(":9:29: error[ECR204 invalid-registry-id]"),
            "{name}: {text}"
        );
    }
    // A .json name keeps JSON strict: the same YAML text is not JSON.
    let out = ecrlint()
        .args(["check", "--format", "concise", "-", "--stdin-filename", "stack.json"])
        .write_stdin(template)
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout).unwrap().contains("ECR001"));
}

#[test]
fn minified_files_with_findings_far_along_one_line_render_without_snippets() {
    // 5,000 rules on one line: the last findings sit beyond column 65,535,
    // where a snippet would be unreadable (and beyond miette's formatting).
    let rules: Vec<String> = (0..5_000)
        .map(|i| format!(r#"{{"destinations": [{{"region": "us-west-2", "registryId": "210987654321"}}], "repositoryFilters": [{{"filter": "team{i}/*", "filterType": "PREFIX_MATCH"}}]}}"#))
        .collect();
    let text = format!(r#"{{"rules": [{}]}}"#, rules.join(","));
    let out = ecrlint()
        .args(["check", "--color", "never", "--max-findings-per-file", "0", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("filter `\"team4999/*\"` contains `*`"));
    assert!(!stdout.contains("╭─["), "no snippet of a line this long");
    assert!(
        stdout.contains("✖ 5001 errors in 1 of 1 file."),
        "{}",
        &stdout[stdout.len().saturating_sub(300)..]
    );
    assert!(String::from_utf8(out.stderr).unwrap().is_empty(), "no panic message");
}

#[test]
fn special_files_in_directories_are_skipped_not_read() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "ok.json", VALID);
    // Reading a FIFO with no writer would block forever.
    let fifo = dir.path().join("pipe.json");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(status.success());
    std::os::unix::fs::symlink(&fifo, dir.path().join("link-to-pipe.json")).unwrap();
    ecrlint()
        .current_dir(dir.path())
        .args(["check", "--format", "concise", "--verbose", "."])
        .timeout(std::time::Duration::from_secs(30))
        .assert()
        .code(0)
        .stderr(predicate::str::contains("skipped pipe.json: not a regular file"))
        .stderr(predicate::str::contains(
            "skipped link-to-pipe.json: not a regular file",
        ));
}

#[test]
fn a_misspelt_replication_type_is_linted_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "cfn/stack.yaml",
        "Resources:\n  R:\n    Type: AWS::ECR::ReplicatonConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: us-west-2\n                RegistryId: \"111122223334\"\n            RepositoryFilters:\n              - Filter: \"prod/*\"\n                FilterType: PREFIX_MATCH\n  Repo:\n    Type: AWS::ECR::Repository\n",
    );
    for args in [
        &["."][..],
        &["--skip-unrecognised", "cfn/stack.yaml"],
        &["cfn/stack.yaml"],
    ] {
        let (report, code) = json_report(args, root);
        assert_eq!(code, 1, "{args:?}");
        let codes: Vec<&str> = report["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(codes, ["ECR102", "ECR205"], "{args:?}: the type, then its properties");
        let help = report["files"][0]["diagnostics"][0]["help"].as_str().unwrap();
        assert!(
            help.contains("did you mean `AWS::ECR::ReplicationConfiguration`?"),
            "{help}"
        );
    }
    // Another ECR type is not a near miss.
    assert_eq!(
        ecrlint::document::is_replication_type("AWS::ECR::RegistryScanningConfiguration"),
        None
    );
    assert_eq!(
        ecrlint::document::is_replication_type("AWS::ECR::RepositoryCreationTemplate"),
        None
    );
    assert_eq!(
        ecrlint::document::is_replication_type("AWS::ECR::ReplicationConfiguration"),
        Some(ecrlint::document::TypeSpelling::Exact)
    );
}

#[test]
fn templates_are_read_as_cloudformation_reads_them_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // YAML 1.1 readings, an Fn::If branch, an unknown function, an alias,
    // an empty filter list and a read-only RegistryId, in one template.
    write(
        root,
        "stack.yaml",
        "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      RegistryId: \"210987654321\"\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - &d\n                Region: !If [IsProd, us-west-2, !Nope x]\n                RegistryId: 012345670123\n            RepositoryFilters:\n              - Filter: on\n                FilterType: PREFIX_MATCH\n          - Destinations: [*d]\n            RepositoryFilters: []\n",
    );
    for args in [&["."][..], &["--skip-unrecognised", "stack.yaml"], &["stack.yaml"]] {
        let (report, code) = json_report(args, root);
        assert_eq!(code, 1, "{args:?}");
        let codes: Vec<&str> = report["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            codes,
            ["ECR315", "ECR102", "ECR103", "ECR103", "ECR004", "ECR104"],
            "{args:?}"
        );
    }
}

#[test]
fn directory_walks_respect_gitignore_unless_told_not_to() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let broken = "{\"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"21098765432\"}]}]}";
    write(root, ".gitignore", "generated/\n*.local.json\n");
    write(root, "generated/replication.json", broken);
    write(root, "mine.local.json", broken);
    write(root, "sub/.ignore", "vendored.json\n");
    write(root, "sub/vendored.json", broken);
    write(root, "kept.json", broken);
    let paths = |report: &serde_json::Value| -> Vec<String> {
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    let (report, _) = json_report(&["."], root);
    assert_eq!(paths(&report), ["kept.json"]);
    let (report, _) = json_report(&[".", "--no-ignore"], root);
    assert_eq!(
        paths(&report),
        [
            "generated/replication.json",
            "kept.json",
            "mine.local.json",
            "sub/vendored.json"
        ]
    );
    // A file named on the command line is linted whatever the ignore files say.
    let (report, _) = json_report(&["mine.local.json"], root);
    assert_eq!(paths(&report), ["mine.local.json"]);
}

#[test]
fn exit_zero_quiet_statistics_and_force_color() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "a.json",
        r#"{"rules": [{"destinations": [{"region": "US-WEST-2", "registryId": "21098765432"}]}]}"#,
    );
    let run = |args: &[&str], env: &[(&str, &str)]| {
        let mut cmd = ecrlint();
        cmd.current_dir(root).arg("check").args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    // --exit-zero: findings do not fail the run; trouble still does.
    let (code, out, _) = run(&["--exit-zero", "a.json"], &[]);
    assert_eq!(code, 0);
    assert!(out.contains("ECR204"), "{out}");
    let (code, _, _) = run(&["--exit-zero", "missing.json"], &[]);
    assert_eq!(code, 2);
    // --quiet: the findings and nothing else.
    let (code, out, _) = run(&["-q", "--format", "concise", "a.json"], &[]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(!out.contains("error in") && !out.contains("explain"), "{out}");
    // --statistics: a count per rule, then the summary.
    let (code, out, _) = run(&["--statistics", "--color", "never", "a.json"], &[]);
    assert_eq!(code, 1);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("1  ECR202  invalid-region  (1 fixable)"));
    assert_eq!(lines.next(), Some("1  ECR204  invalid-registry-id"));
    // FORCE_COLOR colours a pipe; NO_COLOR alone does not.
    let (_, out, _) = run(&["a.json"], &[("FORCE_COLOR", "1")]);
    assert!(out.contains("\u{1b}["), "{out}");
    let (_, out, _) = run(&["a.json"], &[("NO_COLOR", "1")]);
    assert!(!out.contains("\u{1b}["), "{out}");
}

#[test]
fn a_run_that_finds_no_file_says_so() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "empty/notes.txt", "nothing here");
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "empty"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("no file to lint in empty"), "{stderr}");
    // Files read but none of them a replication document: said too.
    write(dir.path(), "app/package.json", r#"{"name": "app"}"#);
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "app"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("no replication document in app: 1 file passed over"),
        "{stderr}"
    );
}

#[test]
fn rule_flags_take_lists_any_case_and_suggest_a_code() {
    let empty = "{\"rules\": []}";
    let out = ecrlint()
        .args([
            "check",
            "--isolated",
            "--format",
            "json",
            "-",
            "--rule",
            "ECR308=OFF,unfiltered-rule=Info",
        ])
        .write_stdin(empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["diagnostics"], serde_json::json!([]));
    let out = ecrlint()
        .args(["check", "--isolated", "-", "--rule", "ECR3O8=off"])
        .write_stdin(empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `ECR308`?"));
    // An empty value, or an empty entry in a list, is refused.
    for spec in ["", " ", "ECR308=off,", ",ECR308=off"] {
        let out = ecrlint()
            .args(["check", "--isolated", "-", "--rule", spec])
            .write_stdin(empty)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--rule {spec:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("expected RULE=LEVEL"), "--rule {spec:?}: {stderr}");
    }
}

#[test]
fn completion_scripts_cover_every_subcommand_and_bash_parses_its_own() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = ecrlint().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["check", "explain", "server", "skip-unrecognised", "unsafe-fixes"] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let out = ecrlint().args(["completions", "bash"]).output().unwrap();
    std::fs::write(dir.path().join("ecrlint.bash"), out.stdout).unwrap();
    let syntax = std::process::Command::new("bash")
        .arg("-n")
        .arg(dir.path().join("ecrlint.bash"))
        .status()
        .unwrap();
    assert!(syntax.success(), "bash -n rejects the script");
}

#[test]
fn a_span_on_the_cr_of_a_crlf_ends_at_the_end_of_its_line() {
    let out = ecrlint()
        .args(["check", "--isolated", "--format", "json", "-"])
        .write_stdin("{\"rules\": \"abc\r\n\"}\r\n")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &report["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "ECR001", "{report}");
    // `{"rules": "abc` is 14 characters: its line ends at column 15.
    assert_eq!(d["span"], serde_json::json!({"start": 14, "end": 15}));
    assert_eq!(d["start"], serde_json::json!({"line": 1, "column": 15}));
    assert_eq!(d["end"], serde_json::json!({"line": 1, "column": 15}));
}

/// Whether `patch(1)` is on this machine.
fn have_patch() -> bool {
    std::process::Command::new("patch")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `--diff` is a patch that patch(1) applies to get what `--fix` writes,
/// whatever the line ends: `\n`, `\r\n`, lone `\r`, mixed, and none at the
/// end. Without patch(1), the diff's shape is still checked.
#[test]
fn diff_is_a_patch_patch_applies_for_every_line_end() {
    let example = fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/invalid-common-mistakes.json"
    ))
    .unwrap();
    let cases = [
        ("lf", example.clone()),
        ("crlf", example.replace('\n', "\r\n")),
        ("cr", example.replace('\n', "\r")),
        ("mixed", example.replacen('\n', "\r", 3).replacen('\n', "\r\n", 3)),
        ("no-end", example.trim_end().replace('\n', "\r")),
    ];
    let patch = have_patch();
    for (name, text) in cases {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "a.json", &text);
        let out = ecrlint()
            .current_dir(dir.path())
            .args(["check", "--isolated", "--diff", "a.json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{name}");
        let diff = out.stdout;
        // Every line of a patch ends in `\n`; a `\r` is line text.
        assert!(diff.ends_with(b"\n"), "{name}");
        let mut lines = diff.split_inclusive(|&b| b == b'\n');
        assert_eq!(lines.next(), Some(&b"--- a/a.json\n"[..]), "{name}");
        assert_eq!(lines.next(), Some(&b"+++ b/a.json\n"[..]), "{name}");
        for line in lines {
            assert!(
                matches!(line.first(), Some(b' ' | b'-' | b'+' | b'@' | b'\\')),
                "{name}: {:?}",
                String::from_utf8_lossy(line)
            );
        }
        let fixed = ecrlint()
            .args(["check", "--isolated", "--fix", "-", "--stdin-filename", "a.json"])
            .write_stdin(text.clone())
            .output()
            .unwrap()
            .stdout;
        assert_ne!(fixed, text.as_bytes(), "{name}: something to fix");
        if patch {
            let applied = std::process::Command::new("patch")
                .current_dir(dir.path())
                .args(["-p1", "--batch", "--no-backup-if-mismatch"])
                .stdin(
                    fs::File::open({
                        let p = dir.path().join("fix.patch");
                        fs::write(&p, &diff).unwrap();
                        p
                    })
                    .unwrap(),
                )
                .output()
                .unwrap();
            assert!(
                applied.status.success(),
                "{name}: patch failed: {}{}",
                String::from_utf8_lossy(&applied.stdout),
                String::from_utf8_lossy(&applied.stderr)
            );
            assert_eq!(fs::read(dir.path().join("a.json")).unwrap(), fixed, "{name}");
        }
    }
}

/// A literal backslash in a file name is doubled, so that it differs from
/// an escaped byte; GitHub annotations name the file as it is, with
/// GitHub's percent-encoding of properties (a newline is `%0A`).
#[cfg(unix)]
#[test]
fn file_names_with_backslashes_and_newlines_are_told_apart() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let literal = dir.path().join("a\\xe9.json");
    let byte = dir.path().join(std::ffi::OsStr::from_bytes(b"a\xe9.json"));
    let newline = dir.path().join("b\n%,:.json");
    for path in [&literal, &byte, &newline] {
        fs::write(path, INVALID).unwrap();
    }
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--format", "concise", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("a\\\\xe9.json:1:"), "{stdout}");
    assert!(stdout.contains("a\\xe9.json:1:"), "{stdout}");
    assert!(stdout.contains("b\\u{a}%,:.json:1:"), "{stdout}");
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--format", "github", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("file=b%0A%25%2C%3A.json,line=1,"), "{stdout}");
    assert!(stdout.contains("file=a\\xe9.json,line=1,"), "{stdout}");
}

/// The shipped hooks' command (`--skip-unrecognised --force-exclude`, as
/// in .pre-commit-hooks.yaml) lints a staged file under a folder named
/// `target` unless a Cargo.toml beside that folder makes it Cargo's build
/// folder; directory walks decide the same way.
#[test]
fn target_is_excluded_only_as_cargo_build_folder() {
    let hooks = fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.pre-commit-hooks.yaml")).unwrap();
    assert!(hooks.contains("entry: ecrlint check --skip-unrecognised --force-exclude\n"));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "infra/target/replication.json", INVALID);
    write(root, "crate/Cargo.toml", "[package]\nname = \"c\"\n");
    write(root, "crate/target/replication.json", INVALID);
    let hook = |file: &str| {
        ecrlint()
            .current_dir(root)
            .args([
                "check",
                "--skip-unrecognised",
                "--force-exclude",
                "--format",
                "json",
                file,
            ])
            .output()
            .unwrap()
    };
    let out = hook("infra/target/replication.json");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["path"], "infra/target/replication.json");
    let out = hook("crate/target/replication.json");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"], serde_json::json!([]));
    let (report, _) = json_report(&["."], root);
    let paths: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["infra/target/replication.json"]);
}

/// A file in the git index is linted by a directory walk even when
/// `.gitignore` matches it (committed with `git add -f`); an untracked
/// ignored file is still passed over.
#[test]
fn tracked_files_that_gitignore_matches_are_linted() {
    let git_works = std::process::Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".gitignore", "generated/\n*.local.json\n");
    write(root, "generated/replication.json", INVALID);
    write(root, "generated/untracked.json", INVALID);
    write(root, "team/dev.local.json", INVALID);
    write(root, "team/scratch.local.json", INVALID);
    write(root, "main.json", INVALID);
    let (report, _) = json_report(&["."], root);
    let paths = |report: &serde_json::Value| -> Vec<String> {
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap().to_string())
            .collect()
    };
    // Not a repository: .gitignore alone decides.
    assert_eq!(paths(&report), ["main.json"]);
    assert!(git_works, "this test needs git");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .current_dir(root)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&[
        "add",
        "-f",
        "generated/replication.json",
        "team/dev.local.json",
        "main.json",
    ]);
    let (report, code) = json_report(&["."], root);
    assert_eq!(code, 1);
    assert_eq!(
        paths(&report),
        ["generated/replication.json", "main.json", "team/dev.local.json"]
    );
    // From a folder inside the repository, and for a folder named.
    let (report, _) = json_report(&["team"], root);
    assert_eq!(paths(&report), ["team/dev.local.json"]);
    // --force-exclude and `exclude` globs still apply to tracked files.
    write(root, ".ecrlint.toml", "extend-exclude = [\"team/\"]\n");
    let (report, _) = json_report(&["."], root);
    assert_eq!(paths(&report), ["generated/replication.json", "main.json"]);
}

#[test]
fn output_format_is_the_flag_and_format_its_alias_as_in_ruff() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "invalid.json", INVALID);
    let run = |flag: &str| {
        ecrlint()
            .current_dir(dir.path())
            .args(["check", flag, "concise", "invalid.json"])
            .output()
            .unwrap()
    };
    let (new, old) = (run("--output-format"), run("--format"));
    assert_eq!(new.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&new.stdout).starts_with("invalid.json:1:"));
    assert_eq!(new.stdout, old.stdout);
    // A slip of the flag is answered with the flag, not with --output-file.
    let out = run("--output-fromat");
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("a similar argument exists: '--output-format'"), "{said}");
    ecrlint().args(["rules", "--output-format", "json"]).assert().success();
}

#[test]
fn rules_json_says_which_rules_fix_and_where_their_page_is() {
    let out = ecrlint().args(["rules", "--format", "json"]).output().unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rule = |code: &str| {
        rules
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["code"] == code)
            .unwrap()
            .clone()
    };
    // ECR202 has a fix (its page has a Fix section); ECR001 has none.
    assert_eq!(rule("ECR202")["fixable"], true);
    assert_eq!(rule("ECR001")["fixable"], false);
    let url = rule("ECR202")["url"].as_str().unwrap().to_string();
    assert!(url.ends_with("/rules/ECR202-invalid-region.md"), "{url}");
    for r in rules.as_array().unwrap() {
        let page = format!(
            "rules/{}-{}.md",
            r["code"].as_str().unwrap(),
            r["name"].as_str().unwrap()
        );
        assert!(r["url"].as_str().unwrap().ends_with(&page));
        assert!(Path::new(env!("CARGO_MANIFEST_DIR")).join(&page).is_file(), "{page}");
    }
}

#[test]
fn warn_is_a_level_in_the_configuration_and_on_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "invalid.json", INVALID);
    let severity = |dir: &Path, args: &[&str]| {
        let (report, _) = json_report(args, dir);
        report["files"][0]["diagnostics"][0]["severity"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        severity(dir.path(), &["--rule", "ECR204=warn", "invalid.json"]),
        "warning"
    );
    write(dir.path(), ".ecrlint.toml", "[rules]\nECR204 = \"warn\"\n");
    assert_eq!(severity(dir.path(), &["invalid.json"]), "warning");
}

#[test]
fn explain_suggests_the_nearest_code_or_name() {
    let out = ecrlint().args(["explain", "ECR2044"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `ECR204`?"));
    let out = ecrlint().args(["explain", "invalid-regoin"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("did you mean `invalid-region`?"));
}

#[test]
fn show_fixes_lists_the_findings_fixed_by_file_and_rule() {
    let dir = tempfile::tempdir().unwrap();
    let fixable = "{\n  \"rules\": [\n    {\n      \"destinations\": [\n        {\"region\": \"us-west-2\", \"registryId\": \"210987654321\"},\n        {\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}\n      ],\n      \"repositoryFilters\": [{\"filter\": \"prod/*\", \"filterType\": \"PREFIX\"}]\n    }\n  ]\n}\n";
    write(dir.path(), "a.json", fixable);
    write(dir.path(), "valid.json", VALID);
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--fix", "--show-fixes", "--color", "never", "."])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The safe fixes only: the glob in the filter (an unsafe fix) stays.
    assert!(
        stdout.contains("Fixed 2 findings:\n- a.json:\n    1 × ECR201 (invalid-filter-type)\n    1 × ECR301 (duplicate-destination)\n"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(1), "ECR205 remains: {stdout}");
    // Nothing left to fix.
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--fix", "--show-fixes", "-q", "."])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .ends_with("\nNo findings fixed.\n"));
    // Only with --fix.
    ecrlint()
        .current_dir(dir.path())
        .args(["check", "--show-fixes", "."])
        .assert()
        .code(2);
}

/// A finding that disappears with another rule's fix was not fixed by its
/// own: removing a duplicate destination takes one of two misspelt
/// Regions with it, but ECR203's fix is unsafe and was not applied.
#[test]
fn show_fixes_counts_only_the_fixes_applied() {
    let dir = tempfile::tempdir().unwrap();
    let text = "{\"rules\": [{\"destinations\": [\n  {\"region\": \"us-wst-2\", \"registryId\": \"210987654321\"},\n  {\"region\": \"us-wst-2\", \"registryId\": \"210987654321\"}\n]}]}\n";
    write(dir.path(), "repl.json", text);
    let out = ecrlint()
        .current_dir(dir.path())
        .args([
            "check",
            "--isolated",
            "--fix",
            "--show-fixes",
            "--color",
            "never",
            "repl.json",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("Fixed 1 finding:\n- repl.json:\n    1 × ECR301 (duplicate-destination)\n"),
        "{stdout}"
    );
    assert!(!stdout.contains("× ECR203"), "{stdout}");
    // With --unsafe-fixes the Region's own fix is applied, and counted.
    write(dir.path(), "repl.json", text);
    let out = ecrlint()
        .current_dir(dir.path())
        .args([
            "check",
            "--isolated",
            "--fix",
            "--unsafe-fixes",
            "--show-fixes",
            "--color",
            "never",
            "repl.json",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("    1 × ECR301 (duplicate-destination)\n"), "{stdout}");
    assert!(stdout.contains("× ECR203 (unknown-region)\n"), "{stdout}");
}

/// `--watch`, driven as a user would: a first report, a change to the file,
/// a second report on a cleared screen.
#[test]
fn watch_lints_again_after_a_change_on_a_cleared_screen() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "r.json", INVALID);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecrlint"))
        .current_dir(dir.path())
        .args([
            "check",
            "--watch",
            "--color",
            "never",
            "--output-format",
            "concise",
            ".",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (send, received) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buffer) {
            if n == 0 || send.send(buffer[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let mut seen = String::new();
    // Reads until `done` holds of what was printed (a generous bound, so a
    // broken --watch fails rather than hangs).
    let read_until = |seen: &mut String, done: &dyn Fn(&str) -> bool| {
        while !done(seen) {
            let chunk = received
                .recv_timeout(std::time::Duration::from_secs(120))
                .unwrap_or_else(|_| panic!("--watch printed no more; so far:\n{seen}"));
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    const CLEAR: &str = "\x1b[2J\x1b[3J\x1b[H";
    read_until(&mut seen, &|s| s.contains("ECR204"));
    assert!(seen.starts_with(CLEAR), "{seen:?}");
    write(dir.path(), "r.json", WARNING_ONLY);
    // A polling watcher may see one save as two changes (the truncation, then
    // the text): a later report of the same text may follow.
    read_until(&mut seen, &|s| {
        s.matches(CLEAR).count() >= 2 && s.rsplit(CLEAR).next().unwrap().contains("ECR206")
    });
    child.kill().unwrap();
    child.wait().unwrap();
    let second = seen.rsplit(CLEAR).next().unwrap();
    assert!(
        !second.contains("ECR204"),
        "the second report is of the changed file: {second}"
    );
    let first = seen.split(CLEAR).nth(1).unwrap();
    assert!(first.contains("ECR204"), "{first}");
}

/// Messages show the source's values as the file writes them: the `current`
/// of a Terraform data source, a template's `!Ref AWS::Region`.
#[test]
fn messages_show_the_source_values_as_written() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "t.yaml",
        "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: !Ref AWS::Region\n                RegistryId: !Ref AWS::AccountId\n",
    );
    write(
        dir.path(),
        "m.tf",
        "data \"aws_caller_identity\" \"current\" {}\ndata \"aws_region\" \"current\" {}\nresource \"aws_ecr_replication_configuration\" \"r\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = data.aws_region.current.name\n        registry_id = data.aws_caller_identity.current.account_id\n      }\n    }\n  }\n}\n",
    );
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--output-format", "concise", "t.yaml", "m.tf"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("destination !Ref AWS::Region / !Ref AWS::AccountId is the source registry"),
        "{text}"
    );
    assert!(
        text.contains(
            "destination data.aws_region.current.name / data.aws_caller_identity.current.account_id is the source registry"
        ),
        "{text}"
    );
}

/// A YAML suppression comment alone above a list item covers the whole item,
/// not only its first line; the next item is not covered.
#[test]
fn a_yaml_suppression_above_a_list_item_covers_the_whole_item() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "t.yaml",
        "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              # ecrlint: ignore[ECR204] a legacy account, being moved\n              - Region: us-west-2\n\n                RegistryId: \"2109876543\"\n              - Region: us-west-2\n                RegistryId: \"2109876544\"\n",
    );
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--output-format", "concise", "t.yaml"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 1, "{text}");
    assert!(
        lines[0].starts_with("t.yaml:13:") && lines[0].contains("ECR204"),
        "{text}"
    );
}

/// Run in a subfolder of the workspace, a label in a file above it is shown
/// from the current folder (`../destination/...`), never as an absolute path.
#[test]
fn labels_in_the_workspace_above_are_shown_from_the_current_folder() {
    let dir = tempfile::tempdir().unwrap();
    let example = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/cross-account");
    common::copy_tree(&example, dir.path());
    std::fs::write(dir.path().join(".ecrlint.toml"), "").unwrap();
    let (report, code) = common::json_report(&dir.path().join("source"), &["."]);
    assert_eq!(code, 1);
    let labels: Vec<String> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|d| d["labels"].as_array().unwrap())
        .filter_map(|l| l["path"].as_str().map(str::to_string))
        .collect();
    assert_eq!(labels, ["../destination/dr/registry-policy.json"], "{report}");
}

/// A file of repositories alone is not linted (passed over in a folder, or
/// read from the rest of the workspace when one file is named), and its
/// repositories still count for what arrives at the destination (ECR703).
#[test]
fn repositories_in_a_file_of_their_own_count_for_what_arrives() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // The workspace: the topmost folder with settings.
    common::write(root, ".ecrlint.toml", "# The accounts' folders below.\n");
    common::write(
        root,
        "source/.ecrlint.toml",
        "[source]\nregion = \"us-east-1\"\nregistry-id = \"210987654321\"\n",
    );
    common::write(
        root,
        "source/template.yaml",
        "Resources:\n  Replication:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: us-west-2\n                RegistryId: \"109876543210\"\n            RepositoryFilters:\n              - Filter: prod/\n                FilterType: PREFIX_MATCH\n  Api:\n    Type: AWS::ECR::Repository\n    Properties:\n      RepositoryName: prod/api\n",
    );
    common::write(
        root,
        "prod/.ecrlint.toml",
        "[destination]\nregistry-id = \"109876543210\"\nregion = \"us-west-2\"\n",
    );
    common::write(
        root,
        "prod/policy.tf",
        "resource \"aws_ecr_registry_policy\" \"replication\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Effect    = \"Allow\"\n      Principal = { AWS = \"arn:aws:iam::210987654321:root\" }\n      Action    = [\"ecr:ReplicateImage\", \"ecr:CreateRepository\"]\n      Resource  = \"arn:aws:ecr:us-west-2:109876543210:repository/*\"\n    }]\n  })\n}\n",
    );
    common::write(
        root,
        "prod/repositories.tf",
        "resource \"aws_ecr_repository\" \"api\" {\n  name                 = \"prod/api\"\n  image_tag_mutability = \"IMMUTABLE\"\n}\n",
    );
    for target in [".", "source/template.yaml"] {
        let out = common::ecrlint()
            .args(["check", "--select", "ECR703", target])
            .current_dir(root)
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert_eq!(out.status.code(), Some(1), "{target}: {text}");
        assert!(
            text.contains("source/template.yaml:9:29 ECR703 immutable-destination"),
            "{target}: {text}"
        );
        // The label in the file of repositories, at its setting as written.
        assert!(text.contains("prod/repositories.tf:3:26"), "{target}: {text}");
        assert!(text.contains("IMMUTABLE at the destination"), "{target}: {text}");
    }
}

/// Two policies for one registry: the hook naming either file alone gives
/// that file the verdict of a run over the workspace (ECR511 on the second
/// by path, nothing on the first), whatever order the run reads them in.
#[test]
fn a_second_registry_policy_gets_the_same_verdict_from_the_hook_and_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write(root, ".ecrlint.toml", "");
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
  "Action": ["ecr:ReplicateImage", "ecr:CreateRepository"],
  "Resource": "arn:aws:ecr:us-west-2:109876543210:repository/*"}]}"#;
    common::write(root, "a/registry-policy.json", policy);
    common::write(root, "b/registry-policy.json", policy);
    let run = |args: &[&str]| {
        let (report, _) = common::json_report(root, args);
        common::codes_by_file(&report)
    };
    let second = ("b/registry-policy.json".to_string(), vec!["ECR511".to_string()]);
    let workspace = run(&["."]);
    assert!(workspace.contains(&second), "{workspace:?}");
    assert_eq!(run(&["--skip-unrecognised", "b/registry-policy.json"]), [second]);
    let first = run(&["--skip-unrecognised", "a/registry-policy.json"]);
    assert_eq!(first, [("a/registry-policy.json".to_string(), vec![])]);
}

/// Issue 22: the hook on `source/main.tf` alone in a folder that is not a
/// git work tree, the destination's registry policy elsewhere in it. The
/// workspace is the git work tree, else the topmost folder with an
/// `.ecrlint.toml`, else the paths given (docs/cross-account.md): here the
/// file alone, so the policy is not read and each cross-account
/// destination gets the ECR312 reminder, not ECR506 (the hook passes, the
/// folder run fails). An `.ecrlint.toml` at the top makes the folder the
/// workspace: the hook then gives the folder run's ECR506, from the
/// folder above or from `source/`.
#[test]
fn the_hook_outside_a_git_work_tree_reads_the_workspace_the_docs_name() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // The premise: nothing above the temporary folder makes a workspace.
    for folder in root.ancestors() {
        assert!(
            !folder.join(".git").exists() && !folder.join(".ecrlint.toml").exists(),
            "{} makes a workspace: the test needs a temporary folder outside any",
            folder.display()
        );
    }
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ECR506-missing-replication-grant/invalid-two-accounts-terraform");
    let read = |name: &str| fs::read_to_string(fixture.join(name)).unwrap();
    write(root, "source/main.tf", &read("source/replication.tf"));
    write(root, "destination/dr.tf", &read("destination/dr/registry-policy.tf"));
    let run = |cwd: &Path, args: &[&str]| {
        let args = [&["--source-registry-id", "210987654321"][..], args].concat();
        let (report, code) = common::json_report(cwd, &args);
        (common::codes_and_lines(&report), code)
    };
    let s = |t: &str| t.to_string();
    let hook = ["--skip-unrecognised", "--force-exclude", "source/main.tf"];
    assert_eq!(
        run(root, &hook),
        (
            vec![
                (s("source/main.tf"), s("ECR312"), 10),
                (s("source/main.tf"), s("ECR312"), 14)
            ],
            0
        )
    );
    let folder = vec![
        (s("destination/dr.tf"), s("ECR502"), 12),
        (s("source/main.tf"), s("ECR312"), 10),
        (s("source/main.tf"), s("ECR506"), 14),
    ];
    assert_eq!(run(root, &["."]), (folder.clone(), 1));

    write(root, ".ecrlint.toml", "");
    let on_main = folder[1..].to_vec();
    assert_eq!(run(root, &hook), (on_main, 1));
    assert_eq!(
        run(&root.join("source"), &["--skip-unrecognised", "main.tf"]),
        (
            vec![(s("main.tf"), s("ECR312"), 10), (s("main.tf"), s("ECR506"), 14)],
            1
        )
    );
    assert_eq!(run(root, &["."]), (folder, 1));
}
