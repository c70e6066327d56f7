//! The real public snippets in `tests/data/corpus/` (see its SOURCES.md):
//! the API payloads get the verdicts SOURCES.md gives them, and no file of
//! any kind makes ecrlint panic or exit with an internal error.

mod common;

use std::path::Path;

/// The codes of the errors, and of ECR206's warnings too: a documentation
/// example account (a warning, as it deploys) left in a file is what
/// SOURCES.md calls INVALID as-is, as other placeholders (errors) are.
fn codes(dir: &Path, file: &str, args: &[&str]) -> Vec<String> {
    findings(dir, file, args, true)
}

fn errors(dir: &Path, file: &str, args: &[&str]) -> Vec<String> {
    findings(dir, file, args, false)
}

fn findings(dir: &Path, file: &str, args: &[&str], placeholders: bool) -> Vec<String> {
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
        .filter(|d| d["severity"] == "error" || (placeholders && d["code"] == "ECR206"))
        .map(|d| d["code"].as_str().unwrap().to_string())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn api_payloads_get_their_verdicts() {
    let dir = common::data("corpus");
    // VALID in SOURCES.md: no error (documentation example accounts may still warn).
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
        assert_eq!(errors(&dir, file, &[]), Vec::<String>::new(), "{file} is VALID");
    }
    let expect = |file: &str, args: &[&str], expected: &[&str]| {
        assert_eq!(codes(&dir, file, args), expected, "{file}");
    };
    // INVALID, with the reasons SOURCES.md lists.
    expect("06-awsdocs-configure-placeholder.json", &[], &["ECR206"]);
    expect("31-awscli-skeleton.json", &[], &["ECR001"]);
    expect("32-cdk-v1-docs-placeholder.json", &[], &["ECR206"]);
    expect("33-idx-myapp-wildcard.json", &[], &["ECR205", "ECR206"]);
    expect("34-idx-prod-wildcard-crossregion.json", &[], &["ECR205", "ECR206"]);
    expect("35-idx-shared-wildcard-crossaccount.json", &[], &["ECR205", "ECR206"]);
    expect("36-idx-cheatsheet-prod-wildcard.json", &[], &["ECR205", "ECR206"]);
    expect("43-idx-ecr-deep-dive-placeholder.json", &[], &["ECR206"]);
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
fn cloudformation_and_yaml_get_their_verdicts() {
    let dir = common::data("corpus");
    let all = |file: &str, args: &[&str]| {
        let out = common::ecrlint()
            .current_dir(&dir)
            .args(["check", "--format", "json", file])
            .args(args)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut codes: Vec<String> = report["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_string())
            .collect();
        codes.dedup();
        (
            report["files"][0]["document"].as_str().unwrap_or("none").to_string(),
            codes,
        )
    };
    // VALID: recognised, no error.
    for file in [
        "08-cfnprovider-inputs_1_create.json",
        "10-cfnprovider-inputs_1_update.json",
        "11-cfnprovider-inputs_2_create.json",
        "12-cfnprovider-inputs_2_update.json",
        "16-cfn-userguide-example.yaml",
        "39-idx-cfn-yaml-trailing-slash.yaml",
        "40-idx-cfn-yaml-two-accounts.yaml",
        "44-idx-cfn-yaml-ref-filter.yaml",
    ] {
        assert_eq!(errors(&dir, file, &[]), Vec::<String>::new(), "{file} has no error");
        assert!(
            all(file, &[]).0.starts_with("cloudformation-"),
            "{file} is recognised as CloudFormation"
        );
    }
    let expect = |file: &str, args: &[&str], expected: &[&str]| {
        assert_eq!(codes(&dir, file, args), expected, "{file}");
    };
    // INVALID, for the reasons SOURCES.md gives.
    assert_eq!(
        all("09-cfnprovider-inputs_1_invalid.json", &[]).1[0],
        "ECR203",
        "us-unkown-1 is flagged"
    );
    expect("13-cfnprovider-overrides.json", &[], &["ECR003"]);
    expect("14-cfnprovider-pr20-sample.json", &[], &["ECR204"]);
    expect("15-cfn-userguide-example-fragment.json", &[], &["ECR001"]);
    expect("20-alchemy-minimal-invalid.json", &[], &["ECR102", "ECR201", "ECR205"]);
    expect("21-alchemy-advanced-invalid.json", &[], &["ECR102", "ECR201", "ECR205"]);
    expect("22-alchemy-string-config.json", &[], &["ECR103"]);
    expect("37-idx-yaml-unquoted-registryid.yaml", &[], &["ECR103"]);
    expect("38-idx-yaml-placeholder-registryid.yaml", &[], &["ECR206"]);
    // CONTEXT: 39 replicates to us-east-1 in its own account, so applied in us-east-1 it
    // is the source itself.
    expect(
        "39-idx-cfn-yaml-trailing-slash.yaml",
        &["--source-region", "us-east-1"],
        &["ECR306"],
    );
    // Kubernetes custom resources are not shapes ecrlint knows.
    expect("23-crossplane-1877.yaml", &[], &["ECR003"]);
    expect("30-ack-pr121-replication.yaml", &[], &["ECR003"]);
}

#[test]
fn no_file_in_the_corpus_crashes_the_linter() {
    let dir = common::data("corpus");
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

#[test]
fn terraform_files_get_their_verdicts() {
    let dir = common::data("corpus");
    // Each `.tf` file here comes from another repository: it is linted
    // alone in a folder, as it was there (the corpus folder is no module).
    let run = |file: &str, args: &[&str]| {
        let alone = tempfile::tempdir().unwrap();
        std::fs::copy(dir.join(file), alone.path().join(file)).unwrap();
        let out = common::ecrlint()
            .current_dir(alone.path())
            .args(["check", "--format", "json", file])
            .args(args)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let document = report["files"][0]["document"].as_str().unwrap_or("none").to_string();
        (document, errors(alone.path(), file, args))
    };
    // INVALID: `region = "eu-west-1` has no closing quote.
    assert_eq!(run("24-tf-issue-21230.tf", &[]).1, ["ECR001"]);
    // VALID, and CONTEXT files whose open values are expressions: no error, never on a variable.
    for file in [
        "25-tf-issue-16668.tf",
        "26-tf-docs-repository-filter.tf",
        "27-tfmodules-ecr-complete.tf",
        "28-cloud-infra-education-replication.tf",
        "29-vstefanov-kutt-ecr-global.tf",
    ] {
        assert_eq!(run(file, &[]), ("terraform".to_string(), vec![]), "{file}");
    }
    // CONTEXT: 28 replicates to us-west-2 in the same account (its caller identity
    // uses the resource's provider), so applied from us-west-2 it is the source.
    assert_eq!(
        run(
            "28-cloud-infra-education-replication.tf",
            &["--source-region", "us-west-2"]
        )
        .1,
        ["ECR306"]
    );
    // CONTEXT, a module folder: its defaults are placeholders Terraform rejects
    // (a list for a string) or a collection in another file; nothing is guessed.
    let out = common::ecrlint()
        .current_dir(&dir)
        .args([
            "check",
            "--isolated",
            "--format",
            "json",
            "45-acarvalhooo-ecr-replication",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    // (Isolated: the repository's own configuration excludes `tests/**`,
    // and the run read no file at all.)
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["files"].as_array().map(Vec::len), Some(2), "{report}");
    // CONTEXT, a root module calling local modules: the replication
    // resource's Region is the caller's variable without a default, set in
    // a tfvars file Terraform loads only when named; with a Region slip
    // passed as CI would pass it, the caller's input is ECR203. The module
    // folder, walked as a folder of its own, reports its empty default.
    let module = dir.join("46-vstefanov-kutt-infrastructure");
    let by_file = |args: &[&str]| {
        let (report, exit) = common::json_report(&module, args);
        let found: Vec<(String, Vec<String>)> = common::codes_by_file(&report)
            .into_iter()
            .filter(|(_, codes)| !codes.is_empty())
            .collect();
        (found, exit)
    };
    let s = |t: &str| t.to_string();
    let empty_default = (s("modules/ecr-global/variables.tf"), vec![s("ECR202")]);
    assert_eq!(by_file(&["--isolated", "."]), (vec![empty_default.clone()], 1));
    assert_eq!(by_file(&["--isolated", "--skip-unrecognised", "main.tf"]), (vec![], 0));
    assert_eq!(
        by_file(&[
            "--isolated",
            "--var-file",
            "environments/dev.tfvars",
            "--skip-unrecognised",
            "main.tf"
        ]),
        (vec![], 0)
    );
    assert_eq!(
        by_file(&["--isolated", "--var", "ecr_replication_group_region_name=us-est-1", "."]),
        (vec![(s("main.tf"), vec![s("ECR203")]), empty_default], 1)
    );
    assert_eq!(
        by_file(&[
            "--isolated",
            "--var",
            "ecr_replication_group_region_name=us-est-1",
            "--skip-unrecognised",
            "main.tf"
        ]),
        (vec![(s("main.tf"), vec![s("ECR203")])], 1)
    );
    // 26's destination Region comes from `data.aws_regions`: unknown, never reported.
    assert_eq!(
        run("26-tf-docs-repository-filter.tf", &["--source-region", "us-east-1"]).1,
        Vec::<String>::new()
    );
}
