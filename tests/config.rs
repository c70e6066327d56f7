//! `.ecrlint.toml`: discovery, precedence, overrides, policy settings,
//! errors with spans, and `ecrlint config`.

mod common;

use common::ecrlint;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

const PLACEHOLDER: &str = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "111122223333"}]}]}"#;
const SAME_AS_SOURCE: &str =
    r#"{"rules": [{"destinations": [{"region": "us-east-1", "registryId": "210987654321"}]}]}"#;

use common::write;

fn codes(dir: &Path, args: &[&str]) -> Vec<(String, String)> {
    let (report, _) = common::json_report(dir, args);
    common::report_files(&report)
        .into_iter()
        .flat_map(|(path, diagnostics)| {
            diagnostics.into_iter().map(move |d| {
                (
                    path.clone(),
                    format!("{}:{}", d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()),
                )
            })
        })
        .collect()
}

#[test]
fn the_closest_configuration_wins_through_nested_folders() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".ecrlint.toml", "[rules]\nECR206 = \"off\"\n");
    write(
        root,
        "teams/a/.ecrlint.toml",
        "[rules]\nplaceholder-value = \"error\"\n",
    );
    write(root, "top.json", PLACEHOLDER);
    write(root, "teams/a/deep/er/x.json", PLACEHOLDER);
    write(root, "teams/b/y.json", PLACEHOLDER);
    let found = codes(root, &["."]);
    assert_eq!(
        found,
        [("teams/a/deep/er/x.json".to_string(), "ECR206:error".to_string())]
    );
}

#[test]
fn explicit_config_and_isolated() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".ecrlint.toml", "[rules]\nECR206 = \"off\"\n");
    write(root, "other.toml", "[rules]\nECR206 = \"info\"\n");
    write(root, "x.json", PLACEHOLDER);
    assert!(codes(root, &["x.json"]).is_empty());
    assert_eq!(codes(root, &["x.json", "--config", "other.toml"])[0].1, "ECR206:info");
    assert_eq!(codes(root, &["x.json", "--isolated"])[0].1, "ECR206:warning");
}

#[test]
fn overrides_apply_by_glob_relative_to_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "infra/.ecrlint.toml",
        "[[overrides]]\nfiles = [\"legacy/**\"]\nrules = { ECR206 = \"off\" }\n\n[[overrides]]\nfiles = [\"**/strict-*.json\"]\nrules = { placeholder-value = \"error\" }\n",
    );
    write(root, "infra/legacy/old/a.json", PLACEHOLDER);
    write(root, "infra/current/b.json", PLACEHOLDER);
    write(root, "infra/legacy/strict-c.json", PLACEHOLDER);
    let found = codes(root, &["."]);
    assert_eq!(
        found,
        [
            ("infra/current/b.json".to_string(), "ECR206:warning".to_string()),
            ("infra/legacy/strict-c.json".to_string(), "ECR206:error".to_string()),
        ],
        "later overrides win over earlier ones"
    );
}

#[test]
fn source_from_the_config_file_and_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".ecrlint.toml",
        "[source]\nregion = \"us-east-1\"\nregistry-id = \"210987654321\"\n[rules]\nECR306 = \"warning\"\n",
    );
    write(root, "x.json", SAME_AS_SOURCE);
    assert_eq!(
        codes(root, &["x.json"]),
        [("x.json".to_string(), "ECR306:warning".to_string())]
    );
    assert_eq!(codes(root, &["x.json", "--rule", "ECR306=error"])[0].1, "ECR306:error");
    assert!(
        codes(root, &["x.json", "--source-region", "us-west-2"]).is_empty(),
        "the flag's Region wins"
    );
}

#[test]
fn stdin_finds_the_configuration_of_its_stdin_filename() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "quiet/.ecrlint.toml", "[rules]\nECR206 = \"off\"\n");
    let run = |name: &str| {
        ecrlint()
            .current_dir(root)
            .args(["check", "--format", "json", "-", "--stdin-filename", name])
            .write_stdin(PLACEHOLDER)
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run("quiet/replication.json"), Some(0));
    assert_eq!(run("loud/replication.json"), Some(1));
}

#[test]
fn extra_regions_and_quota_override() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".ecrlint.toml",
        "[regions]\nextra = [\"eu-east-9\"]\n[policy]\nmax-unique-destinations = 1\n",
    );
    write(
        root,
        "x.json",
        r#"{"rules": [{"destinations": [{"region": "eu-east-9", "registryId": "210987654321"}, {"region": "us-west-2", "registryId": "210987654321"}]}]}"#,
    );
    assert_eq!(
        codes(root, &["x.json"]),
        [("x.json".to_string(), "ECR305:error".to_string())]
    );
}

#[test]
fn placeholders_are_errors_whatever_their_spelling_until_a_team_lowers_them() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let destination = |id: &str| {
        format!(
            r#"{{"rules": [{{"destinations": [{{"region": "us-west-2", "registryId": "{id}"}}], "repositoryFilters": [{{"filter": "prod", "filterType": "PREFIX_MATCH"}}]}}]}}"#
        )
    };
    for (i, id) in [
        "<account-id>",
        "ACCOUNT_ID",
        "DR-ACCOUNT-ID",
        "xxxxxxxxxxxx",
        "${ACCOUNT}",
        "{{ account }}",
    ]
    .iter()
    .enumerate()
    {
        write(root, &format!("deploy/{i}.json"), &destination(id));
        write(root, &format!("templates/{i}.json"), &destination(id));
    }
    // A documentation account deploys (someone else's account): a warning.
    write(root, "deploy/docs.json", &destination("111122223333"));
    write(
        root,
        ".ecrlint.toml",
        "[[overrides]]\nfiles = [\"templates/**\"]\nrules = { ECR206 = \"warning\" }\n",
    );
    let found = codes(root, &["."]);
    assert_eq!(found.len(), 13, "{found:?}");
    for (path, code) in found {
        let expected = if path.starts_with("templates/") || path == "deploy/docs.json" {
            "ECR206:warning"
        } else {
            "ECR206:error"
        };
        assert_eq!(code, expected, "{path}");
    }
}

