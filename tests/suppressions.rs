//! Suppressions: `# ecrlint: ignore[...]` comments in YAML (same line, line
//! above) and `Metadata: {ecrlint: {ignore: [...]}}` on CloudFormation
//! resources hide the findings they name, and nothing else; unused, unknown
//! and malformed ones are ECR005.

mod common;

use common::codes_for_file;

/// A template whose destination line is `line` (with two-space indentation
/// kept), and `metadata` inserted into the resource.
fn template(metadata: &str, lines: &str) -> String {
    format!(
        r#"AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Replication:
    Type: "AWS::ECR::ReplicationConfiguration"
{metadata}    Properties:
      ReplicationConfiguration:
        Rules:
          - Destinations:
{lines}
            RepositoryFilters:
              - Filter: "prod"
                FilterType: "PREFIX_MATCH"
"#
    )
}

const UNKNOWN: &str = "              - Region: \"eu-east-9\"\n                RegistryId: \"210987654321\"";

fn codes(text: &str) -> Vec<String> {
    codes_for_file(text, "template.yaml", &["--isolated"])
}

#[test]
fn without_a_suppression_the_finding_is_there() {
    assert_eq!(codes(&template("", UNKNOWN)), ["ECR203"]);
}

#[test]
fn a_comment_on_the_same_line_hides_the_named_rule_only() {
    let lines = UNKNOWN.replacen("\"eu-east-9\"", "\"eu-east-9\" # ecrlint: ignore[ECR203] in preview", 1);
    assert!(codes(&template("", &lines)).is_empty());
    // By name too.
    let lines = UNKNOWN.replacen("\"eu-east-9\"", "\"eu-east-9\" # ecrlint: ignore[unknown-region]", 1);
    assert!(codes(&template("", &lines)).is_empty());
    // Another rule named: the finding stays, and the suppression is unused.
    let lines = UNKNOWN.replacen("\"eu-east-9\"", "\"eu-east-9\" # ecrlint: ignore[ECR206]", 1);
    assert_eq!(codes(&template("", &lines)), ["ECR203", "ECR005"]);
    // A comment on another line than the finding's does not reach it.
    let lines = UNKNOWN.replacen("\"210987654321\"", "\"210987654321\" # ecrlint: ignore[ECR203]", 1);
    assert_eq!(codes(&template("", &lines)), ["ECR203", "ECR005"]);
}

#[test]
fn a_comment_alone_on_a_line_hides_the_next_lines_findings() {
    let lines = format!("              # ecrlint: ignore[ECR203] in preview\n{UNKNOWN}");
    assert!(codes(&template("", &lines)).is_empty());
    // Past blank lines and other comments.
    let lines = format!("              # ecrlint: ignore[ECR203]\n\n              # why: preview\n{UNKNOWN}");
    assert!(codes(&template("", &lines)).is_empty());
    // Not two lines down.
    let lines = format!("              # ecrlint: ignore[ECR203]\n              - Region: \"us-west-2\"\n                RegistryId: \"210987654321\"\n{UNKNOWN}");
    assert_eq!(codes(&template("", &lines)), ["ECR005", "ECR203"]);
}

#[test]
fn one_suppression_hides_two_findings_on_its_line() {
    let two = "              - { Region: \"eu-east-9\", RegistryId: \"123456789012\" }";
    assert_eq!(codes(&template("", two)), ["ECR203", "ECR206"]);
    let lines = format!("{two} # ecrlint: ignore[ECR203, ECR206] test stack");
    assert!(codes(&template("", &lines)).is_empty());
    // Two findings of one rule on a line, one code.
    let same = "              - { Region: \"eu-east-9\", RegistryId: \"210987654321\" }\n              - { Region: \"eu-east-8\", RegistryId: \"210987654321\" }";
    assert_eq!(codes(&template("", same)), ["ECR203", "ECR203"]);
    let lines = "              # ecrlint: ignore[ECR203]\n              - [{ Region: \"eu-east-9\", RegistryId: \"210987654321\" }, { Region: \"eu-east-8\", RegistryId: \"210987654321\" }]";
    // (A list where a destination belongs is ECR103; the two ECR203 on its line are hidden.)
    assert!(!codes(&template("", lines)).contains(&"ECR203".to_string()));
}

