//! `ecrlint route` over workspaces in every shape (tests/fixtures-review/):
//! where each repository goes, the rule and filter that took it, whether
//! deletions replicate, and what the destination's registry policy grants.

mod common;

use common::{copy_tree, ecrlint};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// A copy of `tests/fixtures-review/<name>` as its own workspace (its
/// `.ecrlint.toml` is the topmost: a temporary folder is in no git work tree).
fn workspace(name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(name);
    copy_tree(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures-review")
            .join(name),
        &root,
    );
    (dir, root)
}

fn run(dir: &Path, args: &[&str]) -> (String, String, i32) {
    let out = ecrlint().current_dir(dir).arg("route").args(args).output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap(),
    )
}

fn schema_checked(text: &str) -> Value {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/route.schema.json")).unwrap(),
    )
    .unwrap();
    let report: Value = serde_json::from_str(text).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&report).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}\n{report:#}");
    report
}

/// (repository, destination account, Region, rule, filter, deletions, grant) of every route.
fn routes(report: &Value) -> Vec<(String, String, String, u64, Value, String, String)> {
    let mut found = Vec::new();
    for repository in report["repositories"].as_array().unwrap() {
        for source in repository["sources"].as_array().unwrap() {
            assert_eq!(
                source["source"],
                json!({"account": "210987654321", "region": "us-east-1"})
            );
            for d in source["destinations"].as_array().unwrap() {
                found.push((
                    repository["name"].as_str().unwrap().to_string(),
                    d["destination"]["account"].as_str().unwrap().to_string(),
                    d["destination"]["region"].as_str().unwrap().to_string(),
                    d["rule"].as_u64().unwrap(),
                    d["filter"].clone(),
                    d["deletions"].as_str().unwrap().to_string(),
                    d["grant"].as_str().unwrap().to_string(),
                ));
            }
        }
    }
    found
}

#[test]
fn every_shape_routes_the_same_repositories_to_the_same_registries() {
    let expected = |name: &str, account: &str, region: &str, rule, filter: Value, grant: &str| {
        (
            name.to_string(),
            account.to_string(),
            region.to_string(),
            rule,
            filter,
            "kept".to_string(),
            grant.to_string(),
        )
    };
    let same_account = "same account: none needed";
    for shape in ["api", "cloudformation", "terraform", "terraform-plan"] {
        let (_dir, root) = workspace(shape);
        let (out, err, code) = run(&root, &["prod-api", "staging-web", "--format", "json"]);
        assert_eq!(code, 0, "{shape}: {err}");
        let report = schema_checked(&out);
        assert_eq!(
            routes(&report),
            [
                expected("prod-api", "109876543210", "us-west-2", 1, json!("prod"), "granted"),
                expected("prod-api", "210987654321", "eu-west-1", 2, Value::Null, same_account),
                expected("staging-web", "210987654321", "eu-west-1", 2, Value::Null, same_account),
            ],
            "{shape}"
        );
    }
}

#[test]
fn without_names_the_workspace_repositories_are_routed_and_without_any_names_are_required() {
    for shape in ["cloudformation", "terraform"] {
        let (_dir, root) = workspace(shape);
        let (out, _, code) = run(&root, &["--format", "json"]);
        assert_eq!(code, 0);
        let report = schema_checked(&out);
        let names: Vec<&str> = report["repositories"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["prod-api", "staging-web"], "{shape}");
    }
    let (_dir, root) = workspace("api");
    let (out, err, code) = run(&root, &[]);
    assert_eq!((out.as_str(), code), ("", 2));
    assert!(
        err.contains("no repository names given, and the workspace defines no repository"),
        "{err}"
    );
}

#[test]
fn stdin_gives_one_name_a_line() {
    let (_dir, root) = workspace("terraform");
    let out = ecrlint()
        .current_dir(&root)
        .args(["route", "--stdin", "--format", "json"])
        .write_stdin("prod-web\n\n  other\n")
        .output()
        .unwrap();
    let report = schema_checked(&String::from_utf8(out.stdout).unwrap());
    let names: Vec<&str> = report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["prod-web", "other"]);
}