#[test]
fn a_region_declared_extra_is_one_where_ecr_runs() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let text = r#"{"rules": [{"destinations": [{"region": "sa-west-1", "registryId": "210987654321"}], "repositoryFilters": [{"filter": "prod", "filterType": "PREFIX_MATCH"}]}]}"#;
    write(root, "x.json", text);
    assert_eq!(
        codes(root, &["x.json"]),
        [("x.json".to_string(), "ECR208:warning".to_string())]
    );
    write(root, ".ecrlint.toml", "[regions]\nextra = [\"sa-west-1\"]\n");
    // ECR has launched there: an opt-in Region like any other.
    assert_eq!(
        codes(root, &["x.json"]),
        [("x.json".to_string(), "ECR311:info".to_string())]
    );
}

#[test]
fn configuration_errors_point_at_the_value_and_exit_2() {
    let cases = [
        (
            "[sorce]\nregion = \"us-east-1\"\n",
            1,
            2,
            "unknown key `sorce`; did you mean `source`?",
        ),
        ("[rules]\nECR206 = \"loud\"\n", 2, 10, "`loud` is not a severity"),
        ("[rules]\nECR999 = \"off\"\n", 2, 1, "unknown rule `ECR999`"),
        (
            "[rules]\nplaceholder-valu = \"off\"\n",
            2,
            1,
            "did you mean `placeholder-value`",
        ),
        (
            "[source]\nregion = \"US-EAST-1\"\n",
            2,
            10,
            "source region `US-EAST-1` is not an AWS Region name",
        ),
        (
            "[policy]\nallowed-accounts = [\"2109876543\"]\n",
            2,
            21,
            "allowed account `2109876543` is not a 12-digit account ID",
        ),
        (
            "[policy]\nallowed-accounts = [210987654321]\n",
            2,
            21,
            "each item of `allowed-accounts` must be text in quotes",
        ),
        (
            "[overrides]\nfiles = [\"legacy/**\"]\n",
            1,
            1,
            "use `[[overrides]]`, an array of tables",
        ),
        (
            "[regions]\nextra = \"eu-future-1\"\n",
            2,
            9,
            "`extra` must be a list, such as `extra = [\"eu-future-1\"]`",
        ),
        ("[[overrides]]\nfiles = [\"a/[\"]\n", 2, 10, "invalid glob"),
        (
            "[policy]\nmax-unique-destinations = 0\n",
            2,
            27,
            "must be a positive number",
        ),
    ];
    for (toml, line, column, message) in cases {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, ".ecrlint.toml", toml);
        write(root, "x.json", PLACEHOLDER);
        write(root, "elsewhere/.ecrlint.toml", "");
        write(root, "elsewhere/y.json", PLACEHOLDER);
        let out = ecrlint()
            .current_dir(root)
            .args(["check", "--color", "never", "."])
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{toml}");
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(
            stderr.contains(&format!(".ecrlint.toml:{line}:{column} config invalid-configuration")),
            "{toml}\n{stderr}"
        );
        assert!(stderr.contains(message), "{toml}\n{stderr}");
        assert!(stderr.contains("x.json: not linted: its configuration"), "{stderr}");
        // Relative, as findings' paths are.
        assert!(
            stderr.contains("its configuration .ecrlint.toml has errors") && !stderr.contains(&*root.to_string_lossy()),
            "{stderr}"
        );
        // The file under a valid configuration is still linted.
        let stdout = String::from_utf8(out.stdout).unwrap();
        assert!(stdout.contains("elsewhere/y.json"), "{stdout}");
    }
    // An explicit --config with errors stops before linting.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.toml", "[rules]\nECR206 = 3\n");
    ecrlint()
        .current_dir(dir.path())
        .args(["check", "--config", "bad.toml", "--color", "never"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.toml:2:10"));
}

#[test]
fn config_command_shows_settings_and_their_origin() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".ecrlint.toml",
        "[source]\nregion = \"us-east-1\"\n[rules]\nECR311 = \"off\"\n[policy]\ndenied-regions = [\"ap-east-1\"]\n[[overrides]]\nfiles = [\"legacy/**\"]\nrules = { ECR206 = \"off\" }\n",
    );
    let out = ecrlint()
        .current_dir(root)
        .args([
            "config",
            "legacy/x.json",
            "--rule",
            "ECR310=warning",
            "--source-registry-id",
            "210987654321",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for expected in [
        "settings for legacy/x.json",
        ".ecrlint.toml\n",
        "source region: us-east-1 (configuration file)",
        "source registry-id: 210987654321 (command line)",
        "matching overrides: legacy/**",
        "ECR206 placeholder-value              off ([[overrides]])",
        "ECR310 unfiltered-rule                warning (command line)",
        "ECR311 opt-in-region                  off (configuration file)",
        "ECR204 invalid-registry-id            error\n",
        "denied-regions: ap-east-1",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in\n{text}");
    }
    let shown = ecrlint()
        .current_dir(root)
        .args(["check", "--show-settings", "legacy/x.json"])
        .output()
        .unwrap();
    assert!(String::from_utf8(shown.stdout)
        .unwrap()
        .contains("matching overrides: legacy/**"));
    ecrlint()
        .current_dir(root)
        .args(["config", "x.json", "--isolated"])
        .assert()
        .stdout(predicate::str::contains("configuration file: none (--isolated)"));
}

#[test]
fn the_documented_example_is_valid_for_the_tool_and_the_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let page = common::doc_page("configuration.md");
    // The configuration example (other TOML blocks are editors' settings).
    let example = page
        .split("```toml\n")
        .skip(1)
        .find(|s| s.contains("\n[source]"))
        .and_then(|s| s.split("\n```").next())
        .expect("docs/configuration.md has a TOML example");
    ecrlint::config::parse(Path::new(".ecrlint.toml"), example)
        .expect("the documented example is a valid configuration");
    let value: serde_json::Value = toml::from_str(example).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root.join("schemas/ecrlint-config.schema.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&value).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let bad: serde_json::Value = toml::from_str("[sorce]\nregion = \"x\"\n").unwrap();
    assert!(!validator.is_valid(&bad));
}