#[test]
fn a_hash_inside_a_string_is_not_a_comment() {
    let lines = UNKNOWN.replacen("\"eu-east-9\"", "\"eu-east-9 # ecrlint: ignore[ECR203]\"", 1);
    let found = codes(&template("", &lines));
    assert!(!found.contains(&"ECR005".to_string()), "{found:?}");
    assert!(!found.is_empty());
}

#[test]
fn unknown_codes_and_malformed_comments_are_ecr005_with_a_suggestion() {
    let lines = UNKNOWN.replacen("\"eu-east-9\"", "\"eu-east-9\" # ecrlint: ignore[ECR2O3]", 1);
    assert_eq!(codes(&template("", &lines)), ["ECR203", "ECR005"]);
    common::ecrlint()
        .args(["check", "--isolated", "-", "--stdin-filename", "t.yaml"])
        .write_stdin(template("", &lines))
        .assert()
        .stdout(predicates::str::contains("`ECR2O3` in this suppression is not a rule"))
        .stdout(predicates::str::contains("did you mean `ECR203`?"));
    let lines = UNKNOWN.replacen("\"eu-east-9\"", "\"eu-east-9\" # ecrlint: ignore ECR203", 1);
    assert_eq!(codes(&template("", &lines)), ["ECR203", "ECR005"]);
}

#[test]
fn metadata_on_the_resource_hides_findings_inside_it() {
    let metadata = "    Metadata:\n      ecrlint:\n        ignore: [ECR203]\n";
    assert!(codes(&template(metadata, UNKNOWN)).is_empty());
    let metadata = "    Metadata:\n      ecrlint:\n        ignore: [ECR203, ECR304]\n";
    assert_eq!(codes(&template(metadata, UNKNOWN)), ["ECR005"]);
    let metadata = "    Metadata:\n      ecrlint:\n        ignore: ECR203\n";
    assert_eq!(codes(&template(metadata, UNKNOWN)), ["ECR005", "ECR203"]);
    // Another resource's Metadata does not reach this one.
    let other = "  Other:\n    Type: \"AWS::ECR::ReplicationConfiguration\"\n    Metadata:\n      ecrlint:\n        ignore: [ECR203]\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: \"us-west-2\"\n                RegistryId: \"210987654321\"\n            RepositoryFilters:\n              - Filter: \"app\"\n                FilterType: \"PREFIX_MATCH\"\n";
    let found = codes_for_file(&format!("{}{other}", template("", UNKNOWN)), "t.yaml", &["--isolated"]);
    assert!(
        found.contains(&"ECR203".to_string()) && found.contains(&"ECR005".to_string()),
        "{found:?}"
    );
}

#[test]
fn json_api_payloads_have_no_comment_suppressions() {
    // JSON has no comments; the way is [[overrides]] in .ecrlint.toml.
    let text = r#"{"rules": [{"destinations": [{"region": "eu-east-9", "registryId": "210987654321"}], "repositoryFilters": [{"filter": "prod", "filterType": "PREFIX_MATCH"}]}]}"#;
    assert_eq!(codes_for_file(text, "r.json", &["--isolated"]), ["ECR203"]);
}

#[test]
fn ecr005_can_be_turned_off_and_its_level_set() {
    let lines = UNKNOWN.replacen("\"eu-east-9\"", "\"eu-east-9\" # ecrlint: ignore[ECR206]", 1);
    assert_eq!(
        codes_for_file(&template("", &lines), "t.yaml", &["--isolated", "--rule", "ECR005=off"]),
        ["ECR203"]
    );
}
