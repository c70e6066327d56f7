//! Adopting ecrlint in a repository that already has findings:
//! `check --add-suppressions` writes a suppression comment above each
//! finding's line in YAML and Terraform (never in JSON, which has no
//! comments), once, keeping every other byte.

mod common;

use common::{ecrlint, write};
use std::path::Path;

const TEMPLATE: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Replication:
    Type: "AWS::ECR::ReplicationConfiguration"
    Properties:
      ReplicationConfiguration:
        Rules:
          - Destinations:
              - Region: "us-unkown-1" # in preview
                RegistryId: "21098765432"
"#;

const TEMPLATE_SUPPRESSED: &str = r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Replication:
    Type: "AWS::ECR::ReplicationConfiguration"
    Properties:
      ReplicationConfiguration:
        Rules:
          - Destinations:
              # ecrlint: ignore[ECR203]
              - Region: "us-unkown-1" # in preview
                # ecrlint: ignore[ECR204]
                RegistryId: "21098765432"
"#;

const TERRAFORM: &str = r#"resource "aws_ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      destination {
        region      = "eu-wst-1" // typo kept for now
        registry_id = "21098765432"
      }
    }
  }
}
"#;

const TERRAFORM_SUPPRESSED: &str = r#"resource "aws_ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      destination {
        # ecrlint: ignore[ECR203]
        region      = "eu-wst-1" // typo kept for now
        # ecrlint: ignore[ECR204]
        registry_id = "21098765432"
      }
    }
  }
}
"#;

const API_JSON: &str = r#"{
  "rules": [
    {
      "destinations": [
        {
          "region": "us-unkown-1",
          "registryId": "210987654321"
        }
      ]
    }
  ]
}
"#;

/// `ecrlint check --isolated ARGS` in `dir`: exit code, standard output, standard error.
fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = ecrlint()
        .current_dir(dir)
        .args(["check", "--isolated", "--color", "never"])
        .args(args)
        .output()
        .expect("runs");
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().expect("exits"), text(&out.stdout), text(&out.stderr))
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

#[test]
fn yaml_and_terraform_get_a_comment_above_each_finding_once_and_then_lint_clean() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "template.yaml", TEMPLATE);
    write(dir.path(), "main.tf", TERRAFORM);
    let (code, _, stderr) = check(dir.path(), &["--add-suppressions", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("Added suppression comments for 4 findings in 2 files."),
        "{stderr}"
    );
    assert_eq!(read(dir.path(), "template.yaml"), TEMPLATE_SUPPRESSED);
    assert_eq!(read(dir.path(), "main.tf"), TERRAFORM_SUPPRESSED);
    // The result lints clean (no ECR005: every comment is used).
    let (code, stdout, _) = check(dir.path(), &["--output-format", "concise", "."]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    // A second run adds nothing and changes no byte.
    let (code, _, stderr) = check(dir.path(), &["--add-suppressions", "."]);
    assert_eq!(code, 0);
    assert!(
        stderr.contains("Added suppression comments for 0 findings in 0 files."),
        "{stderr}"
    );
    assert_eq!(read(dir.path(), "template.yaml"), TEMPLATE_SUPPRESSED);
    assert_eq!(read(dir.path(), "main.tf"), TERRAFORM_SUPPRESSED);
}

#[test]
fn crlf_files_get_crlf_comments() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "template.yaml", &TEMPLATE.replace('\n', "\r\n"));
    let (code, _, stderr) = check(dir.path(), &["--add-suppressions", "template.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        read(dir.path(), "template.yaml"),
        TEMPLATE_SUPPRESSED.replace('\n', "\r\n")
    );
}

