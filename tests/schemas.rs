//! The schema files stand on their own: valid draft 2020-12, patterns
//! anchored, usable by editors without ecrlint, and consistent with the
//! facts ecrlint reads from them.

use serde_json::{json, Value};
use std::path::Path;

fn load(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const FILES: &[&str] = &[
    "replication-configuration.schema.json",
    "cloudformation-replication-configuration.schema.json",
    "pulumi-replication-configuration.schema.json",
    "registry-policy.schema.json",
    "repository-creation-template.schema.json",
    "account-setting.schema.json",
    "report.schema.json",
    "route.schema.json",
    "diff.schema.json",
    "ecrlint-config.schema.json",
    "editor.schema.json",
    "baseline.schema.json",
];

#[test]
fn every_schema_is_valid_draft_2020_12() {
    for name in FILES {
        let schema = load(name);
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        if let Err(e) = jsonschema::meta::validate(&schema) {
            panic!("{name}: {e}");
        }
    }
}

fn patterns<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                match (k.as_str(), child) {
                    ("pattern", Value::String(p)) => out.push(p),
                    _ => patterns(child, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| patterns(i, out)),
        _ => {}
    }
}

#[test]
fn every_pattern_is_anchored() {
    for name in FILES {
        let schema = load(name);
        let mut found = Vec::new();
        patterns(&schema, &mut found);
        for p in found {
            assert!(
                p.starts_with('^') && p.ends_with('$'),
                "{name}: pattern {p} is not anchored"
            );
        }
    }
}

