//! Input written to attack the reader or the machine: terminal escapes and
//! invisible characters in values and file names, endless and huge inputs,
//! and runs where nothing could be checked.

mod common;

use common::ecrlint;
use serde_json::Value;
use std::fs;

/// Every format's standard output for `args`, with the exit code.
fn every_format(dir: &std::path::Path, paths: &[&str]) -> Vec<(String, String, i32)> {
    ecrlint::cli::output_formats()
        .into_iter()
        .map(|format| {
            let out = ecrlint()
                .current_dir(dir)
                .args(["check", "--color", "never", "--format", &format])
                .args(paths)
                .output()
                .unwrap();
            (
                format,
                String::from_utf8(out.stdout).unwrap(),
                out.status.code().unwrap(),
            )
        })
        .collect()
}

#[test]
fn values_quoted_in_messages_are_escaped_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    // An unknown key that erases the previous line, a Region with a
    // zero-width space, and a filter reordered by U+202E with a NUL.
    fs::write(
        dir.path().join("evil.json"),
        r#"{"rules": [{"destinations": [{"region": "us-\u200bwest-2", "registryId": "210987654321", "\u001b[1A\u001b[2Kx\r": 1}], "repositoryFilters": [{"filter": "a\u202eb\u0000*", "filterType": "PREFIX_MATCH"}]}]}"#,
    )
    .unwrap();
    for (format, out, code) in every_format(dir.path(), &["evil.json"]) {
        assert_eq!(code, 1, "{format}: {out}");
        for raw in ['\u{1b}', '\u{200b}', '\u{202e}', '\0', '\r'] {
            assert!(!out.contains(raw), "{format}: raw {raw:?} in {out}");
        }
        // JSON and SARIF hold the escape as text: `\\u{1b}` inside a JSON string.
        let escaped = if matches!(format.as_str(), "json" | "sarif" | "gitlab") {
            r"\\u{1b}[1A\\u{1b}[2Kx\\u{d}"
        } else {
            r"\u{1b}[1A\u{1b}[2Kx\u{d}"
        };
        assert!(out.contains(escaped), "{format}: {out}");
        assert!(
            out.contains("us-\\u{200b}west-2") || out.contains("us-\\\\u{200b}west-2"),
            "{format}: {out}"
        );
        if matches!(format.as_str(), "json" | "sarif" | "gitlab") {
            serde_json::from_str::<Value>(&out).unwrap_or_else(|e| panic!("{format}: {e}"));
        }
    }
}

#[cfg(unix)]
#[test]
fn file_names_never_split_a_line_and_every_name_can_be_opened() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let finding = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "21098765432"}]}]}"#;
    fs::write(dir.path().join("new\nline.json"), finding).unwrap();
    fs::write(dir.path().join("back\\slash.json"), finding).unwrap();
    let latin1 = std::ffi::OsStr::from_bytes(b"caf\xe9.json");
    fs::write(dir.path().join(latin1), finding).unwrap();
    // Shown alike (`caf\u{fffd}.json` when lossy), yet another file.
    let other = std::ffi::OsStr::from_bytes(b"caf\xe8.json");
    fs::write(dir.path().join(other), finding).unwrap();
    let outputs = every_format(dir.path(), &["."]);
    let get = |f: &str| outputs.iter().find(|(n, ..)| n == f).unwrap().1.clone();

    let concise = get("concise");
    assert_eq!(concise.lines().count(), 4, "{concise}");
    assert!(concise.contains("new\\u{a}line.json:1:"), "{concise}");
    assert!(concise.contains("caf\\xe9.json:1:"), "{concise}");
    assert!(concise.contains("caf\\xe8.json:1:"), "{concise}");
    assert!(get("human").contains("new\\u{a}line.json:1:"));

    // JSON: the real name, and its bytes when it is not UTF-8 (as the schema documents).
    let json: Value = serde_json::from_str(&get("json")).unwrap();
    let schema: Value = serde_json::from_str(
        &fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json"))
            .unwrap(),
    )
    .unwrap();
    let errors: Vec<String> = jsonschema::validator_for(&schema)
        .unwrap()
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let files = json["files"].as_array().unwrap();
    let by_path = |p: &str| {
        files
            .iter()
            .find(|f| f["path"] == p)
            .unwrap_or_else(|| panic!("{p}: {json}"))
    };
    assert!(by_path("new\nline.json").get("path_bytes").is_none());
    let names: Vec<Vec<u8>> = files
        .iter()
        .filter_map(|f| f.get("path_bytes"))
        .map(|bytes| {
            bytes
                .as_array()
                .unwrap()
                .iter()
                .map(|b| b.as_u64().unwrap() as u8)
                .collect()
        })
        .collect();
    assert_eq!(names, [b"caf\xe8.json", b"caf\xe9.json"]);
    assert!(by_path("back\\slash.json")["diagnostics"].is_array());

    // SARIF: the real bytes, percent-encoded; a backslash is part of a POSIX name.
    let sarif: Value = serde_json::from_str(&get("sarif")).unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        uris,
        ["back%5Cslash.json", "caf%E8.json", "caf%E9.json", "new%0Aline.json"]
    );
}

