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
fn a_hash_inside_a_block_scalar_or_a_quoted_scalar_over_lines_is_not_a_comment() {
    for description in [
        "Description: |\n  # ecrlint: ignore[ECR206]\n  text\n",
        "Description: >-\n  text\n\n  # ecrlint: ignore[ECR206]\n",
        "Description: \"text\n  # ecrlint: ignore[ECR206]\"\n",
        "Description: 'text\n\n  # ecrlint: ignore[ECR206]'\n",
    ] {
        let text = template("", UNKNOWN).replacen("Resources:\n", &format!("{description}Resources:\n"), 1);
        assert_eq!(codes(&text), ["ECR203"], "{description}");
    }
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

// Terraform HCL (`.tf`): `#` and `//` line comments, as in YAML.

/// A Terraform file whose first destination's lines are `lines`, with
/// `before` above the resource.
fn terraform(before: &str, lines: &str) -> String {
    format!(
        r#"{before}resource "aws_ecr_replication_configuration" "example" {{
  replication_configuration {{
    rule {{
      destination {{
{lines}
      }}
      repository_filter {{
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }}
    }}
  }}
}}
"#
    )
}

const TF_UNKNOWN: &str = "        region      = \"eu-east-9\"\n        registry_id = \"210987654321\"";

fn tf_codes(text: &str) -> Vec<String> {
    codes_for_file(text, "main.tf", &["--isolated"])
}

#[test]
fn terraform_without_a_suppression_the_finding_is_there() {
    assert_eq!(tf_codes(&terraform("", TF_UNKNOWN)), ["ECR203"]);
}

#[test]
fn terraform_hash_and_slash_comments_on_the_same_line() {
    for marker in ["#", "//"] {
        let lines = TF_UNKNOWN.replacen(
            "\"eu-east-9\"",
            &format!("\"eu-east-9\" {marker} ecrlint: ignore[ECR203] in preview"),
            1,
        );
        assert!(tf_codes(&terraform("", &lines)).is_empty(), "{marker}");
        // By name, no space after the marker.
        let lines = TF_UNKNOWN.replacen(
            "\"eu-east-9\"",
            &format!("\"eu-east-9\" {marker}ecrlint: ignore[unknown-region]"),
            1,
        );
        assert!(tf_codes(&terraform("", &lines)).is_empty(), "{marker}");
        // Another rule named: the finding stays, the suppression is unused.
        let lines = TF_UNKNOWN.replacen(
            "\"eu-east-9\"",
            &format!("\"eu-east-9\" {marker} ecrlint: ignore[ECR206]"),
            1,
        );
        assert_eq!(tf_codes(&terraform("", &lines)), ["ECR203", "ECR005"], "{marker}");
        // On the next line, it does not reach the finding.
        let lines = TF_UNKNOWN.replacen(
            "\"210987654321\"",
            &format!("\"210987654321\" {marker} ecrlint: ignore[ECR203]"),
            1,
        );
        assert_eq!(tf_codes(&terraform("", &lines)), ["ECR203", "ECR005"], "{marker}");
    }
}

#[test]
fn terraform_comments_alone_on_the_line_above() {
    for marker in ["#", "//"] {
        let lines = format!("        {marker} ecrlint: ignore[ECR203] in preview\n{TF_UNKNOWN}");
        assert!(tf_codes(&terraform("", &lines)).is_empty(), "{marker}");
        // Past blank lines and other comments, of either kind.
        let lines = format!("        {marker} ecrlint: ignore[ECR203]\n\n        # why: preview\n        // (until next year)\n{TF_UNKNOWN}");
        assert!(tf_codes(&terraform("", &lines)).is_empty(), "{marker}");
        // Not two lines down.
        let lines = format!("        {marker} ecrlint: ignore[ECR203]\n        registry_id = \"210987654321\"\n        region      = \"eu-east-9\"");
        assert_eq!(tf_codes(&terraform("", &lines)), ["ECR005", "ECR203"], "{marker}");
    }
    // A block comment is not a suppression (and not reported: it is not a line comment).
    let lines = format!("        /* ecrlint: ignore[ECR203] */\n{TF_UNKNOWN}");
    assert_eq!(tf_codes(&terraform("", &lines)), ["ECR203"]);
}

