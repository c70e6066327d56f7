//! Fixes: every fix's before → after pair under tests/fixes/<CODE>-<name>/
//! (`<case>.<ext>` fixed with `check --fix`, `--unsafe-fixes` too for a
//! case named `unsafe-*`, must be `<case>.fixed.<ext>` byte for byte), and
//! the command line's --fix, --diff, --unsafe-fixes and standard input.

mod common;
#[path = "common/duplicates.rs"]
mod duplicates;

use common::ecrlint;
use duplicates::{duplicate_and_nested_filters, identical_destinations};
use std::fs;
use std::path::{Path, PathBuf};

fn fixes_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixes")
}

/// Every case: (rule folder, before file, expected file).
fn cases() -> Vec<(String, PathBuf, PathBuf)> {
    let mut cases = Vec::new();
    for rule in fs::read_dir(fixes_dir()).unwrap() {
        let rule = rule.unwrap().path();
        let code = rule.file_name().unwrap().to_string_lossy().to_string();
        for file in fs::read_dir(&rule).unwrap() {
            let file = file.unwrap().path();
            let name = file.file_name().unwrap().to_string_lossy().to_string();
            if name.contains(".fixed.") {
                continue;
            }
            let (stem, ext) = name.rsplit_once('.').unwrap();
            cases.push((code.clone(), file.clone(), rule.join(format!("{stem}.fixed.{ext}"))));
        }
    }
    cases.sort();
    cases
}

fn is_unsafe(file: &Path) -> bool {
    file.file_name().unwrap().to_string_lossy().starts_with("unsafe-")
}

/// Copies `file` into a new folder and runs `check --isolated` with `args` on it.
fn fix_copy(file: &Path, args: &[&str]) -> (Vec<u8>, i32, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let name = file.file_name().unwrap();
    fs::copy(file, dir.path().join(name)).unwrap();
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated"])
        .args(args)
        .arg(name)
        .output()
        .unwrap();
    let fixed = fs::read(dir.path().join(name)).unwrap();
    (fixed, out.status.code().unwrap_or(-1), dir)
}

