//! Terraform's document model: expressions are skipped (never an error),
//! the knowable ones are used (data sources, provider Regions, variable
//! defaults), dynamic blocks, module inputs, plans and state output, and
//! which Terraform files are ours. Each case runs `lint` on the text as a
//! named `.tf.json` (or plan `.json`) file.

mod common;

use ecrlint::diagnostic::Diagnostic;
use ecrlint::lint::{lint, Origin, Outcome};
use ecrlint::settings::Settings;
use ecrlint::syntax::{ReadAs, SourceFormat};

fn run_as(text: &str, origin: Origin) -> Option<(&'static str, Vec<Diagnostic>)> {
    match lint(
        text.as_bytes(),
        ReadAs::Format(SourceFormat::Json),
        origin,
        &Settings::default(),
    ) {
        Outcome::Linted {
            document, diagnostics, ..
        } => Some((document.map_or("none", |d| d.name), diagnostics)),
        Outcome::Skipped { .. } => None,
    }
}

/// The shape and the codes of a file named on the command line.
fn run(text: &str) -> (&'static str, Vec<&'static str>) {
    let (shape, diagnostics) = run_as(text, Origin::Named).expect("a named file is linted");
    (shape, diagnostics.iter().map(|d| d.code).collect())
}

fn diagnostics(text: &str) -> Vec<Diagnostic> {
    run_as(text, Origin::Named).expect("linted").1
}

/// A resource whose one rule has these destinations and filters (JSON text).
fn resource(destinations: &str, filters: &str) -> String {
    format!(
        r#"{{"resource": {{"aws_ecr_replication_configuration": {{"example": {{
            "replication_configuration": [{{"rule": [{{"destination": [{destinations}]{filters}}}]}}]
        }}}}}}}}"#
    )
}

#[test]
fn expressions_are_skipped_never_an_error() {
    let file = resource(
        r#"{"region": "${var.region}", "registry_id": "${local.accounts[\"prod\"]}"},
           {"region": "${lookup(var.regions, \"dr\")}", "registry_id": "${data.aws_caller_identity.current.account_id}"}"#,
        r#", "repository_filter": [
              {"filter": "${var.prefix}", "filter_type": "${var.filter_type}"},
              {"filter": "${var.team}/", "filter_type": "PREFIX_MATCH"},
              {"filter": "%{ if var.prod }prod%{ else }dev%{ endif }", "filter_type": "PREFIX_MATCH"}
           ]"#,
    );
    assert_eq!(run(&file), ("terraform", vec![]));
    // A whole list or block given by an expression is unknown too.
    let lists = r#"{"resource": {"aws_ecr_replication_configuration": {"example": {
        "replication_configuration": [{"rule": "${local.rules}"}]}}}}"#;
    assert_eq!(run(lists), ("terraform", vec![]));
}

#[test]
fn literal_text_of_a_template_still_decides() {
    let file = resource(
        r#"{"region": "us-west-2", "registry_id": "210987654321"}"#,
        r#", "repository_filter": [{"filter": "${var.team}/*", "filter_type": "PREFIX_MATCH"},
                                   {"filter": "Team-${var.env}", "filter_type": "PREFIX_MATCH"},
                                   {"filter": "$${literal}", "filter_type": "PREFIX_MATCH"}]"#,
    );
    let found = diagnostics(&file);
    let codes: Vec<&str> = found.iter().map(|d| d.code).collect();
    // The escaped `$${` is literal text: the API would receive `${literal}`.
    assert_eq!(codes, ["ECR205", "ECR205", "ECR206"], "{found:#?}");
    assert!(found[0].message.contains("contains `*`"), "{}", found[0].message);
    assert!(found[1].message.contains("upper-case"), "{}", found[1].message);
}

