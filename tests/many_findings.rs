//! A file with very many findings: at most `--max-findings` are kept and
//! shown, in every format, each format says how many more there are, and
//! the exit code, the summary and `--statistics` count every one. `--fix`
//! still fixes them all.

mod common;

use std::path::Path;

/// One rule with `n` copies of one destination: the first is an example
/// account (ECR206), each later copy a duplicate (ECR301, with a safe fix)
/// and an example account again: 2n - 1 findings, and ECR104 for the list.
fn many_destinations(n: usize) -> String {
    let destination = r#"{"region": "us-west-2", "registryId": "111122223333"}"#;
    let list = vec![destination; n].join(",\n");
    format!("{{\"rules\": [{{\"destinations\": [\n{list}\n]}}]}}\n")
}

/// Runs `check` on `text` as `many.json` with these arguments; the exit
/// code and standard output.
fn check(text: &str, args: &[&str]) -> (i32, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("many.json"), text).unwrap();
    let out = common::ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--color", "never"])
        .args(args)
        .arg("many.json")
        .output()
        .unwrap();
    (out.status.code().unwrap(), String::from_utf8(out.stdout).unwrap())
}

const NOT_SHOWN: &str = "1990 more findings of this file not shown (the first 10 are; `--max-findings 0` shows all); \
                         the exit code and the summary count them";

