//! Registry policies written as JSON inside a string (`get-registry-policy`
//! output, a template's `PolicyText` text): findings point at the exact
//! bytes of the file, escapes included.

use ecrlint::lint::{lint, Origin, Outcome};
use ecrlint::settings::Settings;
use ecrlint::syntax::{ReadAs, SourceFormat};

/// Each finding's code and the source text its span covers.
fn findings(text: &str, format: SourceFormat) -> Vec<(&'static str, String)> {
    let Outcome::Linted { diagnostics, .. } = lint(
        text.as_bytes(),
        ReadAs::Format(format),
        Origin::Named,
        &Settings::default(),
    ) else {
        panic!("a named file is linted");
    };
    diagnostics
        .iter()
        .map(|d| (d.code, text[d.span.start..d.span.end].to_string()))
        .collect()
}

#[test]
fn findings_in_policy_text_point_at_the_escaped_source() {
    // `\"`, `\n`, `\u0041` and a surrogate pair before the values at fault.
    let text = r#"{"registryId": "109876543210", "policyText": "{\"Version\":\n\"2012-10-17\",\"Statement\":[{\"Sid\":\"\ud83d\ude00\",\"Effect\":\"\u0041llow\",\"Principal\":{\"AWS\":\"arn:aws:iam::21098765432:root\"},\"Action\":[\"ecr:Replicate\u0049mage\",\"ecr:Batch\u0047etImages\"],\"Resource\":\"arn:aws:us-west-2:109876543210:repository/*\"}]}"}"#;
    assert_eq!(
        findings(text, SourceFormat::Json),
        [
            ("ECR503", r#"\"arn:aws:iam::21098765432:root\""#.to_string()),
            ("ECR501", r#"\"ecr:Batch\u0047etImages\""#.to_string()),
            (
                "ECR502",
                r#"\"arn:aws:us-west-2:109876543210:repository/*\""#.to_string()
            ),
        ]
    );
}

#[test]
fn policy_text_that_does_not_parse_is_reported_where_it_breaks() {
    let text = r#"{"policyText": "{\"Statement\": [}"}"#;
    let found = findings(text, SourceFormat::Json);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "ECR001");
    assert_eq!(found[0].1, "}");
}

#[test]
fn a_yaml_block_scalar_maps_past_its_indentation() {
    let text = "Resources:\n  P:\n    Type: AWS::ECR::RegistryPolicy\n    Properties:\n      PolicyText: |\n        {\"Statement\": [{\"Effect\": \"Allow\",\n          \"Principal\": {\"AWS\": \"210987654321\"},\n          \"Action\": \"ecr:ReplicateImage\",\n          \"Resource\": \"arn:aws:ecr:us-west-2:109876543210:repo/*\"}]}\n";
    assert_eq!(
        findings(text, SourceFormat::Yaml),
        [("ECR502", "\"arn:aws:ecr:us-west-2:109876543210:repo/*\"".to_string())]
    );
}

/// The check across files, through the command line: the finding on the
/// configuration carries a label in the policy's file, in every format.
#[test]
fn a_label_in_another_file_is_reported_with_that_file() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |format: &str| {
        let out = assert_cmd::Command::cargo_bin("ecrlint")
            .unwrap()
            .current_dir(root)
            .args(["check", "--format", format, "examples/cross-account"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()
    };
    let report = run("json");
    let file = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "examples/cross-account/source/replication.json")
        .unwrap();
    let d = &file["diagnostics"][0];
    assert_eq!(d["code"], "ECR506");
    let label = &d["labels"][0];
    assert_eq!(
        label["path"],
        "examples/cross-account/destination/dr/registry-policy.json"
    );
    // The span indexes the other file: `"Statement"` on its third line.
    let policy =
        std::fs::read_to_string(root.join("examples/cross-account/destination/dr/registry-policy.json")).unwrap();
    let (start, end) = (
        label["span"]["start"].as_u64().unwrap() as usize,
        label["span"]["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&policy[start..end], "\"Statement\"");
    assert_eq!(label["start"], serde_json::json!({"line": 3, "column": 3}));

    let sarif = run("sarif");
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "ECR506")
        .unwrap();
    let related = &result["relatedLocations"][0]["physicalLocation"];
    assert_eq!(
        related["artifactLocation"]["uri"],
        "examples/cross-account/destination/dr/registry-policy.json"
    );
    assert_eq!(related["region"]["startLine"], 3);
    assert_eq!(
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "examples/cross-account/source/replication.json"
    );
}

/// A single file is quiet; `require-registry-policies` makes a missing
/// policy an error, and `--rule` levels apply to findings across files.
#[test]
fn settings_govern_the_check_across_files() {
    let dir = tempfile::tempdir().unwrap();
    let config = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "109876543210"}]}]}"#;
    std::fs::write(dir.path().join("replication.json"), config).unwrap();
    let codes = |args: &[&str]| -> Vec<String> {
        let out = assert_cmd::Command::cargo_bin("ecrlint")
            .unwrap()
            .current_dir(dir.path())
            .args(["check", "--format", "json", "--source-registry-id", "210987654321"])
            .args(args)
            .arg(".")
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|f| f["diagnostics"].as_array().cloned().unwrap())
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(codes(&[]), ["ECR312"]);
    std::fs::write(
        dir.path().join(".ecrlint.toml"),
        "[policy]\nrequire-registry-policies = true\n",
    )
    .unwrap();
    assert_eq!(codes(&[]), ["ECR506"]);
    assert_eq!(codes(&["--rule", "ECR506=warning"]), ["ECR506"]);
    assert!(codes(&["--rule", "missing-replication-grant=off"]).is_empty());
}