#[test]
fn every_fix_turns_its_before_file_into_its_after_file() {
    let cases = cases();
    assert!(cases.len() >= 22, "{} cases", cases.len());
    let schema: serde_json::Value = serde_json::from_str(
        &fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/report.schema.json")).unwrap(),
    )
    .unwrap();
    let schema = jsonschema::validator_for(&schema).unwrap();
    for (code, before, expected) in &cases {
        let code = &code[..6];
        // The rule's finding carries the fix.
        let out = ecrlint()
            .args(["check", "--isolated", "--format", "json"])
            .arg(before)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let errors: Vec<String> = schema
            .iter_errors(&report)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", before.display());
        let applicability = if is_unsafe(before) { "unsafe" } else { "safe" };
        assert!(
            report["files"][0]["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d["code"] == code && d["fix"]["applicability"] == applicability),
            "{}: no {applicability} {code} fix in {report}",
            before.display()
        );
        let mut args = vec!["--fix"];
        if is_unsafe(before) {
            args.push("--unsafe-fixes");
            // Without --unsafe-fixes, nothing changes.
            let (unchanged, _, _) = fix_copy(before, &["--fix"]);
            assert_eq!(unchanged, fs::read(before).unwrap(), "{}", before.display());
        }
        let (fixed, _, _) = fix_copy(before, &args);
        let want = fs::read(expected).unwrap_or_else(|_| panic!("{} is missing", expected.display()));
        assert!(
            fixed == want,
            "{}:\n{}\nwanted:\n{}",
            before.display(),
            String::from_utf8_lossy(&fixed),
            String::from_utf8_lossy(&want)
        );
        // A fixed point: fixing the result changes nothing.
        let (again, _, _) = fix_copy(expected, &args);
        assert_eq!(again, want, "{} is not a fixed point", expected.display());
    }
    // Every fixable rule has cases, and every case is a fixable rule's.
    for meta in ecrlint::rules::RULES.iter().map(|r| r.meta).filter(|m| m.fixable()) {
        assert!(
            cases.iter().any(|(c, _, _)| c.starts_with(meta.code)),
            "{} has no fix case",
            meta.code
        );
    }
    for (code, _, _) in &cases {
        let fixable = ecrlint::rules::find(&code[..6]).is_some_and(|m| m.fixable());
        assert!(fixable, "{code} is not fixable");
    }
    // Each rule's fixes in JSON and in YAML; an account setting is only
    // ever Terraform (`.tf`, `.tf.json`).
    const TERRAFORM_ONLY: &[&str] = &["ECR521"];
    for (code, _, _) in &cases {
        let formats: &[&str] = if TERRAFORM_ONLY.contains(&&code[..6]) {
            &["json", "tf"]
        } else {
            &["json", "yaml"]
        };
        for ext in formats.iter().copied() {
            assert!(
                cases.iter().any(|(c, f, _)| c == code && f.extension().unwrap() == ext),
                "{code} has no {ext} case"
            );
        }
    }
}

const FIXABLE: &str = "{\n  \"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}],\n    \"repositoryFilters\": [{\"filter\": \"prod\", \"filterType\": \"PREFIX\"}, {\"filter\": \"web/*\", \"filterType\": \"PREFIX_MATCH\"}]}]\n}\n";
const CLEAN: &str =
    "{\"rules\": [{\"destinations\": [{\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}]}]}\n";

#[test]
fn fix_writes_in_place_keeps_permissions_and_leaves_clean_files_alone() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "a.json", FIXABLE);
    common::write(dir.path(), "clean.json", CLEAN);
    let clean = dir.path().join("clean.json");
    let old = std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    fs::File::options()
        .write(true)
        .open(&clean)
        .unwrap()
        .set_modified(old)
        .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir.path().join("a.json"), fs::Permissions::from_mode(0o640)).unwrap();
    }
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--fix", "a.json", "clean.json"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    // The glob is left (its fix is unsafe): findings remain, exit 1.
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("1 fixed, 1 remaining (1 fixable with --unsafe-fixes)."),
        "{stdout}"
    );
    let fixed = fs::read_to_string(dir.path().join("a.json")).unwrap();
    assert_eq!(fixed, FIXABLE.replace("\"PREFIX\"", "\"PREFIX_MATCH\""));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir.path().join("a.json")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o640);
    }
    assert_eq!(fs::read_to_string(&clean).unwrap(), CLEAN);
    assert_eq!(fs::metadata(&clean).unwrap().modified().unwrap(), old);
    // No temporary file is left.
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    // --unsafe-fixes takes the rest.
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--fix", "--unsafe-fixes", "a.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(fs::read_to_string(dir.path().join("a.json"))
        .unwrap()
        .contains("\"web/\""));
}

#[test]
fn diff_shows_what_fix_would_do_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "a.json", FIXABLE);
    common::write(dir.path(), "clean.json", CLEAN);
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--diff", "a.json", "clean.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.starts_with("--- a/a.json\n+++ b/a.json\n@@"), "{stdout}");
    assert!(stdout.contains("\n-    \"repositoryFilters\": [{\"filter\": \"prod\", \"filterType\": \"PREFIX\"}"));
    assert!(stdout.contains("\n+    \"repositoryFilters\": [{\"filter\": \"prod\", \"filterType\": \"PREFIX_MATCH\"}"));
    assert!(!stdout.contains("clean.json"));
    assert_eq!(fs::read_to_string(dir.path().join("a.json")).unwrap(), FIXABLE);
    // Nothing to change: exit 0, no output.
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--diff", "clean.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    // --fix and --diff do not go together.
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--fix", "--diff", "clean.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn fix_with_standard_input_writes_the_fixed_text_to_standard_output() {
    let out = ecrlint()
        .args(["check", "--isolated", "--fix", "-", "--stdin-filename", "x.json"])
        .write_stdin(FIXABLE)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        FIXABLE.replace("\"PREFIX\"", "\"PREFIX_MATCH\"")
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("ECR205"), "the report goes to standard error: {stderr}");
    assert_eq!(out.status.code(), Some(1));
    // Nothing to fix: the text comes back unchanged.
    let out = ecrlint()
        .args(["check", "--isolated", "--fix", "-"])
        .write_stdin(CLEAN)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), CLEAN);
    assert_eq!(out.status.code(), Some(0));
}