#[test]
fn json_findings_are_left_and_counted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "replication.json", API_JSON);
    write(dir.path(), "template.yaml", TEMPLATE);
    let (code, stdout, stderr) = check(dir.path(), &["--add-suppressions", "--output-format", "concise", "."]);
    assert_eq!(read(dir.path(), "replication.json"), API_JSON);
    assert_eq!(read(dir.path(), "template.yaml"), TEMPLATE_SUPPRESSED);
    assert!(
        stderr.contains("Added suppression comments for 2 findings in 1 file."),
        "{stderr}"
    );
    assert!(
        stderr.contains("1 finding cannot take a comment (JSON files"),
        "{stderr}"
    );
    // What is left is reported, and fails the run.
    assert_eq!(code, 1);
    assert!(
        stdout.starts_with("replication.json:6:21: warning[ECR203 unknown-region]"),
        "{stdout}"
    );
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn a_finding_a_comment_cannot_silence_leaves_the_file_as_it_was() {
    // A finding on a variable's default is reported at the value but found at
    // its use: no comment silences it, so the file is not touched.
    let text = r#"variable "regions" {
  type    = list(string)
  default = ["eu-wst-1"]
}

resource "aws_ecr_replication_configuration" "this" {
  replication_configuration {
    rule {
      dynamic "destination" {
        for_each = toset(var.regions)
        content {
          region      = destination.value
          registry_id = "210987654321"
        }
      }
    }
  }
}
"#;
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", text);
    let (code, _, stderr) = check(dir.path(), &["--add-suppressions", "main.tf"]);
    assert_eq!(read(dir.path(), "main.tf"), text);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("warning: main.tf: fix not applied (ECR203 suppression comment)"),
        "{stderr}"
    );
    assert!(stderr.contains("1 finding cannot take a comment"), "{stderr}");
}

#[test]
fn add_suppressions_does_not_go_with_fix() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = check(dir.path(), &["--add-suppressions", "--fix", "."]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

/// Two API files with one finding each (an unknown Region).
const MORE_JSON: &str = r#"{
  "rules": [
    {
      "destinations": [
        { "region": "eu-wst-1", "registryId": "210987654321" }
      ]
    }
  ]
}
"#;

/// How many findings each output format reports in `dir` (with `args`).
fn counts_by_format(dir: &Path, args: &[&str]) -> Vec<(String, usize)> {
    let formats = ["json", "sarif", "concise", "gitlab", "junit", "checkstyle", "github"];
    formats
        .iter()
        .map(|format| {
            let (_, stdout, _) = check(dir, &[&["--output-format", format, "--quiet"], args, &["."]].concat());
            let n = match *format {
                "json" => {
                    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                    let s = &report["summary"];
                    (s["errors"].as_u64().unwrap() + s["warnings"].as_u64().unwrap() + s["infos"].as_u64().unwrap())
                        as usize
                }
                "sarif" => {
                    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
                    report["runs"][0]["results"].as_array().unwrap().len()
                }
                "gitlab" => serde_json::from_str::<Vec<serde_json::Value>>(&stdout).unwrap().len(),
                "junit" => stdout.matches("<failure").count(),
                "checkstyle" => stdout.matches("<error").count(),
                "github" => stdout.lines().filter(|l| l.starts_with("::")).count(),
                _ => stdout.lines().count(),
            };
            (format.to_string(), n)
        })
        .collect()
}

#[test]
fn a_baseline_hides_known_findings_through_line_moves_and_reports_new_ones_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "replication.json", API_JSON);
    write(dir.path(), "more.json", MORE_JSON);
    write(dir.path(), "template.yaml", TEMPLATE);
    let (code, stdout, stderr) = check(dir.path(), &["--write-baseline", "ecrlint-baseline.json", "."]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stderr.contains("Wrote 4 findings to the baseline ecrlint-baseline.json"),
        "{stderr}"
    );
    let written = read(dir.path(), "ecrlint-baseline.json");
    let baseline: serde_json::Value = serde_json::from_str(&written).unwrap();
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/baseline.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&baseline), "{written}");
    let entries: Vec<(&str, &str)> = baseline["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["path"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        entries,
        [
            ("more.json", "ECR203"),
            ("replication.json", "ECR203"),
            ("template.yaml", "ECR203"),
            ("template.yaml", "ECR204")
        ]
    );
    // Nothing new: every format reports nothing, and the run passes.
    let args = ["--baseline", "ecrlint-baseline.json"];
    assert!(counts_by_format(dir.path(), &args).iter().all(|(_, n)| *n == 0));

    // Lines added above the findings and the file re-indented: still known.
    let moved = API_JSON
        .replace("{\n  \"rules\"", "{\n\n\n  \"rules\"")
        .replace("  ", "    ");
    write(dir.path(), "replication.json", &moved);
    let template = TEMPLATE.replacen("Resources:", "Description: moved down\nResources:", 1);
    write(dir.path(), "template.yaml", &template);
    let (code, stdout, stderr) = check(dir.path(), &[&args[..], &["--output-format", "concise", "."]].concat());
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(
        stderr.contains("4 findings known from the baseline ecrlint-baseline.json not shown."),
        "{stderr}"
    );

    // A new mistake is reported, alone, in every format.
    let with_new = moved.replace("\"210987654321\"", "\"21098765432\"");
    write(dir.path(), "replication.json", &with_new);
    for (format, n) in counts_by_format(dir.path(), &args) {
        assert_eq!(n, 1, "{format}");
    }
    let (code, stdout, _) = check(dir.path(), &[&args[..], &["--output-format", "concise", "."]].concat());
    assert_eq!(code, 1);
    assert!(stdout.contains("error[ECR204 invalid-registry-id]"), "{stdout}");
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
}