/// Every fixture, corpus and regression file in one run: the check across
/// files sees them all together and never turns a file into an internal error.
#[test]
fn the_check_across_files_survives_every_file_we_have() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = assert_cmd::Command::cargo_bin("ecrlint")
        .unwrap()
        .current_dir(root)
        .args([
            "check",
            "--format",
            "json",
            "--no-ignore",
            // The repository's .ecrlint.toml keeps test data out of walks.
            "--isolated",
            "tests/fixtures",
            "tests/data",
            "examples",
        ])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files = report["files"].as_array().unwrap();
    assert!(files.len() > 250, "{} files", files.len());
    for f in files {
        let error = f["error"].as_str().unwrap_or_default();
        assert!(!error.contains("internal error"), "{}: {error}", f["path"]);
    }
    // Findings across files are among them (the fixture folders' and the example's).
    let codes: Vec<&str> = files
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"ECR506"), "no finding across files");
}

/// The facts `lint` gives for the check across files are those read
/// without linting (a language server's files on disk), for every fixture
/// and example: the two roads never disagree.
#[test]
fn lint_gives_the_facts_the_check_across_files_reads() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut folders = vec![root.join("tests/fixtures"), root.join("examples")];
    while let Some(dir) = folders.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if ["json", "yaml", "yml", "tf"].contains(&path.extension().and_then(|e| e.to_str()).unwrap_or("")) {
                files.push(path);
            }
        }
    }
    let settings = [
        Settings::default(),
        Settings {
            source_region: Some("us-east-1".into()),
            source_registry: Some("210987654321".into()),
            ..Settings::default()
        },
    ];
    let mut with_facts = 0;
    for path in &files {
        // Fixtures in other encodings (UTF-16) are not this test's.
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let read_as = ReadAs::for_path(path);
        for settings in &settings {
            // As found in a folder (or open in an editor): a file named on the
            // command line is also read as the shape its top level has.
            let read = ecrlint::crosscheck::file_facts(&text, read_as, settings);
            let facts = match lint(text.as_bytes(), read_as, Origin::Found, settings) {
                Outcome::Linted { facts, .. } => facts,
                // A file passed over may define repositories, which the
                // check across files reads apart (as it reads the
                // workspace's); never a configuration or a policy.
                Outcome::Skipped { .. } => {
                    assert!(
                        read.replications.is_empty() && read.policies.is_empty(),
                        "{}",
                        path.display()
                    );
                    continue;
                }
            };
            assert_eq!(facts, read, "{}", path.display());
            with_facts += usize::from(!facts.is_empty());
        }
    }
    assert!(
        files.len() > 300 && with_facts > 50,
        "{} files, {with_facts} with facts",
        files.len()
    );
}

