//! Which files are linted: a file meant as a replication document is never
//! passed over, whatever its mistakes, and a neighbour (scanning
//! configuration, lifecycle policy, ...) is never linted as one. Each case
//! runs the three ways ecrlint meets files: named on the command line, in
//! hook mode (`--skip-unrecognised`, what the pre-commit hooks run) and
//! found in a directory.

mod common;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// Linted, with exactly these codes (sorted, deduplicated).
    Lint(&'static [&'static str]),
    /// Passed over: not in the report, exit 0.
    Skip,
}
use Expect::{Lint, Skip};

#[derive(Clone, Copy)]
enum Mode {
    Named,
    Hook,
    Directory,
}

/// Runs ecrlint on `name` alone, the given way, and says what became of it.
fn outcome(name: &str, content: &[u8], mode: Mode) -> (Option<Vec<String>>, i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repo").join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    let mut cmd = common::ecrlint();
    cmd.current_dir(dir.path().join("repo"))
        .args(["check", "--isolated", "--format", "json"]);
    match mode {
        Mode::Named => cmd.arg(name),
        Mode::Hook => cmd.args(["--skip-unrecognised", name]),
        Mode::Directory => cmd.arg("."),
    };
    let out = cmd.output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let file = report["files"].as_array().unwrap().iter().find(|f| f["path"] == name);
    let codes = file.map(|f| {
        let mut codes: Vec<String> = f["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        codes.sort();
        codes.dedup();
        codes
    });
    let messages = file.map(|f| f["diagnostics"].to_string()).unwrap_or_default();
    (codes, out.status.code().unwrap_or(-1), messages)
}

fn check(name: &str, content: &[u8], named: Expect, unnamed: Expect) {
    for (mode, expected) in [(Mode::Named, named), (Mode::Hook, unnamed), (Mode::Directory, unnamed)] {
        let mode_name = match mode {
            Mode::Named => "named",
            Mode::Hook => "hook mode",
            Mode::Directory => "in a directory",
        };
        let (codes, exit, _) = outcome(name, content, mode);
        match expected {
            Lint(want) => {
                let codes = codes.unwrap_or_else(|| panic!("{name} ({mode_name}) was passed over"));
                assert_eq!(codes, want, "{name} ({mode_name})");
                assert_eq!(exit, i32::from(!want.is_empty()), "{name} ({mode_name}) exit code");
            }
            Skip => {
                assert_eq!(codes, None, "{name} ({mode_name}) must be passed over");
                assert_eq!(exit, 0, "{name} ({mode_name}) exit code");
            }
        }
    }
}

const DESTINATION: &str = r#"{"region": "us-west-2", "registryId": "210987654321"}"#;

#[test]
fn a_misspelt_key_is_reported_with_its_suggestion_never_skipped() {
    let file = format!(r#"{{"rules": [{{"destinatons": [{DESTINATION}]}}]}}"#);
    check(
        "replication.json",
        file.as_bytes(),
        Lint(&["ECR102"]),
        Lint(&["ECR102"]),
    );
    let (_, _, messages) = outcome("replication.json", file.as_bytes(), Mode::Hook);
    assert!(messages.contains("did you mean `destinations`?"), "{messages}");

    let request = format!(r#"{{"replicationConfiguration": {{"rule": [{{"destinations": [{DESTINATION}]}}]}}}}"#);
    check("request.json", request.as_bytes(), Lint(&["ECR102"]), Lint(&["ECR102"]));

    // A misspelt `rules` in a bare file, transposed or in the wrong case.
    for key in ["ruels", "Rulse", "rule"] {
        let bare = format!(r#"{{"{key}": [{{"destinations": [{DESTINATION}]}}]}}"#);
        check("bare.json", bare.as_bytes(), Lint(&["ECR102"]), Lint(&["ECR102"]));
        let (_, _, messages) = outcome("bare.json", bare.as_bytes(), Mode::Named);
        assert!(messages.contains("did you mean `rules`?"), "{key}: {messages}");
    }
}

#[test]
fn values_of_the_wrong_type_are_reported_never_skipped() {
    let cases = [
        format!(r#"{{"rules": {{"destinations": [{DESTINATION}]}}}}"#),
        format!(r#"{{"rules": ["stray", {{"destinations": [{DESTINATION}]}}]}}"#),
        r#"{"replicationConfiguration": "rules go here"}"#.to_string(),
    ];
    for file in cases {
        check(
            "replication.json",
            file.as_bytes(),
            Lint(&["ECR103"]),
            Lint(&["ECR103"]),
        );
    }
}

#[test]
fn a_template_with_another_resource_misspelt_is_still_a_template() {
    let template = "Resources:\n  Topic:\n    Tpye: AWS::SNS::Topic\n  Replication:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: us-west-2\n                RegistryId: \"210987654321\"\n            RepositoryFilters:\n              - Filter: prod/*\n                FilterType: PREFIX_MATCH\n";
    check("stack.yaml", template.as_bytes(), Lint(&["ECR205"]), Lint(&["ECR205"]));
}

#[test]
fn utf16_and_utf32_files_are_reported_as_such() {
    let text = format!(r#"{{"rules": [{{"destinations": [{DESTINATION}]}}]}}"#);
    let utf16le: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let utf16be_no_bom: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
    let utf32le: Vec<u8> = text.chars().flat_map(|c| (c as u32).to_le_bytes()).collect();
    for bytes in [&utf16le, &utf16be_no_bom, &utf32le] {
        check("replication.json", bytes, Lint(&["ECR001"]), Lint(&["ECR001"]));
    }
    let (_, _, messages) = outcome("replication.json", &utf16le, Mode::Named);
    assert!(
        messages.contains("UTF-16 (little-endian); save it as UTF-8"),
        "{messages}"
    );
    // An unrelated UTF-16 file is passed over like any unrelated file.
    let unrelated: Vec<u8> = [0xff, 0xfe]
        .into_iter()
        .chain(r#"{"name": "app"}"#.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    check("package.json", &unrelated, Lint(&["ECR001"]), Skip);
}

#[test]
fn a_syntax_error_past_the_first_mebibyte_is_still_found() {
    let mut template = String::from("AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n");
    let mut i = 0;
    while template.len() < 1_200_000 {
        template.push_str(&format!(
            "  Topic{i}:\n    Type: AWS::SNS::Topic\n    Properties:\n      TopicName: topic-{i}\n"
        ));
        i += 1;
    }
    template.push_str("  Replication:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations: [\n");
    check("big.yaml", template.as_bytes(), Lint(&["ECR001"]), Lint(&["ECR001"]));
}

#[test]
fn broken_files_are_reported_when_their_words_are_ours() {
    let broken = format!(r#"{{"rules": [{{"destinations": [{DESTINATION}],}}]}}"#);
    check(
        "replication.json",
        broken.as_bytes(),
        Lint(&["ECR001"]),
        Lint(&["ECR001"]),
    );
    // Upper case and YAML spellings count the same.
    let yaml = "REPLICATIONCONFIGURATION:\n  rules: [\n";
    check(
        "replication.yaml",
        yaml.as_bytes(),
        Lint(&["ECR001"]),
        Lint(&["ECR001"]),
    );
    // A broken neighbour is not ours.
    let scanning = r#"{"scanType": "ENHANCED", "rules": [{"scanFrequency": "SCAN_ON_PUSH", "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}],}]}"#;
    check("scanning.json", scanning.as_bytes(), Lint(&["ECR001"]), Skip);
    // Nor is a broken file that merely says `rules`.
    check(
        "lint.json",
        br#"{"rules": {"no-console": "off",}}"#,
        Lint(&["ECR001"]),
        Skip,
    );
}

#[test]
fn neighbours_are_passed_over_and_named_when_given() {
    let neighbours: &[(&str, &str, &str)] = &[
        (
            "scanning.json",
            r#"{"scanType": "ENHANCED", "rules": [{"scanFrequency": "CONTINUOUS_SCAN", "repositoryFilters": [{"filter": "*", "filterType": "WILDCARD"}]}]}"#,
            "ECR registry scanning configuration",
        ),
        (
            "lifecycle.json",
            r#"{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countUnit": "days", "countNumber": 14}, "action": {"type": "expire"}}]}"#,
            "ECR lifecycle policy",
        ),
        (
            "repository-policy.json",
            r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Pull", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]}]}"#,
            "IAM policy document that is not a registry policy",
        ),
        (
            "identity-policy.json",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecr:BatchGetImage"], "Resource": "arn:aws:ecr:us-west-2:109876543210:repository/app"}]}"#,
            "IAM policy document that is not a registry policy",
        ),
        (
            "ci-role-policy.json",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecr:CreateRepository", "ecr:PutImage", "ecr:ReplicateImage"], "Resource": "*"}]}"#,
            "IAM policy document that is not a registry policy",
        ),
        (
            "get-repository-policy.json",
            r#"{"registryId": "109876543210", "repositoryName": "app", "policyText": "{\"Version\": \"2012-10-17\", \"Statement\": []}"}"#,
            "IAM policy document that is not a registry policy",
        ),
        (
            "pull-through.json",
            r#"{"ecrRepositoryPrefix": "docker-hub", "upstreamRegistryUrl": "registry-1.docker.io", "registryId": "210987654321"}"#,
            "pull-through cache rule",
        ),
        (
            "creation-template.json",
            r#"{"prefix": "prod", "appliedFor": ["REPLICATION"], "imageTagMutability": "IMMUTABLE"}"#,
            "repository creation template",
        ),
        (
            "s3-replication.json",
            r#"{"Role": "arn:aws:iam::210987654321:role/r", "Rules": [{"Status": "Enabled", "Priority": 1, "Filter": {"Prefix": ""}, "Destination": {"Bucket": "arn:aws:s3:::backup"}}]}"#,
            "S3 bucket replication configuration",
        ),
        (
            "s3-properties.json",
            r#"{"ReplicationConfiguration": {"Role": "arn:aws:iam::210987654321:role/r", "Rules": [{"Status": "Enabled", "Destination": {"Bucket": "arn:aws:s3:::backup"}}]}}"#,
            "S3 bucket replication configuration",
        ),
        (
            "bucket.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      ReplicationConfiguration:\n        Role: arn:aws:iam::210987654321:role/r\n        Rules:\n          - Status: Enabled\n            Destination:\n              Bucket: arn:aws:s3:::backup\n",
            "CloudFormation template without an `AWS::ECR::ReplicationConfiguration` or `AWS::ECR::RegistryPolicy` resource",
        ),
    ];
    for (name, content, what) in neighbours {
        check(name, content.as_bytes(), Lint(&["ECR003"]), Skip);
        let (_, _, messages) = outcome(name, content.as_bytes(), Mode::Named);
        assert!(messages.contains(what), "{name}: {messages}");
    }
}

/// Registry permissions policies are ours: recognised by an action only
/// registry policies hold, or by a principal with a repository ARN resource,
/// in every shape, and linted even when broken. Repository and identity
/// policies stay neighbours (above).
#[test]
fn registry_policies_are_recognised_positively() {
    let grant = r#"{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": ["ecr:ReplicateImage", "ecr:CreateRepository"], "Resource": "arn:aws:ecr:us-west-2:109876543210:repository/*"}"#;
    let policy = format!(r#"{{"Version": "2012-10-17", "Statement": [{grant}]}}"#);
    check("registry-policy.json", policy.as_bytes(), Lint(&[]), Lint(&[]));
    // By the resource alone: a wrong action is ECR501, never a skipped file.
    let by_resource = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "210987654321"}, "Action": "ecr:BatchGetImages", "Resource": "arn:aws:ecr:us-west-2:109876543210:repository/*"}]}"#;
    check(
        "policy.json",
        by_resource.as_bytes(),
        Lint(&["ECR501"]),
        Lint(&["ECR501"]),
    );
    // A misspelt registry action, with no resource, is still a registry policy.
    let misspelt = r#"{"Statement": [{"Effect": "Allow", "Principal": {"AWS": "210987654321"}, "Action": "ecr:ReplicateImages"}]}"#;
    check("policy.json", misspelt.as_bytes(), Lint(&["ECR501"]), Lint(&["ECR501"]));
    // A malformed ARN with a registry action is still a registry policy.
    let bad_arn = policy.replace("arn:aws:ecr:us-west-2", "arn:aws:us-west-2");
    check("policy.json", bad_arn.as_bytes(), Lint(&["ECR502"]), Lint(&["ECR502"]));
    let response = serde_json::json!({"registryId": "109876543210", "policyText": policy}).to_string();
    check("get-registry-policy.json", response.as_bytes(), Lint(&[]), Lint(&[]));
    let template = format!(
        r#"{{"Resources": {{"Policy": {{"Type": "AWS::ECR::RegistryPolicy", "Properties": {{"PolicyText": {policy}}}}}}}}}"#
    );
    check("stack.json", template.as_bytes(), Lint(&[]), Lint(&[]));
    // A registry policy that does not parse names replication's action.
    let broken = format!("{},", &policy[..policy.len() - 1]);
    check(
        "registry-policy.json",
        broken.as_bytes(),
        Lint(&["ECR001"]),
        Lint(&["ECR001"]),
    );
}

#[test]
fn files_that_only_share_a_word_are_passed_over() {
    // ESLint-style and Semgrep-style `rules`, and a `destinations` list of another tool.
    check(
        "eslintrc.json",
        br#"{"rules": {"no-console": "off"}}"#,
        Lint(&["ECR103"]),
        Skip,
    );
    check("semgrep.yaml", b"rules:\n  - id: no-eval\n    pattern: eval(...)\n    message: no eval\n    languages: [python]\n    severity: ERROR\n", Lint(&["ECR101", "ECR102"]), Skip);
    check(
        "notify.json",
        br#"{"destinations": [{"url": "https://example.com/hook"}]}"#,
        Lint(&["ECR003"]),
        Skip,
    );
}

#[test]
fn formats_ecrlint_does_not_read_are_named_not_parsed() {
    for name in [
        "replication.ts",
        "replication.py",
        "replication.go",
        "README.md",
        "terraform.tfvars",
    ] {
        let content = format!(r#"const replication = {{"rules": [{{"destinations": [{DESTINATION}]}}]}};"#);
        check(name, content.as_bytes(), Lint(&["ECR003"]), Skip);
        let (_, _, messages) = outcome(name, content.as_bytes(), Mode::Named);
        assert!(messages.contains("not a format ecrlint reads"), "{name}: {messages}");
        assert!(!messages.contains("ECR001"), "{name}: never a syntax error");
    }
}

#[test]
fn stdin_named_as_code_is_not_read() {
    let out = common::ecrlint()
        .args([
            "check",
            "--isolated",
            "--format",
            "json",
            "-",
            "--stdin-filename",
            "app.ts",
        ])
        .write_stdin("export const x = 1;")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"][0]["diagnostics"][0]["code"], "ECR003");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_data_table_names_every_neighbour_with_a_telltale() {
    for n in ecrlint::document::recognise::NEIGHBOURS {
        assert!(!n.telltales.is_empty(), "{}", n.name);
        assert!(n.name.starts_with("a ") || n.name.starts_with("an "), "{}", n.name);
        assert!(!n.source.is_empty(), "{}", n.name);
    }
}