#[test]
fn the_configured_baseline_is_read_from_its_folder_and_stale_entries_are_counted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "infra/replication.json", API_JSON);
    write(dir.path(), "infra/more.json", MORE_JSON);
    write(
        dir.path(),
        ".ecrlint.toml",
        "[baseline]\nfile = \"ci/ecrlint-baseline.json\"\n",
    );
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--write-baseline", "ci/ecrlint-baseline.json", "infra"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let baseline = read(dir.path(), "ci/ecrlint-baseline.json");
    assert!(baseline.contains("\"path\": \"../infra/more.json\""), "{baseline}");
    // Fixed in one file: nothing is reported, and the entry left is said stale.
    write(
        dir.path(),
        "infra/more.json",
        &MORE_JSON.replace("eu-wst-1", "eu-west-1"),
    );
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "infra"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("1 finding known from the baseline"), "{stderr}");
    assert!(stderr.contains("1 finding of the baseline"), "{stderr}");
    assert!(stderr.contains("no longer found"), "{stderr}");
    // A file the run does not lint is not stale.
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "infra/replication.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("no longer found"), "{stderr}");
    // `ecrlint config` says where it comes from.
    let out = ecrlint().current_dir(dir.path()).args(["config"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("baseline: ci/ecrlint-baseline.json"), "{stdout}");
}

#[test]
fn a_missing_or_foreign_baseline_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "replication.json", API_JSON);
    let (code, _, stderr) = check(dir.path(), &["--baseline", "missing.json", "."]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: cannot use the baseline missing.json: cannot read it"),
        "{stderr}"
    );
    write(dir.path(), "other.json", "{\"results\": []}");
    let (code, _, stderr) = check(dir.path(), &["--baseline", "other.json", "replication.json"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("it is not an ecrlint baseline"), "{stderr}");
}