#[test]
fn data_sources_of_the_same_provider_are_the_source() {
    let with_data = |data: &str| {
        format!(
            r#"{{"data": {data}, "resource": {{"aws_ecr_replication_configuration": {{"example": {{
                "replication_configuration": [{{"rule": [{{"destination": [
                    {{"region": "${{data.aws_region.current.name}}", "registry_id": "${{data.aws_caller_identity.current.account_id}}"}}
                ]}}]}}]}}}}}}}}"#
        )
    };
    let same = with_data(r#"{"aws_region": {"current": {}}, "aws_caller_identity": {"current": {}}}"#);
    assert_eq!(run(&same).1, ["ECR306"]);
    // Another provider's identity is another account; a named Region is that Region.
    let other_account =
        with_data(r#"{"aws_region": {"current": {}}, "aws_caller_identity": {"current": {"provider": "aws.backup"}}}"#);
    assert_eq!(run(&other_account).1, Vec::<&str>::new());
    let named =
        with_data(r#"{"aws_region": {"current": {"name": "eu-west-1"}}, "aws_caller_identity": {"current": {}}}"#);
    assert_eq!(run(&named).1, Vec::<&str>::new());
}

#[test]
fn provider_regions_give_the_source_region() {
    // The caller identity is read through the same provider as the resource.
    let file = |provider: &str, region_arg: &str| {
        let data = if provider.is_empty() { "" } else { provider };
        format!(
            r#"{{"provider": {{"aws": [{{"region": "us-east-1"}}, {{"alias": "west", "region": "us-west-2"}}]}},
                "data": {{"aws_caller_identity": {{"current": {{{}}}}}}},
                "resource": {{"aws_ecr_replication_configuration": {{"example": {{{provider}{region_arg}
                "replication_configuration": [{{"rule": [{{"destination": [
                    {{"region": "us-west-2", "registry_id": "${{data.aws_caller_identity.current.account_id}}"}}
                ]}}]}}]}}}}}}}}"#,
            data.trim_end_matches(',')
        )
    };
    // The default provider is in us-east-1: us-west-2 is another Region.
    assert_eq!(run(&file("", "")).1, Vec::<&str>::new());
    assert_eq!(run(&file(r#""provider": "${aws.west}","#, "")).1, ["ECR306"]);
    assert_eq!(run(&file(r#""provider": "aws.west","#, "")).1, ["ECR306"]);
    // Provider 6's `region` argument on the resource wins.
    assert_eq!(run(&file("", r#""region": "us-west-2","#)).1, ["ECR306"]);
    // --source-region wins over the file.
    let settings = Settings {
        source_region: Some("eu-west-1".to_string()),
        ..Settings::default()
    };
    let text = file(r#""provider": "aws.west","#, "");
    let Outcome::Linted { diagnostics, .. } = lint(
        text.as_bytes(),
        ReadAs::Format(SourceFormat::Json),
        Origin::Named,
        &settings,
    ) else {
        panic!("linted")
    };
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
}

#[test]
fn a_variable_default_is_used_at_the_use_with_a_label() {
    let file = r#"{"variable": {"dr_region": {"default": "eu-wset-1"}},
        "resource": {"aws_ecr_replication_configuration": {"example": {
            "replication_configuration": [{"rule": [{"destination": [
                {"region": "${var.dr_region}", "registry_id": "210987654321"}]}]}]}}}}"#;
    let found = diagnostics(file);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(d.code, "ECR203");
    assert_eq!(&file[d.span.start..d.span.end], "\"${var.dr_region}\"");
    // The fix rewrites the default, never the expression at the use; unsafe,
    // as every use of the variable changes too.
    let fix = d.fix.as_ref().expect("a fix at the default");
    assert_eq!(fix.applicability, ecrlint::fix::Applicability::Unsafe);
    assert_eq!(fix.edits.len(), 1);
    let edit = &fix.edits[0];
    assert_eq!(&file[edit.span.start..edit.span.end], "\"eu-wset-1\"");
    assert_eq!(edit.content, "\"eu-west-1\"");
    let label = &d.labels[0];
    assert_eq!(&file[label.span.start..label.span.end], "\"eu-wset-1\"");
    assert!(
        label.message.contains("default of variable `dr_region`"),
        "{}",
        label.message
    );
}

#[test]
fn dynamic_blocks_have_their_literal_content_checked() {
    let file = r#"{"resource": {"aws_ecr_replication_configuration": {"example": {
        "replication_configuration": [{"rule": [{
            "dynamic": [{"destination": [{"for_each": "${var.replicas}", "content": [
                {"region": "${destination.value}", "registry_id": "21098765432"}]}]}],
            "repository_filter": [{"filter": "prod", "filter_type": "PREFIX_MATCH"}]
        }]}]}}}}"#;
    // The content's literal account is checked; the rule is not "missing" a destination.
    assert_eq!(run(file).1, ["ECR204"]);
}

/// Issue 22: a `dynamic` block's `for_each`, `iterator` and `labels`
/// are checked as Terraform reads them (each was passed silently): in
/// HCL, `iterator` is a bare name; in `.tf.json`, a name in a string.
#[test]
fn dynamic_blocks_arguments_are_checked_as_terraform_reads_them() {
    let hcl = |arguments: &str| {
        let text = format!("resource \"aws_ecr_replication_configuration\" \"this\" {{\n  replication_configuration {{\n    rule {{\n      dynamic \"destination\" {{\n{arguments}\n        content {{\n          region      = destination.value\n          registry_id = \"210987654321\"\n        }}\n      }}\n    }}\n  }}\n}}\n");
        let Outcome::Linted { diagnostics, .. } = lint(
            text.as_bytes(),
            ReadAs::Format(SourceFormat::Hcl),
            Origin::Named,
            &Settings::default(),
        ) else {
            panic!("linted");
        };
        diagnostics
            .iter()
            .map(|d| (d.code, text[d.span.start..d.span.end].to_string()))
            .collect::<Vec<_>>()
    };
    let s = |t: &str| t.to_string();
    let fine = [
        "        for_each = var.regions",
        "        for_each = [\"us-west-2\", \"eu-west-1\"]",
        "        for_each = toset(var.regions)\n        iterator = dest",
        "        for_each = var.regions\n        labels   = []",
    ];
    for arguments in fine {
        assert_eq!(hcl(arguments), [], "{arguments}");
    }
    let wrong = [
        ("        for_each = \"us-west-2\"", "\"us-west-2\""),
        ("        for_each = 3", "3"),
        ("        for_each = null", "null"),
        (
            "        for_each = var.regions\n        iterator = \"dest\"",
            "\"dest\"",
        ),
        (
            "        for_each = var.regions\n        iterator = dest.name",
            "dest.name",
        ),
        ("        for_each = var.regions\n        labels   = [\"a\"]", "[\"a\"]"),
    ];
    for (arguments, at) in wrong {
        assert_eq!(hcl(arguments), [("ECR103", s(at))], "{arguments}");
    }
    // The JSON syntax: the name is a string there.
    let json = |arguments: &str| {
        run(&format!(
            r#"{{"resource": {{"aws_ecr_replication_configuration": {{"this": {{"replication_configuration": [{{"rule": [{{
                "dynamic": [{{"destination": [{{{arguments}, "content": [{{"region": "${{destination.value}}", "registry_id": "210987654321"}}]}}]}}]}}]}}]}}}}}}}}"#
        ))
        .1
    };
    assert_eq!(
        json(r#""for_each": "${var.regions}", "iterator": "dest""#),
        Vec::<&str>::new()
    );
    assert_eq!(json(r#""for_each": "us-west-2""#), ["ECR103"]);
    assert_eq!(json(r#""for_each": true"#), ["ECR103"]);
    assert_eq!(
        json(r#""for_each": "${var.regions}", "iterator": "dest.name""#),
        ["ECR103"]
    );
}

#[test]
fn known_module_inputs_are_linted_and_others_are_not() {
    let module = |source: &str| {
        format!(
            r#"{{"module": {{"ecr": {{"source": "{source}", "create_registry_replication_configuration": true,
                "registry_replication_rules": [{{"destinations": [{{"region": "us-west-2", "registry_id": "210987654321"}}],
                    "repository_filters": [{{"filter": "prod/*", "filter_type": "PREFIX_MATCH"}}]}}]}}}}}}"#
        )
    };
    for source in [
        "terraform-aws-modules/ecr/aws",
        "registry.terraform.io/terraform-aws-modules/ecr/aws",
        "git::https://github.com/terraform-aws-modules/terraform-aws-ecr.git?ref=v2.4.0",
        "github.com/terraform-aws-modules/terraform-aws-ecr",
    ] {
        assert_eq!(run(&module(source)), ("terraform", vec!["ECR205"]), "{source}");
    }
    // Another module given a replication configuration (its rules with
    // destinations that name a Region and an account): its values are
    // checked, never its keys, which its own variable type decides.
    assert_eq!(run(&module("cloudposse/ecr/aws")), ("terraform", vec!["ECR205"]));
    assert!(run_as(&module("cloudposse/ecr/aws"), Origin::Found).is_some());
    // Another module's inputs that hold no replication are not ours.
    let other = r#"{"module": {"bucket": {"source": "../modules/bucket",
        "rules": [{"id": "expire", "destination": {"bucket": "arn:aws:s3:::x"}}]}}}"#;
    assert_eq!(run(other), ("none", vec!["ECR003"]));
    assert!(run_as(other, Origin::Found).is_none());
}

#[test]
fn a_module_that_does_not_create_the_configuration_is_no_second_one() {
    let file = |create: &str| {
        format!(
            r#"{{"module": {{"ecr": {{"source": "terraform-aws-modules/ecr/aws"{create},
                "registry_replication_rules": [{{"destinations": [{{"region": "us-west-2", "registry_id": "210987654321"}}]}}]}}}},
               "resource": {{"aws_ecr_replication_configuration": {{"example": {{
                "replication_configuration": [{{"rule": [{{"destination": [{{"region": "eu-west-1", "registry_id": "210987654321"}}]}}]}}]}}}}}}}}"#
        )
    };
    // Not created: its rules are ignored (ECR316), and it is no second configuration.
    assert_eq!(run(&file("")).1, ["ECR316"]);
    assert_eq!(
        run(&file(r#", "create_registry_replication_configuration": false"#)).1,
        ["ECR316"]
    );
    assert_eq!(
        run(&file(r#", "create_registry_replication_configuration": true"#)).1,
        ["ECR314"]
    );
}

fn plan(values: &str) -> String {
    format!(
        r#"{{"format_version": "1.2", "terraform_version": "1.9.8",
            "planned_values": {{"root_module": {{"resources": [{{
                "address": "aws_ecr_replication_configuration.this", "mode": "managed",
                "type": "aws_ecr_replication_configuration", "name": "this",
                "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
                "values": {values}, "sensitive_values": {{}}}}]}}}}}}"#
    )
}

#[test]
fn plans_are_read_resolved_with_unknown_values_left_out() {
    let known = plan(
        r#"{"region": "us-east-1", "registry_id": "210987654321", "replication_configuration": [{"rule": [{
            "destination": [{"region": "us-east-1", "registry_id": "210987654321"}, {"region": "eu-west-1", "registry_id": "310987654321"}],
            "repository_filter": []}]}]}"#,
    );
    assert_eq!(run(&known), ("terraform-plan", vec!["ECR306", "ECR312"]));
    // An unknown registry_id is left out of a plan: not "missing".
    let unknown = plan(
        r#"{"replication_configuration": [{"rule": [{"destination": [{"region": "us-west-2"}], "repository_filter": []}]}]}"#,
    );
    assert_eq!(run(&unknown).1, Vec::<&str>::new());
    // A `${` in a plan is literal text, not an expression: a placeholder left unrendered.
    let literal = plan(
        r#"{"replication_configuration": [{"rule": [{"destination": [{"region": "us-west-2", "registry_id": "210987654321"}],
            "repository_filter": [{"filter": "${team}/", "filter_type": "PREFIX_MATCH"}]}]}]}"#,
    );
    assert_eq!(run(&literal).1, ["ECR206"]);
}