#[test]
fn a_source_region_typo_is_an_error_not_silently_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "x.json", SAME_AS_SOURCE);
    let out = ecrlint()
        .current_dir(root)
        .args(["check", "--source-region", "us-esat-1", "x.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("--source-region `us-esat-1` is not a known Region; did you mean `us-east-1`?"),
        "{stderr}"
    );

    write(root, ".ecrlint.toml", "[source]\nregion = \"us-esat-1\"\n");
    let out = ecrlint().current_dir(root).args(["check", "x.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains(".ecrlint.toml:2:10 config invalid-configuration"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `us-east-1`?"), "{stderr}");

    // A Region newer than the bundled list is accepted once listed as extra.
    write(
        root,
        ".ecrlint.toml",
        "[source]\nregion = \"eu-east-9\"\n[regions]\nextra = [\"eu-east-9\"]\n",
    );
    assert_eq!(codes(root, &["x.json"]), []);
    assert_eq!(codes(root, &["--source-region", "eu-east-9", "x.json"]), []);
}

#[cfg(unix)]
#[test]
fn the_nearest_configuration_is_used_even_when_it_is_a_broken_or_circular_link() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".ecrlint.toml", "[rules]\nECR206 = \"off\"\n");
    write(root, "sub/x.json", PLACEHOLDER);
    std::os::unix::fs::symlink("missing.toml", root.join("sub/.ecrlint.toml")).unwrap();
    let out = ecrlint()
        .current_dir(root)
        .args(["check", "sub/x.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("cannot read the configuration"), "{stderr}");

    fs::remove_file(root.join("sub/.ecrlint.toml")).unwrap();
    std::os::unix::fs::symlink(".ecrlint.toml", root.join("sub/.ecrlint.toml")).unwrap();
    let out = ecrlint()
        .current_dir(root)
        .args(["check", "sub/x.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("cannot read the configuration"), "{stderr}");
}

#[test]
fn configuration_errors_share_one_copy_of_the_file() {
    let text: String = (0..3000).map(|i| format!("NOPE{i} = \"error\"\n")).collect();
    let text = format!("[rules]\n{text}");
    let errors = ecrlint::config::parse(Path::new(".ecrlint.toml"), &text).unwrap_err();
    assert_eq!(errors.len(), 3000);
    assert!(errors.iter().all(|e| std::sync::Arc::ptr_eq(&e.text, &errors[0].text)));
}

#[test]
fn init_writes_a_configuration_once_and_it_is_the_one_in_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = ecrlint().current_dir(dir.path()).arg("init").output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(dir.path().join(".ecrlint.toml")).unwrap();
    assert!(text.starts_with("#:schema ./.ecrlint.schema.json\n"), "{text}");
    assert!(text.trim_end().ends_with("max-unique-destinations = 25"));
    // The schema it names is beside it: this version's.
    let schema_path = dir.path().join(".ecrlint.schema.json");
    let ours = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/ecrlint-config.schema.json")).unwrap();
    assert_eq!(std::fs::read(&schema_path).unwrap(), ours);
    // Never over an existing one.
    let again = ecrlint().current_dir(dir.path()).arg("init").output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("ecrlint init --schema"));
    assert_eq!(std::fs::read_to_string(dir.path().join(".ecrlint.toml")).unwrap(), text);
    // `--schema` brings an old copy up to date and leaves the configuration alone.
    std::fs::write(&schema_path, "{}").unwrap();
    let refreshed = ecrlint()
        .current_dir(dir.path())
        .args(["init", "--schema"])
        .output()
        .unwrap();
    assert_eq!(refreshed.status.code(), Some(0));
    assert_eq!(std::fs::read(&schema_path).unwrap(), ours);
    assert_eq!(std::fs::read_to_string(dir.path().join(".ecrlint.toml")).unwrap(), text);
    // A check of the folder passes over the schema (a neighbour, not a configuration).
    let checked = ecrlint().current_dir(dir.path()).args(["check", "."]).output().unwrap();
    assert_eq!(
        checked.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&checked.stdout)
    );
    // It is found and valid.
    let shown = ecrlint()
        .current_dir(dir.path())
        .args(["config", "x.json"])
        .output()
        .unwrap();
    assert_eq!(
        shown.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&shown.stderr)
    );
    assert!(String::from_utf8_lossy(&shown.stdout).contains(".ecrlint.toml"));
}