#[test]
fn a_byte_order_mark_stays_first() {
    let dir = tempfile::tempdir().unwrap();
    let values = "replicaCount: 2\nimage:\n  repository: nginx\n";
    write(dir.path(), "values.yaml", &format!("\u{feff}{values}"));
    let (code, _, stderr) = check(dir.path(), &["--add-suppressions", "values.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        read(dir.path(), "values.yaml"),
        format!("\u{feff}# ecrlint: ignore[ECR003]\n{values}")
    );
}

#[test]
fn a_comment_above_the_first_line_of_a_file_with_a_byte_order_mark_covers_it() {
    let dir = tempfile::tempdir().unwrap();
    // A template on one line: its finding is on the file's first line.
    let text = "Resources: {Replication: {Type: \"AWS::ECR::ReplicationConfiguration\", Properties: \
                {ReplicationConfiguration: {Rules: [{Destinations: [{Region: \"us-unkown-1\", \
                RegistryId: \"210987654321\"}]}]}}}}\n";
    write(dir.path(), "template.yaml", &format!("\u{feff}{text}"));
    let (code, _, stderr) = check(dir.path(), &["--add-suppressions", "template.yaml"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        read(dir.path(), "template.yaml"),
        format!("\u{feff}# ecrlint: ignore[ECR203]\n{text}")
    );
    let (code, stdout, _) = check(dir.path(), &["--output-format", "concise", "template.yaml"]);
    assert_eq!((code, stdout.as_str()), (0, ""));
}

/// A Terraform module whose values are written in `locals.tf`,
/// `variables.tf` and `terraform.tfvars` and used in `main.tf`: each
/// finding is reported at the value, so its comment goes above the value
/// in that file, and the next check of the folder honours every one (no
/// finding, no ECR005). `main.tf` is not touched.
#[test]
fn a_module_value_gets_its_comment_in_the_file_where_it_is_reported() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures-modules/values-elsewhere");
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture, dir.path());
    let run = |args: &[&str]| {
        let out = ecrlint()
            .current_dir(dir.path())
            .args(["check", "--color", "never"])
            .args(args)
            .output()
            .expect("runs");
        let text = String::from_utf8_lossy(&out.stderr).into_owned();
        (out.status.code().expect("exits"), text)
    };
    let main_tf = read(dir.path(), "main.tf");
    let (code, stderr) = run(&["--add-suppressions", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("Added suppression comments for 3 findings in 3 files."),
        "{stderr}"
    );
    assert_eq!(read(dir.path(), "main.tf"), main_tf);
    assert_eq!(
        read(dir.path(), "locals.tf"),
        "locals {\n  # The disaster recovery account.\n  # ecrlint: ignore[ECR204]\n  dr_account = \"21098765432\"\n}\n"
    );
    assert_eq!(
        read(dir.path(), "variables.tf"),
        "variable \"replica_region\" {\n  # ecrlint: ignore[ECR203]\n  default = \"us-weast-2\"\n}\n\nvariable \"prefix\" {\n  default = \"prod/\"\n}\n"
    );
    assert_eq!(
        read(dir.path(), "terraform.tfvars"),
        "# ecrlint: ignore[ECR205]\nprefix = \"prod/*\" // set by the release pipeline\n"
    );
    let (report, code) = common::json_report(dir.path(), &["."]);
    assert_eq!(code, 0, "{report}");
    let codes = common::codes_by_file(&report);
    assert!(codes.iter().all(|(_, c)| c.is_empty()), "{codes:?}");
    // The hook on main.tf alone reports the three at their uses: the
    // comments above the values, in files it does not lint, cover them as
    // the folder run's do (it reported all three again).
    for file in ["main.tf", "locals.tf", "variables.tf", "terraform.tfvars"] {
        let (report, code) = common::json_report(dir.path(), &["--skip-unrecognised", file]);
        let codes = common::codes_by_file(&report);
        assert!(codes.iter().all(|(_, c)| c.is_empty()), "{file}: {codes:?}");
        assert_eq!(code, 0, "{file}: {report}");
    }
    // A second run has nothing left to add.
    let before: Vec<String> = ["locals.tf", "variables.tf", "terraform.tfvars"]
        .iter()
        .map(|f| read(dir.path(), f))
        .collect();
    let (code, stderr) = run(&["--add-suppressions", "."]);
    assert_eq!(code, 0, "{stderr}");
    let again: Vec<String> = ["locals.tf", "variables.tf", "terraform.tfvars"]
        .iter()
        .map(|f| read(dir.path(), f))
        .collect();
    assert_eq!(again, before);
}

/// A local module's inputs whose values are written in other files of the
/// caller's folder: each finding takes its comment above the value, where
/// it is reported, and the next check honours them all. The caller is not
/// touched.
#[test]
fn a_local_modules_input_set_elsewhere_gets_its_comment_at_the_value() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/ECR203-unknown-region/invalid-local-module-values-elsewhere");
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&fixture, dir.path());
    write(dir.path(), ".ecrlint.toml", "");
    let main_tf = read(dir.path(), "main.tf");
    let (code, _, stderr) = check(dir.path(), &["--add-suppressions", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("Added suppression comments for 3 findings in 3 files."),
        "{stderr}"
    );
    assert_eq!(read(dir.path(), "main.tf"), main_tf);
    assert_eq!(
        read(dir.path(), "locals.tf"),
        "locals {\n  rules = [{\n    # ecrlint: ignore[ECR203]\n    destination = [{ region = \"eu-wst-1\", registry_id = \"210987654321\" }]\n  }]\n}\n"
    );
    assert_eq!(
        read(dir.path(), "variables.tf"),
        "variable \"replica_region\" {\n  default = \"us-east-1\"\n}\n\nvariable \"dr_account\" {\n  # ecrlint: ignore[ECR204]\n  default = \"21098765432\"\n}\n"
    );
    assert_eq!(
        read(dir.path(), "terraform.tfvars"),
        "# ecrlint: ignore[ECR203]\nreplica_region = \"us-weast-2\"\n"
    );
    let (report, code) = common::json_report(dir.path(), &["."]);
    assert_eq!(code, 0, "{report}");
    let codes = common::codes_by_file(&report);
    assert!(codes.iter().all(|(_, c)| c.is_empty()), "{codes:?}");
    // The hook on the caller alone honours them too.
    let (report, code) = common::json_report(dir.path(), &["--skip-unrecognised", "main.tf"]);
    let codes = common::codes_by_file(&report);
    assert!(codes.iter().all(|(_, c)| c.is_empty()), "{codes:?}");
    assert_eq!(code, 0, "{report}");
}

