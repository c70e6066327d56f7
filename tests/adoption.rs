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