#[test]
fn exclude_globs_pass_over_files_in_walks_but_not_named_ones_unless_forced() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".ecrlint.toml",
        "extend-exclude = [\"generated/\", \"*.local.json\"]\n",
    );
    write(root, "generated/a.json", PLACEHOLDER);
    write(root, "sub/mine.local.json", PLACEHOLDER);
    write(root, "kept.json", PLACEHOLDER);
    // The default list still applies under extend-exclude.
    write(root, "node_modules/pkg/replication.json", PLACEHOLDER);
    let paths = |args: &[&str]| -> Vec<String> {
        let mut p: Vec<String> = codes(root, args).into_iter().map(|(path, _)| path).collect();
        p.dedup();
        p
    };
    assert_eq!(paths(&["."]), ["kept.json"]);
    // Named files are linted whatever `exclude` says...
    assert_eq!(
        paths(&["generated/a.json", "sub/mine.local.json"]),
        ["generated/a.json", "sub/mine.local.json"]
    );
    // ...unless --force-exclude (a pre-commit hook): by the file's name, or a folder above it.
    assert!(paths(&["--force-exclude", "generated/a.json", "sub/mine.local.json"]).is_empty());
    assert_eq!(
        paths(&["--force-exclude", "kept.json", "generated/a.json"]),
        ["kept.json"]
    );
    // A folder named on the command line is walked even when excluded (`generated`
    // matches the folder, not what is in it), unless --force-exclude.
    assert_eq!(paths(&["generated"]), ["generated/a.json"]);
    assert!(paths(&["--force-exclude", "generated"]).is_empty());
    // The default list is anchored at the current folder: a run started in
    // a folder named `target` is not excluded by that name...
    write(root, "Cargo.toml", "[package]\n");
    write(root, "target/t.json", PLACEHOLDER);
    let found = codes(&root.join("target"), &["--isolated", "--force-exclude", "."]);
    assert_eq!(found.len(), 1, "{found:?}");
    // ...while a configuration above it, whose folder holds `target`, excludes it.
    assert!(codes(&root.join("target"), &["--force-exclude", "."]).is_empty());
    // --verbose says why.
    ecrlint()
        .current_dir(root)
        .args(["check", ".", "--verbose"])
        .assert()
        .stderr(predicate::str::contains("skipped generated: excluded by `exclude`"))
        .stderr(predicate::str::contains("skipped sub/mine.local.json: excluded"));
}

#[test]
fn exclude_replaces_the_default_list_and_is_relative_to_its_own_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // `exclude` replaces [target, node_modules]: target/ is read again.
    write(root, ".ecrlint.toml", "exclude = [\"old/*.json\"]\n");
    write(root, "target/a.json", PLACEHOLDER);
    write(root, "old/b.json", PLACEHOLDER);
    write(root, "old/deeper/c.json", PLACEHOLDER);
    // A nested configuration's globs are relative to its own folder, and it
    // governs its tree (the closest one wins): `old/*.json` is not excluded there.
    write(root, "team/.ecrlint.toml", "extend-exclude = [\"drafts/**\"]\n");
    write(root, "team/drafts/x/d.json", PLACEHOLDER);
    write(root, "team/old/e.json", PLACEHOLDER);
    write(root, "team/node_modules/f.json", PLACEHOLDER);
    let mut paths: Vec<String> = codes(root, &["."]).into_iter().map(|(p, _)| p).collect();
    paths.dedup();
    assert_eq!(paths, ["old/deeper/c.json", "target/a.json", "team/old/e.json"]);
    // A folder named on the command line is walked, but what is inside it
    // is still matched: `drafts/**` matches `drafts/x`.
    assert!(codes(root, &["team/drafts"]).is_empty());
    // `ecrlint config` shows the list in force.
    ecrlint()
        .current_dir(root)
        .args(["config", "team/x.json"])
        .assert()
        .stdout(predicate::str::contains(
            "exclude in directory walks: target (beside a Cargo.toml), node_modules, drafts/**",
        ));
    ecrlint()
        .current_dir(root)
        .args(["config", "x.json", "--isolated"])
        .assert()
        .stdout(predicate::str::contains(
            "exclude in directory walks: target (beside a Cargo.toml), node_modules (default)",
        ));
}

#[test]
fn a_bad_exclude_glob_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".ecrlint.toml", "extend-exclude = [\"a/[b\"]\n");
    write(root, "x.json", PLACEHOLDER);
    ecrlint()
        .current_dir(root)
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid glob `a/[b`"))
        .stderr(predicate::str::contains(".ecrlint.toml:1:"));
}

#[test]
fn extend_builds_on_the_parent_configuration_and_the_extending_file_wins() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".ecrlint.toml",
        r#"extend-exclude = ["generated"]
[source]
region = "us-east-1"
registry-id = "210987654321"
[rules]
ECR206 = "off"
ECR310 = "error"
[regions]
extra = ["eu-east-9"]
[policy]
allowed-regions = ["us-west-2"]
[[policy.required-destinations]]
region = "us-west-2"
registry-id = "210987654321"
[[overrides]]
files = ["team/legacy/**"]
rules = { ECR401 = "off" }
"#,
    );
    write(
        root,
        "team/.ecrlint.toml",
        r#"extend = "../.ecrlint.toml"
extend-exclude = ["drafts"]
[rules]
ECR206 = "warning"
[regions]
extra = ["eu-east-8"]
[policy]
allowed-regions = ["us-west-2", "eu-west-1"]
[[policy.required-destinations]]
region = "eu-west-1"
registry-id = "210987654321"
[[overrides]]
files = ["legacy/**"]
rules = { ECR206 = "info" }
"#,
    );
    let out = ecrlint()
        .current_dir(root)
        .args(["config", "team/legacy/x.json"])
        .output()
        .unwrap();
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(
        shown.contains("configuration file: team/.ecrlint.toml (extends .ecrlint.toml)"),
        "{shown}"
    );
    // Each value names the file of the chain that set it.
    for expected in [
        "source region: us-east-1 (.ecrlint.toml)",
        "ECR310 unfiltered-rule                error (.ecrlint.toml)",
        // The child's override comes after the parent's: both match, the child's last.
        "ECR206 placeholder-value              info ([[overrides]])",
        "ECR401 region-not-allowed             off ([[overrides]])",
    ] {
        assert!(shown.contains(expected), "missing {expected:?} in\n{shown}");
    }
    assert!(
        shown.contains("matching overrides: team/legacy/**, legacy/**"),
        "{shown}"
    );
    // Lists of additions concatenate; keys set in both are the child's.
    assert!(shown.contains("extra regions: eu-east-9, eu-east-8"), "{shown}");
    assert!(shown.contains("allowed-regions: us-west-2, eu-west-1"), "{shown}");
    assert!(
        shown.contains("required destination: us-west-2 / 210987654321"),
        "{shown}"
    );
    assert!(
        shown.contains("required destination: eu-west-1 / 210987654321"),
        "{shown}"
    );
    assert!(
        shown.contains("exclude in directory walks: target (beside a Cargo.toml), node_modules, generated, drafts"),
        "{shown}"
    );
    let out = ecrlint()
        .current_dir(root)
        .args(["config", "team/x.json"])
        .output()
        .unwrap();
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(
        shown.contains("ECR206 placeholder-value              warning (team/.ecrlint.toml)"),
        "{shown}"
    );
    // Linting uses the merged settings: the child's ECR206 level, the parent's source.
    write(root, "team/a.json", PLACEHOLDER);
    write(root, "team/b.json", SAME_AS_SOURCE);
    write(root, "team/generated/c.json", PLACEHOLDER);
    let found = codes(root, &["team"]);
    assert!(
        found.contains(&("team/a.json".into(), "ECR206:warning".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("team/b.json".into(), "ECR306:error".into())),
        "{found:?}"
    );
    assert!(found.iter().all(|(p, _)| !p.contains("generated")), "{found:?}");
}