#[test]
fn a_filter_is_a_raw_case_sensitive_prefix_and_a_miss_names_the_nearest_filter() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".ecrlint.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("replication.json"),
        r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "109876543210"}],
            "repositoryFilters": [{"filter": "team-a", "filterType": "PREFIX_MATCH"}, {"filter": "prod", "filterType": "PREFIX_MATCH"}],
            "deleteReplication": {"enabled": true}}]}"#,
    )
    .unwrap();
    let (out, _, code) = run(dir.path(), &["production", "Prod-api", "apple", "--format", "json"]);
    assert_eq!(code, 0);
    let report = schema_checked(&out);
    let [production, upper, apple] = report["repositories"].as_array().unwrap().as_slice() else {
        panic!("three names: {report}");
    };
    // `prod` takes `production`: a prefix, not a word.
    let taken = &production["sources"][0]["destinations"][0];
    assert_eq!(taken["filter"], "prod");
    assert_eq!(taken["at"], "replication.json:2");
    assert_eq!(taken["deletions"], "deleted too");
    // Source and destination accounts are not known to differ, and no policy is in the workspace.
    assert_eq!(taken["grant"], "no registry policy in the workspace");
    assert_eq!(taken["destination"]["account"], "109876543210");
    assert_eq!(
        production["sources"][0]["source"],
        json!({"account": "the deploying account", "region": "the deploying Region"})
    );
    // Case matters: `Prod-api` is not taken; the nearest filter is named.
    assert_eq!(upper["sources"][0]["destinations"], json!([]));
    assert_eq!(
        upper["sources"][0]["nearest"],
        json!({"filter": "prod", "rule": 1, "at": "replication.json:2"})
    );
    assert_eq!(apple["sources"][0]["destinations"], json!([]));
    assert!(apple["sources"][0]["nearest"].is_object());
}