/// Every registry policy among the fixtures, linted under both registry
/// policy scopes: the ECR501 findings each gives (V1, V2). Under V2 every ECR
/// action is allowed, so only unknown, other services' and dead wildcard
/// actions remain; under V1 every action beyond replication and pull-through
/// cache is one more. Nothing but ECR501 and ECR505 depends on the scope.
#[test]
fn every_fixture_registry_policy_under_both_scopes() {
    use ecrlint::settings::PolicyScope;
    let expected: &[(&str, usize, usize)] = &[
        ("ECR501-disallowed-registry-action/invalid-near-miss.json", 1, 1),
        ("ECR501-disallowed-registry-action/invalid-pulumi-policy.yaml", 2, 2),
        ("ECR501-disallowed-registry-action/invalid-v1-account-setting.tf", 1, 1),
        (
            "ECR501-disallowed-registry-action/invalid-v1-get-registry-policy.json",
            1,
            0,
        ),
        ("ECR501-disallowed-registry-action/invalid-v1-policy.json", 1, 0),
        ("ECR501-disallowed-registry-action/invalid-v1-star.json", 1, 0),
        ("ECR501-disallowed-registry-action/invalid-v1-template.json", 1, 0),
        ("ECR501-disallowed-registry-action/invalid-v1-template.yaml", 1, 0),
        (
            "ECR501-disallowed-registry-action/invalid-v1-terraform-heredoc.tf",
            1,
            0,
        ),
        (
            "ECR501-disallowed-registry-action/invalid-v1-terraform-jsonencode.tf",
            1,
            0,
        ),
        ("ECR501-disallowed-registry-action/invalid-v1-terraform.tf.json", 1, 0),
        ("ECR501-disallowed-registry-action/invalid-v1-policy-document.tf", 1, 1),
        ("ECR501-disallowed-registry-action/invalid-v2-other-service.json", 1, 1),
        ("ECR501-disallowed-registry-action/invalid-v2-template.yaml", 1, 1),
        ("ECR501-disallowed-registry-action/invalid-v2-terraform.tf", 2, 1),
        ("ECR501-disallowed-registry-action/invalid-v2-unknown-action.json", 2, 1),
        ("ECR501-disallowed-registry-action/invalid-v2-white-space.json", 2, 2),
        ("ECR501-disallowed-registry-action/invalid-v2-wildcard.json", 2, 1),
        ("ECR501-disallowed-registry-action/valid-v2-account-setting.tf", 0, 0),
        ("ECR501-disallowed-registry-action/valid-v2-grants.json", 13, 0),
    ];
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut seen = Vec::new();
    for folder in std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()) {
        let name = folder.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("ECR50") {
            continue;
        }
        for file in std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()) {
            if file.is_dir() || file.extension().is_some_and(|e| e == "args") {
                continue;
            }
            let bytes = std::fs::read(&file).unwrap();
            let read_as = ReadAs::for_path(&file);
            let findings = |scope: PolicyScope| -> Vec<&'static str> {
                let settings = Settings {
                    registry_policy_scope: scope,
                    ..Settings::default()
                };
                match lint(&bytes, read_as, Origin::Named, &settings) {
                    Outcome::Linted { diagnostics, .. } => diagnostics.iter().map(|d| d.code).collect(),
                    Outcome::Skipped { .. } => panic!("a named file is linted"),
                }
            };
            let (v1, v2) = (findings(PolicyScope::V1), findings(PolicyScope::V2));
            let others = |codes: &[&'static str]| -> Vec<&'static str> {
                codes
                    .iter()
                    .copied()
                    .filter(|c| !matches!(*c, "ECR501" | "ECR505"))
                    .collect()
            };
            let relative = format!("{name}/{}", file.file_name().unwrap().to_string_lossy());
            assert_eq!(
                others(&v1),
                others(&v2),
                "{relative}: only ECR501 and ECR505 depend on the scope"
            );
            let count = |codes: &[&str]| codes.iter().filter(|c| **c == "ECR501").count();
            let got = (count(&v1), count(&v2));
            match expected.iter().find(|(f, _, _)| *f == relative) {
                Some((_, under_v1, under_v2)) => {
                    assert_eq!(got, (*under_v1, *under_v2), "{relative}: ECR501 under (V1, V2)")
                }
                None => assert_eq!(got.1, 0, "{relative}: no ECR501 under V2 unless listed"),
            }
            seen.push(relative);
        }
    }
    for (file, _, _) in expected {
        assert!(seen.iter().any(|s| s == file), "{file} is not a fixture");
    }
    assert!(seen.len() > expected.len(), "the other ECR5xx fixtures were read too");
}