#[test]
fn extend_cycles_missing_files_and_errors_in_the_parent_exit_2_at_the_right_file() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "x.json", PLACEHOLDER);
    // A cycle through three files names the whole chain, at the `extend` that closes it.
    write(root, ".ecrlint.toml", "extend = \"a.toml\"\n");
    write(root, "a.toml", "extend = \"b/c.toml\"\n");
    write(root, "b/c.toml", "\n\nextend = \"../a.toml\"\n");
    ecrlint()
        .current_dir(root)
        .args(["check", "x.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`extend` makes a cycle: a.toml → b/c.toml → a.toml",
        ))
        .stderr(predicate::str::contains("b/c.toml:3:10"));
    // A file that extends itself.
    write(root, ".ecrlint.toml", "extend = \"./.ecrlint.toml\"\n");
    ecrlint()
        .current_dir(root)
        .args(["check", "x.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("`extend` makes a cycle"));
    // A missing target is an error at the value, not silently nothing.
    write(
        root,
        ".ecrlint.toml",
        "# the organisation's\nextend = \"../nowhere.toml\"\n",
    );
    ecrlint()
        .current_dir(root)
        .args(["check", "x.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "cannot read `../nowhere.toml`, which `extend` names",
        ))
        .stderr(predicate::str::contains(".ecrlint.toml:2:10"));
    // An error in the extended file points into that file, with its own line.
    write(
        root,
        ".ecrlint.toml",
        "extend = \"org.toml\"\n[rules]\nECR999 = \"off\"\n",
    );
    write(root, "org.toml", "[policy]\n\nallowed-regions = [\"us-weest-2x\"]\n");
    let out = ecrlint().current_dir(root).args(["check", "x.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("unknown rule `ECR999`"), "{stderr}");
    assert!(stderr.contains("org.toml:3:20"), "{stderr}");
    // A source Region in the child may be an extra Region of the parent.
    write(
        root,
        ".ecrlint.toml",
        "extend = \"org.toml\"\n[source]\nregion = \"eu-east-9\"\n",
    );
    write(root, "org.toml", "[regions]\nextra = [\"eu-east-9\"]\n");
    ecrlint().current_dir(root).args(["check", "x.json"]).assert().code(1);
    // So may the destination Region, and the other way round.
    write(
        root,
        ".ecrlint.toml",
        "extend = \"org.toml\"\n[destination]\nregion = \"eu-east-9\"\n",
    );
    ecrlint().current_dir(root).args(["check", "x.json"]).assert().code(1);
    write(
        root,
        ".ecrlint.toml",
        "extend = \"org.toml\"\n[regions]\nextra = [\"eu-east-8\"]\n",
    );
    write(root, "org.toml", "[destination]\nregion = \"eu-east-8\"\n");
    ecrlint().current_dir(root).args(["check", "x.json"]).assert().code(1);
    // A Region that is in no file's extras is refused where it is set, both
    // of them at once.
    write(
        root,
        ".ecrlint.toml",
        "extend = \"org.toml\"\n[source]\nregion = \"us-esat-1\"\n",
    );
    write(root, "org.toml", "[destination]\nregion = \"eu-east-8\"\n");
    let out = ecrlint().current_dir(root).args(["check", "x.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("source region `us-esat-1` is not a known Region; did you mean `us-east-1`?"),
        "{stderr}"
    );
    assert!(stderr.contains(".ecrlint.toml:3:10"), "{stderr}");
    assert!(
        stderr.contains("destination region `eu-east-8` is not a known Region"),
        "{stderr}"
    );
    assert!(stderr.contains("org.toml:2:10"), "{stderr}");
}

#[test]
fn force_exclude_applies_to_standard_input_by_its_stdin_filename() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, ".ecrlint.toml", "extend-exclude = [\"generated\"]\n");
    let run = |args: &[&str]| {
        ecrlint()
            .current_dir(root)
            .args([
                "check",
                "--format",
                "concise",
                "-",
                "--stdin-filename",
                "generated/x.json",
            ])
            .args(args)
            .write_stdin(PLACEHOLDER)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1), "linted without --force-exclude");
    let out = run(&["--force-exclude"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty(), "{}", String::from_utf8_lossy(&out.stdout));
    // With --fix, the text comes back unchanged (an editor replaces its buffer with it).
    let out = run(&["--force-exclude", "--fix"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), PLACEHOLDER);
}

/// A pull grant beside replication: allowed under registry policy scope V2.
const PULL_GRANT: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
  "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
  "Action": ["ecr:ReplicateImage", "ecr:BatchGetImage"],
  "Resource": "arn:aws:ecr:us-west-2:109876543210:repository/*"}]}"#;

