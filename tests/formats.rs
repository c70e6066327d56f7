//! Every output format, parsed back the way its consumers parse it.

mod common;

use common::{copy_tree, ecrlint};
use regex::Regex;
use serde_json::Value;
use std::fs;
use std::path::Path;

/// A folder with a mix of findings: snippets, labels, multi-line spans,
/// characters that need escaping, and a non-ASCII column.
fn sample() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| fs::write(dir.path().join(name), text).unwrap();
    write(
        "a, b%.json",
        "{\n  \"rules\": [\n    {\n      \"destinations\": [\n        {\"region\": \"us-west-2\", \"registryId\": \"2109876543\"},\n        {\"region\": \"us-west-2\",\n         \"registryId\": \"2109876543\"}\n      ],\n      \"repositoryFilters\": [{\"filter\": \"prod/*\", \"filterType\": \"PREFIX\"}]\n    }\n  ]\n}\n",
    );
    write(
        "é.json",
        "{\"rules\": [{\"destinations\": [{\"region\": \"ünknown\", \"registryId\": \"210987654321\"}]}]}\n",
    );
    write(
        "ok.json",
        "{\"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}]}]}\n",
    );
    dir
}

fn output(dir: &Path, format: &str) -> (String, i32) {
    let out = ecrlint()
        .current_dir(dir)
        .args(["check", "--color", "never", "--format", format, "."])
        .output()
        .unwrap();
    (String::from_utf8(out.stdout).unwrap(), out.status.code().unwrap())
}

/// (path, line, column, code) of every finding, from the JSON report.
fn expected(dir: &Path) -> Vec<(String, u64, u64, String, String)> {
    let (json, _) = output(dir, "json");
    let report: Value = serde_json::from_str(&json).unwrap();
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["diagnostics"].as_array().unwrap().iter().map(|d| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    d["start"]["line"].as_u64().unwrap(),
                    d["start"]["column"].as_u64().unwrap(),
                    d["code"].as_str().unwrap().to_string(),
                    d["message"].as_str().unwrap().to_string(),
                )
            })
        })
        .collect()
}

#[test]
fn concise_lines_parse_with_an_errorformat_style_pattern() {
    let dir = sample();
    let (text, code) = output(dir.path(), "concise");
    assert_eq!(code, 1);
    // What Vim's `%f:%l:%c: %t%*[a-z][%m` and the VS Code problem matcher of docs/integrations/ read.
    // A fixable finding's message follows `[*] ` (`[*unsafe] ` when only --unsafe-fixes fixes it).
    let line =
        Regex::new(r"^(.+):(\d+):(\d+): (error|warning|info)\[(ECR\d{3}) ([a-z-]+)\] (?:\[\*(unsafe)?\] )?(.+)$")
            .unwrap();
    let mut marks = Vec::new();
    let parsed: Vec<_> = text
        .lines()
        .map(|l| {
            let c = line.captures(l).unwrap_or_else(|| panic!("unparsable line: {l}"));
            marks.push(
                l.contains("] [*")
                    .then(|| if c.get(7).is_some() { "unsafe" } else { "safe" }),
            );
            (
                c[1].to_string(),
                c[2].parse().unwrap(),
                c[3].parse().unwrap(),
                c[5].to_string(),
                c[8].to_string(),
            )
        })
        .collect();
    assert_eq!(parsed, expected(dir.path()));
    let (json, _) = output(dir.path(), "json");
    let report: Value = serde_json::from_str(&json).unwrap();
    let fixes: Vec<Option<&str>> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .map(|d| d["fix"]["applicability"].as_str())
        .collect();
    assert_eq!(marks, fixes, "{text}");
    assert!(
        marks.contains(&Some("safe")),
        "the sample has a fixable finding: {text}"
    );
    assert!(
        parsed.iter().any(|p| p.0 == "é.json" && p.2 == 41),
        "columns count characters: {parsed:?}"
    );
}