#[test]
fn terraform_unknown_codes_and_malformed_comments_are_ecr005_with_a_suggestion() {
    let lines = TF_UNKNOWN.replacen("\"eu-east-9\"", "\"eu-east-9\" // ecrlint: ignore[ECR2O3]", 1);
    assert_eq!(tf_codes(&terraform("", &lines)), ["ECR203", "ECR005"]);
    common::ecrlint()
        .args(["check", "--isolated", "-", "--stdin-filename", "main.tf"])
        .write_stdin(terraform("", &lines))
        .assert()
        .stdout(predicates::str::contains("`ECR2O3` in this suppression is not a rule"))
        .stdout(predicates::str::contains("did you mean `ECR203`?"));
    let lines = TF_UNKNOWN.replacen("\"eu-east-9\"", "\"eu-east-9\" # ecrlint: ignore ECR203", 1);
    assert_eq!(tf_codes(&terraform("", &lines)), ["ECR203", "ECR005"]);
}

#[test]
fn terraform_a_hash_or_slashes_in_a_string_are_not_a_comment() {
    for marker in ["#", "//"] {
        // Inside the very string with the finding: a wrong value, no suppression.
        let lines = TF_UNKNOWN.replacen(
            "\"eu-east-9\"",
            &format!("\"eu-east-9 {marker} ecrlint: ignore[ECR203]\""),
            1,
        );
        let found = tf_codes(&terraform("", &lines));
        assert!(!found.contains(&"ECR005".to_string()) && !found.is_empty(), "{found:?}");
        // In a string alone on the line above (an unrelated local): not a suppression of the next line.
        let before = format!("locals {{\n  note = \"{marker} ecrlint: ignore[ECR203]\"\n  x = \"${{\"nested {marker} ecrlint: ignore[ECR203]\"}}\"\n}}\n\n");
        assert_eq!(tf_codes(&terraform(&before, TF_UNKNOWN)), ["ECR203"], "{marker}");
    }
}

#[test]
fn terraform_a_hash_in_a_heredoc_is_not_a_comment() {
    for opener in ["<<EOT", "<<-EOT"] {
        // Were the heredoc's line a comment, it would be unused (ECR005) or,
        // for the destination, hide the finding.
        let before = format!("variable \"note\" {{\n  description = {opener}\n    # ecrlint: ignore[ECR203]\n    // ecrlint: ignore[ECR206] ${{var.x}} # ecrlint: nonsense\n    EOT\n}}\n\n");
        assert_eq!(tf_codes(&terraform(&before, TF_UNKNOWN)), ["ECR203"], "{opener}");
    }
    // A heredoc ends at its delimiter line: a comment after it counts again.
    let before =
        "variable \"note\" {\n  description = <<EOT\n# text\nEOT\n  # ecrlint: ignore[ECR203]\n  type = string\n}\n\n";
    assert_eq!(tf_codes(&terraform(before, TF_UNKNOWN)), ["ECR005", "ECR203"]);
}

#[test]
fn terraform_a_block_comment_over_several_lines_holds_no_suppression() {
    // Its lines look like line comments: none is read, none is unused.
    let before = "/*\n  # ecrlint: ignore[ECR203]\n  // ecrlint: ignore[ECR206] \"\n*/\n\n";
    assert_eq!(tf_codes(&terraform(before, TF_UNKNOWN)), ["ECR203"]);
    // A line comment after its end, on its last line, is read.
    let lines = TF_UNKNOWN.replacen(
        "        region      = \"eu-east-9\"",
        "        /* in preview,\n           until next year */ region = \"eu-east-9\" # ecrlint: ignore[ECR203]",
        1,
    );
    assert!(tf_codes(&terraform("", &lines)).is_empty());
}