#[test]
fn resource_changes_are_read_when_there_are_no_planned_values_and_states_too() {
    let after = r#"{"replication_configuration": [{"rule": [{"destination": [{"region": "us-wset-2", "registry_id": "210987654321"}], "repository_filter": []}]}]}"#;
    let changes = format!(
        r#"{{"format_version": "1.2", "resource_changes": [
            {{"address": "aws_ecr_replication_configuration.gone", "type": "aws_ecr_replication_configuration",
              "change": {{"actions": ["delete"], "before": {after}, "after": null}}}},
            {{"address": "aws_ecr_replication_configuration.this", "type": "aws_ecr_replication_configuration",
              "change": {{"actions": ["create"], "before": null, "after": {after}, "after_unknown": {{}}}}}}]}}"#
    );
    assert_eq!(run(&changes), ("terraform-plan", vec!["ECR203"]));
    let state = format!(
        r#"{{"format_version": "1.0", "values": {{"root_module": {{"child_modules": [{{"resources": [
            {{"address": "module.r.aws_ecr_replication_configuration.this", "mode": "managed",
              "type": "aws_ecr_replication_configuration", "name": "this", "values": {after}}}]}}]}}}}}}"#
    );
    assert_eq!(run(&state), ("terraform-plan", vec!["ECR203"]));
}

#[test]
fn terraform_without_replication_is_a_neighbour() {
    let config = r#"{"resource": {"aws_ecr_repository": {"app": {"name": "app"}}}}"#;
    let found = diagnostics(config);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "ECR003");
    assert!(found[0].message.contains("no aws_ecr_replication_configuration here"));
    assert!(run_as(config, Origin::Found).is_none());
    let plan = r#"{"format_version": "1.2", "planned_values": {"root_module": {}}}"#;
    assert_eq!(run(plan).1, ["ECR003"]);
    assert!(run_as(plan, Origin::Found).is_none());
}

#[test]
fn a_plan_without_region_values_takes_the_region_of_its_provider_configuration() {
    let text = r#"{"format_version": "1.2",
        "planned_values": {"root_module": {"resources": [{
            "address": "aws_ecr_replication_configuration.this", "mode": "managed",
            "type": "aws_ecr_replication_configuration", "name": "this",
            "values": {"registry_id": "210987654321", "replication_configuration": [{"rule": [{
                "destination": [{"region": "eu-west-1", "registry_id": "210987654321"}], "repository_filter": []}]}]}}]}},
        "configuration": {
            "provider_config": {"aws.ireland": {"name": "aws", "alias": "ireland",
                "expressions": {"region": {"constant_value": "eu-west-1"}}}},
            "root_module": {"resources": [{"address": "aws_ecr_replication_configuration.this",
                "provider_config_key": "aws.ireland"}]}}}"#;
    assert_eq!(run(text), ("terraform-plan", vec!["ECR306"]));
}

/// Runs the binary on a folder of `.tf` files and returns the report.
fn check_folder(files: &[(&str, &str)], args: &[&str]) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        common::write(dir.path(), name, text);
    }
    let args: Vec<&str> = ["--isolated"].iter().chain(args).copied().collect();
    common::json_report(dir.path(), &args).0
}

#[test]
fn directory_walks_lint_only_the_tf_files_that_hold_replication() {
    let files = [
        (
            "replication.tf",
            "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = \"us-west-2\"\n        registry_id = \"210987654321\"\n      }\n      repository_filter {\n        filter      = \"prod/*\"\n        filter_type = \"PREFIX_MATCH\"\n      }\n    }\n  }\n}\n",
        ),
        (
            "variables.tf",
            "variable \"replication_configuration\" {\n  type    = any\n  default = {}\n}\nvariable \"registry_replication_rules\" {\n  type = list(object({ destinations = list(object({ region = string, registry_id = string })) }))\n}\n",
        ),
        ("main.tf", "provider \"aws\" {\n  region = \"us-east-1\"\n}\nresource \"aws_ecr_repository\" \"app\" {\n  name = \"app\"\n}\n"),
    ];
    let report = check_folder(&files, &["."]);
    let linted: Vec<(&str, &str)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["path"].as_str().unwrap(), f["document"].as_str().unwrap_or("none")))
        .collect();
    assert_eq!(linted, [("replication.tf", "terraform")], "{report}");
    let codes: Vec<&str> = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["ECR205"]);
    // Named, a Terraform file without the resource is ECR003.
    let named = check_folder(&files, &["main.tf"]);
    let d = &named["files"][0]["diagnostics"][0];
    assert_eq!(d["code"], "ECR003");
    assert!(d["message"]
        .as_str()
        .unwrap()
        .contains("no aws_ecr_replication_configuration here"));
}

#[test]
fn a_broken_tf_file_that_names_the_resource_is_reported_in_walks() {
    let files = [(
        "replication.tf",
        "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n",
    )];
    let report = check_folder(&files, &["."]);
    assert_eq!(report["files"][0]["diagnostics"][0]["code"], "ECR001", "{report}");
    // A broken file that does not is passed over.
    let other = check_folder(&[("main.tf", "resource \"aws_s3_bucket\" \"b\" {\n")], &["."]);
    assert_eq!(other["files"].as_array().map(Vec::len), Some(0), "{other}");
}

#[test]
fn a_lone_data_key_is_not_terraform() {
    // An API response that wraps a configuration under `data` still mentions replication.
    let wrapped = r#"{"data": {"replicationConfiguration": {"rules": [{"destinations": [{"region": "us-west-2", "registryId": "210987654321"}]}]}}}"#;
    let (shape, diagnostics) = run_as(wrapped, Origin::Found).expect("reported, never passed over");
    assert_eq!(shape, "none");
    assert_eq!(diagnostics[0].code, "ECR003");
}

/// The codes of a file linted by name, in the order found.
fn codes_of(path: &std::path::Path, read_as: ReadAs, settings: &Settings) -> Vec<&'static str> {
    let bytes = std::fs::read(path).unwrap();
    let Outcome::Linted { diagnostics, .. } = lint(&bytes, read_as, Origin::Named, settings) else {
        panic!("{} is linted", path.display())
    };
    diagnostics.iter().map(|d| d.code).collect()
}

#[test]
fn a_tf_file_and_its_tf_json_twin_get_the_same_findings() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let settings = [
        Settings::default(),
        Settings {
            source_region: Some("us-west-2".to_string()),
            ..Settings::default()
        },
    ];
    let mut compared = 0;
    for entry in std::fs::read_dir(root.join("terraform")).unwrap() {
        let twin = entry.unwrap().path();
        let Some(name) = twin
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".json"))
        else {
            continue;
        };
        let tf = root.join("corpus").join(name);
        for s in &settings {
            assert_eq!(
                codes_of(&tf, ReadAs::Format(SourceFormat::Hcl), s),
                codes_of(&twin, ReadAs::Format(SourceFormat::Json), s),
                "{name}"
            );
        }
        compared += 1;
    }
    assert_eq!(compared, 5, "the five parsable real .tf files have twins");
}