#[test]
fn github_annotations_parse_back_and_keep_the_summary() {
    let dir = sample();
    let (text, _) = output(dir.path(), "github");
    let unescape = |s: &str| {
        s.replace("%0A", "\n")
            .replace("%0D", "\r")
            .replace("%3A", ":")
            .replace("%2C", ",")
            .replace("%25", "%")
    };
    let command = Regex::new(r"^::(error|warning|notice) ([^:]*)::(.*)$").unwrap();
    let mut parsed = Vec::new();
    let mut messages = Vec::new();
    let mut rest = Vec::new();
    for l in text.lines() {
        let Some(c) = command.captures(l) else {
            rest.push(l);
            continue;
        };
        let props: std::collections::HashMap<&str, String> = c[2]
            .split(',')
            .map(|kv| kv.split_once('=').unwrap())
            .map(|(k, v)| (k, unescape(v)))
            .collect();
        let message = unescape(&c[3]);
        let first_line = message.split('\n').next().unwrap().to_string();
        let title = props["title"].clone();
        parsed.push((
            props["file"].clone(),
            props["line"].parse::<u64>().unwrap(),
            props.get("col").map(|c| c.parse::<u64>().unwrap()),
            title.split(' ').next().unwrap().to_string(),
            first_line,
        ));
        messages.push(message);
        if props.contains_key("col") {
            assert_eq!(props["line"], props["endLine"], "columns only on single-line spans");
        }
    }
    let expected = expected(dir.path());
    assert_eq!(parsed.len(), expected.len());
    // The whole annotation message survives the escaping: the finding's
    // message, then its help on a line of its own.
    let (json, _) = output(dir.path(), "json");
    let report: Value = serde_json::from_str(&json).unwrap();
    let full: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap().iter())
        .map(|d| match d["help"].as_str() {
            Some(help) => format!("{}\nhelp: {help}", d["message"].as_str().unwrap()),
            None => d["message"].as_str().unwrap().to_string(),
        })
        .collect();
    assert_eq!(messages, full);
    assert!(
        full.iter().any(|m| m.contains("\nhelp: ")),
        "the sample has findings with help"
    );
    for (p, e) in parsed.iter().zip(&expected) {
        assert_eq!((&p.0, p.1, &p.3, &p.4), (&e.0, e.1, &e.3, &e.4));
        if let Some(col) = p.2 {
            assert_eq!(col, e.2);
        }
    }
    assert!(
        parsed.iter().any(|p| p.0 == "a, b%.json"),
        "file names with `,` and `%` survive escaping"
    );
    assert!(
        parsed.iter().any(|p| p.2.is_none()),
        "a multi-line span (the duplicate destination) has no col"
    );
    assert!(text.contains("::error file=a%2C b%25.json,"));
    assert!(
        rest.iter().any(|l| l.starts_with("✖ ")),
        "the summary is still printed: {rest:?}"
    );
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let dir = sample();
    let (text, _) = output(dir.path(), "sarif");
    let sarif: Value = serde_json::from_str(&text).unwrap();
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif/sarif-2.1.0.schema.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let run = &sarif["runs"][0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), ecrlint::rules::RULES.len());
    let r204 = rules.iter().find(|r| r["id"] == "ECR204").unwrap();
    assert_eq!(r204["name"], "invalid-registry-id");
    assert_eq!(r204["defaultConfiguration"]["level"], "error");
    assert!(r204["helpUri"]
        .as_str()
        .unwrap()
        .ends_with("/rules/ECR204-invalid-registry-id.md"));
    assert!(r204["fullDescription"]["text"]
        .as_str()
        .unwrap()
        .starts_with("A `registryId`"));
    let r310 = rules.iter().find(|r| r["id"] == "ECR310").unwrap();
    assert_eq!(r310["defaultConfiguration"]["enabled"], false);

    let results = run["results"].as_array().unwrap();
    let expected = expected(dir.path());
    assert_eq!(results.len(), expected.len());
    for (r, e) in results.iter().zip(&expected) {
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(r["ruleId"], e.3.as_str());
        assert_eq!(loc["region"]["startLine"], e.1);
        assert_eq!(loc["region"]["startColumn"], e.2);
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], r["ruleId"]);
    }
    let dup = results.iter().find(|r| r["ruleId"] == "ECR301").unwrap();
    assert_eq!(dup["relatedLocations"][0]["message"]["text"], "first listed here");
    assert_eq!(dup["level"], "warning");
    // Fixes: a removal, and a replacement of the filter type.
    let change = &dup["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "a%2C%20b%25.json");
    assert_eq!(change["replacements"][0]["insertedContent"]["text"], "");
    assert_eq!(dup["fixes"][0]["properties"]["applicability"], "safe");
    let ty = results.iter().find(|r| r["ruleId"] == "ECR201").unwrap();
    let replacement = &ty["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "\"PREFIX_MATCH\"");
    assert_eq!(
        replacement["deletedRegion"]["byteLength"],
        "\"PREFIX\"".len(),
        "{replacement}"
    );
    assert!(results
        .iter()
        .any(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "a%2C%20b%25.json"));
}