#[test]
fn terraform_crlf_line_endings() {
    let lines = format!("        // ecrlint: ignore[ECR203] in preview\n{TF_UNKNOWN}");
    let crlf = terraform("", &lines).replace('\n', "\r\n");
    assert!(tf_codes(&crlf).is_empty());
    let lines = TF_UNKNOWN.replacen("\"eu-east-9\"", "\"eu-east-9\" # ecrlint: ignore[ECR203, ECR206]", 1);
    let crlf = terraform("", &lines).replace('\n', "\r\n");
    assert_eq!(tf_codes(&crlf), ["ECR005"]);
    // The fix keeps the file's line endings and leaves nothing unused.
    let dir = tempfile::tempdir().unwrap();
    let lines = format!("        # ecrlint: ignore[ECR206]\n{TF_UNKNOWN}");
    let before = terraform("", &lines).replace('\n', "\r\n");
    std::fs::write(dir.path().join("main.tf"), &before).unwrap();
    common::ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--fix", "main.tf"])
        .assert()
        .code(1);
    let after = std::fs::read_to_string(dir.path().join("main.tf")).unwrap();
    assert_eq!(after, terraform("", TF_UNKNOWN).replace('\n', "\r\n"));
}

#[test]
fn terraform_json_comment_keys_are_not_suppressions() {
    // `.tf.json` is JSON: a `"//"` key is Terraform's comment there, and
    // not read as a suppression (JSON files use `[[overrides]]`); one that
    // looks like a suppression is ECR005, saying so.
    let text = r#"{"resource": {"aws_ecr_replication_configuration": {"example": {"replication_configuration": [{"rule": [{"destination": [{"//": "ecrlint: ignore[ECR203]", "region": "eu-east-9", "registry_id": "210987654321"}]}]}]}}}}"#;
    assert_eq!(
        codes_for_file(text, "main.tf.json", &["--isolated"]),
        ["ECR005", "ECR203"]
    );
    common::ecrlint()
        .args(["check", "--isolated", "-", "--stdin-filename", "main.tf.json"])
        .write_stdin(text)
        .assert()
        .stdout(predicates::str::contains("is not a suppression in JSON"))
        .stdout(predicates::str::contains("[[overrides]]"));
    // Any other `"//"` comment is left alone.
    let other = text.replace("ecrlint: ignore[ECR203]", "managed by the platform team");
    assert_eq!(codes_for_file(&other, "main.tf.json", &["--isolated"]), ["ECR203"]);
}

#[test]
fn terraform_json_has_no_comments() {
    // Terraform's JSON syntax is JSON: a comment is a syntax error there, never a suppression.
    let text = r#"{"resource": {"aws_ecr_replication_configuration": {"example": {"replication_configuration": [{"rule": [{"destination": [{"region": "eu-east-9", "registry_id": "210987654321"}]}]}]}}}}"#;
    assert_eq!(codes_for_file(text, "main.tf.json", &["--isolated"]), ["ECR203"]);
    for comment in [
        "# ecrlint: ignore[ECR203]\n",
        "// ecrlint: ignore[ECR203]\n",
        "/* ecrlint: ignore[ECR203] */",
    ] {
        let commented = format!("{comment}{text}");
        assert_eq!(
            codes_for_file(&commented, "main.tf.json", &["--isolated"]),
            ["ECR001"],
            "{comment}"
        );
    }
}