/// A file ecrlint cannot replace: in a folder nothing can be created in.
#[cfg(unix)]
#[test]
fn a_file_that_cannot_be_written_is_reported_and_the_others_are_still_fixed() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "locked/a.json", FIXABLE);
    common::write(dir.path(), "open/b.json", FIXABLE);
    let locked = dir.path().join("locked");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores permissions: an immutable folder then, where that works.
    // SAFETY: geteuid has no preconditions.
    let root = unsafe { libc::geteuid() } == 0;
    let immutable = root
        && std::process::Command::new("chattr")
            .arg("+i")
            .arg(&locked)
            .status()
            .is_ok_and(|s| s.success());
    if root && !immutable {
        eprintln!("skipped: running as root without chattr");
        return;
    }
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--fix", "locked/a.json", "open/b.json"])
        .output()
        .unwrap();
    if immutable {
        let _ = std::process::Command::new("chattr").arg("-i").arg(&locked).status();
    }
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write the fixes to locked/a.json"), "{stderr}");
    assert_eq!(fs::read_to_string(dir.path().join("locked/a.json")).unwrap(), FIXABLE);
    assert!(fs::read_to_string(dir.path().join("open/b.json"))
        .unwrap()
        .contains("\"PREFIX_MATCH\"}, {"));
    // The unwritten file is reported as it is: its ECR201 stays.
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("locked/a.json:3:"), "{stdout}");
    assert!(stdout.contains("1 fixed, 3 remaining"), "{stdout}");
}

#[test]
fn a_fix_that_would_add_a_finding_is_reported_and_not_written() {
    // Lower-casing the first Region would make it a duplicate of the second (ECR301).
    let text = "{\"rules\": [{\"destinations\": [{\"region\": \"US-WEST-2\", \"registryId\": \"210987654321\"}, {\"region\": \"us-west-2\", \"registryId\": \"210987654321\"}]}]}\n";
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "a.json", text);
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--fix", "a.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(
            "warning: a.json: fix not applied (ECR202 Replace `US-WEST-2` with `us-west-2`): it would add a finding"
        ),
        "{stderr}"
    );
    assert_eq!(fs::read_to_string(dir.path().join("a.json")).unwrap(), text);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn ecrlint_toml_marks_rules_unfixable() {
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "a.json", FIXABLE);
    common::write(
        dir.path(),
        ".ecrlint.toml",
        "[fix]\nunfixable = [\"invalid-filter-type\"]\n",
    );
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--fix", "--unsafe-fixes", "a.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    // The glob is fixed; the filter type, unfixable, is left and offers no fix.
    let fixed = fs::read_to_string(dir.path().join("a.json")).unwrap();
    assert_eq!(fixed, FIXABLE.replace("web/*", "web/"));
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--format", "json", "a.json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let d = &report["files"][0]["diagnostics"][0];
    assert_eq!((d["code"].as_str(), d.get("fix")), (Some("ECR201"), None), "{report}");
    // `fixable` lists the only rules that are; a misspelt rule is an error.
    common::write(
        dir.path(),
        ".ecrlint.toml",
        "[fix]\nfixable = [\"ECR205\"]\nunfixable = [\"ECR2O5\"]\n",
    );
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "a.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr).unwrap().contains("unknown rule `ECR2O5`"));
}

