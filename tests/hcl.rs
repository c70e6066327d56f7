//! The HCL front end on real Terraform files: each `.tf` of the corpus
//! gives the tree its hand-written Terraform JSON syntax twin gives
//! (`tests/data/terraform/*.tf.json`), and the one with a syntax error is
//! reported where the error is.

mod common;

use ecrlint::syntax::{hcl, json, ReadAs, SourceFormat};
use std::path::Path;

#[test]
fn real_tf_files_equal_their_tf_json_twins() {
    let twins = common::data("terraform");
    let corpus = common::data("corpus");
    let mut n = 0;
    for entry in std::fs::read_dir(&twins).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(tf) = name.strip_suffix(".json") else { continue };
        let json_bytes = std::fs::read(&path).unwrap();
        let tf_bytes = std::fs::read(corpus.join(tf)).unwrap();
        let expected = json::parse(&json_bytes).unwrap().to_value();
        let got = hcl::parse(&tf_bytes).unwrap_or_else(|e| panic!("{tf}: {e:?}"));
        assert_eq!(got.to_value(), expected, "{tf}");
        n += 1;
    }
    assert!(n >= 2, "only {n} twins");
}

#[test]
fn every_real_tf_file_parses_but_the_broken_one() {
    let corpus = common::data("corpus");
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "tf") {
            let bytes = std::fs::read(&path).unwrap();
            let outcome = hcl::parse(&bytes);
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            assert_eq!(outcome.is_err(), name.starts_with("24-"), "{name}: {:?}", outcome.err());
        }
    }
}

#[test]
fn the_unclosed_quote_of_issue_21230_is_found_where_it_is() {
    let bytes = std::fs::read(common::data("corpus").join("24-tf-issue-21230.tf")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let e = hcl::parse(&bytes).unwrap_err();
    assert_eq!(&text[e.span.start..e.span.end], "\"eu-west-1");
    assert!(e.message.contains("no closing quote"), "{}", e.message);
}

#[test]
fn tf_files_are_hcl_and_tf_json_files_are_json() {
    assert_eq!(
        ReadAs::for_path(Path::new("main.tf")),
        ReadAs::Format(SourceFormat::Hcl)
    );
    assert_eq!(
        ReadAs::for_path(Path::new("MAIN.TF")),
        ReadAs::Format(SourceFormat::Hcl)
    );
    assert_eq!(
        ReadAs::for_path(Path::new("main.tf.json")),
        ReadAs::Format(SourceFormat::Json)
    );
    assert_eq!(ReadAs::for_path(Path::new("prod.tfvars")), ReadAs::NotRead);
    assert_eq!(ReadAs::for_path(Path::new("build.pkr.hcl")), ReadAs::NotRead);
}

/// `ecrlint check --format json` in `dir` on `args`: each file's path and codes.
fn check(dir: &Path, args: &[&str]) -> (Vec<(String, Vec<String>)>, serde_json::Value) {
    let args: Vec<&str> = ["--isolated"].iter().chain(args).copied().collect();
    let (report, code) = common::json_report(dir, &args);
    assert_ne!(code, 2, "{report}");
    (common::codes_by_file(&report), report)
}

const BROKEN: &str = "resource \"aws_ecr_replication_configuration\" \"r\" {\n  replication_configuration {\n    rule {\n      destination {\n        region = \"eu-west-1\n      }\n    }\n  }\n}\n";
const NETWORK: &str = "resource \"aws_vpc\" \"main\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n";

#[test]
fn a_named_tf_file_is_read_as_hcl_never_as_yaml() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "broken.tf", BROKEN);
    common::write(dir.path(), "network.tf", NETWORK);
    let (files, report) = check(dir.path(), &["broken.tf"]);
    assert_eq!(files, [("broken.tf".to_string(), vec!["ECR001".to_string()])]);
    let d = &report["files"][0]["diagnostics"][0];
    assert!(d["message"].as_str().unwrap().starts_with("HCL syntax error"), "{d}");
    assert_eq!(d["start"]["line"], 5, "{d}");
    // Terraform without replication: not a syntax error, ECR003.
    let (files, _) = check(dir.path(), &["network.tf"]);
    assert_eq!(files, [("network.tf".to_string(), vec!["ECR003".to_string()])]);
}