#[test]
fn a_comment_anywhere_silences_ecr003_in_yaml_and_terraform() {
    let values = "replicaCount: 2\nimage:\n  repository: nginx\n";
    assert_eq!(codes_for_file(values, "values.yaml", &["--isolated"]), ["ECR003"]);
    let silenced = format!("{values}# ecrlint: ignore[unknown-document] Helm values\n");
    assert!(codes_for_file(&silenced, "values.yaml", &["--isolated"]).is_empty());
    let terraform = "resource \"aws_s3_bucket\" \"b\" {\n  bucket = \"x\"\n}\n";
    assert_eq!(codes_for_file(terraform, "main.tf", &["--isolated"]), ["ECR003"]);
    let silenced = format!("// ecrlint: ignore[ECR003] no replication here\n{terraform}");
    assert!(codes_for_file(&silenced, "main.tf", &["--isolated"]).is_empty());
    // Another rule named does not silence it; a replication template's ECR003 comment is unused.
    let other = format!("# ecrlint: ignore[ECR203]\n{values}");
    assert!(codes_for_file(&other, "values.yaml", &["--isolated"]).contains(&"ECR003".to_string()));
    let ours = format!("# ecrlint: ignore[ECR003]\n{}", template("", UNKNOWN));
    assert_eq!(codes(&ours), ["ECR005", "ECR203"]);
}

/// A module split over files: a finding on a local written in `locals.tf`
/// and used in `main.tf` is reported in `locals.tf`. A comment above the
/// value there silences it, and so does one at the use in `main.tf`; either
/// is used (never "suppresses nothing", so `--fix` keeps it).
#[test]
fn a_module_value_is_silenced_where_it_is_reported_or_where_it_is_used() {
    let main = |comment: &str| {
        format!(
            "resource \"aws_ecr_replication_configuration\" \"r\" {{\n  replication_configuration {{\n    rule {{\n      destination {{\n        region      = \"us-west-2\"\n{comment}        registry_id = local.dr_account\n      }}\n    }}\n  }}\n}}\n"
        )
    };
    let locals = |comment: &str| format!("locals {{\n{comment}  dr_account = \"21098765432\"\n}}\n");
    let silence = "  # ecrlint: ignore[ECR204] the DR account is created later\n";
    for (main_tf, locals_tf) in [
        (main(""), locals("")),
        (main(""), locals(silence)),
        (main(&format!("      {silence}")), locals("")),
    ] {
        let dir = tempfile::tempdir().unwrap();
        common::write(dir.path(), ".ecrlint.toml", "");
        common::write(dir.path(), "main.tf", &main_tf);
        common::write(dir.path(), "locals.tf", &locals_tf);
        let (report, code) = common::json_report(dir.path(), &["."]);
        let codes = common::codes_by_file(&report);
        let silenced = main_tf.contains("ignore") || locals_tf.contains("ignore");
        if silenced {
            assert!(codes.iter().all(|(_, c)| c.is_empty()), "{codes:?}");
            assert_eq!(code, 0);
            // --fix changes nothing: the comment is in use.
            let out = common::ecrlint()
                .current_dir(dir.path())
                .args(["check", "--fix", "."])
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(0));
            assert_eq!(std::fs::read_to_string(dir.path().join("main.tf")).unwrap(), main_tf);
            assert_eq!(
                std::fs::read_to_string(dir.path().join("locals.tf")).unwrap(),
                locals_tf
            );
        } else {
            assert_eq!(
                codes,
                [
                    ("locals.tf".to_string(), vec!["ECR204".to_string()]),
                    ("main.tf".to_string(), vec![])
                ]
            );
            assert_eq!(code, 1);
        }
    }
}