/// A module folder: the Region in `variables.tf`, the filter in `terraform.tfvars`.
const MODULE: [(&str, &str); 3] = [
    (
        "main.tf",
        "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.replica_region\n        registry_id = \"210987654321\"\n      }\n      repository_filter {\n        filter      = var.prefix\n        filter_type = \"PREFIX_MATCH\"\n      }\n    }\n  }\n}\n",
    ),
    (
        "variables.tf",
        "variable \"replica_region\" {\n  default = \"us-weast-2\"\n}\nvariable \"prefix\" {\n  default = \"prod/\"\n}\n",
    ),
    ("terraform.tfvars", "prefix = \"prod/*\"\n"),
];

/// (path, code, line) of each finding, and (path, line) of its first label.
fn findings(report: &serde_json::Value) -> Vec<(String, String, u64, String, u64)> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            f["diagnostics"].as_array().unwrap().iter().map(move |d| {
                (
                    f["path"].as_str().unwrap().to_string(),
                    d["code"].as_str().unwrap().to_string(),
                    d["start"]["line"].as_u64().unwrap(),
                    d["labels"][0]["path"].as_str().unwrap_or_default().to_string(),
                    d["labels"][0]["start"]["line"].as_u64().unwrap_or_default(),
                )
            })
        })
        .collect()
}

#[test]
fn a_module_folder_is_one_configuration() {
    let s = |t: &str| t.to_string();
    let folder = check_folder(&MODULE, &["."]);
    // Each value's finding is reported where the value is written (the
    // default, the tfvars entry: the fix goes there), labelled at the use.
    assert_eq!(
        findings(&folder),
        [
            (s("terraform.tfvars"), s("ECR205"), 1, s("main.tf"), 9),
            (s("variables.tf"), s("ECR203"), 2, s("main.tf"), 5),
        ],
        "{folder}"
    );
    // The hook on a staged variables.tf or terraform.tfvars alone reports
    // what the folder run reports on it.
    let hook = check_folder(&MODULE, &["--skip-unrecognised", "variables.tf"]);
    assert_eq!(findings(&hook), [(s("variables.tf"), s("ECR203"), 2, s("main.tf"), 5)]);
    let hook = check_folder(&MODULE, &["--skip-unrecognised", "terraform.tfvars"]);
    assert_eq!(
        findings(&hook),
        [(s("terraform.tfvars"), s("ECR205"), 1, s("main.tf"), 9)]
    );
    // main.tf alone: the values' findings stay at the uses, labelled at the values.
    let main = check_folder(&MODULE, &["--skip-unrecognised", "main.tf"]);
    assert_eq!(
        findings(&main),
        [
            (s("main.tf"), s("ECR203"), 5, s("variables.tf"), 2),
            (s("main.tf"), s("ECR205"), 9, s("terraform.tfvars"), 1),
        ]
    );
}

#[test]
fn variable_files_that_feed_no_configuration_are_passed_over() {
    let mut files = MODULE.to_vec();
    // Not loaded by Terraform unless named with -var-file, and the variable is unused.
    files.push(("prod.tfvars", "replica_region = \"us-weast-1\"\n"));
    files.push(("terraform.tfvars", "prefix = \"prod/\"\nunused = \"prod/*\"\n"));
    let s = |t: &str| t.to_string();
    let report = check_folder(&files, &["."]);
    assert_eq!(
        findings(&report),
        [(s("variables.tf"), s("ECR203"), 2, s("main.tf"), 5)],
        "{report}"
    );
    let hook = check_folder(&files, &["--skip-unrecognised", "prod.tfvars", "terraform.tfvars"]);
    assert_eq!(findings(&hook), [], "{hook}");
    // Named with --var-file (as `ci.tfvars` or `./ci.tfvars`), it is the module's.
    let named = check_folder(&files, &["--var-file", "prod.tfvars", "./prod.tfvars"]);
    assert_eq!(
        findings(&named),
        [(s("prod.tfvars"), s("ECR203"), 1, s("main.tf"), 5)],
        "{named}"
    );
}

#[test]
fn var_flags_set_variables_after_tfvars() {
    let s = |t: &str| t.to_string();
    let mut files = MODULE.to_vec();
    files.push(("ci.tfvars", "replica_region = \"us-west-2\"\n"));
    let report = check_folder(&files, &["--var-file", "ci.tfvars", "--var", "prefix=prod/", "."]);
    assert_eq!(findings(&report), [], "{report}");
    let report = check_folder(&files, &["--var-file", "ci.tfvars", "."]);
    assert_eq!(
        findings(&report),
        [(s("terraform.tfvars"), s("ECR205"), 1, s("main.tf"), 9)],
        "{report}"
    );
    let report = check_folder(&files, &["--var", "replica_region=eu-wst-1", "main.tf"]);
    assert_eq!(
        findings(&report),
        [
            (s("main.tf"), s("ECR203"), 5, s("--var replica_region"), 1),
            (s("main.tf"), s("ECR205"), 9, s("terraform.tfvars"), 1),
        ],
        "{report}"
    );
}

#[test]
fn verbose_does_not_call_a_file_that_took_part_skipped() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in MODULE {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let out = assert_cmd::Command::cargo_bin("ecrlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--isolated", "-v", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("variables.tf"), "{stderr}");
    assert!(!stderr.contains("terraform.tfvars"), "{stderr}");
}

#[test]
fn two_files_of_a_folder_configuring_one_registry_are_reported_once_in_any_run() {
    let resource = |name: &str, provider: &str| {
        format!("resource \"aws_ecr_replication_configuration\" \"{name}\" {{\n{provider}  replication_configuration {{\n    rule {{\n      destination {{\n        region      = \"eu-west-1\"\n        registry_id = \"210987654321\"\n      }}\n    }}\n  }}\n}}\n")
    };
    let main = resource("this", "");
    let dr = resource("dr", "  provider = aws.virginia\n");
    let files = [
        ("providers.tf", "provider \"aws\" {\n  region = \"us-east-1\"\n}\nprovider \"aws\" {\n  alias  = \"virginia\"\n  region = \"us-east-1\"\n}\n"),
        ("main.tf", main.as_str()),
        ("dr.tf", dr.as_str()),
    ];
    let s = |t: &str| t.to_string();
    // dr.tf comes first in the folder's order: main.tf holds the second.
    let folder = check_folder(&files, &["."]);
    assert_eq!(
        findings(&folder),
        [(s("main.tf"), s("ECR314"), 1, s("dr.tf"), 1)],
        "{folder}"
    );
    // The hook on either file alone reports it there, labelled in the other.
    for (named, other) in [("main.tf", "dr.tf"), ("dr.tf", "main.tf")] {
        let hook = check_folder(&files, &["--skip-unrecognised", named]);
        assert_eq!(findings(&hook), [(s(named), s("ECR314"), 1, s(other), 1)], "{hook}");
    }
    // Through a provider of another Region, it is another registry.
    let oregon = dr.replace("aws.virginia", "aws.oregon");
    let files = [
        ("providers.tf", "provider \"aws\" {\n  region = \"us-east-1\"\n}\nprovider \"aws\" {\n  alias  = \"oregon\"\n  region = \"us-west-2\"\n}\n"),
        ("main.tf", main.as_str()),
        ("dr.tf", oregon.as_str()),
    ];
    assert_eq!(findings(&check_folder(&files, &["."])), []);
}

#[test]
fn functions_over_values_of_other_files_stay_unknown() {
    // `concat` of a default written in variables.tf is not evaluated here
    // (never guessed); the same default in main.tf is.
    let main = "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      dynamic \"destination\" {\n        for_each = toset(concat(var.regions, [\"us-west-2\"]))\n        content {\n          region      = destination.value\n          registry_id = \"210987654321\"\n        }\n      }\n    }\n  }\n}\n";
    let variables = "variable \"regions\" {\n  default = [\"eu-wst-1\"]\n}\n";
    let s = |t: &str| t.to_string();
    let apart = check_folder(&[("main.tf", main), ("variables.tf", variables)], &["."]);
    assert_eq!(findings(&apart), [], "{apart}");
    let together = format!("{variables}{main}");
    let one = check_folder(&[("main.tf", together.as_str())], &["."]);
    assert_eq!(findings(&one), [(s("main.tf"), s("ECR203"), 2, s(""), 7)], "{one}");
    // A value tfvars sets wins over the default: not read from the default.
    let set = check_folder(
        &[
            ("main.tf", together.as_str()),
            ("terraform.tfvars", "regions = [\"eu-west-1\"]\n"),
        ],
        &["."],
    );
    assert_eq!(findings(&set), [], "{set}");
}