#[test]
fn directory_walks_read_tf_and_tf_json_files_but_not_tfvars() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "infra/broken.tf", BROKEN);
    common::write(dir.path(), "infra/network.tf", NETWORK);
    common::write(dir.path(), "infra/prod.tfvars", "region = \"eu-west-1\n");
    let (files, _) = check(dir.path(), &["-v", "."]);
    assert_eq!(files, [("infra/broken.tf".to_string(), vec!["ECR001".to_string()])]);
    let out = common::ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "-v", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("infra/network.tf"), "{stderr}");
    assert!(stderr.contains("infra/prod.tfvars"), "{stderr}");
}

#[test]
fn the_pre_commit_hooks_take_every_extension_ecrlint_reads() {
    // This repository's three hooks and the mirror's one.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let hooks = [".pre-commit-hooks.yaml", "pre-commit-mirror/.pre-commit-hooks.yaml"]
        .map(|file| std::fs::read_to_string(root.join(file)).unwrap())
        .join("\n");
    let patterns: Vec<&str> = hooks
        .lines()
        .filter_map(|l| l.trim().strip_prefix("files: "))
        .map(|p| p.trim_matches('\''))
        .collect();
    assert_eq!(patterns.len(), 4, "{hooks}");
    for pattern in patterns {
        let re = regex::Regex::new(pattern).unwrap();
        // The walked ones: variable files report the findings on the values they set.
        for ext in ecrlint::syntax::walked_extensions() {
            assert!(re.is_match(&format!("dir/file.{ext}")), "{pattern} misses .{ext}");
        }
        assert!(re.is_match("main.tf.json"));
        assert!(re.is_match("terraform.tfvars.json"));
        for name in ecrlint::syntax::read_file_names() {
            assert!(re.is_match(name), "{pattern} misses {name}");
            assert!(re.is_match(&format!("live/prod/{name}")), "{pattern} misses {name}");
        }
        assert!(!re.is_match("packer.hcl"));
        assert!(!re.is_match("not-terragrunt.hcl"));
    }
}

#[test]
fn hostile_hcl_is_an_error_never_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let deep = 100_000;
    common::write(
        dir.path(),
        "arrays.tf",
        &format!(
            "replication_configuration = {}1{}\n",
            "[".repeat(deep),
            "]".repeat(deep)
        ),
    );
    common::write(
        dir.path(),
        "blocks.tf",
        &format!("{}{}", "replication_configuration {\n".repeat(deep), "}\n".repeat(deep)),
    );
    common::write(
        dir.path(),
        "labels.tf",
        &format!("replication_configuration {} {{}}\n", "\"l\" ".repeat(deep)),
    );
    common::write(
        dir.path(),
        "templates.tf",
        &format!(
            "replication_configuration = \"{}x{}\"\n",
            "${\"".repeat(deep),
            "\"}".repeat(deep)
        ),
    );
    for name in ["arrays.tf", "blocks.tf", "labels.tf", "templates.tf"] {
        let (files, _) = check(dir.path(), &[name]);
        assert_eq!(files, [(name.to_string(), vec!["ECR001".to_string()])], "{name}");
    }
}

const S3_REPLICATION: &str = r#"resource "aws_s3_bucket_replication_configuration" "replication" {
  role   = aws_iam_role.replication.arn
  bucket = aws_s3_bucket.source.id
  rule {
    id     = "all"
    status = "Enabled"
    destination {
      bucket = aws_s3_bucket.destination.arn
    }
  }
}
"#;

#[test]
fn terraform_for_other_services_is_passed_over_even_when_it_mentions_replication() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "s3.tf", S3_REPLICATION);
    common::write(dir.path(), "s3-broken.tf", &S3_REPLICATION.replace("\"all\"", "\"all"));
    common::write(dir.path(), "ecr-broken.tf", BROKEN);
    let (files, _) = check(dir.path(), &["."]);
    assert_eq!(files, [("ecr-broken.tf".to_string(), vec!["ECR001".to_string()])]);
    let (files, _) = check(dir.path(), &["--skip-unrecognised", "s3.tf", "s3-broken.tf"]);
    assert_eq!(files, []);
    // Named: ECR003, saying what is missing.
    let (files, report) = check(dir.path(), &["s3.tf"]);
    assert_eq!(files, [("s3.tf".to_string(), vec!["ECR003".to_string()])]);
    let message = report["files"][0]["diagnostics"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("no aws_ecr_replication_configuration here"),
        "{message}"
    );
}