#[test]
fn endless_and_special_inputs_are_refused_not_read_forever() {
    let started = std::time::Instant::now();
    #[cfg(unix)]
    {
        let out = ecrlint().args(["check", "/dev/zero"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("/dev/zero: cannot read: not a regular file"),
            "{stderr}"
        );

        let out = ecrlint()
            .args(["check", "--config", "/dev/zero", "x.json"])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("not a regular file"), "{stderr}");

        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("ecrlint"))
            .args(["check", "--max-file-size", "1MiB", "-"])
            .stdin(fs::File::open("/dev/zero").unwrap())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains("<stdin>: cannot read: larger than the 1 MiB limit (--max-file-size raises it)"),
            "{stderr}"
        );
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(30));

    // A file over the limit is an error; raising the limit lints it.
    let dir = tempfile::tempdir().unwrap();
    let big = format!(
        r#"{{"rules": [{{"destinations": [{{"region": "us-west-2", "registryId": "210987654321"}}]}}]}}{}"#,
        " ".repeat(2000)
    );
    fs::write(dir.path().join("big.json"), big).unwrap();
    let run = |size: &str| {
        ecrlint()
            .current_dir(dir.path())
            .args(["check", "--color", "never", "--max-file-size", size, "big.json"])
            .output()
            .unwrap()
    };
    let out = run("1KiB");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("larger than the 1 KiB limit"));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .contains("✖ 1 file could not be checked"));
    assert_eq!(run("4KB").status.code(), Some(0));
    assert_eq!(run("lots").status.code(), Some(2), "not a size");
}

#[test]
fn a_run_that_checked_nothing_never_says_no_problems_found() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("ok.json"),
        r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "210987654321"}]}]}"#,
    )
    .unwrap();
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--color", "never", "missing.json", "gone.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, "✖ 2 files could not be checked (see the errors above).\n");

    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--color", "never", "missing.json", "ok.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        stdout,
        "✖ 1 file could not be checked (see the errors above).\nNo problems found in the other file.\n"
    );

    fs::write(
        dir.path().join("bad.json"),
        r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "2109876543"}]}]}"#,
    )
    .unwrap();
    let out = ecrlint()
        .current_dir(dir.path())
        .args([
            "check",
            "--color",
            "never",
            "--format",
            "github",
            "missing.json",
            "bad.json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("✖ 1 file could not be checked (see the errors above).\n✖ 1 error in 1 of 1 file.\n"),
        "{stdout}"
    );
}