#[test]
fn a_suppression_after_another_tools_directive_in_the_same_comment_is_read() {
    // `# yamllint disable-line … # ecrlint: ignore[…]`: one comment per line,
    // so another linter's directive and ours share it. It was not read (the
    // finding stayed), with nothing saying why.
    let lines = UNKNOWN.replacen(
        "\"eu-east-9\"",
        "\"eu-east-9\" # yamllint disable-line rule:line-length # ecrlint: ignore[ECR203] in preview",
        1,
    );
    assert!(codes(&template("", &lines)).is_empty());
    for (before, ours) in [("# tflint-ignore: x", "// ecrlint"), ("// noqa", "# ecrlint")] {
        let lines = TF_UNKNOWN.replacen(
            "\"eu-east-9\"",
            &format!("\"eu-east-9\" {before} {ours}: ignore[ECR203]"),
            1,
        );
        assert!(tf_codes(&terraform("", &lines)).is_empty(), "{before} {ours}");
        // Alone on its line, it applies to the next one.
        let lines = format!("        {before} {ours}: ignore[ECR203]\n{TF_UNKNOWN}");
        assert!(tf_codes(&terraform("", &lines)).is_empty(), "{before} {ours}");
    }
    // `ecrlint:` inside a word of other text is no suppression, nor reported.
    let lines = UNKNOWN.replacen("\"eu-east-9\"", "\"eu-east-9\" # see#ecrlint: ignore[ECR203]", 1);
    assert_eq!(codes(&template("", &lines)), ["ECR203"]);
    // Unused, the fix removes ours alone: the other directive and its line stay.
    let dir = tempfile::tempdir().unwrap();
    let with = |ours: &str| {
        template(
            "",
            &UNKNOWN.replacen(
                "\"210987654321\"",
                &format!("\"210987654321\" # yamllint disable-line{ours}"),
                1,
            ),
        )
    };
    std::fs::write(dir.path().join("template.yaml"), with(" # ecrlint: ignore[ECR206] old")).unwrap();
    common::ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--fix", "template.yaml"])
        .assert()
        .code(1);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("template.yaml")).unwrap(),
        with("")
    );
}

#[test]
fn a_suppression_in_upper_or_mixed_case_is_read() {
    // `# ECRLINT: ignore[ECR203]` was passed over in silence: the finding
    // stayed with nothing saying the comment was not read. The codes were
    // already read in any case, so the marker and `ignore[` are too.
    for marker in ["ECRLINT:", "EcrLint:", "ecrLINT:"] {
        for ignore in ["ignore", "IGNORE", "Ignore"] {
            let lines = UNKNOWN.replacen(
                "\"eu-east-9\"",
                &format!("\"eu-east-9\" # {marker} {ignore}[ECR203]"),
                1,
            );
            assert!(codes(&template("", &lines)).is_empty(), "{marker} {ignore}");
            for slashes in ["#", "//"] {
                let lines = format!("        {slashes} {marker} {ignore}[ecr203]\n{TF_UNKNOWN}");
                assert!(
                    tf_codes(&terraform("", &lines)).is_empty(),
                    "{slashes} {marker} {ignore}"
                );
            }
        }
        // Unused, it is ECR005 like any other.
        let lines = UNKNOWN.replacen("\"eu-east-9\"", &format!("\"eu-east-9\" # {marker} ignore[ECR206]"), 1);
        assert_eq!(codes(&template("", &lines)), ["ECR203", "ECR005"], "{marker}");
        // After another tool's directive too.
        let lines = TF_UNKNOWN.replacen(
            "\"eu-east-9\"",
            &format!("\"eu-east-9\" # tflint-ignore: x // {marker} ignore[ECR203]"),
            1,
        );
        assert!(tf_codes(&terraform("", &lines)).is_empty(), "{marker}");
    }
    // Another linter's directive after our marker, in any case, is not understood: ECR005.
    let lines = format!("        // EcrLint: disable-next-line ECR203\n{TF_UNKNOWN}");
    assert_eq!(tf_codes(&terraform("", &lines)), ["ECR005", "ECR203"]);
    // ECR003 is silenced from anywhere in the file in any case too.
    let values = "replicaCount: 2\n# ECRLINT: IGNORE[unknown-document] Helm values\n";
    assert!(codes_for_file(values, "values.yaml", &["--isolated"]).is_empty());
    // A `"//"` key in `.tf.json` that looks like one, in any case, is said not to be one.
    let text = r#"{"resource": {"aws_ecr_replication_configuration": {"example": {"replication_configuration": [{"rule": [{"destination": [{"//": "ECRLINT: ignore[ECR203]", "region": "eu-east-9", "registry_id": "210987654321"}]}]}]}}}}"#;
    assert_eq!(
        codes_for_file(text, "main.tf.json", &["--isolated"]),
        ["ECR005", "ECR203"]
    );
}