#[test]
fn output_file_takes_the_report_and_the_terminal_the_summary() {
    let dir = sample();
    let to_file = |format: &str| {
        ecrlint()
            .current_dir(dir.path())
            .args([
                "check",
                "--color",
                "never",
                "--format",
                format,
                "--output-file",
                "out/report.txt",
                ".",
            ])
            .output()
            .unwrap()
    };
    for format in ecrlint::cli::output_formats() {
        let format = format.as_str();
        // The folder out/ is made when it does not exist yet.
        let _ = fs::remove_dir_all(dir.path().join("out"));
        let out = to_file(format);
        assert_eq!(out.status.code(), Some(1), "{format}");
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.starts_with("✖ "), "{format}: {stdout}");
        // The findings, the explain hint, and what --fix would fix.
        assert_eq!(stdout.lines().count(), 3, "{format}: only the summary: {stdout}");
        assert!(
            stdout.lines().last().unwrap().contains("fixable with --fix"),
            "{format}: {stdout}"
        );
        let report = fs::read_to_string(dir.path().join("out/report.txt")).unwrap();
        let (direct, _) = output(dir.path(), format);
        assert!(
            direct.starts_with(&report),
            "{format}: the file holds what stdout would"
        );
        let leftovers: Vec<_> = fs::read_dir(dir.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
        fs::remove_dir_all(dir.path().join("out")).unwrap();
    }
}

#[test]
fn skip_unrecognised_passes_over_unrelated_named_files_only() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("package.json"),
        r#"{"name": "app", "version": "1.0.0"}"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("tsconfig.json"),
        "{\n  // comment\n  \"compilerOptions\": {}\n}",
    )
    .unwrap();
    fs::write(dir.path().join("broken.json"), "{\"rules\": [{\"destinations\": [}]}").unwrap();
    let out = ecrlint()
        .current_dir(dir.path())
        .args([
            "check",
            "--format",
            "concise",
            "--skip-unrecognised",
            "package.json",
            "tsconfig.json",
            "broken.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(text.lines().count(), 1);
    assert!(text.starts_with("broken.json:1:"), "{text}");
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--skip-unrecognised", "package.json", "tsconfig.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn a_file_that_cannot_be_checked_is_recorded_in_sarif_and_github_output() {
    let dir = sample();
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling.json")).unwrap();
    let (text, code) = output(dir.path(), "sarif");
    assert_eq!(code, 2);
    let sarif: Value = serde_json::from_str(&text).unwrap();
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/sarif/sarif-2.1.0.schema.json");
    let schema: Value = serde_json::from_str(&fs::read_to_string(schema_path).unwrap()).unwrap();
    let validator = jsonschema::options().build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&sarif).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notification = &invocation["toolExecutionNotifications"][0];
    assert_eq!(notification["level"], "error");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "dangling.json"
    );
    // A clean run says so too.
    fs::remove_file(dir.path().join("dangling.json")).unwrap();
    let (text, _) = output(dir.path(), "sarif");
    let sarif: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(sarif["runs"][0]["invocations"][0]["executionSuccessful"], true);

    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling.json")).unwrap();
    let (text, code) = output(dir.path(), "github");
    assert_eq!(code, 2);
    assert!(
        text.lines()
            .any(|l| l.starts_with("::error file=dangling.json,title=ecrlint::dangling.json: cannot read")),
        "{text}"
    );
}