/// A caller whose `rules` reach a local module's `dynamic "rule"` blocks
/// (`./modules/ecr`, read from disk).
const LOCAL_MODULE: [(&str, &str); 3] = [
    (
        "main.tf",
        "module \"ecr\" {\n  source = \"./modules/ecr\"\n  rules = [{\n    destinations = [{ region = \"us-weast-2\", registry_id = \"210987654321\" }]\n  }]\n}\n",
    ),
    (
        "modules/ecr/main.tf",
        "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    dynamic \"rule\" {\n      for_each = var.rules\n      content {\n        dynamic \"destination\" {\n          for_each = rule.value.destinations\n          content {\n            region      = destination.value.region\n            registry_id = destination.value.registry_id\n          }\n        }\n      }\n    }\n  }\n}\n",
    ),
    (
        "modules/ecr/variables.tf",
        "variable \"rules\" {\n  type    = any\n  default = []\n}\n",
    ),
];

/// The diagnostics of `path` in a report, as JSON.
fn diagnostics_of(report: &serde_json::Value, path: &str) -> Vec<serde_json::Value> {
    common::report_files(report)
        .into_iter()
        .find(|(p, _)| p == path)
        .map(|(_, d)| d)
        .unwrap_or_else(|| panic!("{path} is not in {report}"))
}

#[test]
fn a_local_modules_inputs_are_checked_where_the_module_uses_them() {
    let folder = check_folder(&LOCAL_MODULE, &["."]);
    let s = |t: &str| t.to_string();
    // One finding, on the caller's value, labelled where the module uses the variable.
    assert_eq!(
        findings(&folder),
        [(s("main.tf"), s("ECR203"), 4, s("modules/ecr/main.tf"), 4)],
        "{folder}"
    );
    let found = diagnostics_of(&folder, "main.tf");
    assert_eq!(
        found[0]["message"],
        "region `\"us-weast-2\"` is not a known Region of the `aws` partition; module `ecr` (./modules/ecr) puts `rules` into aws_ecr_replication_configuration.this"
    );
    let labels: Vec<(String, u64, String)> = found[0]["labels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["path"].as_str().unwrap_or_default().to_string(),
                l["start"]["line"].as_u64().unwrap(),
                l["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        labels,
        [(s("modules/ecr/main.tf"), 4, s("the module uses `var.rules` here"))]
    );
    // The hook on the staged caller alone reports exactly what the folder run does.
    let hook = check_folder(&LOCAL_MODULE, &["--skip-unrecognised", "main.tf"]);
    assert_eq!(diagnostics_of(&hook, "main.tf"), found);
    // A suppression comment at the caller's value silences it, and is used.
    let mut silenced = LOCAL_MODULE;
    let commented = LOCAL_MODULE[0]
        .1
        .replace("    destinations", "    # ecrlint: ignore[ECR203]\n    destinations");
    silenced[0].1 = &commented;
    let report = check_folder(&silenced, &["."]);
    assert_eq!(diagnostics_of(&report, "main.tf"), Vec::<serde_json::Value>::new());
    // A fix of the caller's value is made there: the module is not touched.
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in LOCAL_MODULE {
        common::write(dir.path(), name, &text.replace("us-weast-2", "eu-wst-1"));
    }
    let (_, exit) = common::json_report(dir.path(), &["--isolated", "--fix", "--unsafe-fixes", "."]);
    assert_eq!(exit, 0);
    assert_eq!(
        std::fs::read_to_string(dir.path().join("main.tf")).unwrap(),
        LOCAL_MODULE[0].1.replace("us-weast-2", "eu-west-1")
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("modules/ecr/main.tf")).unwrap(),
        LOCAL_MODULE[1].1
    );
}

#[test]
fn a_local_module_that_uses_no_input_for_ours_is_a_neighbour() {
    // The input looks like replication rules, but the module makes an S3 bucket of it.
    let caller = "module \"bucket\" {\n  source = \"./modules/bucket\"\n  rules = [{\n    destinations = [{ region = \"us-weast-2\", registry_id = \"210987654321\" }]\n  }]\n}\n";
    let files = [
        ("main.tf", caller),
        (
            "modules/bucket/main.tf",
            "resource \"aws_s3_bucket\" \"this\" {\n  bucket = \"backup\"\n  tags   = { rules = jsonencode(var.rules) }\n}\nvariable \"rules\" {\n  type = any\n}\n",
        ),
    ];
    let folder = check_folder(&files, &["."]);
    assert!(common::report_files(&folder).is_empty(), "{folder}");
    let hook = check_folder(&files, &["--skip-unrecognised", "main.tf"]);
    assert!(common::report_files(&hook).is_empty(), "{hook}");
    let named = check_folder(&files, &["main.tf"]);
    assert_eq!(
        common::codes_by_file(&named),
        [("main.tf".to_string(), vec!["ECR003".to_string()])]
    );
    // A folder that is not there, or a remote source: the input is read by its contents, as before.
    for source in ["./modules/missing", "app.terraform.io/acme/ecr/aws"] {
        let text = caller.replace("./modules/bucket", source);
        let report = check_folder(&[("main.tf", text.as_str())], &["."]);
        assert_eq!(
            common::codes_by_file(&report),
            [("main.tf".to_string(), vec!["ECR203".to_string()])],
            "{source}"
        );
    }
}

/// A finding's code and line, with each label's path, line and message.
type Seen = (String, u64, Vec<(String, u64, String)>);

#[test]
fn a_local_modules_input_read_from_the_callers_local_or_default_is_checked() {
    // `region = local.r` (or `var.r`) whose value is written in the caller's
    // file is known there, as for a resource's argument: the finding is at
    // the input, labelled at the value (where the fix goes) and where the
    // module uses it. It was dropped (its span is the value's, outside the input).
    let module = "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.region\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\nvariable \"region\" {\n  type = string\n}\n";
    let s = |t: &str| t.to_string();
    // The label at the value in the words of a resource's finding there.
    for (input, written, label) in [
        ("local.r", "locals {\n  r = \"eu-wst-1\"\n}\n", "the value of `local.r`"),
        (
            "var.r",
            "variable \"r\" {\n  default = \"eu-wst-1\"\n}\n",
            "the default of variable `r` (a value set elsewhere wins)",
        ),
    ] {
        let caller = format!("module \"ecr\" {{\n  source = \"./modules/ecr\"\n  region = {input}\n}}\n{written}");
        let files = [("main.tf", caller.as_str()), ("modules/ecr/main.tf", module)];
        for args in [&["."][..], &["--skip-unrecognised", "main.tf"][..]] {
            let report = check_folder(&files, args);
            let found = diagnostics_of(&report, "main.tf");
            let seen: Vec<Seen> = found
                .iter()
                .map(|d| {
                    let labels = d["labels"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|l| {
                            (
                                l["path"].as_str().unwrap_or_default().to_string(),
                                l["start"]["line"].as_u64().unwrap(),
                                l["message"].as_str().unwrap().to_string(),
                            )
                        })
                        .collect();
                    (
                        d["code"].as_str().unwrap().to_string(),
                        d["start"]["line"].as_u64().unwrap(),
                        labels,
                    )
                })
                .collect();
            assert_eq!(
                seen,
                [(
                    s("ECR203"),
                    3,
                    vec![
                        (s(""), 6, s(label)),
                        (s("modules/ecr/main.tf"), 5, s("the module uses `var.region` here")),
                    ]
                )],
                "{input} {args:?}: {report}"
            );
        }
    }
}

