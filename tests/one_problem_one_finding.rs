//! One mistake gives exactly one finding, even where the schema and a rule
//! (or two schema keywords) both see it.

mod common;

use common::{codes_for, codes_for_file};

fn config_with_destination(destination: &str) -> String {
    format!(r#"{{"rules": [{{"destinations": [{destination}]}}]}}"#)
}

fn config_with_filter(filter: &str) -> String {
    format!(
        r#"{{"rules": [{{"destinations": [{{"region": "us-west-2", "registryId": "210987654321"}}], "repositoryFilters": [{filter}]}}]}}"#
    )
}

#[test]
fn misspelt_required_keys_are_one_unknown_field() {
    // Read as `destinations`: empty, as ECR309 says (with the key fixed, it would still).
    assert_eq!(
        codes_for(r#"{"rules": [{"destination": []}]}"#, &[]),
        ["ECR102", "ECR309"]
    );
    assert_eq!(
        codes_for(
            &config_with_destination(r#"{"region": "us-west-2", "registryID": "210987654321"}"#),
            &[]
        ),
        ["ECR102"]
    );
    // Read as `rules: []`, which turns replication off (ECR308), as it would once fixed.
    assert_eq!(codes_for(r#"{"Rules": []}"#, &[]), ["ECR102", "ECR308"]);
    assert_eq!(
        codes_for(r#"{"replicationConfiguration": {"rules": [], "Rules": []}}"#, &[]),
        ["ECR308", "ECR102"],
        "in position order"
    );
}

#[test]
fn an_unrelated_unknown_key_does_not_hide_a_missing_one() {
    assert_eq!(
        codes_for(
            &config_with_destination(r#"{"region": "us-west-2", "account": "210987654321"}"#),
            &[]
        ),
        ["ECR101", "ECR102"]
    );
}

#[test]
fn value_errors_are_reported_once_by_their_rule() {
    let dest =
        |region: &str, id: &str| config_with_destination(&format!(r#"{{"region": "{region}", "registryId": "{id}"}}"#));
    assert_eq!(codes_for(&dest("US-EAST-1", "210987654321"), &[]), ["ECR202"]);
    assert_eq!(
        codes_for(&dest("a-very-long-region-name-that-is-too-long-1", "210987654321"), &[]),
        ["ECR202"]
    );
    assert_eq!(codes_for(&dest("us-west-2", "99999999999"), &[]), ["ECR204"]);
    let filter = |f: &str, t: &str| config_with_filter(&format!(r#"{{"filter": "{f}", "filterType": "{t}"}}"#));
    assert_eq!(codes_for(&filter("prod/*", "PREFIX_MATCH"), &[]), ["ECR205"]);
    assert_eq!(
        codes_for(&filter("P", "PREFIX_MATCH"), &[]),
        ["ECR205"],
        "too short and upper case: one finding"
    );
    assert_eq!(codes_for(&filter("prod", "PREFIX"), &[]), ["ECR201"]);
}

#[test]
fn a_numeric_registry_id_is_one_wrong_type() {
    assert_eq!(
        codes_for(
            &config_with_destination(r#"{"region": "us-west-2", "registryId": 210987654321}"#),
            &[]
        ),
        ["ECR103"]
    );
}

#[test]
fn duplicate_destinations_are_not_also_quota_or_overlap_findings() {
    let d = r#"{"region": "us-west-2", "registryId": "210987654321"}"#;
    assert_eq!(
        codes_for(&config_with_destination(&format!("{d}, {d}")), &[]),
        ["ECR301"]
    );
}

/// A cross-account destination written twice in its rule is one
/// duplicate (ECR301) and needs its grant once: one ECR312 alone, one
/// ECR506 beside a registry policy that does not grant it.
#[test]
fn a_repeated_cross_account_destination_needs_its_grant_once() {
    let d = r#"{"region": "us-west-2", "registryId": "210987654321"}"#;
    let config = config_with_destination(&format!("{d}, {d}"));
    let source = ["--source-registry-id", "109876543210"];
    assert_eq!(codes_for(&config, &source), ["ECR312", "ECR301"]);
    let dir = tempfile::tempdir().unwrap();
    common::write(dir.path(), "replication.json", &config);
    // The destination's registry policy grants another account only.
    common::write(
        dir.path(),
        "registry-policy.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Replicate", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": ["ecr:ReplicateImage", "ecr:CreateRepository"], "Resource": "arn:aws:ecr:us-west-2:210987654321:repository/*"}]}"#,
    );
    let (report, _) = common::json_report(dir.path(), &[&source[..], &["--isolated", "."]].concat());
    let codes: Vec<String> = common::codes_and_lines(&report)
        .into_iter()
        .filter(|(path, _, _)| path == "replication.json")
        .map(|(_, code, _)| code)
        .collect();
    assert_eq!(codes, ["ECR506", "ECR301"], "{report}");
}

#[test]
fn invalid_json_stops_all_other_checks() {
    assert_eq!(
        codes_for(
            r#"{"rules": [{"destinations": [{"region": "US", "registryId": 1}]},]}"#,
            &[]
        ),
        ["ECR001"]
    );
}

#[test]
fn the_schema_sees_the_last_of_duplicate_keys() {
    let text = config_with_destination(r#"{"region": "us-west-2", "registryId": 1, "registryId": "210987654321"}"#);
    assert_eq!(codes_for(&text, &[]), ["ECR002"]);
    let text = config_with_destination(r#"{"region": "us-west-2", "registryId": "210987654321", "registryId": 1}"#);
    assert_eq!(codes_for(&text, &[]), ["ECR002", "ECR103"]);
}

fn template_with_destination(region: &str, registry_id: &str) -> String {
    format!(
        "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: {region}\n                RegistryId: {registry_id}\n"
    )
}

#[test]
fn a_template_value_yaml_reads_as_another_is_one_wrong_type() {
    let codes = |region, id| codes_for_file(&template_with_destination(region, id), "t.yaml", &[]);
    assert_eq!(codes("us-west-2", "012345670123"), ["ECR103"], "octal: not also ECR204");
    assert_eq!(
        codes("no", "'210987654321'"),
        ["ECR103"],
        "a boolean Region: not also ECR202/203"
    );
    assert_eq!(
        codes("us-west-2", "12345678901"),
        ["ECR103"],
        "lost zero: not also ECR204"
    );
    assert!(codes("us-west-2", "210987654321").is_empty(), "deploys as its text");
    assert!(
        codes("us-west-2", "210_987_654_321").is_empty(),
        "deploys as 210987654321"
    );
}

#[test]
fn an_empty_rule_list_in_a_template_is_one_list_length_error() {
    let template = "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules: []\n";
    assert_eq!(codes_for_file(template, "t.yaml", &[]), ["ECR104"], "not also ECR308");
    assert_eq!(
        codes_for(r#"{"rules": []}"#, &[]),
        ["ECR308"],
        "an API payload turns replication off"
    );
}

#[test]
fn a_value_reached_through_aliases_is_reported_once() {
    let payload = "rules:\n  - destinations:\n      - &d\n        region: US-WEST-2\n        registryId: \"210987654321\"\n  - destinations:\n      - *d\n    repositoryFilters:\n      - <<: &f {filter: \"prod/*\"}\n        filterType: PREFIX_MATCH\n  - destinations: [*d]\n    repositoryFilters: [{<<: *f, filterType: PREFIX_MATCH}]\n";
    let codes = codes_for_file(payload, "replication.yaml", &[]);
    assert_eq!(
        codes.iter().filter(|c| *c == "ECR202").count(),
        1,
        "the Region is written once: {codes:?}"
    );
    assert_eq!(
        codes.iter().filter(|c| *c == "ECR205").count(),
        1,
        "the filter is written once: {codes:?}"
    );
    assert!(
        !codes.contains(&"ECR004".to_string()),
        "aliases are fine in an API payload"
    );
}

#[test]
fn a_value_reused_through_yaml_aliases_is_one_finding() {
    let template = |destinations: &str| {
        format!(
            "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n{destinations}"
        )
    };
    // A scalar anchor used by two aliases in two rules.
    let scalar = template(
        "          - Destinations:\n              - {Region: &r us-esat-1, RegistryId: \"210987654321\"}\n          - Destinations:\n              - {Region: *r, RegistryId: \"210987654322\"}\n              - {Region: *r, RegistryId: \"210987654323\"}\n",
    );
    assert_eq!(codes_for_file(&scalar, "t.yaml", &[]), ["ECR203", "ECR004"]);
    // An anchored mapping, and an anchored list.
    let mapping = template(
        "          - Destinations:\n              - &d {Region: us-esat-1, RegistryId: \"210987654321\"}\n            RepositoryFilters: [{Filter: prod, FilterType: PREFIX_MATCH}]\n          - Destinations: [*d]\n            RepositoryFilters: [{Filter: test, FilterType: PREFIX_MATCH}]\n",
    );
    assert_eq!(codes_for_file(&mapping, "t.yaml", &[]), ["ECR203", "ECR004"]);
    let list = template(
        "          - Destinations: &l\n              - {Region: us-esat-1, RegistryId: \"210987654321\"}\n            RepositoryFilters: [{Filter: prod, FilterType: PREFIX_MATCH}]\n          - Destinations: *l\n            RepositoryFilters: [{Filter: test, FilterType: PREFIX_MATCH}]\n",
    );
    assert_eq!(codes_for_file(&list, "t.yaml", &[]), ["ECR203", "ECR004"]);
    // Outside CloudFormation aliases are fine: only the typo is left.
    let payload = "rules:\n  - destinations:\n      - {region: &r us-esat-1, registryId: \"210987654321\"}\n      - {region: *r, registryId: \"210987654322\"}\n";
    assert_eq!(codes_for_file(payload, "p.yaml", &[]), ["ECR203"]);
}

#[test]
fn an_anchored_account_id_number_is_read_as_written() {
    // `&id 210987654321` deploys as "210987654321": the anchor is not part of the value.
    let template = "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: us-west-2\n                RegistryId: &id 210987654321\n";
    assert_eq!(codes_for_file(template, "t.yaml", &[]), Vec::<String>::new());
}

/// Keys renamed in a text: `(from, to)`.
type Renames<'a> = &'a [(&'a str, &'a str)];

/// The codes of a file, and of the same file with its misspelt keys renamed.
fn before_and_after(text: &str, name: &str, renames: Renames) -> (Vec<String>, Vec<String>) {
    let fixed = renames
        .iter()
        .fold(text.to_string(), |t, (from, to)| t.replace(from, to));
    (codes_for_file(text, name, &[]), codes_for_file(&fixed, name, &[]))
}

#[test]
fn a_misspelt_list_key_is_read_as_the_key_it_stands_for() {
    let text = r#"{"rules": [{"destination": [{"region": "us-esat-1", "registryId": "210987654321"}]}]}"#;
    assert_eq!(
        codes_for(text, &[]),
        ["ECR102", "ECR203"],
        "the Region inside is checked, and `destinations` is not also missing"
    );
    let many_rules = format!(
        r#"{{"rule": [{}]}}"#,
        vec![r#"{"destinations": [{"region": "us-west-2", "registryId": "210987654321"}]}"#; 26].join(", ")
    );
    let cases: [(&str, &str, Renames); 6] = [
        (
            r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "210987654321"}], "repositoryFilter": []}]}"#,
            "c.json",
            &[("\"repositoryFilter\"", "\"repositoryFilters\"")],
        ),
        (&many_rules, "c.json", &[("\"rule\"", "\"rules\"")]),
        (
            r#"{"rules": [{"destination": [{"region": "US_EAST_1", "registryId": "1234"}], "repositoryFilter": [{"filter": "prod/*", "filterType": "PREFIX"}]}]}"#,
            "c.json",
            &[("\"destination\"", "\"destinations\""), ("\"repositoryFilter\"", "\"repositoryFilters\"")],
        ),
        (
            r#"{"rule": [{"destinations": [{"region": "us-west-2", "registryId": "210987654321", "extra": 1}], "repositoryFilters": []}]}"#,
            "c.json",
            &[("\"rule\"", "\"rules\"")],
        ),
        (
            "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destination:\n              - Region: us-esat-1\n                RegistryId: 210987654321\n            RepositoryFilter: []\n",
            "t.yaml",
            &[("Destination:", "Destinations:"), ("RepositoryFilter:", "RepositoryFilters:")],
        ),
        (
            "rules:\n  - Destinations:\n      - {region: eu-wset-1, registryId: '111122223333'}\n      - {region: eu-wset-1, registryId: '111122223333'}\n",
            "c.yaml",
            &[("Destinations:", "destinations:")],
        ),
    ];
    for (text, name, renames) in cases {
        let (before, after) = before_and_after(text, name, renames);
        // The same findings, but one ECR102 per misspelt key.
        let mut expected = after.clone();
        expected.extend(renames.iter().map(|_| "ECR102".to_string()));
        let (mut before_sorted, mut expected_sorted) = (before.clone(), expected);
        before_sorted.sort();
        expected_sorted.sort();
        assert_eq!(before_sorted, expected_sorted, "{text}");
        assert!(!before.iter().any(|c| c == "ECR101"), "{text}");
    }
}

#[test]
fn two_keys_that_may_stand_for_one_list_are_not_guessed_between() {
    let text =
        r#"{"rules": [{"destination": [{"region": "us-esat-1", "registryId": "210987654321"}], "Destinations": []}]}"#;
    let codes = codes_for(text, &[]);
    assert!(!codes.iter().any(|c| c == "ECR203"), "{codes:?}");
}

#[test]
fn a_placeholder_is_one_placeholder_finding_whatever_its_spelling() {
    let dest =
        |region: &str, id: &str| config_with_destination(&format!(r#"{{"region": "{region}", "registryId": "{id}"}}"#));
    // Not also ECR204's pattern error, nor ECR202's or ECR203's.
    for id in [
        "<account-id>",
        "ACCOUNT_ID",
        "DR-ACCOUNT-ID",
        "xxxxxxxxxxxx",
        "1234-xxxx-xxxx",
        "string",
    ] {
        assert_eq!(codes_for(&dest("us-west-2", id), &[]), ["ECR206"], "{id}");
    }
    for region in [
        "destination_region",
        "{{region}}",
        "<region>",
        "DEST_REGION",
        "${AWS_REGION}",
    ] {
        assert_eq!(codes_for(&dest(region, "210987654321"), &[]), ["ECR206"], "{region}");
    }
    // A Region in upper case is no placeholder: ECR202 with its fix.
    assert_eq!(codes_for(&dest("US-EAST-1", "210987654321"), &[]), ["ECR202"]);
}

#[test]
fn a_placeholder_account_in_a_principal_arn_is_not_also_an_invalid_principal() {
    let policy = |principal: &str| {
        format!(
            r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Principal": {{"AWS": "{principal}"}}, "Action": ["ecr:ReplicateImage", "ecr:CreateRepository"], "Resource": "arn:aws:ecr:us-west-2:210987654321:repository/*"}}]}}"#
        )
    };
    for principal in [
        "arn:aws:iam::<source-account>:root",
        "arn:aws:iam::SOURCE_ACCOUNT_ID:root",
        "ACCOUNT_ID",
    ] {
        assert_eq!(codes_for(&policy(principal), &[]), ["ECR206"], "{principal}");
    }
    // A short account is no placeholder: ECR503.
    assert_eq!(codes_for(&policy("arn:aws:iam::21098765432:root"), &[]), ["ECR503"]);
}

#[test]
fn a_pseudo_parameter_outside_sub_is_one_finding() {
    let template = |registry_id: &str| {
        format!(
            "Parameters:\n  Backup:\n    Type: String\nResources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - Region: us-west-2\n                RegistryId: {registry_id}\n            RepositoryFilters: [{{Filter: prod, FilterType: PREFIX_MATCH}}]\n"
        )
    };
    assert_eq!(
        codes_for_file(&template("\"${AWS::AccountId}\""), "t.yaml", &[]),
        ["ECR207"]
    );
    assert_eq!(codes_for_file(&template("\"${Backup}\""), "t.yaml", &[]), ["ECR207"]);
    // Naming nothing in the template: a placeholder for another tool.
    assert_eq!(
        codes_for_file(&template("\"${BACKUP_ACCOUNT}\""), "t.yaml", &[]),
        ["ECR206"]
    );
}

#[test]
fn a_region_without_ecr_is_not_also_an_opt_in_region() {
    let text = |region: &str| {
        format!(
            r#"{{"rules": [{{"destinations": [{{"region": "{region}", "registryId": "210987654321"}}], "repositoryFilters": [{{"filter": "prod", "filterType": "PREFIX_MATCH"}}]}}]}}"#
        )
    };
    assert_eq!(codes_for(&text("me-west-1"), &[]), ["ECR208"]);
    assert_eq!(codes_for(&text("sa-west-1"), &[]), ["ECR208"]);
    assert_eq!(codes_for(&text("me-central-1"), &[]), ["ECR311"]);
}