#[test]
fn every_format_says_how_many_findings_are_not_shown_and_fails() {
    // 1,000 copies: 999 ECR301, 1,000 ECR206, one ECR104: 2,000 findings.
    let text = many_destinations(1_000);
    for format in ecrlint::cli::output_formats() {
        let format = format.as_str();
        let (code, out) = check(&text, &["--max-findings", "10", "--format", format]);
        assert_eq!(code, 1, "{format}: the findings not shown still fail the run");
        assert_eq!(out.matches(NOT_SHOWN).count(), 1, "{format}:\n{out}");
        match format {
            "human" => {
                assert!(out.contains("1 error, 1999 warnings in 1 of 1 file"), "{out}");
                let headings = out.lines().filter(|l| l.contains("many.json:") && l.contains(" ECR"));
                assert_eq!(headings.count(), 10, "{out}");
            }
            "concise" => {
                assert_eq!(out.lines().count(), 11, "{out}");
                assert_eq!(out.lines().last(), Some(format!("many.json: {NOT_SHOWN}").as_str()));
            }
            "json" => {
                let report: serde_json::Value = serde_json::from_str(&out).unwrap();
                let schema: serde_json::Value = serde_json::from_str(
                    &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json"))
                        .unwrap(),
                )
                .unwrap();
                let validator = jsonschema::validator_for(&schema).unwrap();
                let errors: Vec<String> = validator.iter_errors(&report).map(|e| e.to_string()).collect();
                assert!(errors.is_empty(), "{errors:?}");
                let file = &report["files"][0];
                assert_eq!(file["diagnostics"].as_array().unwrap().len(), 10);
                assert_eq!(file["omitted"]["count"], 1990);
                assert_eq!(file["omitted"]["kept"], 10);
                let by_rule: u64 = file["omitted"]["rules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| r["count"].as_u64().unwrap())
                    .sum();
                assert_eq!(by_rule, 1990);
                assert_eq!(report["summary"]["errors"], 1);
                assert_eq!(report["summary"]["warnings"], 1999);
            }
            "sarif" => {
                let log: serde_json::Value = serde_json::from_str(&out).unwrap();
                let run = &log["runs"][0];
                assert_eq!(run["results"].as_array().unwrap().len(), 10);
                let note = &run["invocations"][0]["toolExecutionNotifications"][0];
                assert_eq!(note["level"], "note");
                assert_eq!(note["message"]["text"], format!("many.json: {NOT_SHOWN}"));
                assert_eq!(run["invocations"][0]["executionSuccessful"], true);
            }
            "github" => {
                assert_eq!(
                    out.lines()
                        .filter(|l| l.starts_with("::warning") || l.starts_with("::error"))
                        .count(),
                    10
                );
                assert!(
                    out.contains(&format!(
                        "::notice file=many.json,title=ecrlint::many.json: {NOT_SHOWN}"
                    )),
                    "{out}"
                );
            }
            "gitlab" => {
                let issues: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
                assert_eq!(issues.len(), 11);
                let last = issues.last().unwrap();
                assert_eq!(last["check_name"], "findings-not-shown");
                // The worst of the findings not shown: ECR104 (an error) is
                // at the 26th destination, past the ten kept.
                assert_eq!(last["severity"], "major");
            }
            "junit" => {
                assert_eq!(out.matches("<testcase ").count(), 11, "{out}");
                assert!(
                    out.contains(r#"<testsuite name="many.json" tests="11" failures="11" errors="0">"#),
                    "{out}"
                );
                assert!(out.contains(r#"<testcase name="findings-not-shown" classname="many.json">"#));
            }
            "checkstyle" => {
                assert_eq!(out.matches("<error ").count(), 11, "{out}");
                assert!(
                    out.contains(&format!(
                        r#"<error line="1" severity="error" message="{NOT_SHOWN}" source="ecrlint.findings-not-shown"/>"#
                    )),
                    "{out}"
                );
            }
            other => panic!("no check for the format {other}"),
        }
    }
}

#[test]
fn statistics_count_the_findings_not_shown() {
    let (code, out) = check(&many_destinations(1_000), &["--max-findings", "10", "--statistics"]);
    assert_eq!(code, 1);
    assert!(out.contains("1000  ECR206  placeholder-value\n"), "{out}");
    assert!(
        out.contains(" 999  ECR301  duplicate-destination  (999 fixable)\n"),
        "{out}"
    );
    assert!(out.contains("   1  ECR104  list-length\n"), "{out}");
}

#[test]
fn the_cap_by_default_is_ten_thousand_and_zero_keeps_all() {
    // 6,000 copies: 12,000 findings.
    let text = many_destinations(6_000);
    let (code, out) = check(&text, &["--format", "concise"]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 10_001);
    assert!(out.ends_with(
        "many.json: 2000 more findings of this file not shown (the first 10000 are; `--max-findings 0` shows all); \
         the exit code and the summary count them\n"
    ));
    let (code, out) = check(&text, &["--format", "concise", "--max-findings", "0"]);
    assert_eq!(code, 1);
    assert_eq!(out.lines().count(), 12_000);
    assert!(!out.contains("not shown"));
}

#[test]
fn fix_applies_every_fix_though_few_findings_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.json");
    std::fs::write(&path, many_destinations(1_000)).unwrap();
    let out = common::ecrlint()
        .current_dir(dir.path())
        .args([
            "check",
            "--isolated",
            "--fix",
            "--max-findings",
            "5",
            "--format",
            "concise",
            "many.json",
        ])
        .output()
        .unwrap();
    // The example account is left: a finding, exit 1.
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        many_destinations(1),
        "every duplicate is removed"
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(stdout.contains("ECR206"), "{stdout}");
}

/// Peak resident memory of `check` on `file` in `dir`, in bytes: of that
/// process alone (its own `wait4`; the children's maximum would be the
/// largest of every test's runs so far).
// `wait4` below reaps the child, which `Child::wait` would then not find.
#[allow(clippy::zombie_processes)]
fn peak_rss(dir: &Path, file: &str, args: &[&str]) -> u64 {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_ecrlint"))
        .current_dir(dir)
        .args(["check", "--isolated", "--format", "concise"])
        .args(args)
        .arg(file)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
    // SAFETY: waits for our own child, filling the status and the struct given.
    let usage = unsafe {
        assert_eq!(
            libc::wait4(child.id() as libc::pid_t, &mut status, 0, usage.as_mut_ptr()),
            child.id() as libc::pid_t
        );
        usage.assume_init()
    };
    assert!(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 1, "{status}");
    usage.ru_maxrss as u64 * 1024
}

#[test]
fn memory_for_many_findings_is_bounded_by_the_input_not_the_findings() {
    // 90,000 copies, 5 MB: 180,000 findings, 10,000 kept by default. Before
    // the cap applied where rules push, this run peaked at 41 times the
    // input (every finding whole); all of them kept is still about that.
    let dir = tempfile::tempdir().unwrap();
    let text = many_destinations(90_000);
    std::fs::write(dir.path().join("many.json"), &text).unwrap();
    std::fs::write(dir.path().join("tiny.json"), many_destinations(1)).unwrap();
    // What the process takes for a file with one finding: the binary, the
    // schema, the allocator's arenas; the rest is what the file costs.
    let start_up = peak_rss(dir.path(), "tiny.json", &[]);
    let peak = peak_rss(dir.path(), "many.json", &[]);
    let ratio = (peak.saturating_sub(start_up)) as f64 / text.len() as f64;
    // The input, its syntax tree (about 4 times the text), the document
    // view, the check across files' destinations (without their pointers),
    // a few bytes per finding counted and 10,000 kept whole: 13.3 times (a
    // debug build, 2026-12-07), 13.2 once counted findings had no pointer,
    // 9.1 with the smaller span tree and a destination repeated in its rule
    // kept once. Issue 22's goal is under 10 times.
    assert!(
        ratio < 10.0,
        "peak {peak} bytes over {start_up} at start: {ratio:.1} times the input"
    );
}

#[test]
fn memory_for_fixing_many_findings_is_bounded_by_the_input_not_the_fixes() {
    // 45,000 copies, 2.5 MB: 45,000 fixes. Before, the fix loop linted
    // without the cap and held every finding of two texts whole (41 times
    // the input in release); now each lint keeps 10,000 fixable findings
    // whole and 8 bytes of every other, and of the fixes past them only
    // their edits.
    let dir = tempfile::tempdir().unwrap();
    let text = many_destinations(45_000);
    std::fs::write(dir.path().join("many.json"), &text).unwrap();
    std::fs::write(dir.path().join("tiny.json"), many_destinations(1)).unwrap();
    let start_up = peak_rss(dir.path(), "tiny.json", &["--fix"]);
    let peak = peak_rss(dir.path(), "many.json", &["--fix"]);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("many.json")).unwrap(),
        many_destinations(1),
        "every duplicate is removed"
    );
    let ratio = (peak.saturating_sub(start_up)) as f64 / text.len() as f64;
    // A lint's peak (as `check`) with the edits of the fixes past the cap
    // (48 bytes a deletion), the text as read, and 10,000 findings whole
    // for the report of the text as read: 23.2 times in a
    // debug build on 2026-12-07, 22.8 once counted findings had no
    // pointer, 20.7 once every fix was applied in the first pass (a pass
    // per 10,000 fixes held two texts and their findings whole), 17.0 with
    // the smaller span tree and a repeated destination kept once, 15.7
    // with the lint's trees dropped before its findings are settled, the
    // text as read not copied and the edits past the cap held compactly.
    assert!(
        ratio < 16.5,
        "peak {peak} bytes over {start_up} at start: {ratio:.1} times the input"
    );
}

/// The instruction guard's 1 MB `.tf` (scripts/instruction-counts'
/// `big_terraform`): one resource of `rules` rules, each of 8 destinations
/// and 20 filters.
fn big_terraform(rules: usize) -> String {
    let regions = ["us-west-2", "eu-west-1", "ap-northeast-1", "us-east-2"];
    let mut out =
        String::from("resource \"aws_ecr_replication_configuration\" \"big\" {\n  replication_configuration {\n");
    for rule in 0..rules {
        out.push_str("    rule {\n");
        for d in 0..8 {
            out.push_str(&format!(
                "      destination {{\n        region      = \"{}\"\n        registry_id = \"2{rule:06}{d:05}\"\n      }}\n",
                regions[d % 4]
            ));
        }
        for f in 0..20 {
            out.push_str(&format!(
                "      repository_filter {{\n        filter      = \"team{rule}/svc-{f}/\"\n        filter_type = \"PREFIX_MATCH\"\n      }}\n"
            ));
        }
        out.push_str("    }\n");
    }
    out.push_str("  }\n}\n");
    out
}

#[test]
fn memory_for_a_large_tf_file_is_bounded_by_the_input() {
    // 375 rules, 1 MB. Each file alone in its folder: a folder is one module.
    let dir = tempfile::tempdir().unwrap();
    let text = big_terraform(375);
    // Ten rules: 80 destinations, over ECR's 25 (ECR305), so both runs find something.
    for (folder, content) in [("big", &text), ("tiny", &big_terraform(10))] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
        std::fs::write(dir.path().join(folder).join("main.tf"), content).unwrap();
    }
    let start_up = peak_rss(dir.path(), "tiny/main.tf", &[]);
    let peak = peak_rss(dir.path(), "big/main.tf", &[]);
    let ratio = (peak.saturating_sub(start_up)) as f64 / text.len() as f64;
    // hcl-edit's tree of the whole file (about 15 times the text) was the
    // peak: 19.5 times (a debug build, 2026-12-08); parsed a piece at a time, 5.2 in
    // release.
    assert!(
        ratio < 8.0,
        "peak {peak} bytes over {start_up} at start: {ratio:.1} times the input"
    );
}