#[test]
fn stdin_filename_without_standard_input_is_a_usage_error() {
    let out = ecrlint()
        .args(["check", "--stdin-filename", "x.json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("add `-` to the paths"));
}

#[test]
fn human_output_shows_a_bounded_number_of_findings_per_file_machine_formats_all() {
    let rules: Vec<String> = (0..7)
        .map(|i| format!(r#"{{"destinations": [{{"region": "us-west-2", "registryId": "1{i}"}}]}}"#))
        .collect();
    let text = format!(r#"{{"rules": [{}]}}"#, rules.join(","));
    let run = |args: &[&str]| {
        let out = ecrlint()
            .args(["check", "--color", "never"])
            .args(args)
            .arg("-")
            .write_stdin(text.clone())
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let human = run(&["--max-findings-per-file", "3"]);
    assert_eq!(human.matches("ECR204 invalid-registry-id").count(), 3, "{human}");
    assert!(human.contains("… and 4 more findings in <stdin>"), "{human}");
    assert!(human.contains("✖ 7 errors in 1 of 1 file."), "{human}");
    assert_eq!(
        run(&["--max-findings-per-file", "0"])
            .matches("ECR204 invalid-registry-id")
            .count(),
        7
    );
    let concise = run(&["--max-findings-per-file", "3", "--format", "concise"]);
    assert_eq!(concise.lines().count(), 7);
}

#[test]
fn snippets_stay_short_when_labels_are_far_apart() {
    // Two identical destinations 20,000 lines apart: the snippet shows each
    // label with its context, never the lines between them.
    let padding = "\n".repeat(20_000);
    let text = format!(
        r#"{{"rules": [{{"destinations": [{{"region": "us-west-2", "registryId": "210987654321"}},{padding}{{"region": "us-west-2", "registryId": "210987654321"}}]}}]}}"#
    );
    let out = ecrlint()
        .args(["check", "--color", "never", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("ECR301 duplicate-destination"), "{stdout}");
    assert!(stdout.lines().count() < 40, "{} lines", stdout.lines().count());
}

#[test]
fn many_unknown_keys_in_one_object_take_linear_time() {
    // 100,000 unknown keys (1.2 MB): each used to be looked up by a scan of
    // the object's members, 18 s in a release build; now about a second in debug.
    let keys: Vec<String> = (0..100_000).map(|i| format!(r#""k{i}": 1"#)).collect();
    let text = format!(
        r#"{{"rules": [{{"destinations": [{{"region": "us-west-2", "registryId": "210987654321", {}}}]}}]}}"#,
        keys.join(",")
    );
    let started = std::time::Instant::now();
    let out = ecrlint()
        .args(["check", "--format", "json", "-"])
        .write_stdin(text)
        .output()
        .unwrap();
    let elapsed = started.elapsed();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["summary"]["errors"], 100_000);
    assert!(elapsed < std::time::Duration::from_secs(30), "{elapsed:?}");
}

#[test]
fn every_format_agrees_on_positions_with_any_line_break_and_a_byte_order_mark() {
    let dir = tempfile::tempdir().unwrap();
    let body = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "2109876543"}]}]}"#;
    fs::write(
        dir.path().join("cr.json"),
        body.replacen("[{", "[\r  {", 1).replacen("[{", "[\r\n{", 1),
    )
    .unwrap();
    fs::write(dir.path().join("bom.json"), format!("\u{feff}{body}")).unwrap();
    // Line 3 in cr.json (after a lone `\r` and a `\r\n`); the mark is not a column in bom.json,
    // where it is reported at 1:1 (the AWS CLI rejects it) before the finding after it.
    let expected = [("bom.json", 1, 1), ("bom.json", 1, 68), ("cr.json", 3, 39)];
    let concise_or_github =
        regex::Regex::new(r"(?m)^(?:::error file=)?([a-z]+\.json)(?::|,line=)(\d+)(?::|,col=)(\d+)").unwrap();
    let checkstyle_error = regex::Regex::new(r#"<error line="(\d+)" column="(\d+)""#).unwrap();
    let junit_case =
        regex::Regex::new(r#"<testcase name="ECR\d{3} [a-z-]+" classname="[^"]*" file="([^"]*)" line="(\d+)""#)
            .unwrap();
    for (format, out, _) in every_format(dir.path(), &["bom.json", "cr.json"]) {
        let positions: Vec<(String, u64, u64)> = match format.as_str() {
            "json" => {
                let report: Value = serde_json::from_str(&out).unwrap();
                report["files"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .flat_map(|f| {
                        f["diagnostics"].as_array().unwrap().iter().map(|d| {
                            let (line, column) = (&d["start"]["line"], &d["start"]["column"]);
                            (
                                f["path"].as_str().unwrap().into(),
                                line.as_u64().unwrap(),
                                column.as_u64().unwrap(),
                            )
                        })
                    })
                    .collect()
            }
            "sarif" => {
                let report: Value = serde_json::from_str(&out).unwrap();
                report["runs"][0]["results"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|r| {
                        let l = &r["locations"][0]["physicalLocation"];
                        (
                            l["artifactLocation"]["uri"].as_str().unwrap().into(),
                            l["region"]["startLine"].as_u64().unwrap(),
                            l["region"]["startColumn"].as_u64().unwrap(),
                        )
                    })
                    .collect()
            }
            "checkstyle" => {
                let mut positions = Vec::new();
                for file in out.split("<file name=\"").skip(1) {
                    let path = file.split('"').next().unwrap();
                    for c in checkstyle_error.captures_iter(file) {
                        positions.push((path.into(), c[1].parse().unwrap(), c[2].parse().unwrap()));
                    }
                }
                positions
            }
            // Lines only: GitLab's issues and JUnit's test cases have no column.
            "gitlab" | "junit" => {
                let lines: Vec<(String, u64)> = if format == "gitlab" {
                    let issues: Value = serde_json::from_str(&out).unwrap();
                    issues
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|i| {
                            let l = &i["location"];
                            (
                                l["path"].as_str().unwrap().into(),
                                l["lines"]["begin"].as_u64().unwrap(),
                            )
                        })
                        .collect()
                } else {
                    junit_case
                        .captures_iter(&out)
                        .map(|c| (c[1].to_string(), c[2].parse().unwrap()))
                        .collect()
                };
                let want: Vec<(String, u64)> = expected.iter().map(|&(p, l, _)| (p.into(), l)).collect();
                assert_eq!(lines, want, "{format}: {out}");
                continue;
            }
            _ => concise_or_github
                .captures_iter(&out)
                .map(|c| (c[1].to_string(), c[2].parse().unwrap(), c[3].parse().unwrap()))
                .collect(),
        };
        let want: Vec<(String, u64, u64)> = expected.iter().map(|&(p, l, c)| (p.into(), l, c)).collect();
        assert_eq!(positions, want, "{format}: {out}");
        if format == "human" {
            // The snippet headings agree too, and no `\r` reaches the terminal.
            assert!(out.contains("╭─[bom.json:1:68]"), "{out}");
            assert!(out.contains("╭─[cr.json:3:39]"), "{out}");
            assert!(!out.contains('\r'), "{out}");
        }
    }
}

#[test]
fn a_local_module_with_a_huge_locals_block_is_followed_in_linear_time() {
    // 100,000 locals in the module (4 MB): expanding the module's tree
    // looked each member up by a scan of those before it, 46 s in a release
    // build for 200,000; now a few seconds in debug.
    let dir = tempfile::tempdir().unwrap();
    common::write(
        dir.path(),
        "main.tf",
        "module \"ecr\" {\n  source = \"./modules/ecr\"\n  region = \"eu-wst-1\"\n}\n",
    );
    common::write(
        dir.path(),
        "modules/ecr/main.tf",
        "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.region\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\n",
    );
    let locals: String = (0..100_000).map(|i| format!("  x{i} = \"{i}\"\n")).collect();
    common::write(dir.path(), "modules/ecr/locals.tf", &format!("locals {{\n{locals}}}\n"));
    let started = std::time::Instant::now();
    let (report, exit) = common::json_report(dir.path(), &["--isolated", "main.tf"]);
    let elapsed = started.elapsed();
    assert_eq!(exit, 1);
    assert_eq!(
        common::codes_by_file(&report),
        [("main.tf".to_string(), vec!["ECR203".to_string()])]
    );
    assert!(elapsed < std::time::Duration::from_secs(30), "{elapsed:?}");
}

#[path = "common/duplicates.rs"]
mod duplicates;

/// Runs `args` of ecrlint, its standard output to `out`: its exit code and
/// the CPU time (user + system) it took, its own alone (the other tests of
/// this file run theirs at the same time).
#[cfg(unix)]
#[allow(clippy::zombie_processes)] // waited for by wait4, which gives its usage
fn run_timed(args: &[&str], out: &std::path::Path) -> (i32, std::time::Duration) {
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_ecrlint"))
        .args(args)
        .stdout(fs::File::create(out).unwrap())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let (mut status, mut usage) = (0, unsafe { std::mem::zeroed::<libc::rusage>() });
    // SAFETY: waits for our own child, not waited for yet; writes only the two given.
    let waited = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(waited, child.id() as libc::pid_t);
    let time = |t: libc::timeval| std::time::Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1_000);
    (libc::WEXITSTATUS(status), time(usage.ru_utime) + time(usage.ru_stime))
}

/// Issue 22: many duplicates cost work in proportion to their number,
/// checked and fixed (200,000 identical destinations timed out after 120 s
/// and 100,000 filters took 22 s: each finding's fix was built by a pass
/// over the whole list). Ten times the duplicates take under 25 times the
/// CPU time of the process (a quadratic rule takes 100 times); CPU time,
/// not wall time, so a loaded machine does not decide it.
#[cfg(unix)]
#[test]
fn many_duplicates_are_checked_and_fixed_in_linear_time() {
    type Make = fn(usize) -> String;
    let cases: [(Make, &str); 2] = [
        (duplicates::identical_destinations, "destinations"),
        (duplicates::duplicate_and_nested_filters, "filters"),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (make, what) in cases {
        for fix in [false, true] {
            let mut cpu = Vec::new();
            for n in [8_000, 80_000] {
                let path = dir.path().join(format!("{what}-{n}.json"));
                fs::write(&path, make(n)).unwrap();
                let mut args = vec!["check", "--isolated", "--format", "concise", "--max-findings", "0"];
                if fix {
                    args.extend(["--fix", "--unsafe-fixes"]);
                }
                args.push(path.to_str().unwrap());
                let report = dir.path().join("report");
                let (code, took) = run_timed(&args, &report);
                cpu.push(took);
                if fix {
                    // Every duplicate went: the file checks clean but for what is not a duplicate.
                    let after: Value = serde_json::from_slice(&fs::read(&path).unwrap()).unwrap();
                    let list = &after["rules"][0];
                    let left = list["destinations"].as_array().unwrap().len()
                        + list["repositoryFilters"].as_array().map_or(0, Vec::len);
                    assert!(left <= 2, "{what} × {n}: {left} left");
                } else {
                    assert_eq!(code, 1, "{what} × {n}");
                    let lines = fs::read_to_string(&report).unwrap().lines().count();
                    assert!(lines >= n / 2, "{what} × {n}: {lines} findings");
                }
            }
            let ratio = cpu[1].as_secs_f64() / cpu[0].as_secs_f64().max(0.001);
            assert!(ratio < 25.0, "{what}, fix {fix}: {cpu:?} ({ratio:.1}×)");
        }
    }
}