/// `Fn::If` inside the rule, destination and filter lists: each branch is
/// a route, marked as deployed when its condition holds.
#[test]
fn fn_if_branches_in_lists_are_routes_under_their_condition() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".ecrlint.toml"), "").unwrap();
    std::fs::write(
        dir.path().join("template.yaml"),
        r#"Conditions:
  WithDr: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Replication:
    Type: AWS::ECR::ReplicationConfiguration
    Properties:
      ReplicationConfiguration:
        Rules:
          - Destinations:
              - Region: us-west-2
                RegistryId: "210987654321"
              - !If
                - WithDr
                - Region: eu-west-1
                  RegistryId: "210987654321"
                - !Ref AWS::NoValue
            RepositoryFilters:
              - Filter: prod
                FilterType: PREFIX_MATCH
              - !If [WithDr, {Filter: team, FilterType: PREFIX_MATCH}, !Ref AWS::NoValue]
          - !If
            - WithDr
            - Destinations:
                - Region: eu-central-1
                  RegistryId: "210987654321"
            - !Ref AWS::NoValue
"#,
    )
    .unwrap();
    let (out, err, code) = run(dir.path(), &["prod-api", "team-web", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let report = schema_checked(&out);
    let seen = |name: usize| -> Vec<(String, String, String)> {
        report["repositories"][name]["sources"][0]["destinations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                (
                    d["destination"]["region"].as_str().unwrap().to_string(),
                    d["match"].as_str().unwrap().to_string(),
                    d["at"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let row = |region: &str, matched: &str, at: &str| (region.to_string(), matched.to_string(), at.to_string());
    assert_eq!(
        seen(0),
        [
            row("us-west-2", "yes", "template.yaml:18"),
            row("eu-west-1", "if-condition", "template.yaml:18"),
            row("eu-central-1", "if-condition", "template.yaml:25"),
        ]
    );
    // `team` is a filter only when the condition holds.
    assert_eq!(
        seen(1),
        [
            row("us-west-2", "if-condition", "template.yaml:20"),
            row("eu-west-1", "if-condition", "template.yaml:20"),
            row("eu-central-1", "if-condition", "template.yaml:25"),
        ]
    );
    let (table, _, _) = run(dir.path(), &["prod-api"]);
    assert!(
        table.contains("every repository template.yaml:25 (if its Fn::If condition holds)"),
        "{table}"
    );
}

#[test]
fn the_table_shows_every_route() {
    let (_dir, root) = workspace("terraform");
    let (human, _, code) = run(&root, &["prod-api", "nothing-matches"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(human);
}

#[test]
fn the_markdown_shows_every_route_and_the_picture() {
    let (_dir, root) = workspace("terraform");
    let (markdown, _, code) = run(&root, &["prod-api", "--format", "markdown"]);
    assert_eq!(code, 0);
    insta::assert_snapshot!(markdown);
}

#[test]
fn a_file_that_does_not_parse_is_said_to_be_left_out() {
    let (_dir, root) = workspace("api");
    std::fs::write(root.join("broken.json"), r#"{"rules": [{"destinations": [}"#).unwrap();
    let (out, err, code) = run(&root, &["prod-api"]);
    assert_eq!(code, 0);
    assert!(out.contains("109876543210 in us-west-2"), "{out}");
    assert!(
        err.contains("warning: broken.json: does not parse") && err.contains("what it deploys is left out"),
        "{err}"
    );
}

#[test]
fn isolated_reads_no_settings_and_flags_name_the_source() {
    let (_dir, root) = workspace("api");
    let source = |args: &[&str]| {
        let (out, err, code) = run(&root, &[&["prod-api", "--format", "json"][..], args].concat());
        assert_eq!(code, 0, "{err}");
        schema_checked(&out)["repositories"][0]["sources"][0]["source"].clone()
    };
    assert_eq!(source(&[]), json!({"account": "210987654321", "region": "us-east-1"}));
    assert_eq!(
        source(&["--isolated"]),
        json!({"account": "the deploying account", "region": "the deploying Region"})
    );
    assert_eq!(
        source(&["--isolated", "--source-region", "eu-central-1"]),
        json!({"account": "the deploying account", "region": "eu-central-1"})
    );
}

/// What a repository is at each destination: pre-created there (it keeps
/// its settings), created with the creation template that applies (the
/// longest prefix whose namespace holds its name, else ROOT's), with the
/// defaults, or never created where the policy grants no CreateRepository.
#[test]
fn each_route_says_what_arrives_the_template_or_the_pre_created_repository() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::write(root, ".ecrlint.toml", "");
    common::write(
        root,
        "source/.ecrlint.toml",
        "[source]\nregion = \"us-east-1\"\nregistry-id = \"210987654321\"\n",
    );
    common::write(
        root,
        "source/replication.json",
        r#"{"rules": [{"destinations": [
            {"region": "us-west-2", "registryId": "109876543210"},
            {"region": "eu-west-1", "registryId": "111987654321"}]}]}"#,
    );
    let grant = |region: &str, account: &str, actions: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow",
              "Principal": {{"AWS": "arn:aws:iam::210987654321:root"}}, "Action": [{actions}],
              "Resource": "arn:aws:ecr:{region}:{account}:repository/*"}}]}}"#
        )
    };
    common::write(
        root,
        "prod/registry-policy.json",
        &grant(
            "us-west-2",
            "109876543210",
            r#""ecr:ReplicateImage", "ecr:CreateRepository""#,
        ),
    );
    common::write(
        root,
        "prod/templates.json",
        r#"{"registryId": "109876543210", "repositoryCreationTemplates": [
            {"prefix": "prod", "appliedFor": ["REPLICATION"], "imageTagMutability": "IMMUTABLE"},
            {"prefix": "ROOT", "appliedFor": ["REPLICATION"]}]}"#,
    );
    common::write(
        root,
        "prod/repositories.tf",
        "resource \"aws_ecr_repository\" \"web\" {\n  name = \"prod/web\"\n}\n",
    );
    common::write(
        root,
        "prod/.ecrlint.toml",
        "[destination]\nregistry-id = \"109876543210\"\nregion = \"us-west-2\"\n",
    );
    common::write(
        root,
        "dr/registry-policy.json",
        &grant("eu-west-1", "111987654321", r#""ecr:ReplicateImage""#),
    );
    let (json, _, code) = run(root, &["prod/api", "prod/web", "tools", "--format", "json"]);
    assert_eq!(code, 0);
    let report = schema_checked(&json);
    let arrives: Vec<(String, String, String)> = report["repositories"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| {
            r["sources"][0]["destinations"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |d| {
                    (
                        r["name"].as_str().unwrap().to_string(),
                        d["destination"]["account"].as_str().unwrap().to_string(),
                        d["arrives"].as_str().unwrap().to_string(),
                    )
                })
        })
        .collect();
    let not_created = "not created: ecr:CreateRepository not granted, and no such repository in the workspace";
    let expected = [
        (
            "prod/api",
            "109876543210",
            "created with template \"prod\" prod/templates.json:2",
        ),
        ("prod/api", "111987654321", not_created),
        ("prod/web", "109876543210", "pre-created prod/repositories.tf:2"),
        ("prod/web", "111987654321", not_created),
        (
            "tools",
            "109876543210",
            "created with template \"ROOT\" prod/templates.json:3",
        ),
        ("tools", "111987654321", not_created),
    ]
    .map(|(n, a, w)| (n.to_string(), a.to_string(), w.to_string()));
    assert_eq!(arrives, expected);
    // The picture marks the edge with the destination's templates for replication.
    let (mermaid, _, code) = run(root, &["--format", "mermaid"]);
    assert_eq!(code, 0);
    assert!(
        mermaid.contains("-->|\"every repository; policy: granted; templates: ROOT, prod\"|"),
        "{mermaid}"
    );
}