/// A finding whose line starts inside a `/* … */` comment begun above
/// cannot take a comment above it (it would land inside the block
/// comment): the other findings of the file still get theirs.
#[test]
fn a_line_that_starts_inside_a_block_comment_takes_no_comment() {
    let text = TERRAFORM.replace(
        "        region      = \"eu-wst-1\"",
        "        /* typo kept\n           for now */ region = \"eu-wst-1\"",
    );
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", &text);
    let (code, _, stderr) = check(dir.path(), &["--add-suppressions", "main.tf"]);
    assert_eq!(
        read(dir.path(), "main.tf"),
        text.replace(
            "        registry_id = ",
            "        # ecrlint: ignore[ECR204]\n        registry_id = "
        )
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("Added suppression comments for 1 finding in 1 file."),
        "{stderr}"
    );
}

/// A policy in a heredoc or a block scalar: no comment can be written
/// inside it, so the comment goes above its key and covers the whole
/// value. There was no way to suppress such a finding by a comment, and
/// `--add-suppressions` left it ("cannot take a comment").
#[test]
fn a_finding_inside_a_heredoc_or_a_block_scalar_gets_its_comment_above_the_key() {
    let policy = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "a", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": ["ecr:ReplicateImage"], "Resource": "arn:aws:ecr:eu-wst-1:123456789012:repository/*"}]}"#;
    let tf = format!("resource \"aws_ecr_registry_policy\" \"p\" {{\n  policy = <<-EOT\n    {policy}\n  EOT\n}}\n");
    let yaml = format!(
        "Resources:\n  P:\n    Type: AWS::ECR::RegistryPolicy\n    Properties:\n      PolicyText: |\n        {policy}\n"
    );
    // A `jsonencode` over lines is one expression too: its finding was left.
    let encoded = "resource \"aws_ecr_registry_policy\" \"q\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{\n      Sid = \"a\", Effect = \"Allow\", Principal = { AWS = \"arn:aws:iam::210987654321:root\" }\n      Action = [\"ecr:ReplicateImage\"], Resource = \"arn:aws:ecr:eu-wst-1:123456789012:repository/*\"\n    }]\n  })\n}\n";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", &tf);
    write(dir.path(), "encoded.tf", encoded);
    write(dir.path(), "template.yaml", &yaml);
    let (code, stdout, _) = check(dir.path(), &["--output-format", "concise", "."]);
    assert_eq!(code, 1);
    assert_eq!(
        stdout
            .lines()
            .map(|l| l.split(": ").next().unwrap())
            .collect::<Vec<_>>(),
        ["encoded.tf:6:51", "main.tf:3:179", "template.yaml:6:183"]
    );
    let (code, _, stderr) = check(dir.path(), &["--add-suppressions", "."]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("Added suppression comments for 3 findings in 3 files."),
        "{stderr}"
    );
    assert_eq!(
        read(dir.path(), "encoded.tf"),
        encoded.replace("  policy", "  # ecrlint: ignore[ECR502]\n  policy")
    );
    assert_eq!(
        read(dir.path(), "main.tf"),
        tf.replace("  policy", "  # ecrlint: ignore[ECR502]\n  policy")
    );
    assert_eq!(
        read(dir.path(), "template.yaml"),
        yaml.replace("      PolicyText", "      # ecrlint: ignore[ECR502]\n      PolicyText")
    );
    let (code, stdout, _) = check(dir.path(), &["--output-format", "concise", "."]);
    assert_eq!((code, stdout.as_str()), (0, ""));
    // Once: a second run adds nothing.
    check(dir.path(), &["--add-suppressions", "."]);
    assert_eq!(
        read(dir.path(), "main.tf"),
        tf.replace("  policy", "  # ecrlint: ignore[ECR502]\n  policy")
    );
}

/// Issue 22, case K: `override.tf` replaces the `replication_configuration`
/// of `main.tf`'s resource with a mistake. The hook on `main.tf` alone
/// reports it at the resource, labelled at the override; `check .` reports
/// it in `override.tf`. One suppression serves both modes: the comment
/// above the value in `override.tf`, where the folder run reports it. The
/// hook on `main.tf` with `--add-suppressions` writes it there (it wrote a
/// comment in `main.tf` that the folder run then called unused), and
/// `main.tf` is not touched.
#[test]
fn an_overrides_finding_gets_one_comment_that_every_mode_honours() {
    let resource = |region: &str| {
        format!("resource \"aws_ecr_replication_configuration\" \"this\" {{\n  replication_configuration {{\n    rule {{\n      destination {{\n        region      = \"{region}\"\n        registry_id = \"210987654321\"\n      }}\n    }}\n  }}\n}}\n")
    };
    let main_tf = resource("us-west-2");
    let override_tf = resource("us-wset-2");
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "main.tf", &main_tf);
    write(dir.path(), "override.tf", &override_tf);
    let at = |args: &[&str]| {
        let (report, code) = common::json_report(dir.path(), &[&["--isolated"][..], args].concat());
        (common::codes_and_lines(&report), code)
    };
    let s = |t: &str| t.to_string();
    let hook_main = ["--skip-unrecognised", "main.tf"];
    let hook_override = ["--skip-unrecognised", "override.tf"];
    assert_eq!(at(&hook_main), (vec![(s("main.tf"), s("ECR203"), 1)], 1));
    assert_eq!(at(&hook_override), (vec![(s("override.tf"), s("ECR203"), 5)], 1));
    assert_eq!(at(&["."]), (vec![(s("override.tf"), s("ECR203"), 5)], 1));

    let (code, _, stderr) = check(dir.path(), &["--add-suppressions", "--skip-unrecognised", "main.tf"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("Added suppression comments for 1 finding in 1 file."),
        "{stderr}"
    );
    assert_eq!(read(dir.path(), "main.tf"), main_tf);
    assert_eq!(
        read(dir.path(), "override.tf"),
        override_tf.replace("        region ", "        # ecrlint: ignore[ECR203]\n        region ")
    );
    for args in [&hook_main[..], &hook_override[..], &["."][..]] {
        assert_eq!(at(args), (vec![], 0), "{args:?}");
    }

    // A comment on the resource in main.tf is read by no run: every mode
    // calls it unused and reports the override's finding.
    write(dir.path(), "override.tf", &override_tf);
    write(dir.path(), "main.tf", &format!("# ecrlint: ignore[ECR203]\n{main_tf}"));
    assert_eq!(
        at(&hook_main),
        (vec![(s("main.tf"), s("ECR005"), 1), (s("main.tf"), s("ECR203"), 2)], 1)
    );
    assert_eq!(
        at(&["."]),
        (
            vec![(s("main.tf"), s("ECR005"), 1), (s("override.tf"), s("ECR203"), 5)],
            1
        )
    );
}