/// The fields GitLab reads from a Code Quality report (its documentation's
/// "Implement a custom tool" table, with `check_name`), checked on every issue.
fn gitlab_issues(text: &str) -> Vec<Value> {
    let issues: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let issues = issues.as_array().expect("a JSON array").clone();
    let hex = Regex::new("^[0-9a-f]{32}$").unwrap();
    for issue in &issues {
        assert!(issue["description"].as_str().is_some_and(|d| !d.is_empty()), "{issue}");
        assert!(issue["check_name"].as_str().is_some_and(|c| !c.is_empty()), "{issue}");
        assert!(hex.is_match(issue["fingerprint"].as_str().unwrap()), "{issue}");
        assert!(
            ["info", "minor", "major", "critical", "blocker"].contains(&issue["severity"].as_str().unwrap()),
            "{issue}"
        );
        let path = issue["location"]["path"].as_str().unwrap();
        assert!(!path.starts_with('/') && !path.starts_with("./"), "relative: {path}");
        let lines = &issue["location"]["lines"];
        assert!(
            lines["begin"].as_u64().is_some_and(|l| l >= 1),
            "an integer line: {issue}"
        );
        assert!(lines["end"].as_u64() >= lines["begin"].as_u64(), "{issue}");
    }
    let mut fingerprints: Vec<_> = issues.iter().map(|i| i["fingerprint"].as_str().unwrap()).collect();
    fingerprints.sort_unstable();
    let count = fingerprints.len();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), count, "GitLab shows one issue per fingerprint");
    issues
}