#[test]
fn the_api_schema_works_alone_as_editors_use_it() {
    let validator = jsonschema::validator_for(&load("replication-configuration.schema.json")).unwrap();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let valid: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("examples/valid-cross-region.json")).unwrap()).unwrap();
    assert!(validator.is_valid(&valid));
    let invalid: Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("examples/invalid-common-mistakes.json")).unwrap())
            .unwrap();
    assert!(!validator.is_valid(&invalid));
    for bad in [
        json!({"rules": [{"destinations": [{"region": "US-EAST-1", "registryId": "210987654321"}]}]}),
        json!({"rules": [{"destinations": [{"region": "us-east-1", "registryId": "2109876543210"}]}]}),
        json!({"rules": [{"destinations": [], "repositoryFilters": [{"filter": "prod/*", "filterType": "PREFIX_MATCH"}]}]}),
        json!({"rules": [{"destinations": [], "repositoryFilters": [{"filter": "prod", "filterType": "PREFIX"}]}]}),
        json!({"rules": [{"destinations": [], "repositoryFilters": []}]}),
        json!({"rules": [{"destinations": [], "deleteReplication": {}}]}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
    assert!(validator.is_valid(&json!({"rules": [{"destinations": [], "deleteReplication": {"enabled": true}}]})));
}

#[test]
fn the_cloudformation_schema_resolves_the_api_file_next_to_it() {
    // Editors resolve the relative $ref against the schema's own location; a
    // registry holding the API file under its $id does the same here.
    let api = load("replication-configuration.schema.json");
    let cfn = load("cloudformation-replication-configuration.schema.json");
    let registry = jsonschema::Registry::new()
        .add(
            api["$id"].as_str().unwrap(),
            jsonschema::Resource::from_contents(api.clone()),
        )
        .unwrap()
        .prepare()
        .unwrap();
    let validator = jsonschema::options().with_registry(&registry).build(&cfn).unwrap();
    let good = json!({"ReplicationConfiguration": {"Rules": [{"Destinations": [{"Region": "us-west-2", "RegistryId": "210987654321"}], "RepositoryFilters": []}]}});
    assert!(validator.is_valid(&good), "CloudFormation accepts an empty filter list");
    for bad in [
        json!({"ReplicationConfiguration": {"Rules": [{"Destinations": []}]}}),
        json!({"ReplicationConfiguration": {"Rules": [{"Destinations": [{"Region": "us-west-2", "RegistryId": "2109876543"}]}]}}),
        json!({"ReplicationConfiguration": {"Rules": [{"Destinations": [{"region": "us-west-2", "RegistryId": "210987654321"}]}]}}),
        json!({"ReplicationConfiguration": {"Rules": [{"Destinations": [{"Region": "us-west-2", "RegistryId": "210987654321"}], "DeleteReplication": {"Enabled": true}}]}}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
}

#[test]
fn facts_come_from_the_schema_and_data_files() {
    let facts = ecrlint::facts::facts();
    let api = load("replication-configuration.schema.json");
    assert_eq!(
        facts.max_unique_destinations as u64,
        api["x-ecrlint-quotas"]["maxUniqueDestinations"].as_u64().unwrap()
    );
    assert_eq!(
        facts.filter_max_len as u64,
        api["$defs"]["filter"]["maxLength"].as_u64().unwrap()
    );
    assert_eq!(
        facts.registry_id_pattern.as_str(),
        api["$defs"]["registryId"]["pattern"].as_str().unwrap()
    );
    assert!(facts.region("us-west-2").is_some());
    assert_eq!(facts.partition_of("us-gov-west-1").unwrap().id, "aws-us-gov");
    assert_eq!(facts.partition_of("cn-north-9").unwrap().id, "aws-cn");
    assert_eq!(facts.partition_of("us-isob-east-7").unwrap().id, "aws-iso-b");
    // Compiled on first use: each partition's pattern compiles, and matches its own Regions.
    for partition in &facts.partitions {
        for region in &partition.regions {
            assert!(partition.region_regex().is_match(&region.region), "{}", region.region);
        }
    }
    assert!(facts.is_placeholder_account("111122223333") && facts.is_placeholder_account("000000000000"));
    assert!(!facts.is_placeholder_account("210987654321"));
}

#[test]
fn the_report_schema_names_every_document_shape() {
    let report = load("report.schema.json");
    let document = &report["$defs"]["file"]["properties"]["document"];
    let mut listed: Vec<&str> = document["enum"]
        .as_array()
        .or_else(|| document["anyOf"][0]["enum"].as_array())
        .expect("the document property lists its values")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let mut shapes: Vec<&str> = ecrlint::document::shapes::SHAPES.iter().map(|s| s.name).collect();
    listed.sort();
    shapes.sort();
    assert_eq!(listed, shapes);
}

#[test]
fn every_schema_id_is_its_published_url() {
    // `ecrlint init` names the configuration schema by this URL too.
    for entry in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".schema.json") {
            continue;
        }
        let schema = load(&name);
        assert_eq!(
            schema["$id"].as_str(),
            Some(ecrlint::cli::schema_url(&name).as_str()),
            "{name}: $id"
        );
    }
}

#[test]
fn the_account_setting_schema_takes_each_name_with_its_own_values() {
    let validator = jsonschema::validator_for(&load("account-setting.schema.json")).unwrap();
    let valid = |name: &str, value: &str| validator.is_valid(&json!({"name": name, "value": value}));
    assert!(valid("REGISTRY_POLICY_SCOPE", "V2"));
    assert!(valid("BLOB_MOUNTING", "ENABLED"));
    assert!(valid("BASIC_SCAN_TYPE_VERSION", "AWS_NATIVE"));
    assert!(!valid("REGISTRY_POLICY_SCOPE", "ENABLED"));
    assert!(!valid("REGISTRY_POLICY_SCOPE", "v2"));
    assert!(!valid("REGISTRY_POLICY", "V2"));
    // What ecrlint reads from it is the same.
    let settings = &ecrlint::facts::facts().policy_words().account_settings;
    let scope = settings.iter().find(|s| s.name == "REGISTRY_POLICY_SCOPE").unwrap();
    assert_eq!(scope.values, ["V1", "V2"]);
    assert_eq!(settings.len(), 3);
}