#[test]
fn the_registry_policy_scope_comes_from_the_configuration_overrides_and_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".ecrlint.toml",
        "[registry]\npolicy-scope = \"V1\"\n\n[[overrides]]\nfiles = [\"v2/**\"]\nregistry = { policy-scope = \"V2\" }\n",
    );
    write(root, "old/registry-policy.json", PULL_GRANT);
    // Another registry's policy (ECR511: one registry has one policy).
    write(
        root,
        "v2/registry-policy.json",
        &PULL_GRANT.replace("us-west-2", "eu-west-1"),
    );
    assert_eq!(
        codes(root, &["."]),
        [("old/registry-policy.json".to_string(), "ECR501:error".to_string())]
    );
    ecrlint()
        .current_dir(root)
        .args(["config", "old/registry-policy.json"])
        .assert()
        .stdout(predicate::str::contains(
            "registry policy scope: V1 (configuration file)\n",
        ));
    ecrlint()
        .current_dir(root)
        .args(["config", "v2/registry-policy.json"])
        .assert()
        .stdout(predicate::str::contains("registry policy scope: V2 ([[overrides]])\n"));
    ecrlint()
        .current_dir(root)
        .args(["config", "--isolated", "x.json"])
        .assert()
        .stdout(predicate::str::contains("registry policy scope: V2 (default)\n"));
    // The flag wins over the file; the default without either is V2.
    assert_eq!(codes(root, &[".", "--registry-policy-scope", "V2"]), []);
    assert_eq!(codes(root, &[".", "--isolated"]), []);
    assert_eq!(
        codes(root, &[".", "--isolated", "--registry-policy-scope", "V1"]).len(),
        2
    );
    ecrlint()
        .current_dir(root)
        .args(["check", ".", "--registry-policy-scope", "v2"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("[possible values: V1, V2]"));
    // A file's own account setting wins, in `config` as when linting.
    write(
        root,
        "tf/main.tf",
        "resource \"aws_ecr_account_setting\" \"scope\" {\n  name  = \"REGISTRY_POLICY_SCOPE\"\n  value = \"V1\"\n}\n\nresource \"aws_ecr_registry_policy\" \"p\" {\n  policy = \"{}\"\n}\n",
    );
    ecrlint()
        .current_dir(root)
        .args(["config", "tf/main.tf", "--registry-policy-scope", "V2"])
        .assert()
        .stdout(predicate::str::contains(
            "registry policy scope: V1 (aws_ecr_account_setting in this file)\n",
        ));
}

#[test]
fn a_misspelt_registry_policy_scope_or_document_is_a_configuration_error() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".ecrlint.toml",
        "[registry]\npolicy-scope = \"v2\"\n\n[[overrides]]\nfiles = [\"x/**\"]\ndocument = \"registry-polcy\"\n",
    );
    write(root, "registry-policy.json", PULL_GRANT);
    ecrlint()
        .current_dir(root)
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "policy-scope `v2` is not a registry policy scope",
        ))
        .stderr(predicate::str::contains("did you mean \"V2\"?"))
        .stderr(predicate::str::contains(
            "document `registry-polcy` is not a kind of document ecrlint can be told",
        ));
}

/// An organisation-wide pull grant: no replication action, no `Resource`,
/// so nothing tells it from a repository policy but what the user says.
const ORG_PULL: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*",
  "Action": ["ecr:BatchGetImages", "ecr:GetDownloadUrlForLayer"],
  "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}}}]}"#;

#[test]
fn files_declared_registry_policies_by_override_or_by_name_are_linted_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "org/pull.json", ORG_PULL);
    write(root, "org/ecr-registry-policy.json", ORG_PULL);
    write(root, "repo/pull.json", ORG_PULL);
    // Without an override, only the file named as a registry policy is linted.
    assert_eq!(
        codes(root, &["."]),
        [("org/ecr-registry-policy.json".to_string(), "ECR501:error".to_string())]
    );
    write(
        root,
        ".ecrlint.toml",
        "[[overrides]]\nfiles = [\"org/**\"]\ndocument = \"registry-policy\"\n",
    );
    assert_eq!(
        codes(root, &["."]),
        [
            ("org/ecr-registry-policy.json".to_string(), "ECR501:error".to_string()),
            ("org/pull.json".to_string(), "ECR501:error".to_string()),
        ]
    );
    ecrlint()
        .current_dir(root)
        .args(["config", "org/pull.json"])
        .assert()
        .stdout(predicate::str::contains("document: registry-policy ([[overrides]])\n"));
    ecrlint()
        .current_dir(root)
        .args(["config", "repo/ecr-registry-policy.json"])
        .assert()
        .stdout(predicate::str::contains("document: registry-policy (file name)\n"));
}