/// The work of fixing many duplicates does not grow with their number: the
/// same few lints of the file for 1,000 as for 10,000 (each fix used to be
/// built by a pass over the whole list, and neighbouring removals waited
/// for a pass each), and every duplicate goes.
#[test]
fn many_duplicates_are_fixed_in_as_many_lints_whatever_their_number() {
    use ecrlint::fix::apply::Mode;
    use ecrlint::fix_loop::{fix_text, Linter};
    use ecrlint::lint::{lint, Origin, Outcome};
    let settings = ecrlint::settings::Settings::default();
    let read_as = ecrlint::syntax::ReadAs::Format(ecrlint::syntax::SourceFormat::Json);
    let linter = Linter {
        read_as,
        origin: Origin::Named,
        settings: &settings,
    };
    type Make = fn(usize) -> String;
    let cases: [(Make, &str, &str); 2] = [
        (identical_destinations, "destinations", "ECR301"),
        (duplicate_and_nested_filters, "repositoryFilters", "ECR303"),
    ];
    for (make, list, code) in cases {
        let mut work = Vec::new();
        for n in [1_000, 10_000] {
            let text = make(n);
            let Outcome::Linted { diagnostics, .. } = lint(text.as_bytes(), read_as, Origin::Named, &settings) else {
                panic!("{list}: not linted");
            };
            let found = diagnostics.iter().filter(|d| d.code == code && d.fix.is_some()).count();
            assert!(found >= n / 2 - 1, "{list} × {n}: {found} {code} with a fix");
            let fixed = fix_text(&text, linter, Mode::Unsafe);
            let after: serde_json::Value = serde_json::from_str(&fixed.text).unwrap();
            assert_eq!(after["rules"][0][list].as_array().unwrap().len(), 1, "{list} × {n}");
            work.push(fixed.lints);
        }
        assert!(work[0] == work[1] && work[1] <= 4, "{list}: lints {work:?}");
    }
}

/// `--sync` flushes each fixed file before it replaces the original: the
/// same result, and only with `--fix`.
#[test]
fn sync_fixes_the_same_and_needs_fix() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.json"), FIXABLE).unwrap();
    fs::write(dir.path().join("b.json"), FIXABLE).unwrap();
    ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--fix", "--sync", "a.json"])
        .output()
        .unwrap();
    ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--fix", "b.json"])
        .output()
        .unwrap();
    let (a, b) = (
        fs::read(dir.path().join("a.json")).unwrap(),
        fs::read(dir.path().join("b.json")).unwrap(),
    );
    assert_ne!(a, FIXABLE.as_bytes(), "fixed");
    assert_eq!(a, b);
    let out = ecrlint()
        .current_dir(dir.path())
        .args(["check", "--isolated", "--sync", "a.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--fix"));
}

/// A cap on findings kept whole bounds what each lint of the fix loop
/// holds: the fixes past it are kept as their edits alone and applied in
/// the same pass, and the result is the same as with every finding kept
/// (text, fixes applied, findings left, counted past the cap).
#[test]
fn fixes_past_the_cap_on_findings_are_applied_as_edits_in_the_same_pass() {
    use ecrlint::fix::apply::Mode;
    use ecrlint::fix_loop::{fix_text, Linter};
    let read_as = ecrlint::syntax::ReadAs::Format(ecrlint::syntax::SourceFormat::Json);
    let unbounded = ecrlint::settings::Settings::default();
    let capped = ecrlint::settings::Settings {
        max_findings: Some(100),
        ..ecrlint::settings::Settings::default()
    };
    let linter = |settings| Linter {
        read_as,
        origin: ecrlint::lint::Origin::Named,
        settings,
    };
    type Make = fn(usize) -> String;
    let cases: [(Make, &str); 2] = [
        (identical_destinations, "destinations"),
        (duplicate_and_nested_filters, "repositoryFilters"),
    ];
    for (make, list) in cases {
        let text = make(1_000);
        let all = fix_text(&text, linter(&unbounded), Mode::Unsafe);
        let few = fix_text(&text, linter(&capped), Mode::Unsafe);
        assert_eq!(few.text, all.text, "{list}");
        assert_eq!(
            (few.applied, few.dropped.len()),
            (all.applied, all.dropped.len()),
            "{list}"
        );
        assert!(
            all.applied >= 999 && all.omitted.total() == 0,
            "{list}: {}",
            all.applied
        );
        // Not a pass per 100 fixes (ten and more lints before): at most
        // the lint of the report's first 100 findings more.
        assert!(
            few.lints <= all.lints + 1,
            "{list}: {} lints capped, {} not",
            few.lints,
            all.lints
        );
        let (left_all, left_few) = (all.diagnostics.unwrap(), few.diagnostics.unwrap());
        assert!(left_few.len() <= 100, "{list}");
        assert_eq!(left_few.len() + few.omitted.total(), left_all.len(), "{list}");
        assert_eq!(left_few[..], left_all[..left_few.len()], "{list}");
    }
}