#[test]
fn gitlab_code_quality_holds_every_finding_with_gitlab_fields() {
    let dir = sample();
    let (text, code) = output(dir.path(), "gitlab");
    assert_eq!(code, 1, "the exit code is the same as for every format");
    assert!(!text.contains('✖'), "standard output is only the report (no summary)");
    let issues = gitlab_issues(&text);
    let expected = expected(dir.path());
    assert_eq!(issues.len(), expected.len());
    let (json, _) = output(dir.path(), "json");
    let report: Value = serde_json::from_str(&json).unwrap();
    let diagnostics: Vec<&Value> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().unwrap())
        .collect();
    for ((issue, e), d) in issues.iter().zip(&expected).zip(&diagnostics) {
        assert_eq!(issue["location"]["path"], e.0.as_str());
        assert_eq!(issue["location"]["lines"]["begin"], e.1);
        assert_eq!(issue["location"]["lines"]["end"], d["end"]["line"]);
        assert_eq!(issue["check_name"], e.3.as_str());
        let description = issue["description"].as_str().unwrap();
        assert!(description.starts_with(&e.4), "{description}");
        if let Some(help) = d["help"].as_str() {
            assert!(description.ends_with(&format!("\nhelp: {help}")), "{description}");
        }
        let severity = match d["severity"].as_str().unwrap() {
            "error" => "major",
            "warning" => "minor",
            _ => "info",
        };
        assert_eq!(issue["severity"], severity);
    }
    // The sample's two identical mistakes (the same registry ID twice) are
    // two issues with two fingerprints.
    assert!(issues.iter().filter(|i| i["check_name"] == "ECR204").count() >= 2);

    // Stable: the same findings have the same fingerprints on the next run,
    // also after lines are added above them (the fingerprint holds the
    // finding's place in the document, not its line).
    let fingerprints = |text: &str| -> Vec<(String, String)> {
        gitlab_issues(text)
            .iter()
            .map(|i| {
                (
                    i["check_name"].as_str().unwrap().to_string(),
                    i["fingerprint"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let before = fingerprints(&text);
    assert_eq!(before, fingerprints(&output(dir.path(), "gitlab").0));
    let shifted = fs::read_to_string(dir.path().join("a, b%.json"))
        .unwrap()
        .replacen('{', "{\n\n\n", 1);
    fs::write(dir.path().join("a, b%.json"), shifted).unwrap();
    let (text, _) = output(dir.path(), "gitlab");
    let after = gitlab_issues(&text);
    assert_eq!(before, fingerprints(&text));
    assert_eq!(
        after[0]["location"]["lines"]["begin"].as_u64().unwrap(),
        issues[0]["location"]["lines"]["begin"].as_u64().unwrap() + 3,
        "the line moved, the fingerprint did not"
    );
}

#[test]
fn gitlab_paths_are_relative_to_the_project_even_when_named_absolute() {
    let dir = sample();
    let absolute = dir.path().join("é.json");
    for arg in [absolute.to_str().unwrap(), "./é.json", "é.json"] {
        let out = ecrlint()
            .current_dir(dir.path())
            .args(["check", "--format", "gitlab", arg])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let issues = gitlab_issues(&String::from_utf8(out.stdout).unwrap());
        assert!(!issues.is_empty());
        for issue in &issues {
            assert_eq!(issue["location"]["path"], "é.json", "{arg}");
        }
    }
}

#[test]
fn gitlab_reports_a_clean_run_as_an_empty_array_and_an_unreadable_file_as_critical() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("ok.json"),
        "{\"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}]}]}\n",
    )
    .unwrap();
    let (text, code) = output(dir.path(), "gitlab");
    assert_eq!((text.as_str(), code), ("[]\n", 0));
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling.json")).unwrap();
    let (text, code) = output(dir.path(), "gitlab");
    assert_eq!(code, 2);
    let issues = gitlab_issues(&text);
    assert_eq!(issues.len(), 1, "{text}");
    assert_eq!(issues[0]["check_name"], "file-not-checked");
    assert_eq!(issues[0]["severity"], "critical");
    assert_eq!(issues[0]["location"]["path"], "dangling.json");
    assert!(
        issues[0]["description"].as_str().unwrap().contains("cannot read"),
        "{text}"
    );
}

#[test]
fn gitlab_report_snapshot() {
    let dir = sample();
    let (text, _) = output(dir.path(), "gitlab");
    insta::assert_snapshot!(text);
}

/// Everything the check can emit reaches the GitLab report: Terraform files,
/// findings of the check across files (whose other-file labels, which an
/// issue's one location cannot show, follow the help as `see:` lines),
/// unused suppressions (ECR005) with suppressed findings left out as in
/// every format, and a file that could not be checked.
#[test]
fn gitlab_reports_terraform_checks_across_files_suppressions_and_unreadable_files() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let dir = tempfile::tempdir().unwrap();
    copy_tree(
        &fixtures.join("ECR506-missing-replication-grant/invalid-two-accounts-terraform"),
        dir.path(),
    );
    fs::copy(
        fixtures.join("ECR005-unused-suppression/invalid-terraform-comments.tf"),
        dir.path().join("suppressions.tf"),
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("broken.tf")).unwrap();

    let (text, code) = output(dir.path(), "gitlab");
    assert_eq!(code, 2, "a file could not be checked:\n{text}");
    let issues = gitlab_issues(&text);
    let (json, _) = output(dir.path(), "json");
    let report: Value = serde_json::from_str(&json).unwrap();
    let mut expected = Vec::new();
    for file in report["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        if file["error"].is_string() {
            expected.push((path.to_string(), 1, 1, "file-not-checked".to_string(), "critical", None));
        }
        for d in file["diagnostics"].as_array().unwrap() {
            let mut description = d["message"].as_str().unwrap().to_string();
            if let Some(help) = d["help"].as_str() {
                description.push_str(&format!("\nhelp: {help}"));
            }
            for label in d["labels"].as_array().unwrap() {
                if let Some(other) = label["path"].as_str() {
                    description.push_str(&format!(
                        "\nsee: {other}:{}: {}",
                        label["start"]["line"],
                        label["message"].as_str().unwrap()
                    ));
                }
            }
            let severity = match d["severity"].as_str().unwrap() {
                "error" => "major",
                "warning" => "minor",
                _ => "info",
            };
            expected.push((
                path.to_string(),
                d["start"]["line"].as_u64().unwrap(),
                d["end"]["line"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
                severity,
                Some(description),
            ));
        }
    }
    let got: Vec<_> = issues
        .iter()
        .map(|i| {
            let check = i["check_name"].as_str().unwrap().to_string();
            let description = i["description"].as_str().unwrap().to_string();
            (
                i["location"]["path"].as_str().unwrap().to_string(),
                i["location"]["lines"]["begin"].as_u64().unwrap(),
                i["location"]["lines"]["end"].as_u64().unwrap(),
                check.clone(),
                i["severity"].as_str().unwrap(),
                (check != "file-not-checked").then_some(description),
            )
        })
        .collect();
    assert_eq!(got, expected);

    let codes = |path: &str| -> Vec<&str> {
        issues
            .iter()
            .filter(|i| i["location"]["path"] == path)
            .map(|i| i["check_name"].as_str().unwrap())
            .collect()
    };
    assert_eq!(codes("broken.tf"), ["file-not-checked"]);
    // The ECR005 fixture's findings: three unused or unknown codes, and its
    // ECR206 suppressed (absent from every format).
    assert_eq!(
        codes("suppressions.tf").iter().filter(|c| **c == "ECR005").count(),
        3,
        "{text}"
    );
    assert!(!codes("suppressions.tf").contains(&"ECR206"), "{text}");
    // The check across files: the configuration's issues name the registry
    // policies they are about.
    let grants: Vec<&str> = issues
        .iter()
        .filter(|i| i["check_name"] == "ECR506")
        .map(|i| i["description"].as_str().unwrap())
        .collect();
    assert_eq!(grants.len(), 2, "{text}");
    assert!(grants
        .iter()
        .any(|d| d.contains("\nsee: destination/prod/registry-policy.tf:5: this policy should grant")));
    assert!(grants
        .iter()
        .any(|d| d.contains("\nsee: destination/dr/registry-policy.tf:6: this policy grants")));
    assert_eq!(codes("destination/dr/registry-policy.tf"), ["ECR502"]);
}

/// `xmllint --schema` (Debian's libxml2-utils) on `report` against `xsd`:
/// whether it is valid, and what xmllint said.
fn xmllint_valid(xsd: &str, report: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.xml");
    fs::write(&file, report).unwrap();
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(xsd);
    let out = std::process::Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("xmllint runs (apt-get install libxml2-utils)");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// A sample with a file name and messages holding XML's markup characters,
/// a clean file, and a file that cannot be read.
fn xml_sample() -> tempfile::TempDir {
    let dir = sample();
    fs::write(
        dir.path().join("<a&b>.json"),
        "{\"rules\": [{\"destinations\": [{\"region\": \"us-\\\"<&>\", \"registryId\": \"210987654321\"}]}]}\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("broken.json")).unwrap();
    dir
}

#[test]
#[ignore = "needs xmllint"]
fn junit_report_is_valid_against_its_schema() {
    let dir = xml_sample();
    let (text, code) = output(dir.path(), "junit");
    assert_eq!(code, 2, "a file could not be read:\n{text}");
    let (valid, said) = xmllint_valid("junit.xsd", &text);
    assert!(valid, "{said}\n{text}");
}

#[test]
#[ignore = "needs xmllint"]
fn checkstyle_report_is_valid_against_its_schema() {
    let dir = xml_sample();
    let (text, code) = output(dir.path(), "checkstyle");
    assert_eq!(code, 2, "a file could not be read:\n{text}");
    let (valid, said) = xmllint_valid("checkstyle.xsd", &text);
    assert!(valid, "{said}\n{text}");
}

#[test]
#[ignore = "needs xmllint"]
fn the_xml_schemas_reject_what_they_should() {
    // The schemas are not vacuous: a finding without its line, or an unknown severity, fails.
    let (valid, _) = xmllint_valid(
        "checkstyle.xsd",
        "<checkstyle version=\"4.3\"><file name=\"a\"><error severity=\"error\" message=\"m\" source=\"s\"/></file></checkstyle>",
    );
    assert!(!valid);
    let (valid, _) = xmllint_valid(
        "junit.xsd",
        "<testsuites><testsuite name=\"a\" tests=\"1\" failures=\"1\" errors=\"0\"><testcase name=\"x\" classname=\"a\"><failure message=\"m\" type=\"fatal\">t</failure></testcase></testsuite></testsuites>",
    );
    assert!(!valid);
}

/// The attribute `name` of every `<tag ` element in `text`, unescaped.
fn attributes(text: &str, tag: &str, name: &str) -> Vec<String> {
    text.split(&format!("<{tag} "))
        .skip(1)
        .map(|element| {
            let element = &element[..element.find('>').unwrap()];
            let start = element
                .find(&format!(" {name}=\""))
                .or_else(|| element.starts_with(&format!("{name}=\"")).then_some(0));
            let start = start.expect("attribute present");
            let rest = &element[start..];
            let value = rest.split('"').nth(1).unwrap();
            value
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&#10;", "\n")
                .replace("&amp;", "&")
        })
        .collect()
}

/// Both XML formats report every finding of the JSON report, in its order,
/// at its line, and every file checked (clean and unreadable ones too).
#[test]
fn junit_and_checkstyle_hold_every_finding_and_file() {
    let dir = xml_sample();
    let findings = expected(dir.path());
    let (json, _) = output(dir.path(), "json");
    let report: Value = serde_json::from_str(&json).unwrap();
    let files: Vec<String> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert!(files.iter().any(|f| f == "<a&b>.json") && files.iter().any(|f| f == "broken.json"));

    let (checkstyle, _) = output(dir.path(), "checkstyle");
    assert!(checkstyle.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"));
    assert!(checkstyle.ends_with("</checkstyle>\n"));
    assert_eq!(attributes(&checkstyle, "file", "name"), files);
    let sources: Vec<String> = attributes(&checkstyle, "error", "source")
        .into_iter()
        .filter(|s| s != "ecrlint.file-not-checked")
        .collect();
    let lines: Vec<String> = attributes(&checkstyle, "error", "line");
    assert_eq!(sources.len(), findings.len(), "{checkstyle}");
    for (source, f) in sources.iter().zip(&findings) {
        assert!(source.starts_with(&format!("ecrlint.{}.", f.3)), "{source} for {f:?}");
    }
    assert_eq!(lines.len(), findings.len() + 1, "and one for the unreadable file");
    let messages = attributes(&checkstyle, "error", "message");
    for f in &findings {
        assert!(messages.iter().any(|m| m.starts_with(&f.4)), "{f:?} in {checkstyle}");
    }

    let (junit, _) = output(dir.path(), "junit");
    assert!(junit.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"ecrlint\">\n"));
    assert!(junit.ends_with("</testsuites>\n"));
    assert_eq!(attributes(&junit, "testsuite", "name"), files);
    assert_eq!(junit.matches("<failure ").count(), findings.len());
    assert_eq!(junit.matches("<error ").count(), 1);
    let failures = attributes(&junit, "failure", "message");
    let found: Vec<&String> = findings.iter().map(|f| &f.4).collect();
    assert_eq!(failures.iter().collect::<Vec<_>>(), found);
    // ok.json has no finding: one passing test case.
    assert!(junit.contains("<testsuite name=\"ok.json\" tests=\"1\" failures=\"0\" errors=\"0\">\n    <testcase name=\"no findings\" classname=\"ok.json\"/>"));
}