#[test]
fn arrives_says_when_the_workspaces_creation_templates_are_none_of_the_destinations() {
    // A template written for the source's registry (its provider's Region),
    // none for the destination: "no creation template in the workspace"
    // denied the one the user wrote, which does not apply there.
    let dir = tempfile::tempdir().unwrap();
    let main = "provider \"aws\" {\n  region = \"eu-west-1\"\n}\nresource \"aws_ecr_replication_configuration\" \"r\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = \"us-west-2\"\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\n";
    let template = "resource \"aws_ecr_repository_creation_template\" \"t\" {\n  prefix      = \"prod\"\n  applied_for = [\"REPLICATION\"]\n}\n";
    common::write(dir.path(), "main.tf", main);
    let (json, _, code) = run(dir.path(), &["prod/api", "--isolated", "--format", "json"]);
    assert_eq!(code, 0);
    let arrives =
        |json: &str| schema_checked(json)["repositories"][0]["sources"][0]["destinations"][0]["arrives"].clone();
    assert_eq!(
        arrives(&json),
        "created by replication (no creation template in the workspace)"
    );
    common::write(dir.path(), "template.tf", template);
    let (json, _, code) = run(dir.path(), &["prod/api", "--isolated", "--format", "json"]);
    assert_eq!(code, 0);
    assert_eq!(
        arrives(&json),
        "created by replication (none of the workspace's creation templates is known to be of this registry)"
    );
}

/// An empty name (an empty argument, or a blank one) is a usage error, not a
/// repository that every filter's empty start would route.
#[test]
fn an_empty_repository_name_is_refused() {
    let (_dir, root) = workspace("api");
    for args in [&["", "prod/api"][..], &["  "][..]] {
        let (stdout, stderr, code) = run(&root, args);
        assert_eq!(code, 2, "{args:?}: {stdout}{stderr}");
        assert_eq!(stdout, "");
        assert!(stderr.contains("an empty repository name cannot be routed"), "{stderr}");
    }
}