#[test]
fn a_local_module_blocks_instances_are_checked_each() {
    // `for_each` on the module block: `each.value` (and its attributes) is
    // each element's, as for a resource's instances; the finding is at the
    // element. It was not evaluated, so nothing was checked.
    let module = "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.region\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\nvariable \"region\" {\n  type = string\n}\n";
    let s = |t: &str| t.to_string();
    for (for_each, input) in [
        ("toset([\"us-east-1\", \"eu-wst-1\"])", "each.value"),
        (
            "{\n    main = { region = \"us-east-1\" }\n    dr   = { region = \"eu-wst-1\" }\n  }",
            "each.value.region",
        ),
    ] {
        let caller = format!(
            "module \"ecr\" {{\n  source   = \"./modules/ecr\"\n  region   = {input}\n  for_each = {for_each}\n}}\n"
        );
        let files = [("main.tf", caller.as_str()), ("modules/ecr/main.tf", module)];
        let line = caller.lines().position(|l| l.contains("eu-wst-1")).unwrap() as u64 + 1;
        for args in [&["."][..], &["--skip-unrecognised", "main.tf"][..]] {
            let report = check_folder(&files, args);
            let found = diagnostics_of(&report, "main.tf");
            let seen: Vec<(String, u64, String)> = found
                .iter()
                .map(|d| {
                    (
                        d["code"].as_str().unwrap().to_string(),
                        d["start"]["line"].as_u64().unwrap(),
                        d["message"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            assert_eq!(
                seen,
                [(
                    s("ECR203"),
                    line,
                    s("region `\"eu-wst-1\"` is not a known Region of the `aws` partition; module `ecr` (./modules/ecr) puts `region` into aws_ecr_replication_configuration.this")
                )],
                "{input} {args:?}: {report}"
            );
        }
    }
    // A literal input is checked whatever the instances, as a resource's
    // literals are: with `count = 0` too.
    let caller = "module \"ecr\" {\n  source = \"./modules/ecr\"\n  count  = 0\n  region = \"eu-wst-1\"\n}\n";
    let report = check_folder(&[("main.tf", caller), ("modules/ecr/main.tf", module)], &["."]);
    assert_eq!(
        common::codes_by_file(&report),
        [
            ("main.tf".to_string(), vec!["ECR203".to_string()]),
            ("modules/ecr/main.tf".to_string(), vec![]),
        ],
        "{report}"
    );
}

#[cfg(unix)]
#[test]
fn a_modules_files_that_are_symbolic_links_are_read() {
    // Terraform reads a `.tf` that links to a shared file as one of the
    // folder's; so does the folder walk. Following a local module and
    // reading the linted file's own folder skipped them: the module had no
    // resource (nothing checked), a default written there was unknown.
    let resource = |region: &str, account: &str| {
        format!("resource \"aws_ecr_replication_configuration\" \"this\" {{\n  replication_configuration {{\n    rule {{\n      destination {{\n        region      = {region}\n        registry_id = {account}\n      }}\n    }}\n  }}\n}}\n")
    };
    let codes = |report: &serde_json::Value| -> Vec<(String, u64)> {
        diagnostics_of(report, "main.tf")
            .iter()
            .map(|d| {
                (
                    d["code"].as_str().unwrap().to_string(),
                    d["start"]["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let dir = tempfile::tempdir().unwrap();
    let module = resource("var.region", "\"210987654321\"") + "variable \"region\" {\n  type = string\n}\n";
    common::write(dir.path(), "shared/ecr.tf.txt", &module);
    common::write(
        dir.path(),
        "main.tf",
        "module \"ecr\" {\n  source = \"./modules/ecr\"\n  region = \"eu-wst-1\"\n}\n",
    );
    std::fs::create_dir_all(dir.path().join("modules/ecr")).unwrap();
    std::os::unix::fs::symlink("../../shared/ecr.tf.txt", dir.path().join("modules/ecr/main.tf")).unwrap();
    let (report, _) = common::json_report(dir.path(), &["--isolated", "--skip-unrecognised", "main.tf"]);
    assert_eq!(codes(&report), [("ECR203".to_string(), 3)], "{report}");
    // The linted file's folder: a default in a linked variables.tf.
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "main.tf", &resource("\"eu-west-1\"", "var.account"));
    common::write(
        dir.path(),
        "shared/variables.tf.txt",
        "variable \"account\" {\n  default = \"21098765432\"\n}\n",
    );
    std::os::unix::fs::symlink("shared/variables.tf.txt", dir.path().join("variables.tf")).unwrap();
    let (report, _) = common::json_report(dir.path(), &["--isolated", "--skip-unrecognised", "main.tf"]);
    assert_eq!(codes(&report), [("ECR204".to_string(), 6)], "{report}");
}

#[test]
fn a_local_source_written_with_backslashes_is_followed() {
    // Terraform reads `.\\modules\\ecr` as the local path ./modules/ecr on
    // every platform (backslashes are made slashes): the module is followed.
    let files = [
        (
            "main.tf",
            "module \"ecr\" {\n  source = \".\\\\modules\\\\ecr\"\n  region = \"eu-wst-1\"\n}\n",
        ),
        (
            "modules/ecr/main.tf",
            "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.region\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\nvariable \"region\" {\n  type = string\n}\n",
        ),
    ];
    let report = check_folder(&files, &["."]);
    assert_eq!(
        common::codes_by_file(&report),
        [
            ("main.tf".to_string(), vec!["ECR203".to_string()]),
            ("modules/ecr/main.tf".to_string(), vec![]),
        ],
        "{report}"
    );
    let found = diagnostics_of(&report, "main.tf");
    assert_eq!(
        found[0]["message"],
        "region `\"eu-wst-1\"` is not a known Region of the `aws` partition; module `ecr` (.\\modules\\ecr) puts `region` into aws_ecr_replication_configuration.this"
    );
    // A module that makes a bucket of rules-like input is not read by its contents.
    let bucket = [
        (
            "main.tf",
            "module \"bucket\" {\n  source = \"..\\\\app\\\\modules\\\\bucket\"\n  rules = [{\n    destinations = [{ region = \"us-weast-2\", registry_id = \"210987654321\" }]\n  }]\n}\n",
        ),
        (
            "modules/bucket/main.tf",
            "resource \"aws_s3_bucket\" \"this\" {\n  bucket = \"backup\"\n  tags   = { rules = jsonencode(var.rules) }\n}\nvariable \"rules\" {\n  type = any\n}\n",
        ),
    ];
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in bucket {
        common::write(&dir.path().join("app"), name, text);
    }
    let (report, _) = common::json_report(&dir.path().join("app"), &["--isolated", "."]);
    assert!(common::report_files(&report).is_empty(), "{report}");
}

#[test]
fn a_module_that_calls_itself_is_followed_one_level() {
    let files = [
        (
            "main.tf",
            "module \"ecr\" {\n  source = \"./modules/ecr\"\n  region = \"eu-wst-1\"\n}\n",
        ),
        (
            "modules/ecr/main.tf",
            "module \"again\" {\n  source = \"./\"\n  region = var.region\n}\nresource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.region\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\nvariable \"region\" {\n  type = string\n}\n",
        ),
    ];
    let report = check_folder(&files, &["."]);
    assert_eq!(
        common::codes_by_file(&report),
        [
            ("main.tf".to_string(), vec!["ECR203".to_string()]),
            ("modules/ecr/main.tf".to_string(), vec![]),
        ]
    );
}

#[test]
fn a_local_modules_inputs_reach_each_resource_of_ours() {
    let module = "data \"aws_iam_policy_document\" \"registry\" {\n  statement {\n    actions = var.actions\n    principals {\n      type        = \"AWS\"\n      identifiers = [\"arn:aws:iam::109876543210:root\"]\n    }\n    resources = [\"arn:aws:ecr:us-west-2:210987654321:repository/*\"]\n  }\n}\nresource \"aws_ecr_registry_policy\" \"this\" {\n  policy = data.aws_iam_policy_document.registry.json\n}\nresource \"aws_ecr_repository_creation_template\" \"t\" {\n  prefix      = var.prefix\n  applied_for = [\"REPLICATION\"]\n}\nresource \"aws_ecr_account_setting\" \"s\" {\n  name  = var.setting\n  value = \"ENABLED\"\n}\n";
    let files = [
        (
            "main.tf",
            "module \"p\" {\n  source  = \"./modules/p\"\n  actions = [\"ecr:ReplicateImages\"]\n  prefix  = \"Prod\"\n  setting = \"BLOB_MOUNTIN\"\n}\n",
        ),
        ("modules/p/main.tf", module),
    ];
    let report = check_folder(&files, &["--skip-unrecognised", "main.tf"]);
    let found: Vec<(String, u64, String)> = diagnostics_of(&report, "main.tf")
        .iter()
        .map(|d| {
            let message = d["message"].as_str().unwrap();
            let (_, module) = message.split_once("; ").unwrap();
            (
                d["code"].as_str().unwrap().to_string(),
                d["start"]["line"].as_u64().unwrap(),
                module.to_string(),
            )
        })
        .collect();
    let s = |t: &str| t.to_string();
    assert_eq!(
        found,
        [
            (
                s("ECR501"),
                3,
                s("module `p` (./modules/p) puts `actions` into aws_ecr_registry_policy.this")
            ),
            (
                s("ECR103"),
                4,
                s("module `p` (./modules/p) puts `prefix` into aws_ecr_repository_creation_template.t")
            ),
            (
                s("ECR521"),
                5,
                s("module `p` (./modules/p) puts `setting` into aws_ecr_account_setting.s")
            ),
        ]
    );
}

#[test]
fn override_files_merge_into_the_resource_they_name() {
    let resource = |region: &str, provider: &str| {
        format!("resource \"aws_ecr_replication_configuration\" \"this\" {{\n{provider}  replication_configuration {{\n    rule {{\n      destination {{\n        region      = \"{region}\"\n        registry_id = \"210987654321\"\n      }}\n    }}\n  }}\n}}\n")
    };
    let s = |t: &str| t.to_string();
    let main = resource("us-wset-2", "");
    let fixed = resource("us-west-2", "");
    // The override's block replaces the typo: no ECR203, and no ECR314 for
    // one resource read twice, in the folder run and in the hook on either file.
    let files = [("main.tf", main.as_str()), ("override.tf", fixed.as_str())];
    for args in [
        &["."][..],
        &["--skip-unrecognised", "main.tf"],
        &["--skip-unrecognised", "override.tf"],
    ] {
        let report = check_folder(&files, args);
        assert_eq!(findings(&report), [], "{args:?}: {report}");
    }
    // A `.tf.json` override too; the typo it brings is its own, where it is written.
    let json = r#"{"resource": {"aws_ecr_replication_configuration": {"this": {"replication_configuration": {"rule": {"destination": {"region": "eu-wset-1", "registry_id": "210987654321"}}}}}}}"#;
    let files = [("main.tf", fixed.as_str()), ("a_override.tf.json", json)];
    for args in [&["."][..], &["--skip-unrecognised", "a_override.tf.json"]] {
        let report = check_folder(&files, args);
        assert_eq!(
            findings(&report),
            [(s("a_override.tf.json"), s("ECR203"), 1, s(""), 0)],
            "{args:?}: {report}"
        );
    }
    // Named like one but not one (`override` is no suffix after `_`): a second resource.
    let files = [("main.tf", fixed.as_str()), ("myoverride.tf", fixed.as_str())];
    assert_eq!(
        findings(&check_folder(&files, &["."])),
        [(s("myoverride.tf"), s("ECR314"), 1, s("main.tf"), 1)]
    );
}

#[test]
fn override_files_replace_variable_defaults_and_locals_per_name() {
    let main = "variable \"dr_region\" {\n  default = \"us-wset-2\"\n}\nlocals {\n  registry = \"2109876543\"\n  unused   = 1\n}\nresource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.dr_region\n        registry_id = local.registry\n      }\n    }\n  }\n}\n";
    let fixes = "variable \"dr_region\" {\n  default = \"us-west-2\"\n}\nlocals {\n  registry = \"210987654321\"\n}\n";
    let files = [("main.tf", main), ("override.tf", fixes)];
    for args in [&["."][..], &["--skip-unrecognised", "main.tf"]] {
        let report = check_folder(&files, args);
        assert_eq!(findings(&report), [], "{args:?}: {report}");
    }
    // Without the override, both of main.tf's values are wrong.
    let codes: Vec<(String, u64)> = findings(&check_folder(&[("main.tf", main)], &["."]))
        .into_iter()
        .map(|f| (f.1, f.2))
        .collect();
    assert_eq!(codes, [("ECR203".to_string(), 12), ("ECR204".to_string(), 13)]);
}

#[test]
fn the_hook_on_a_file_reports_what_an_unlinted_override_puts_in_its_place() {
    let resource = |region: &str| {
        format!("resource \"aws_ecr_replication_configuration\" \"this\" {{\n  replication_configuration {{\n    rule {{\n      destination {{\n        region      = \"{region}\"\n        registry_id = \"210987654321\"\n      }}\n    }}\n  }}\n}}\n")
    };
    let s = |t: &str| t.to_string();
    let main = resource("us-west-2");
    // The override's typo is what Terraform applies: the folder run reports
    // it in the override file; the hook on main.tf alone said nothing.
    let broken = format!("# kept out of git\n{}", resource("us-wset-2"));
    for name in ["override.tf", "dr_override.tf"] {
        let files = [("main.tf", main.as_str()), (name, broken.as_str())];
        for args in [&["."][..], &["--skip-unrecognised", name]] {
            assert_eq!(
                findings(&check_folder(&files, args)),
                [(s(name), s("ECR203"), 6, s(""), 0)],
                "{args:?}"
            );
        }
        // The hook on main.tf alone: at the resource, labelled where the value is written.
        let report = check_folder(&files, &["--skip-unrecognised", "main.tf"]);
        assert_eq!(
            findings(&report),
            [(s("main.tf"), s("ECR203"), 1, s(name), 6)],
            "{report}"
        );
        let label = &report["files"][0]["diagnostics"][0]["labels"][0]["message"];
        assert!(label.as_str().unwrap().contains("not linted in this run"), "{label}");
        // Both named: the override reports its own, once.
        let report = check_folder(&files, &["--skip-unrecognised", "main.tf", name]);
        assert_eq!(findings(&report), [(s(name), s("ECR203"), 6, s(""), 0)], "{report}");
    }
    // A `.tf.json` override too.
    let json = r#"{"resource": {"aws_ecr_replication_configuration": {"this": {"replication_configuration": {"rule": {"destination": {"region": "eu-wset-1", "registry_id": "210987654321"}}}}}}}"#;
    let files = [("main.tf", main.as_str()), ("override.tf.json", json)];
    assert_eq!(
        findings(&check_folder(&files, &["--skip-unrecognised", "main.tf"])),
        [(s("main.tf"), s("ECR203"), 1, s("override.tf.json"), 1)]
    );
    // A suppression on the resource's line in main.tf is one the folder run
    // never reads (it reports the finding in the override file): the hook
    // does not read it either, and both call it unused.
    let suppressed = main.replacen(
        " {\n",
        " { # ecrlint: ignore[ECR203] the DR override is reviewed apart\n",
        1,
    );
    let files = [("main.tf", suppressed.as_str()), ("override.tf", broken.as_str())];
    assert_eq!(
        findings(&check_folder(&files, &["--skip-unrecognised", "main.tf"])),
        [
            (s("main.tf"), s("ECR203"), 1, s("override.tf"), 6),
            (s("main.tf"), s("ECR005"), 1, s(""), 0)
        ]
    );
    // The one above the value in the override file covers it in both modes.
    let suppressed = broken.replace(
        "        region ",
        "        # ecrlint: ignore[ECR203] reviewed apart\n        region ",
    );
    let files = [("main.tf", main.as_str()), ("override.tf", suppressed.as_str())];
    for args in [
        &["."][..],
        &["--skip-unrecognised", "main.tf"],
        &["--skip-unrecognised", "override.tf"],
    ] {
        assert_eq!(findings(&check_folder(&files, args)), [], "{args:?}");
    }
}

#[test]
fn an_override_with_no_original_in_the_folder_is_reported() {
    // Terraform refuses it ("Missing base resource for override"); it was
    // read as a resource of its own, in silence.
    let resource = |name: &str, region: &str| {
        format!("resource \"aws_ecr_replication_configuration\" \"{name}\" {{\n  replication_configuration {{\n    rule {{\n      destination {{\n        region      = \"{region}\"\n        registry_id = \"210987654321\"\n      }}\n    }}\n  }}\n}}\n")
    };
    let s = |t: &str| t.to_string();
    let main = resource("dr", "us-west-2");
    let orphan = resource("this", "eu-west-1");
    for name in ["override.tf", "a_override.tf"] {
        let files = [("main.tf", main.as_str()), (name, orphan.as_str())];
        for args in [&["."][..], &["--skip-unrecognised", name]] {
            let report = check_folder(&files, args);
            assert_eq!(findings(&report), [(s(name), s("ECR314"), 1, s(""), 0)], "{args:?}");
            let message = report["files"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["path"] == name)
                .unwrap()["diagnostics"][0]["message"]
                .as_str()
                .unwrap()
                .to_string();
            assert!(message.contains("Missing base resource for override"), "{message}");
        }
    }
    // With its original, it merges (no finding); an override file alone in its folder has none.
    let files = [("main.tf", orphan.as_str()), ("override.tf", orphan.as_str())];
    assert_eq!(findings(&check_folder(&files, &["."])), []);
    let files = [
        ("override.tf", orphan.as_str()),
        ("variables.tf", "variable \"x\" {}\n"),
    ];
    assert_eq!(
        findings(&check_folder(&files, &["."])),
        [(s("override.tf"), s("ECR314"), 1, s(""), 0)]
    );
    // A `.tf.json` one too.
    let json = r#"{"resource": {"aws_ecr_replication_configuration": {"this": {"replication_configuration": {"rule": {"destination": {"region": "eu-west-1", "registry_id": "210987654321"}}}}}}}"#;
    let files = [("main.tf", main.as_str()), ("override.tf.json", json)];
    assert_eq!(
        findings(&check_folder(&files, &["."])),
        [(s("override.tf.json"), s("ECR314"), 1, s(""), 0)]
    );
}

#[test]
fn override_files_merge_into_the_module_blocks_they_name() {
    let module = "variable \"region\" {}\nvariable \"registry\" {}\nresource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.region\n        registry_id = var.registry\n      }\n    }\n  }\n}\n";
    let caller = |region: &str| {
        format!("module \"ecr\" {{\n  source   = \"./modules/ecr\"\n  region   = \"{region}\"\n  registry = \"210987654321\"\n}}\n")
    };
    let s = |t: &str| t.to_string();
    // The override's `region` replaces the caller's typo: Terraform never applies it.
    let typo = caller("us-wset-2");
    let fixes = "module \"ecr\" {\n  region = \"us-west-2\"\n}\n";
    let files = [
        ("main.tf", typo.as_str()),
        ("override.tf", fixes),
        ("modules/ecr/main.tf", module),
    ];
    for args in [
        &["."][..],
        &["--skip-unrecognised", "main.tf"],
        &["--skip-unrecognised", "override.tf"],
    ] {
        assert_eq!(findings(&check_folder(&files, args)), [], "{args:?}");
    }
    // The override's own typo is applied (through the original's `source`):
    // reported in the override file, or at the module block by the hook on
    // main.tf alone, labelled where it is written.
    let fine = caller("us-west-2");
    let broken = "module \"ecr\" {\n  region = \"eu-wset-1\"\n}\n";
    let files = [
        ("main.tf", fine.as_str()),
        ("dr_override.tf", broken),
        ("modules/ecr/main.tf", module),
    ];
    for args in [
        &["."][..],
        &["--skip-unrecognised", "dr_override.tf"],
        &["--skip-unrecognised", "main.tf", "dr_override.tf"],
    ] {
        assert_eq!(
            findings(&check_folder(&files, args)),
            [(s("dr_override.tf"), s("ECR203"), 2, s("modules/ecr/main.tf"), 7)],
            "{args:?}"
        );
    }
    assert_eq!(
        findings(&check_folder(&files, &["--skip-unrecognised", "main.tf"])),
        [(s("main.tf"), s("ECR203"), 1, s("dr_override.tf"), 2)]
    );
    // The arguments the override does not set stay the caller's, checked there.
    let both = caller("us-wset-2");
    let registry = "module \"ecr\" {\n  registry = \"210987654321\"\n}\n";
    let files = [
        ("main.tf", both.as_str()),
        ("override.tf", registry),
        ("modules/ecr/main.tf", module),
    ];
    assert_eq!(
        findings(&check_folder(&files, &["."])),
        [(s("main.tf"), s("ECR203"), 3, s("modules/ecr/main.tf"), 7)]
    );
}

#[test]
fn an_override_files_region_is_the_source_region_of_the_original() {
    // Terraform applies the override's `region`: replication from cn-north-1
    // to us-west-2 crosses partitions. The original's configuration was
    // checked against its own Region (here none), and passed.
    let main = "resource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = \"us-west-2\"\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\n";
    let china = "resource \"aws_ecr_replication_configuration\" \"this\" {\n  region = \"cn-north-1\"\n}\n";
    let s = |t: &str| t.to_string();
    let files = [("main.tf", main), ("override.tf", china)];
    for args in [&["."][..], &["--skip-unrecognised", "main.tf"]] {
        assert_eq!(
            findings(&check_folder(&files, args)),
            [(s("main.tf"), s("ECR307"), 5, s(""), 0)],
            "{args:?}"
        );
    }
    // And the original's own `region` is replaced: no finding for it.
    let own = main.replacen(" {\n", " {\n  region = \"cn-north-1\"\n", 1);
    let ireland = china.replace("cn-north-1", "eu-west-1");
    assert_eq!(
        findings(&check_folder(&[("main.tf", own.as_str())], &["."])),
        [(s("main.tf"), s("ECR307"), 6, s(""), 0)]
    );
    let files = [("main.tf", own.as_str()), ("override.tf", ireland.as_str())];
    assert_eq!(findings(&check_folder(&files, &["."])), []);
    // An override's `region` that is no literal leaves the source unknown.
    let unknown = china.replace("\"cn-north-1\"", "var.region");
    let files = [("main.tf", own.as_str()), ("override.tf", unknown.as_str())];
    assert_eq!(findings(&check_folder(&files, &["."])), []);
}