#[test]
fn terraform_variable_values_come_from_the_configuration_and_the_flags_win() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "main.tf",
        "variable \"replica_region\" {\n  default = \"us-west-2\"\n}\nresource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.replica_region\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\n",
    );
    write(root, "env/prod.tfvars", "replica_region = \"us-weast-2\"\n");
    assert_eq!(codes(root, &["main.tf"]), []);
    write(
        root,
        ".ecrlint.toml",
        "[terraform]\nvar-files = [\"env/prod.tfvars\"]\n",
    );
    assert_eq!(
        codes(root, &["main.tf"]),
        [("main.tf".to_string(), "ECR203:warning".to_string())]
    );
    // `vars` come after `var-files`, and the flags after both.
    write(
        root,
        ".ecrlint.toml",
        "[terraform]\nvar-files = [\"env/prod.tfvars\"]\nvars = { replica_region = \"eu-west-1\" }\n",
    );
    assert_eq!(codes(root, &["main.tf"]), []);
    assert_eq!(
        codes(root, &["--var", "replica_region=eu-wst-1", "main.tf"]),
        [("main.tf".to_string(), "ECR203:warning".to_string())]
    );
    write(root, ".ecrlint.toml", "[terraform]\nvar = [\"x\"]\n");
    let out = ecrlint().current_dir(root).args(["check", "main.tf"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// ruff's rule selection: `select`, `extend-select` and `ignore` in the
/// configuration and on the command line, with `[rules]` and `--rule`.
#[test]
fn select_extend_select_and_ignore_follow_ruff() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    // ECR204 and ECR202 (errors) in two destinations.
    write(
        root,
        "r.json",
        r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "2109876543"}, {"region": "mars-north-1", "registryId": "210987654321"}]}]}"#,
    );
    let codes = |args: &[&str]| -> Vec<String> {
        let out = ecrlint()
            .current_dir(root)
            .args(["check", "--output-format", "json", "r.json"])
            .args(args)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut codes: Vec<String> = report["files"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| format!("{} {}", d["code"].as_str().unwrap(), d["severity"].as_str().unwrap()))
            .collect();
        codes.sort();
        codes.dedup();
        codes
    };
    let all = codes(&[]);
    assert!(
        all.contains(&"ECR204 error".to_string()) && all.contains(&"ECR202 error".to_string()),
        "{all:?}"
    );
    assert_eq!(codes(&["--select", "ECR204"]), ["ECR204 error"]);
    assert_eq!(codes(&["--select", "invalid-registry-id"]), ["ECR204 error"]);
    assert!(!codes(&["--ignore", "ECR2"]).iter().any(|c| c.starts_with("ECR20")));
    // The more specific selector wins.
    assert_eq!(codes(&["--select", "ECR204", "--ignore", "ECR2"]), ["ECR204 error"]);
    // --rule sets the level of what is selected (and wins over --ignore).
    assert_eq!(codes(&["--select", "ECR204", "--rule", "ECR204=info"]), ["ECR204 info"]);
    assert_eq!(
        codes(&["--ignore", "ECR204", "--select", "ECR204", "--rule", "ECR204=warn"]),
        ["ECR204 warning"]
    );

    // In the configuration: `select` there, `[rules]` over it, the command line over both.
    write(
        root,
        ".ecrlint.toml",
        "select = [\"ECR202\"]\n[rules]\nECR202 = \"warn\"\n",
    );
    assert_eq!(codes(&[]), ["ECR202 warning"]);
    assert_eq!(
        codes(&["--extend-select", "ECR204"]),
        ["ECR202 warning", "ECR204 error"]
    );
    assert_eq!(codes(&["--select", "ECR204"]), ["ECR204 error"]);
    write(
        root,
        ".ecrlint.toml",
        "ignore = [\"ECR20\"]\nextend-select = [\"ECR310\"]\n",
    );
    assert!(!codes(&[]).iter().any(|c| c.starts_with("ECR20")));

    // `ecrlint config` says the command line's selection set a rule.
    let out = ecrlint()
        .current_dir(root)
        .args(["config", "r.json", "--select", "ECR2"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("ECR301 duplicate-destination          off (command line)"),
        "{text}"
    );

    // Mistakes: with a suggestion, at their span in the file; a rule that cannot be turned off.
    let out = ecrlint()
        .current_dir(root)
        .args(["check", "--select", "ECR2O4", "r.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("--select `ECR2O4` is no rule, code prefix or ALL; did you mean `ECR204`?"),
        "{said}"
    );
    let out = ecrlint()
        .current_dir(root)
        .args(["check", "--ignore", "ECR001", "r.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be configured"));
    write(root, ".ecrlint.toml", "select = [\"ECR2\", \"ECR9\"]\n");
    let out = ecrlint()
        .current_dir(root)
        .args(["check", "--color", "never", "r.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(".ecrlint.toml:1:19"), "{said}");
    assert!(said.contains("`ECR9` is no rule, code prefix"), "{said}");
}

/// Every mistake of a configuration in one run, in file order, each at its
/// span: layout mistakes (unknown keys and tables, a wrong type), which stop
/// a deserialiser at the first, among value mistakes (unknown rules).
#[test]
fn every_configuration_error_at_once_in_file_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".ecrlint.toml",
        "[rules]\nECR2O4 = \"error\"\n\n[source]\nregion = 5\n\n[policy]\nbogus = true\n\n[[overrides]]\nfiles = [\"x/*.json\"]\nzap = 2\n\n[unknown-table]\na = 1\n\n[fix]\nunfixable = [\"ECR999\"]\n",
    );
    write(root, "r.json", PLACEHOLDER);
    let out = ecrlint()
        .current_dir(root)
        .args(["check", "--color", "never", "r.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8(out.stderr).unwrap();
    let headings: Vec<&str> = said
        .lines()
        .filter(|l| l.starts_with(".ecrlint.toml:") && l.ends_with("invalid-configuration"))
        .collect();
    assert_eq!(
        headings,
        [
            ".ecrlint.toml:2:1 config invalid-configuration",
            ".ecrlint.toml:5:10 config invalid-configuration",
            ".ecrlint.toml:8:1 config invalid-configuration",
            ".ecrlint.toml:12:1 config invalid-configuration",
            ".ecrlint.toml:14:2 config invalid-configuration",
            ".ecrlint.toml:18:14 config invalid-configuration",
        ],
        "{said}"
    );
    for message in [
        "unknown rule `ECR2O4`",
        "`region` must be text in quotes, not the number 5",
        "unknown key `bogus`",
        "unknown key `zap`",
        "unknown key `unknown-table`",
        "unknown rule `ECR999`",
    ] {
        assert!(said.contains(message), "{message}: {said}");
    }
    // A TOML syntax error still stops the reading: one error, where it is.
    write(root, ".ecrlint.toml", "[rules\nECR204 = \"off\"\n");
    let out = ecrlint().current_dir(root).args(["check", "r.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8(out.stderr).unwrap();
    assert_eq!(said.matches("invalid-configuration").count(), 1, "{said}");
}

#[test]
fn config_without_a_file_names_no_file_that_does_not_exist() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".ecrlint.toml", "[source]\nregion = \"us-east-1\"\n");
    let out = ecrlint().current_dir(dir.path()).args(["config"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains("replication.json"), "{text}");
    assert!(
        text.starts_with("settings for files in the current folder (name a file to apply [[overrides]])\n"),
        "{text}"
    );
    assert!(text.contains("source region: us-east-1"), "{text}");
}

/// A slip of a Region's name under `allowed-regions` is one finding (ECR203,
/// with the name meant), not that and ECR401 on the same span; a Region not
/// allowed is still ECR401.
#[test]
fn a_region_typo_under_allowed_regions_is_one_finding_per_span() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".ecrlint.toml",
        "[policy]\nallowed-regions = [\"us-east-1\", \"us-west-2\"]\n",
    );
    write(
        root,
        "r.json",
        r#"{"rules": [{"destinations": [{"region": "us-wset-2", "registryId": "210987654321"}, {"region": "eu-west-1", "registryId": "210987654321"}]}]}"#,
    );
    let out = ecrlint()
        .current_dir(root)
        .args(["check", "--output-format", "json", "r.json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(u64, String)> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["span"]["start"].as_u64().unwrap(),
                d["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut spans: Vec<u64> = found.iter().map(|(s, _)| *s).collect();
    spans.dedup();
    assert_eq!(spans.len(), found.len(), "one finding per span: {found:?}");
    let codes: Vec<&str> = found.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(codes, ["ECR203", "ECR401"], "{found:?}");
}

#[test]
fn max_findings_in_the_configuration_caps_each_file_and_the_flag_wins() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(root, "team/.ecrlint.toml", "max-findings = 3\n");
    // Six copies of an example-account destination: six ECR206, five ECR301, one file.
    let destination = r#"{"region": "us-west-2", "registryId": "111122223333"}"#;
    let text = format!(
        "{{\"rules\": [{{\"destinations\": [{}]}}]}}\n",
        [destination; 6].join(", ")
    );
    write(root, "team/many.json", &text);
    let concise = |args: &[&str]| -> String {
        let out = ecrlint()
            .current_dir(root.join("team"))
            .args(["check", "--format", "concise"])
            .args(args)
            .arg("many.json")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let out = concise(&[]);
    assert_eq!(out.lines().count(), 4, "{out}");
    assert!(
        out.contains("8 more findings of this file not shown (the first 3 are;"),
        "{out}"
    );
    let out = concise(&["--max-findings", "5"]);
    assert!(
        out.contains("6 more findings of this file not shown (the first 5 are;"),
        "{out}"
    );
    let out = concise(&["--max-findings", "0"]);
    assert_eq!(out.lines().count(), 11, "{out}");
    // `ecrlint config` says where it came from.
    let out = ecrlint()
        .current_dir(root.join("team"))
        .args(["config"])
        .output()
        .unwrap();
    let shown = String::from_utf8(out.stdout).unwrap();
    assert!(shown.contains("\nmax-findings: 3 (configuration file)\n"), "{shown}");
    // A negative count is a configuration error (exit 2), not a silent default.
    write(root, "team/.ecrlint.toml", "max-findings = -1\n");
    let out = ecrlint()
        .current_dir(root.join("team"))
        .args(["check", "many.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn max_findings_of_an_override_caps_the_files_it_matches() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        ".ecrlint.toml",
        "max-findings = 3\n\n[[overrides]]\nfiles = [\"generated/**\"]\nmax-findings = 2\n",
    );
    // Six copies of an example-account destination: six ECR206, five ECR301.
    let destination = r#"{"region": "us-west-2", "registryId": "111122223333"}"#;
    let text = format!(
        "{{\"rules\": [{{\"destinations\": [{}]}}]}}\n",
        [destination; 6].join(", ")
    );
    write(root, "generated/many.json", &text);
    write(root, "hand/many.json", &text);
    let concise = |args: &[&str]| -> String {
        let out = ecrlint()
            .current_dir(root)
            .args(["check", "--format", "concise"])
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        String::from_utf8(out.stdout).unwrap()
    };
    let out = concise(&["generated/many.json", "hand/many.json"]);
    assert!(
        out.contains("9 more findings of this file not shown (the first 2 are;"),
        "{out}"
    );
    assert!(
        out.contains("8 more findings of this file not shown (the first 3 are;"),
        "{out}"
    );
    assert_eq!(out.lines().count(), 2 + 1 + 3 + 1, "{out}");
    // The flag wins over the override too.
    let out = concise(&["--max-findings", "0", "generated/many.json"]);
    assert_eq!(out.lines().count(), 11, "{out}");
    // `ecrlint config FILE` says an override set it.
    let shown = |file: &str| {
        let out = ecrlint().current_dir(root).args(["config", file]).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let generated = shown("generated/many.json");
    assert!(generated.contains("\nmax-findings: 2 ([[overrides]])\n"), "{generated}");
    let hand = shown("hand/many.json");
    assert!(hand.contains("\nmax-findings: 3 (configuration file)\n"), "{hand}");
    // A negative count in an override is a configuration error (exit 2).
    write(
        root,
        ".ecrlint.toml",
        "[[overrides]]\nfiles = [\"generated/**\"]\nmax-findings = -1\n",
    );
    let out = ecrlint()
        .current_dir(root)
        .args(["check", "generated/many.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
}
