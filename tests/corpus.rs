//! The real public snippets in `../shared/corpus/real/` (see its SOURCES.md):
//! the API payloads get the verdicts SOURCES.md gives them, and no file of
//! any kind makes ecrlint panic or exit with an internal error.

mod common;

use std::path::Path;

fn codes(dir: &Path, file: &str, args: &[&str]) -> Vec<String> {
    let out = common::ecrlint()
        .current_dir(dir)
        .args(["check", "--format", "json", file])
        .args(args)
        .output()
        .unwrap();
    assert_ne!(
        out.status.code(),
        Some(2),
        "{file}: exit 2\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut codes: Vec<String> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn api_payloads_get_their_verdicts() {
    let Some(dir) = common::shared("corpus/real") else {
        return;
    };
    // VALID in SOURCES.md: no error (documentation placeholders may still warn).
    for file in [
        "01-awsdocs-crr-single.json",
        "02-awsdocs-crr-filter.json",
        "03-awsdocs-crr-multi-dest.json",
        "04-awsdocs-cross-account.json",
        "05-awsdocs-multi-rules.json",
        "07-awsdocs-remove-all.json",
        "17-moto-basic.json",
        "18-moto-two-rules.json",
        "19-moto-same-source.json",
        "41-idx-prod-dash-two-accounts.json",
        "42-idx-crossregion-trailing-slash.json",
    ] {
        assert_eq!(codes(&dir, file, &[]), Vec::<String>::new(), "{file} is VALID");
    }
    let expect = |file: &str, args: &[&str], expected: &[&str]| {
        assert_eq!(codes(&dir, file, args), expected, "{file}");
    };
    // INVALID, with the reasons SOURCES.md lists.
    expect("06-awsdocs-configure-placeholder.json", &[], &["ECR202", "ECR204"]);
    expect("31-awscli-skeleton.json", &[], &["ECR001"]);
    expect("32-cdk-v1-docs-placeholder.json", &[], &["ECR201", "ECR202", "ECR204"]);
    expect("33-idx-myapp-wildcard.json", &[], &["ECR205"]);
    expect("34-idx-prod-wildcard-crossregion.json", &[], &["ECR205"]);
    expect("35-idx-shared-wildcard-crossaccount.json", &[], &["ECR205"]);
    expect("36-idx-cheatsheet-prod-wildcard.json", &[], &["ECR205"]);
    expect("43-idx-ecr-deep-dive-placeholder.json", &[], &["ECR204"]);
    // CONTEXT: invalid when applied in eu-central-1 by account 123456789012.
    expect(
        "19-moto-same-source.json",
        &[
            "--source-region",
            "eu-central-1",
            "--source-registry-id",
            "123456789012",
        ],
        &["ECR306"],
    );
    // 01 assumes the call is made outside us-west-2.
    expect(
        "01-awsdocs-crr-single.json",
        &["--source-region", "us-west-2", "--source-registry-id", "111122223333"],
        &["ECR306"],
    );
}

#[test]
fn no_file_in_the_corpus_crashes_the_linter() {
    let Some(dir) = common::shared("corpus/real") else {
        return;
    };
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        let out = common::ecrlint()
            .current_dir(&dir)
            .args(["check", "--format", "json", &name])
            .output()
            .unwrap();
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{name}: {:?}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("a JSON report");
        n += 1;
    }
    assert!(n >= 44);
}
