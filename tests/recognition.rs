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

#[derive(Clone, Copy, Debug)]
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

/// A lone key that is a slip of `rules` is read as named files read it:
/// the slip reported, in hook mode too (found by the fuzz target).
#[test]
fn a_lone_slip_of_rules_is_reported_never_skipped() {
    for file in [r#"{"r.ules": "us-west-2"}"#, r#"{"rulez": null}"#, r#"{"Rules": 7}"#] {
        check(
            "replication.json",
            file.as_bytes(),
            Lint(&["ECR102"]),
            Lint(&["ECR102"]),
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
    // A Terraform file that does not parse, naming a slip of the resource type.
    let hcl = "resource \"aws_ecr_replication_configuraton\" \"x\" {\n  replication_configuration {\n";
    check("main.tf", hcl.as_bytes(), Lint(&["ECR001"]), Lint(&["ECR001"]));
    // Terraform's JSON syntax that does not parse, its type past a few slips
    // but still of the resource's family (found by the fuzz target's hook mode).
    let tf_json =
        r#"{"resource": {"aws_ecr_replication_cestinations": [{"region": "us-west-: {"region": "US-WEST-2"}}}}"#;
    check("main.tf.json", tf_json.as_bytes(), Lint(&["ECR001"]), Lint(&["ECR001"]));
    check("main.tf", tf_json.as_bytes(), Lint(&["ECR001"]), Lint(&["ECR001"]));
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
            "IAM policy document with no mark of a registry policy",
        ),
        (
            "identity-policy.json",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecr:BatchGetImage"], "Resource": "arn:aws:ecr:us-west-2:109876543210:repository/app"}]}"#,
            "IAM policy document with no mark of a registry policy",
        ),
        (
            "ci-role-policy.json",
            r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["ecr:CreateRepository", "ecr:PutImage", "ecr:ReplicateImage"], "Resource": "*"}]}"#,
            "IAM policy document with no mark of a registry policy",
        ),
        (
            "get-repository-policy.json",
            r#"{"registryId": "109876543210", "repositoryName": "app", "policyText": "{\"Version\": \"2012-10-17\", \"Statement\": []}"}"#,
            "IAM policy document with no mark of a registry policy",
        ),
        (
            "pull-through.json",
            r#"{"ecrRepositoryPrefix": "docker-hub", "upstreamRegistryUrl": "registry-1.docker.io", "registryId": "210987654321"}"#,
            "pull-through cache rule",
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

/// Repository creation templates are ours in their API shapes, recognised
/// by their own keys or near spellings of them, and linted when broken; a
/// `create-repository` input (no `prefix`) stays passed over.
#[test]
fn creation_templates_are_recognised_positively() {
    let template = r#"{"prefix": "prod", "appliedFor": ["REPLICATION"], "imageTagMutability": "IMMUTABLE"}"#;
    check("creation-template.json", template.as_bytes(), Lint(&[]), Lint(&[]));
    // A slip of `appliedFor` is still a template: reported, never skipped.
    let slip = r#"{"prefix": "prod", "appliedfor": ["REPLICATION"]}"#;
    check("template.json", slip.as_bytes(), Lint(&["ECR102"]), Lint(&["ECR102"]));
    let describe = r#"{"registryId": "109876543210", "repositoryCreationTemplates": [{"prefix": "ROOT", "appliedFor": ["CREATE_ON_PUSH"], "imageTagMutability": "MUTABLE_WITH_EXCLUSION", "imageTagMutabilityExclusionFilters": [{"filterType": "WILDCARD", "filter": "latest"}]}]}"#;
    check("templates.json", describe.as_bytes(), Lint(&[]), Lint(&[]));
    let misspelt_list = r#"{"repositoryCreationTemplate": [{"prefix": "prod", "appliedFor": ["REPLICATION"]}]}"#;
    check(
        "templates.json",
        misspelt_list.as_bytes(),
        Lint(&["ECR103"]),
        Lint(&["ECR103"]),
    );
    // Beside a neighbour's resource, a template resource makes the file ours.
    let stack = "Resources:\n  Scanning:\n    Type: AWS::ECR::RegistryScanningConfiguration\n    Properties:\n      ScanType: ENHANCED\n  Template:\n    Type: AWS::ECR::RepositoryCreationTemplate\n    Properties:\n      Prefix: prod\n      AppliedFor: [REPLICATION]\n";
    check("ecr.yaml", stack.as_bytes(), Lint(&[]), Lint(&[]));
    let repository = r#"{"repositoryName": "prod/api", "imageTagMutability": "IMMUTABLE", "encryptionConfiguration": {"encryptionType": "KMS"}}"#;
    check("create-repository.json", repository.as_bytes(), Lint(&["ECR003"]), Skip);
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

/// A language server, driven over its standard input and output as an
/// editor drives it: each document opened and its published diagnostics read.
struct Server {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::io::BufReader<std::process::ChildStdout>,
    next_id: i64,
}

impl Server {
    fn start() -> Server {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_ecrlint"))
            .arg("server")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut server = Server {
            child,
            stdin,
            stdout,
            next_id: 0,
        };
        server.request(
            "initialize",
            serde_json::json!({"processId": null, "rootUri": null,
                "capabilities": {"general": {"positionEncodings": ["utf-8"]}}}),
        );
        server.send(serde_json::json!({"method": "initialized", "params": {}}));
        server
    }

    fn send(&mut self, mut message: serde_json::Value) {
        use std::io::Write;
        message["jsonrpc"] = serde_json::json!("2.0");
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn read(&mut self) -> serde_json::Value {
        use std::io::{BufRead, Read};
        let mut length = None;
        loop {
            let mut line = String::new();
            assert!(self.stdout.read_line(&mut line).unwrap() > 0, "the server ended");
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(v) = line.strip_prefix("Content-Length: ") {
                length = v.parse().ok();
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }

    fn request(&mut self, method: &str, params: serde_json::Value) -> serde_json::Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(serde_json::json!({"id": id, "method": method, "params": params}));
        loop {
            let m = self.read();
            if m.get("method").is_none() && m["id"] == id {
                return m;
            }
        }
    }

    /// The codes published for a document opened with this name and text
    /// (sorted, deduplicated): none for a file that is not ours.
    fn codes(&mut self, dir: &std::path::Path, name: &str, text: &str) -> Vec<String> {
        let uri = format!("file://{}", dir.join(name).display());
        let language = match name.rsplit('.').next() {
            Some("tf") => "terraform",
            Some("yaml") => "yaml",
            _ => "json",
        };
        self.send(
            serde_json::json!({"method": "textDocument/didOpen", "params": {"textDocument":
            {"uri": uri, "languageId": language, "version": 1, "text": text}}}),
        );
        loop {
            let m = self.read();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str() {
                let mut codes: Vec<String> = m["params"]["diagnostics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|d| d["code"].as_str().unwrap().to_string())
                    .collect();
                codes.sort();
                codes.dedup();
                return codes;
            }
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The shapes of the table (in the order of the fuzz target's `SHAPE_NAMES`).
#[derive(Clone, Copy, Debug)]
enum Shape {
    Api,
    CloudFormationJson,
    CloudFormationYaml,
    TerraformHcl,
    TerraformJson,
    RegistryPolicy,
    Pulumi,
    Terragrunt,
}

impl Shape {
    fn file_name(self) -> &'static str {
        match self {
            Shape::Api => "replication.json",
            Shape::CloudFormationJson => "stack.json",
            Shape::CloudFormationYaml => "stack.yaml",
            Shape::TerraformHcl => "main.tf",
            Shape::TerraformJson => "main.tf.json",
            Shape::RegistryPolicy => "registry-policy.json",
            Shape::Pulumi => "Pulumi.yaml",
            Shape::Terragrunt => "terragrunt.hcl",
        }
    }
}

/// One broken file of the table: its shape, the structural mistake, the
/// text, and the codes every mode reports (the mistake's, and those of the
/// value mistakes inside, which prove the body is read).
struct Case {
    shape: Shape,
    mistake: &'static str,
    text: String,
    codes: &'static [&'static str],
}

/// A template resource with `key: value` for its type, in JSON or YAML, and
/// a destination whose Region and account are both wrong (ECR202, ECR204).
fn template(yaml: bool, key: &str, value: &str) -> String {
    if yaml {
        format!("Resources:\n  Replication:\n    {key}: {value}\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: US-WEST-2\n                RegistryId: \"21098765432\"\n")
    } else {
        format!(
            r#"{{"Resources": {{"Replication": {{"{key}": "{value}", "Properties": {{"ReplicationConfiguration": {{"Rules": [{{"Destinations": [{{"Region": "US-WEST-2", "RegistryId": "21098765432"}}]}}]}}}}}}}}}}"#
        )
    }
}

/// An `aws_ecr_replication_configuration` of type `ty`, in HCL or
/// Terraform's JSON syntax, with a wrong Region and account.
fn terraform(json: bool, ty: &str) -> String {
    if json {
        format!(
            r#"{{"resource": {{"{ty}": {{"x": {{"replication_configuration": [{{"rule": [{{"destination": [{{"region": "US-WEST-2", "registry_id": "21098765432"}}]}}]}}]}}}}}}}}"#
        )
    } else {
        format!("resource \"{ty}\" \"x\" {{\n  replication_configuration {{\n    rule {{\n      destination {{\n        region      = \"US-WEST-2\"\n        registry_id = \"21098765432\"\n      }}\n    }}\n  }}\n}}\n")
    }
}

/// A rule body in Terraform, in HCL or JSON syntax.
fn terraform_rule(json: bool, rule_hcl: &str, rule_json: &str) -> String {
    if json {
        format!(
            r#"{{"resource": {{"aws_ecr_replication_configuration": {{"x": {{"replication_configuration": {{"rule": {rule_json}}}}}}}}}}}"#
        )
    } else {
        format!("resource \"aws_ecr_replication_configuration\" \"x\" {{\n  replication_configuration {{\n    rule {{\n{rule_hcl}    }}\n  }}\n}}\n")
    }
}

/// A terraform-aws-modules/ecr block whose rules input is `input`.
fn module(json: bool, input: &str) -> String {
    if json {
        format!(
            r#"{{"module": {{"ecr": {{"source": "terraform-aws-modules/ecr/aws", "create_registry_replication_configuration": true, "{input}": [{{"destinations": [{{"region": "US-WEST-2", "registry_id": "21098765432"}}]}}]}}}}}}"#
        )
    } else {
        format!("module \"ecr\" {{\n  source                                    = \"terraform-aws-modules/ecr/aws\"\n  create_registry_replication_configuration = true\n  {input} = [{{\n    destinations = [{{ region = \"US-WEST-2\", registry_id = \"21098765432\" }}]\n  }}]\n}}\n")
    }
}

/// A Pulumi YAML program with a resource of type `ty` whose properties hold
/// `configuration_key` (a slip of `replicationConfiguration`, perhaps), with
/// a wrong Region and account.
fn pulumi(ty: &str, configuration_key: &str) -> String {
    format!(
        "name: app\nruntime: yaml\nresources:\n  bucket:\n    type: aws:s3:BucketV2\n{}",
        pulumi_resource("type", ty, "properties", configuration_key)
    )
}

/// The resource of [`pulumi`] alone, its `type` and `properties` keys
/// written `type_key` and `properties_key`.
fn pulumi_resource(type_key: &str, ty: &str, properties_key: &str, configuration_key: &str) -> String {
    format!("  replication:\n    {type_key}: {ty}\n    {properties_key}:\n      {configuration_key}:\n        rules:\n          - destinations:\n              - region: US-WEST-2\n                registryId: \"21098765432\"\n")
}

/// A `terragrunt.hcl` for the module at `source` whose rules input is
/// `input`, with a wrong Region and account.
fn terragrunt(source: &str, input: &str) -> String {
    format!("terraform {{\n  source = \"{source}\"\n}}\n\ninputs = {{\n  create_registry_replication_configuration = true\n  {input} = [{{\n    destinations = [{{ region = \"US-WEST-2\", registry_id = \"21098765432\" }}]\n  }}]\n}}\n")
}

/// A registry policy granting replication, with `element` renamed to `slip`.
fn policy(element: &str, slip: &str, action: &str) -> String {
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "Replicate", "Effect": "Allow", "Principal": {{"AWS": "arn:aws:iam::210987654321:root"}}, "Action": ["{action}"], "Resource": "arn:aws:ecr:us-west-2:109876543210:repository/*"}}]}}"#
    );
    policy.replacen(&format!("\"{element}\""), &format!("\"{slip}\""), 1)
}

fn table() -> Vec<Case> {
    use Shape::*;
    let case = |shape, mistake, text: String, codes| Case {
        shape,
        mistake,
        text,
        codes,
    };
    let mut cases = vec![
        case(
            Api,
            "misspelt key",
            format!(r#"{{"rules": [{{"destinatons": [{DESTINATION}]}}]}}"#),
            &["ECR102"],
        ),
        case(
            Api,
            "misspelt top-level key",
            r#"{"ruels": [{"destinations": [{"region": "US-WEST-2", "registryId": "21098765432"}]}]}"#.into(),
            &["ECR102", "ECR202", "ECR204"],
        ),
        case(
            Api,
            "missing key",
            r#"{"rules": [{"destinations": [{"region": "US-WEST-2"}]}]}"#.into(),
            &["ECR101", "ECR202"],
        ),
        case(
            Api,
            "misspelt request key",
            r#"{"replicatonConfiguration": {"rules": [{"destinations": [{"region": "US-WEST-2", "registryId": "21098765432"}]}]}}"#.into(),
            &["ECR102", "ECR202", "ECR204"],
        ),
        case(Api, "rules a string", r#"{"rules": "us-west-2"}"#.into(), &["ECR103"]),
        case(Api, "rules null", r#"{"rules": null}"#.into(), &["ECR103"]),
        case(Api, "rules a number", r#"{"rules": 3}"#.into(), &["ECR103"]),
        case(
            RegistryPolicy,
            "misspelt key",
            policy("Principal", "Principle", "ecr:ReplicateImage"),
            &["ECR102"],
        ),
        case(
            RegistryPolicy,
            "misspelt Statement",
            policy("Statement", "Statment", "ecr:ReplicateImage"),
            &["ECR102"],
        ),
        case(
            RegistryPolicy,
            "misspelt Effect",
            policy("Effect", "Efect", "ecr:ReplicateImage"),
            &["ECR102"],
        ),
        case(
            RegistryPolicy,
            "misspelt Resource",
            policy("Resource", "Resouce", "ecr:ReplicateImage"),
            &["ECR102"],
        ),
        case(
            RegistryPolicy,
            "misspelt Statement, a wrong action inside",
            policy("Statement", "Statment", "ecr:BatchGetImages"),
            &["ECR102", "ECR501"],
        ),
        // Named by its repository ARN alone, with an action that is not ECR's.
        case(
            RegistryPolicy,
            "misspelt Principal, ARN only",
            policy("Principal", "Principle", "ecr:BatchGetImages"),
            &["ECR102", "ECR501"],
        ),
        case(
            TerraformHcl,
            "misspelt key",
            terraform_rule(
                false,
                "      destinaton {\n        region      = \"US-WEST-2\"\n        registry_id = \"210987654321\"\n      }\n",
                "",
            ),
            &["ECR102", "ECR202"],
        ),
        case(
            TerraformJson,
            "misspelt key",
            terraform_rule(
                true,
                "",
                r#"{"destinaton": {"region": "US-WEST-2", "registry_id": "210987654321"}}"#,
            ),
            &["ECR102", "ECR202"],
        ),
    ];
    for yaml in [false, true] {
        let shape = if yaml { CloudFormationYaml } else { CloudFormationJson };
        let replication = "AWS::ECR::ReplicationConfiguration";
        for (mistake, key, value) in [
            ("Type key misspelt", "Tpye", replication),
            ("Type key in lower case", "type", replication),
            ("Type key plural", "Types", replication),
            ("type cut short", "Type", "AWS::ECR::ReplicationConfig"),
            ("type misspelt", "Type", "AWS::ECR::ReplicatonConfiguration"),
            ("type in lower case", "Type", "aws::ecr::replicationconfiguration"),
            ("another ECR type", "Type", "AWS::ECR::Repository"),
        ] {
            cases.push(case(
                shape,
                mistake,
                template(yaml, key, value),
                &["ECR102", "ECR202", "ECR204"],
            ));
        }
        cases.push(case(
            shape,
            "no Type at all",
            template(yaml, "Condition", "IsPrimary"),
            &["ECR101", "ECR202", "ECR204"],
        ));
        cases.push(case(
            shape,
            "misspelt key",
            template(yaml, "Type", replication).replace("Destinations", "Destinatons"),
            &["ECR102", "ECR202", "ECR204"],
        ));
        cases.push(case(
            shape,
            "missing key",
            template(yaml, "Type", replication)
                .replace(", \"RegistryId\": \"21098765432\"", "")
                .replace("\n                RegistryId: \"21098765432\"", ""),
            &["ECR101", "ECR202"],
        ));
        cases.push(case(
            shape,
            "registry policy type misspelt",
            if yaml {
                format!(
                    "Resources:\n  Policy:\n    Type: AWS::ECR::RegistryPolicies\n    Properties:\n      PolicyText: {}\n",
                    policy("Action", "Action", "ecr:BatchGetImages")
                )
            } else {
                format!(
                    r#"{{"Resources": {{"Policy": {{"Type": "AWS::ECR::RegistryPolicies", "Properties": {{"PolicyText": {}}}}}}}}}"#,
                    policy("Action", "Action", "ecr:BatchGetImages")
                )
            },
            &["ECR102", "ECR501"],
        ));
    }
    for json in [false, true] {
        let shape = if json { TerraformJson } else { TerraformHcl };
        for (mistake, ty) in [
            ("type misspelt", "aws_ecr_replication_configuraton"),
            ("type in upper case", "AWS_ECR_REPLICATION_CONFIGURATION"),
        ] {
            cases.push(case(
                shape,
                mistake,
                terraform(json, ty),
                &["ECR102", "ECR202", "ECR204"],
            ));
        }
        let grant = policy("Action", "Action", "ecr:BatchGetImages");
        cases.push(case(
            shape,
            "registry policy type misspelt",
            if json {
                format!(
                    r#"{{"resource": {{"aws_ecr_registry_policyy": {{"p": {{"policy": {}}}}}}}}}"#,
                    serde_json::to_string(&grant).unwrap()
                )
            } else {
                format!("resource \"aws_ecr_registry_policyy\" \"p\" {{\n  policy = <<EOF\n{grant}\nEOF\n}}\n")
            },
            &["ECR102", "ECR501"],
        ));
        cases.push(case(
            shape,
            "registry policy argument misspelt",
            if json {
                format!(
                    r#"{{"resource": {{"aws_ecr_registry_policy": {{"p": {{"polcy": {}}}}}}}}}"#,
                    serde_json::to_string(&grant).unwrap()
                )
            } else {
                format!("resource \"aws_ecr_registry_policy\" \"p\" {{\n  polcy = <<EOF\n{grant}\nEOF\n}}\n")
            },
            &["ECR102", "ECR501"],
        ));
        cases.push(case(
            shape,
            "account setting argument misspelt",
            if json {
                r#"{"resource": {"aws_ecr_account_setting": {"s": {"nme": "REGISTRY_POLICY_SCOPE", "value": "V3"}}}}"#
                    .to_string()
            } else {
                "resource \"aws_ecr_account_setting\" \"s\" {\n  nme   = \"REGISTRY_POLICY_SCOPE\"\n  value = \"V3\"\n}\n"
                    .to_string()
            },
            &["ECR102", "ECR521"],
        ));
        cases.push(case(
            shape,
            "module input misspelt",
            module(json, "registry_replicaton_rules"),
            &["ECR102", "ECR202", "ECR204"],
        ));
        cases.push(case(
            shape,
            "module policy input misspelt",
            if json {
                format!(
                    r#"{{"module": {{"ecr": {{"source": "terraform-aws-modules/ecr/aws", "create_registry_policy": true, "registry_polcy": {}}}}}}}"#,
                    serde_json::to_string(&grant).unwrap()
                )
            } else {
                format!("module \"ecr\" {{\n  source                 = \"terraform-aws-modules/ecr/aws\"\n  create_registry_policy = true\n  registry_polcy = <<EOF\n{grant}\nEOF\n}}\n")
            },
            &["ECR102", "ECR501"],
        ));
        let dynamic = |label: &str, content: &str, body: &str| {
            terraform_rule(
                json,
                &format!("      dynamic \"{label}\" {{\n        for_each = var.regions\n        {content} {{\n{body}        }}\n      }}\n"),
                &format!(
                    r#"{{"dynamic": {{"{label}": {{"for_each": "${{var.regions}}", "{content}": {{{}}}}}}}}}"#,
                    body.trim()
                        .lines()
                        .map(|l| {
                            let (k, v) = l.split_once('=').unwrap();
                            format!("\"{}\": {}", k.trim(), v.trim())
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        };
        let full = "          region      = \"US-WEST-2\"\n          registry_id = \"210987654321\"\n";
        let partial = "          region = \"US-WEST-2\"\n";
        cases.push(case(
            shape,
            "dynamic label misspelt",
            dynamic("destinaton", "content", full),
            &["ECR102", "ECR202"],
        ));
        cases.push(case(
            shape,
            "dynamic content misspelt",
            dynamic("destination", "contnet", full),
            &["ECR102", "ECR202"],
        ));
        cases.push(case(
            shape,
            "dynamic content missing a key",
            dynamic("destination", "content", partial),
            &["ECR101", "ECR202"],
        ));
        cases.push(case(
            shape,
            "dynamic for_each a literal string",
            dynamic("destination", "content", full)
                .replace("for_each = var.regions", "for_each = \"us-west-2\"")
                .replace("\"${var.regions}\"", "\"us-west-2\""),
            &["ECR103", "ECR202"],
        ));
        cases.push(case(
            shape,
            "dynamic block of another block only",
            dynamic(
                "repository_filter",
                "content",
                "          filter      = \"prod\"\n          filter_type = \"PREFIX_MATCH\"\n",
            ),
            &["ECR101"],
        ));
    }
    let grant = policy("Action", "Action", "ecr:BatchGetImages");
    let module_source = "terraform {\n  source = \"tfr:///terraform-aws-modules/ecr/aws?version=2.3.0\"\n}\n";
    let included = "include \"root\" {\n  path = find_in_parent_folders()\n}\n";
    for (mistake, text, codes) in [
        (
            "registry policy input",
            format!("{module_source}inputs = {{\n  create_registry_policy = true\n  registry_policy = <<EOF\n{grant}\nEOF\n}}\n"),
            &["ECR501"][..],
        ),
        (
            "registry policy input misspelt",
            format!("{module_source}inputs = {{\n  create_registry_policy = true\n  registry_polcy = <<EOF\n{grant}\nEOF\n}}\n"),
            &["ECR102", "ECR501"][..],
        ),
        (
            "source from an include, rules input misspelt",
            terragrunt("", "registry_replicaton_rules").replace("terraform {\n  source = \"\"\n}\n", included),
            &["ECR102", "ECR202", "ECR204"][..],
        ),
        (
            "source from an include, policy input misspelt",
            format!("{included}inputs = {{\n  create_registry_policy = true\n  registry_polcy = <<EOF\n{grant}\nEOF\n}}\n"),
            &["ECR102", "ECR501"][..],
        ),
    ] {
        cases.push(Case {
            shape: Terragrunt,
            mistake,
            text,
            codes,
        });
    }
    let replication = "aws:ecr:ReplicationConfiguration";
    for (mistake, text) in [
        (
            "type cut short",
            pulumi("aws:ecr:ReplicationConfig", "replicationConfiguration"),
        ),
        (
            "type misspelt",
            pulumi("aws:ecr:ReplicatoinConfiguration", "replicationConfiguration"),
        ),
        (
            "type of another ECR resource",
            pulumi("aws:ecr:Repository", "replicationConfiguration"),
        ),
        ("misspelt property", pulumi(replication, "replicationConfiguraton")),
        (
            "property in the wrong case",
            pulumi(replication, "ReplicationConfiguration"),
        ),
    ] {
        cases.push(case(Pulumi, mistake, text, &["ECR102", "ECR202", "ECR204"]));
    }
    // A resource's own keys misspelt: alone in a program (no project keys,
    // no other resource to say it is Pulumi's), and in a project's program.
    let project = "name: app\nruntime: yaml\nresources:\n";
    for (mistake, text) in [
        (
            "type key misspelt, the only resource",
            format!(
                "resources:\n{}",
                pulumi_resource("tyep", replication, "properties", "replicationConfiguration")
            ),
        ),
        (
            "type key misspelt",
            format!(
                "{project}{}",
                pulumi_resource("tyep", replication, "properties", "replicationConfiguration")
            ),
        ),
        (
            "CloudFormation's Type and Properties",
            format!(
                "{project}{}",
                pulumi_resource("Type", replication, "Properties", "replicationConfiguration")
            ),
        ),
        (
            "properties key misspelt",
            format!(
                "{project}{}",
                pulumi_resource("type", replication, "propertis", "replicationConfiguration")
            ),
        ),
        (
            "type key and type misspelt",
            format!(
                "{project}{}",
                pulumi_resource(
                    "tyep",
                    "aws:ecr:ReplicationConfig",
                    "properties",
                    "replicationConfiguration"
                )
            ),
        ),
    ] {
        cases.push(case(Pulumi, mistake, text, &["ECR102", "ECR202", "ECR204"]));
    }
    cases
}

/// Every structural mistake in every shape, in every mode: named on the
/// command line, in hook mode, found in a directory, and open in the
/// language server. Each is linted, with the mistake and the values inside.
#[test]
fn every_structural_mistake_in_every_shape_is_linted_in_every_mode() {
    let dir = tempfile::tempdir().unwrap();
    let cases = table();
    assert!(cases.len() >= 50, "{} cases", cases.len());
    for (i, case) in cases.iter().enumerate() {
        let name = case.shape.file_name();
        let what = format!("{:?}, {} ({name})", case.shape, case.mistake);
        for mode in [Mode::Named, Mode::Hook, Mode::Directory] {
            let (codes, exit, messages) = outcome(name, case.text.as_bytes(), mode);
            let codes = codes.unwrap_or_else(|| panic!("{what} was passed over ({mode:?})"));
            assert_eq!(codes, case.codes, "{what} ({mode:?}): {messages}");
            assert_eq!(exit, 1, "{what} ({mode:?})");
        }
        // A server of its own: open documents are checked across files.
        let folder = dir.path().join(i.to_string());
        let codes = Server::start().codes(&folder, name, &case.text);
        assert_eq!(codes, case.codes, "{what} (server)");
    }
}

/// Near misses are reported as such: the name meant, and a fix to it.
#[test]
fn a_near_miss_names_what_it_stands_for() {
    for (name, text, meant) in [
        (
            "stack.yaml",
            template(true, "Tpye", "AWS::ECR::ReplicationConfiguration"),
            "did you mean `Type`?",
        ),
        (
            "stack.json",
            template(false, "Type", "AWS::ECR::ReplicationConfig"),
            "did you mean `AWS::ECR::ReplicationConfiguration`?",
        ),
        (
            "main.tf",
            terraform(false, "aws_ecr_replication_configuraton"),
            "did you mean `aws_ecr_replication_configuration`?",
        ),
        (
            "main.tf.json",
            module(true, "registry_replicaton_rules"),
            "did you mean `registry_replication_rules`?",
        ),
        (
            "registry-policy.json",
            policy("Statement", "Statment", "ecr:ReplicateImage"),
            "did you mean `Statement`?",
        ),
        (
            "Pulumi.yaml",
            pulumi("aws:ecr:ReplicationConfig", "replicationConfiguration"),
            "did you mean `aws:ecr:ReplicationConfiguration`?",
        ),
        (
            "Main.yaml",
            pulumi("aws:ecr:ReplicationConfiguration", "replicationConfiguraton"),
            "did you mean `replicationConfiguration`?",
        ),
        (
            "Main.yaml",
            format!(
                "resources:\n{}",
                pulumi_resource(
                    "tyep",
                    "aws:ecr:ReplicationConfiguration",
                    "properties",
                    "replicationConfiguration"
                )
            ),
            "did you mean `type`?",
        ),
        (
            "terragrunt.hcl",
            terragrunt(
                "tfr:///terraform-aws-modules/ecr/aws?version=2.3.0",
                "registry_replicaton_rules",
            ),
            "did you mean `registry_replication_rules`?",
        ),
    ] {
        let (_, _, messages) = outcome(name, text.as_bytes(), Mode::Hook);
        assert!(messages.contains(meant), "{name}: {messages}");
        assert!(messages.contains("\"applicability\":\"unsafe\""), "{name}: {messages}");
    }
}

/// Files that describe or resemble ours are passed over in hook mode, in a
/// directory and in the server, and named in ECR003 when given.
#[test]
fn neighbours_are_recognised_positively_in_every_mode() {
    let neighbours: &[(&str, &str)] = &[
        (
            "openapi.json",
            r#"{"openapi": "3.0.3", "info": {"title": "x", "version": "1"}, "paths": {}, "components": {"schemas": {"Configuration": {"type": "object", "required": ["rules"], "properties": {"rules": {"type": "array", "items": {"type": "object", "properties": {"destinations": {"type": "array"}, "repositoryFilters": {"type": "array"}}}}}}}}}"#,
        ),
        (
            "openapi.yaml",
            "openapi: 3.0.3\ncomponents:\n  schemas:\n    Rule:\n      type: object\n      properties:\n        destinations:\n          type: array\n        rules:\n          type: array\n",
        ),
        (
            "config.schema.json",
            r#"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {"rules": {"type": "array", "items": {"type": "object", "properties": {"destinations": {"type": "array"}}}}}}"#,
        ),
        (
            "bucket.yaml",
            "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    Properties:\n      ReplicationConfiguration:\n        Role: arn:aws:iam::210987654321:role/r\n        Rules:\n          - Status: Enabled\n            Destination:\n              Bucket: arn:aws:s3:::backup\n",
        ),
        (
            "ecr-neighbours.yaml",
            "Resources:\n  Scanning:\n    Type: AWS::ECR::RegistryScanningConfiguration\n    Properties:\n      ScanType: ENHANCED\n      Rules:\n        - ScanFrequency: CONTINUOUS_SCAN\n          RepositoryFilters:\n            - Filter: prod\n              FilterType: WILDCARD\n",
        ),
        (
            "Pulumi.yaml",
            "name: site\nruntime: yaml\nresources:\n  bucket:\n    type: aws:s3:BucketV2\n    properties:\n      replicationConfiguration:\n        role: ${role.arn}\n        rules:\n          - status: Enabled\n            destination:\n              bucket: ${backup.arn}\n",
        ),
        (
            "terragrunt.hcl",
            "terraform {\n  source = \"tfr:///terraform-aws-modules/vpc/aws?version=5.0.0\"\n}\n\ninputs = {\n  name = \"main\"\n  cidr = \"10.0.0.0/16\"\n}\n",
        ),
        (
            "Pulumi.prod.yaml",
            "config:\n  aws:region: us-east-1\n  app:destinationRegion: us-west-2\n",
        ),
        (
            "Main.yaml",
            "resources:\n  scanning:\n    type: aws:ecr:RegistryScanningConfiguration\n    properties:\n      scanType: ENHANCED\n      rules:\n        - scanFrequency: CONTINUOUS_SCAN\n          repositoryFilters:\n            - filter: prod\n              filterType: WILDCARD\n",
        ),
        (
            "s3.tf",
            "resource \"aws_s3_bucket_replication_configuration\" \"x\" {\n  role   = \"r\"\n  bucket = \"b\"\n  rule {\n    status = \"Enabled\"\n    destination {\n      bucket = \"arn:aws:s3:::backup\"\n    }\n  }\n}\n",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut server = Server::start();
    for (name, text) in neighbours {
        check(name, text.as_bytes(), Lint(&["ECR003"]), Skip);
        assert_eq!(server.codes(dir.path(), name, text), Vec::<String>::new(), "{name}");
    }
}

/// The cases the project's before-stop check runs, as the hooks run them.
#[test]
fn the_before_stop_cases_fail_the_hook() {
    let bare = format!(r#"{{"rules": [{{"destinatons": [{DESTINATION}]}}]}}"#);
    let (codes, exit, _) = outcome("replication.json", bare.as_bytes(), Mode::Hook);
    assert_eq!((codes, exit), (Some(vec!["ECR102".to_string()]), 1));
    let template = "Resources:\n  Replication:\n    Tpye: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: US-WEST-2\n                RegistryId: \"21098765432\"\n";
    let (codes, exit, _) = outcome("stack.yaml", template.as_bytes(), Mode::Hook);
    assert_eq!(exit, 1);
    assert_eq!(codes.unwrap(), ["ECR102", "ECR202", "ECR204"]);
}

/// Writes every case of the table as a seed of the fuzz target's
/// recognition mode (`fuzz/seed` runs it): `\x07`, the shape's index (its
/// file name, in the target's order), the text.
#[test]
#[ignore = "writes the fuzz seed; fuzz/seed runs it"]
fn write_the_table_as_fuzz_seed() {
    let Some(out) = std::env::var_os("ECRLINT_FUZZ_SEED") else {
        return;
    };
    for (i, case) in table().iter().enumerate() {
        let mut bytes = vec![7, case.shape as u8];
        bytes.extend_from_slice(case.text.as_bytes());
        std::fs::write(std::path::Path::new(&out).join(format!("recognition-{i}")), bytes).unwrap();
    }
}

/// A Pulumi repository checks clean as a whole: its project file, a
/// stack's settings and a program of other resources are neighbours passed
/// over, and its valid ECR program is linted with no finding.
#[test]
fn a_pulumi_repository_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "Pulumi.yaml",
            "name: registry\nruntime: yaml\nconfig:\n  destinationRegion:\n    type: string\n    default: us-west-2\n",
        ),
        (
            "Pulumi.prod.yaml",
            "config:\n  aws:region: us-east-1\n  registry:destinationRegion: eu-west-1\n",
        ),
        (
            "site/Main.yaml",
            "resources:\n  bucket:\n    type: aws:s3:BucketV2\n    properties:\n      replicationConfiguration:\n        rules:\n          - destination:\n              bucket: ${backup.arn}\n",
        ),
        (
            "registry/Main.yaml",
            "config:\n  destinationRegion:\n    type: string\n    default: us-west-2\nresources:\n  replication:\n    type: aws:ecr:ReplicationConfiguration\n    properties:\n      replicationConfiguration:\n        rules:\n          - destinations:\n              - region: ${destinationRegion}\n                registryId: ${current.accountId}\n            repositoryFilters:\n              - filter: prod/\n                filterType: PREFIX_MATCH\nvariables:\n  current:\n    fn::invoke:\n      function: aws:getCallerIdentity\n",
        ),
    ];
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let out = common::ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--format", "json", "."])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let linted: Vec<(&str, usize)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["diagnostics"].as_array().unwrap().len()))
        .collect();
    assert_eq!(linted, [("registry/Main.yaml", 0)], "{report}");
    assert_eq!(out.status.code(), Some(0), "{report}");
}

/// A Terragrunt configuration for terraform-aws-modules/ecr is linted in
/// every mode (its source a registry address or the module's Git
/// repository), with the mistakes in its `inputs`; another `.hcl` file is
/// not read.
#[test]
fn terragrunt_inputs_of_the_module_are_linted_in_every_mode() {
    for source in [
        "tfr:///terraform-aws-modules/ecr/aws?version=2.3.0",
        "tfr://registry.terraform.io/terraform-aws-modules/ecr/aws?version=2.3.0",
        "git::https://github.com/terraform-aws-modules/terraform-aws-ecr.git?ref=v2.3.0",
    ] {
        let text = terragrunt(source, "registry_replication_rules");
        let codes = Lint(&["ECR202", "ECR204"]);
        check("terragrunt.hcl", text.as_bytes(), codes, codes);
        check("live/prod/ecr/terragrunt.hcl", text.as_bytes(), codes, codes);
    }
    let text = terragrunt("tfr:///terraform-aws-modules/ecr/aws", "registry_replication_rules");
    let (codes, _, _) = outcome("root.hcl", text.as_bytes(), Mode::Directory);
    assert_eq!(codes, None, "only terragrunt.hcl is read");
}

/// terraform-aws-modules/ecr's scanning inputs (`registry_scan_rules`,
/// `registry_scan_type`, `manage_registry_scanning_configuration`) make a
/// named neighbour: a module block with only those is passed over (ECR003
/// naming it when the file is named), and `-v` says what it is; beside the
/// replication input, the replication input is linted and the scanning
/// inputs are no unknown keys.
#[test]
fn the_known_modules_scanning_inputs_are_a_named_neighbour() {
    let scanning = "module \"ecr_registry\" {\n  source = \"terraform-aws-modules/ecr/aws\"\n\n  manage_registry_scanning_configuration = true\n  registry_scan_type                     = \"ENHANCED\"\n  registry_scan_rules = [{\n    scan_frequency = \"SCAN_ON_PUSH\"\n    filter = [{ filter = \"prod\", filter_type = \"WILDCARD\" }]\n  }]\n}\n";
    let what = "a terraform-aws-modules/ecr registry scanning configuration";
    check("main.tf", scanning.as_bytes(), Lint(&["ECR003"]), Skip);
    let (_, _, messages) = outcome("main.tf", scanning.as_bytes(), Mode::Named);
    assert!(messages.contains(what), "{messages}");
    let json = r#"{"module": {"ecr": {"source": "terraform-aws-modules/ecr/aws", "registry_scan_type": "BASIC"}}}"#;
    check("main.tf.json", json.as_bytes(), Lint(&["ECR003"]), Skip);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), scanning).unwrap();
    let out = common::ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "-v", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("skipped main.tf: {what}")), "{stderr}");

    // With the replication input too: linted for replication (a Region
    // slip), and no scanning input is ECR102.
    let both = scanning.replace(
        "  registry_scan_rules",
        "  create_registry_replication_configuration = true\n  registry_replication_rules = [{\n    destinations = [{ region = \"us-weast-2\", registry_id = \"210987654321\" }]\n  }]\n  registry_scan_rules",
    );
    check("main.tf", both.as_bytes(), Lint(&["ECR203"]), Lint(&["ECR203"]));
}

/// The language server follows a local module's source as `check` does:
/// the caller's input that reaches the module's replication resource is
/// checked; one the module uses for no resource of ours is a neighbour's.
#[test]
fn the_server_follows_a_local_modules_source() {
    let dir = tempfile::tempdir().unwrap();
    let module = "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.region\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\nvariable \"region\" {\n  type = string\n}\n";
    common::write(dir.path(), "modules/ecr/main.tf", module);
    common::write(
        dir.path(),
        "modules/bucket/main.tf",
        "resource \"aws_s3_bucket\" \"this\" {\n  bucket = var.region\n}\nvariable \"region\" {\n  type = string\n}\n",
    );
    let caller = "module \"ecr\" {\n  source = \"./modules/ecr\"\n  region = \"eu-wst-1\"\n}\n";
    common::write(dir.path(), "main.tf", caller);
    let mut server = Server::start();
    assert_eq!(server.codes(dir.path(), "main.tf", caller), ["ECR203"]);
    let (hook, exit) = common::json_report(dir.path(), &["--isolated", "--skip-unrecognised", "main.tf"]);
    assert_eq!(
        (common::codes_by_file(&hook), exit),
        (vec![("main.tf".to_string(), vec!["ECR203".to_string()])], 1)
    );
    let bucket = caller.replace("./modules/ecr", "./modules/bucket");
    assert_eq!(server.codes(dir.path(), "bucket.tf", &bucket), Vec::<String>::new());
}

/// A local module's inputs whose values are written in other files of the
/// caller's folder (`local.rules` in `locals.tf`, a default in
/// `variables.tf`, a `terraform.tfvars` entry) are checked as the module
/// uses them: the folder run reports each finding in the file where the
/// value is written; the hook on any one of the files, and the language
/// server on the caller, report the same findings.
#[test]
fn a_local_modules_inputs_set_in_other_files_are_checked_in_every_mode() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ECR203-unknown-region/invalid-local-module-values-elsewhere");
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture, dir.path());
    let codes = |args: &[&str]| {
        let (report, exit) = common::json_report(dir.path(), args);
        let found: Vec<(String, Vec<String>)> = common::codes_by_file(&report)
            .into_iter()
            .filter(|(_, codes)| !codes.is_empty())
            .collect();
        (found, exit)
    };
    let owned = |rows: &[(&str, &[&str])]| -> Vec<(String, Vec<String>)> {
        rows.iter()
            .map(|(f, c)| (f.to_string(), c.iter().map(|c| c.to_string()).collect()))
            .collect()
    };
    assert_eq!(
        codes(&["--isolated", "."]),
        (
            owned(&[
                ("locals.tf", &["ECR203"]),
                ("terraform.tfvars", &["ECR203"]),
                ("variables.tf", &["ECR204"])
            ]),
            1
        )
    );
    // The hook on the caller alone: every finding, at the inputs.
    assert_eq!(
        codes(&["--isolated", "--skip-unrecognised", "main.tf"]),
        (owned(&[("main.tf", &["ECR203", "ECR203", "ECR204"])]), 1)
    );
    // The hook on a file of values alone: the findings on its values.
    for (file, code) in [
        ("locals.tf", "ECR203"),
        ("variables.tf", "ECR204"),
        ("terraform.tfvars", "ECR203"),
    ] {
        assert_eq!(
            codes(&["--isolated", "--skip-unrecognised", file]),
            (owned(&[(file, &[code])]), 1),
            "{file}"
        );
    }
    let caller = std::fs::read_to_string(dir.path().join("main.tf")).unwrap();
    let mut server = Server::start();
    assert_eq!(server.codes(dir.path(), "main.tf", &caller), ["ECR203", "ECR204"]);
}

/// A caller written in Terraform's JSON syntax follows its local module as
/// an HCL caller does: a literal input and a `"${local.…}"` one whose
/// local is in `locals.tf`, in the hook and the language server; the fix
/// of the literal writes JSON.
#[test]
fn a_json_caller_follows_its_local_module() {
    let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ECR203-unknown-region/invalid-local-module-json-caller");
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture, dir.path());
    let (hook, exit) = common::json_report(dir.path(), &["--isolated", "--skip-unrecognised", "main.tf.json"]);
    assert_eq!(
        (common::codes_by_file(&hook), exit),
        (
            vec![(
                "main.tf.json".to_string(),
                vec!["ECR203".to_string(), "ECR203".to_string()]
            )],
            1
        )
    );
    let caller = std::fs::read_to_string(dir.path().join("main.tf.json")).unwrap();
    let mut server = Server::start();
    assert_eq!(server.codes(dir.path(), "main.tf.json", &caller), ["ECR203"]);
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ecrlint"))
        .current_dir(dir.path())
        .args(["check", "--isolated", "--fix", "--unsafe-fixes", "main.tf.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let fixed = std::fs::read_to_string(dir.path().join("main.tf.json")).unwrap();
    assert_eq!(fixed, caller.replace("\"eu-wst-1\"", "\"eu-west-1\""));
    serde_json::from_str::<serde_json::Value>(&fixed).expect("still JSON");
}

/// The hook on a replication configuration alone reads the rest of its
/// workspace for the check across files: a registry policy a local module
/// makes of its caller's inputs there counts as a direct one does (ECR506
/// when it grants another account, nothing when it grants this one), and
/// the module's own file, its variable unset, is no policy of its own.
#[test]
fn the_hook_reads_a_policy_made_by_a_local_module_in_the_workspace() {
    for (fixture, expected, exit) in [
        ("invalid-local-module-policy", vec!["ECR506".to_string()], 1),
        ("valid-granted-local-module", vec![], 0),
    ] {
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/ECR506-missing-replication-grant")
            .join(fixture);
        let dir = tempfile::tempdir().unwrap();
        common::copy_tree(&from, dir.path());
        // One configuration at the top: the workspace is both folders.
        std::fs::rename(
            dir.path().join("source/.ecrlint.toml"),
            dir.path().join(".ecrlint.toml"),
        )
        .unwrap();
        let (report, code) = common::json_report(dir.path(), &["--skip-unrecognised", "source/replication.tf"]);
        let codes: Vec<String> = common::codes_by_file(&report)
            .into_iter()
            .flat_map(|(_, codes)| codes)
            .filter(|c| c.starts_with("ECR5"))
            .collect();
        assert_eq!((codes, code), (expected, exit), "{fixture}");
    }
}
