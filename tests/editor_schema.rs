//! `schemas/editor.schema.json`, the schema editors map replication files
//! to, accepts every shape ecrlint reads: every fixture and example that
//! ecrlint recognises as one of its shapes is valid for it exactly when
//! ecrlint finds no structural or value mistake in it (the findings a
//! schema can see), whatever the shape.

use ecrlint::lint::{lint, Origin, Outcome};
use ecrlint::settings::Settings;
use ecrlint::syntax::{ReadAs, SourceFormat};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn load(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The editor schema, with the files its `$ref`s name found under their `$id`s
/// (as an editor finds them next to it, or at the published URLs).
fn validator() -> jsonschema::Validator {
    let mut registry = jsonschema::Registry::new();
    for name in [
        "replication-configuration.schema.json",
        "cloudformation-replication-configuration.schema.json",
        "terraform-replication-configuration.schema.json",
        "registry-policy.schema.json",
        "repository-creation-template.schema.json",
    ] {
        let schema = load(name);
        let id = schema["$id"].as_str().unwrap().to_string();
        registry = registry.add(id, jsonschema::Resource::from_contents(schema)).unwrap();
    }
    let registry = registry.prepare().unwrap();
    jsonschema::options()
        .with_registry(&registry)
        .build(&load("editor.schema.json"))
        .expect("the editor schema compiles")
}

/// Findings a JSON Schema makes too: missing, unknown and mistyped keys,
/// list lengths, and values that break a pattern or an enum (ECR504: a
/// registry policy's `Version` or `Effect` outside its enum; ECR602: a
/// creation template's `kmsKey` outside its pattern).
const SCHEMA_VISIBLE: &[&str] = &[
    "ECR101", "ECR102", "ECR103", "ECR104", "ECR201", "ECR202", "ECR204", "ECR205", "ECR504", "ECR509", "ECR602",
];

/// Where a document holds another as text: get-registry-policy's
/// `policyText`, a policy in a JSON string. ecrlint lints the policy inside
/// it; a schema sees only a string, so findings inside it are no schema's.
fn embedded_text(bytes: &[u8], shape: &str) -> Option<std::ops::Range<usize>> {
    if shape != "get-registry-policy" {
        return None;
    }
    let root = ecrlint::syntax::json::parse(bytes).ok()?;
    let span = root.get("policyText")?.value.span;
    Some(span.start..span.end)
}

/// Findings where ecrlint knows more than a schema can say, so the schema
/// may accept the file or not: a placeholder (`<ACCOUNT_ID>` breaks the
/// pattern, `123456789012` does not), a template's `${AWS::Region}` outside
/// `Fn::Sub` (the text breaks the pattern; what it stands for would not), a
/// Region that has a Region's form but is an Availability Zone or a name; in
/// templates, a list CloudFormation requires to be non-empty where the API
/// allows it empty, a misspelt resource type, and in YAML templates a YAML
/// 1.1 boolean (`Filter: on`), which is `true` once parsed, as a JSON `true` is.
/// A misspelt Terraform resource type or module input is a name a schema
/// cannot tell from another resource's or input's; a policy's length is not
/// a property of the document a schema sees.
fn beyond_a_schema(d: &ecrlint::diagnostic::Diagnostic, shape: &str, yaml: bool) -> bool {
    let code = d.code;
    let template = shape.starts_with("cloudformation");
    let misspelt_name =
        code == "ECR102" && (d.message.starts_with("resource type") || d.message.starts_with("module input"));
    code == "ECR206"
        || code == "ECR207"
        || code == "ECR202"
        || code == "ECR510"
        || misspelt_name
        || (template && (code == "ECR104" || code == "ECR102"))
        || (template && yaml && code == "ECR103")
}

fn files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    let mut dirs = vec![root.join("examples"), root.join("tests/fixtures")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path
                .extension()
                .is_some_and(|e| ["json", "yaml", "yml", "template"].contains(&e.to_str().unwrap()))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

#[test]
fn every_document_ecrlint_reads_is_valid_for_the_editor_schema_exactly_when_it_has_no_schema_mistake() {
    let validator = validator();
    let (mut checked, mut valid, mut shapes) = (0, 0, std::collections::BTreeSet::new());
    let mut failures = Vec::new();
    for path in files() {
        let bytes = std::fs::read(&path).unwrap();
        let read_as = ReadAs::for_path(&path);
        let Outcome::Linted {
            document: Some(shape),
            diagnostics,
            ..
        } = lint(&bytes, read_as, Origin::Named, &Settings::default())
        else {
            continue;
        };
        let Some(format) = read_as.resolve(&bytes) else {
            continue;
        };
        // Editors validate HCL with Terraform's own tools, not a JSON schema.
        if format == SourceFormat::Hcl {
            continue;
        }
        let Ok(value) = format.parse(&bytes).map(|n| n.to_value()) else {
            continue;
        };
        let embedded = embedded_text(&bytes, shape.name);
        let mistakes: Vec<&str> = diagnostics
            .iter()
            .filter(|d| !embedded.as_ref().is_some_and(|e| e.contains(&d.span.start)))
            .map(|d| d.code)
            .filter(|c| SCHEMA_VISIBLE.contains(c))
            .collect();
        let accepted = validator.is_valid(&value);
        let yaml = format == SourceFormat::Yaml;
        if diagnostics.iter().any(|d| beyond_a_schema(d, shape.name, yaml)) {
            // Either verdict is right, unless ecrlint also finds a mistake any schema sees.
            let seen = diagnostics.iter().filter(|d| {
                SCHEMA_VISIBLE.contains(&d.code) && !embedded.as_ref().is_some_and(|e| e.contains(&d.span.start))
            });
            if accepted && seen.clone().any(|d| !beyond_a_schema(d, shape.name, yaml)) {
                failures.push(format!(
                    "{} ({}): accepted, though ecrlint finds {mistakes:?}",
                    path.display(),
                    shape.name
                ));
            }
            continue;
        }
        checked += 1;
        shapes.insert(shape.name);
        if mistakes.is_empty() {
            valid += 1;
        }
        if accepted != mistakes.is_empty() {
            let errors: Vec<String> = validator.iter_errors(&value).take(3).map(|e| e.to_string()).collect();
            failures.push(format!(
                "{} ({}): ecrlint finds {mistakes:?}, the editor schema {} {errors:?}",
                path.display(),
                shape.name,
                if accepted { "accepts it" } else { "rejects it:" }
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked}:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{checked} documents compared ({valid} valid) of shapes {shapes:?}");
    assert!(shapes.len() >= 5, "every shape has a file here: {shapes:?}");
    assert!(valid > 20 && checked - valid > 20, "{valid} valid of {checked}");
}

#[test]
fn each_shape_is_accepted_and_a_mistake_in_each_rejected() {
    let validator = validator();
    let config = json!({"rules": [{"destinations": [{"region": "us-west-2", "registryId": "210987654321"}]}]});
    let bad_config = json!({"rules": [{"destinations": [{"region": "us-west-2", "registryId": "21098765432"}]}]});
    let cfn_config = json!({"Rules": [{"Destinations": [{"Region": "us-west-2", "RegistryId": "210987654321"}]}]});
    let bad_cfn_config = json!({"Rules": [{"Destinations": [{"Region": "us-west-2", "RegistryID": "210987654321"}]}]});
    let template = |c: &Value| {
        json!({"Resources": {
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"Anything": 1}},
            "Replication": {"Type": "AWS::ECR::ReplicationConfiguration", "Properties": {"ReplicationConfiguration": c}}
        }})
    };
    let tf_resource = |destination: &Value, filter: &str| {
        json!({"provider": {"aws": {"region": "us-east-1"}}, "resource": {
            "aws_s3_bucket": {"b": {"anything": 1}},
            "aws_ecr_replication_configuration": {"example": {"replication_configuration": [{"rule": [
                {"destination": [destination], "repository_filter": [{"filter": filter, "filter_type": "PREFIX_MATCH"}]}
            ]}]}}
        }})
    };
    let plan = |values: &Value| {
        json!({"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{"resources": [
            {"address": "module.m.aws_ecr_replication_configuration.x", "mode": "managed", "type": "aws_ecr_replication_configuration",
             "values": {"replication_configuration": [{"rule": [{"destination": [values], "repository_filter": []}]}]}}
        ]}]}}})
    };
    let statement = |effect: Value| json!({"Version": "2012-10-17", "Statement": [{"Effect": effect, "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "ecr:ReplicateImage", "Resource": "*"}]});
    let cfn_policy = |policy: &Value| json!({"Resources": {"Policy": {"Type": "AWS::ECR::RegistryPolicy", "Properties": {"PolicyText": policy}}}});
    for (shape, good, bad) in [
        ("configuration", config.clone(), bad_config.clone()),
        (
            "request",
            json!({"replicationConfiguration": config}),
            json!({"replicationConfiguration": bad_config}),
        ),
        (
            "describe-registry",
            json!({"registryId": "210987654321", "replicationConfiguration": config}),
            json!({"registryId": "2109", "replicationConfiguration": config}),
        ),
        (
            "cloudformation-properties",
            json!({"ReplicationConfiguration": cfn_config}),
            json!({"ReplicationConfiguration": bad_cfn_config}),
        ),
        (
            "cloudformation-template",
            template(&cfn_config),
            template(&bad_cfn_config),
        ),
        (
            "cloudformation-template with functions",
            template(&json!({"Rules": [{"Destinations": [
                {"Region": {"Ref": "DrRegion"}, "RegistryId": {"Fn::Sub": "${AWS::AccountId}"}},
                {"Fn::If": ["IsProd", {"Region": "eu-west-1", "RegistryId": 210987654321_u64}, {"Ref": "AWS::NoValue"}]}
            ]}]})),
            // Both branches of Fn::If are checked.
            template(&json!({"Rules": [{"Destinations": [
                {"Region": {"Fn::If": ["IsProd", "us-west-2", "US WEST 2"]}, "RegistryId": "210987654321"}
            ]}]})),
        ),
        (
            "terraform resource",
            tf_resource(&json!({"region": "us-west-2", "registry_id": "210987654321"}), "prod/"),
            tf_resource(&json!({"region": "us-west-2", "registry_id": "2109"}), "prod/"),
        ),
        (
            "terraform resource with expressions",
            tf_resource(
                &json!({"region": "${var.region}", "registry_id": "${data.aws_caller_identity.dr.account_id}"}),
                "${var.team}/",
            ),
            // A template's literal text is checked: no glob whatever the variable is.
            tf_resource(
                &json!({"region": "${var.region}", "registry_id": "${var.account}"}),
                "${var.team}/*",
            ),
        ),
        (
            "terraform dynamic block",
            json!({"resource": {"aws_ecr_replication_configuration": {"x": {"replication_configuration": {"rule": {
                "dynamic": {"destination": {"for_each": "${var.replicas}", "content": {"region": "${destination.value}", "registry_id": "210987654321"}}}
            }}}}}}),
            json!({"resource": {"aws_ecr_replication_configuration": {"x": {"replication_configuration": {"rule": {
                "dynamic": {"destination": {"for_each": "${var.replicas}", "content": {"region": "${destination.value}"}}}
            }}}}}}),
        ),
        (
            "terraform-aws-modules/ecr",
            json!({"module": {"ecr": {"source": "terraform-aws-modules/ecr/aws", "registry_replication_rules": [
                {"destinations": [{"region": "us-west-2", "registry_id": "${var.account}"}]}
            ]}}}),
            json!({"module": {"ecr": {"source": "terraform-aws-modules/ecr/aws", "registry_replication_rules": [
                {"destinations": [{"region": "us-west-2", "registry_id": "${var.account}"}], "repository_filter": []}
            ]}}}),
        ),
        (
            "pulumi",
            json!({"name": "app", "runtime": "yaml", "resources": {
                "bucket": {"type": "aws:s3:BucketV2", "properties": {"anything": 1}},
                "replication": {"type": "aws:ecr:ReplicationConfiguration", "properties": {"replicationConfiguration": {"rules": [
                    {"destinations": [
                        {"region": "${regions.names[0]}", "registryId": "${current.accountId}"},
                        {"region": {"fn::select": [1, "${regions.names}"]}, "registryId": 210987654321_u64}
                    ]}
                ]}}}
            }}),
            // The provider's rules have no deleteReplication.
            json!({"resources": {
                "replication": {"type": "aws:ecr:ReplicationConfiguration", "properties": {"replicationConfiguration": {"rules": [
                    {"destinations": [{"region": "us-west-2", "registryId": "210987654321"}], "deleteReplication": {"enabled": true}}
                ]}}}
            }}),
        ),
        (
            "pulumi registry policy",
            json!({"resources": {"policy": {"type": "aws:ecr:RegistryPolicy", "properties": {"policy": {"fn::toJSON":
                {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "ecr:ReplicateImage", "Resource": "*"}]}
            }}}}}),
            json!({"resources": {"policy": {"type": "aws:ecr:RegistryPolicy", "properties": {"policy": {"fn::toJSON":
                {"Version": "2012-10-17", "Statement": [{"Effect": "Permit", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "ecr:ReplicateImage", "Resource": "*"}]}
            }}}}}),
        ),
        (
            "terraform-aws-modules/ecr inputs alone",
            json!({"registry_replication_rules": [{"destinations": [{"region": "eu-west-1", "registry_id": "210987654321"}]}]}),
            json!({"registry_replication_rules": [{"destinations": []}]}),
        ),
        (
            "terraform plan",
            plan(&json!({"region": "us-west-2", "registry_id": "210987654321"})),
            plan(&json!({"region": "US West 2", "registry_id": "210987654321"})),
        ),
        (
            "registry policy",
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "ecr:ReplicateImage", "Resource": "*"}]}),
            json!({"Version": "2012-10-17", "Statement": [{"Effect": "allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"}, "Action": "ecr:ReplicateImage", "Resource": "*"}]}),
        ),
        (
            "cloudformation registry policy",
            cfn_policy(&statement(json!("Allow"))),
            cfn_policy(&statement(json!("Permit"))),
        ),
        (
            "cloudformation registry policy with functions",
            // Fn::If is checked in both branches, at any depth; another function stands for any value.
            cfn_policy(&json!({"Fn::If": ["Shared", {"Statement": [
                {"Effect": {"Fn::If": ["Strict", "Deny", "Allow"]}, "Principal": {"AWS": {"Ref": "Source"}},
                 "Action": ["ecr:ReplicateImage", {"Fn::Sub": "ecr:${Extra}"}], "Resource": "*"}
            ]}, {"Ref": "AWS::NoValue"}]})),
            cfn_policy(&json!({"Fn::If": ["Shared", {"Statement": [
                {"Effect": {"Fn::If": ["Strict", "Deny", "Permit"]}, "Principal": {"AWS": {"Ref": "Source"}}, "Action": "ecr:ReplicateImage", "Resource": "*"}
            ]}, {"Ref": "AWS::NoValue"}]})),
        ),
        (
            "cloudformation registry policy's principal",
            cfn_policy(
                &json!({"Statement": [{"Effect": "Allow", "Principal": {"Service": ["ecr.amazonaws.com"]}, "Action": "ecr:ReplicateImage"}]}),
            ),
            cfn_policy(
                &json!({"Statement": [{"Effect": "Allow", "Principal": {"Aws": "210987654321"}, "Action": "ecr:ReplicateImage"}]}),
            ),
        ),
        (
            "cloudformation creation template with Fn::If",
            json!({"Resources": {"T": {"Type": "AWS::ECR::RepositoryCreationTemplate", "Properties": {
                "Prefix": {"Fn::If": ["IsProd", "prod", "dev"]}, "AppliedFor": ["REPLICATION"]}}}}),
            json!({"Resources": {"T": {"Type": "AWS::ECR::RepositoryCreationTemplate", "Properties": {
                "Prefix": {"Fn::If": ["IsProd", "prod", "Dev Team"]}, "AppliedFor": ["REPLICATION"]}}}}),
        ),
        (
            "get-registry-policy",
            // The policy inside the string is ecrlint's to check, not a schema's.
            json!({"registryId": "210987654321", "policyText": "{\"Statement\": \"not checked here\"}"}),
            json!({"registryId": "210987654321", "policyText": {"Statement": []}}),
        ),
    ] {
        assert!(validator.is_valid(&good), "{shape}: {good}");
        assert!(!validator.is_valid(&bad), "{shape}: {bad}");
    }
}

#[test]
fn any_terraform_json_file_is_accepted_so_a_tf_json_mapping_is_sound() {
    let validator = validator();
    for other in [
        json!({"output": {"url": {"value": "${aws_ecr_repository.x.repository_url}"}}}),
        json!({"data": {"aws_caller_identity": {"current": {}}}, "//": "no resource here"}),
        json!({"module": {"other": {"source": "cloudposse/ecr/aws", "registry_replication_rules": "anything"}}}),
    ] {
        assert!(validator.is_valid(&other), "{other}");
    }
}

/// The editor's Terraform, Pulumi and CloudFormation definitions are made
/// from their schema files with expressions allowed
/// (`terraformReplicationRuleArguments` of `replicationRuleArguments`,
/// `pulumiRegistryPolicyStatement` of `statement`): every definition a
/// resource reaches has its file's keys, required keys, conditions and list
/// bounds.
#[test]
fn the_editor_dialect_definitions_keep_their_schema_files_keys_and_bounds() {
    let editor = load("editor.schema.json");
    let defs = editor["$defs"].as_object().unwrap();
    // A list's bounds, written on it or on its branch that is not an expression.
    let bound = |node: &Value, bound: &str| -> Value {
        match node.get("anyOf") {
            Some(branches) => branches[0][bound].clone(),
            None => node[bound].clone(),
        }
    };
    let keys = |d: &Value| -> Vec<String> {
        let mut k: Vec<String> = d["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default();
        k.sort();
        k
    };
    let mut compared = Vec::new();
    for (file, prefix) in [
        ("terraform-replication-configuration.schema.json", "terraform"),
        ("pulumi-replication-configuration.schema.json", "pulumi"),
    ] {
        let theirs = load(file);
        for (name, theirs) in theirs["$defs"].as_object().unwrap() {
            let ours = format!("{prefix}{}{}", name[..1].to_uppercase(), &name[1..]);
            let Some(ours_def) = defs.get(&ours) else {
                continue;
            };
            assert_eq!(keys(ours_def), keys(theirs), "{ours}");
            assert_eq!(ours_def["required"], theirs["required"], "{ours}");
            assert_eq!(ours_def["then"], theirs["then"], "{ours}");
            for (key, value) in theirs["properties"].as_object().into_iter().flatten() {
                for b in ["minItems", "maxItems"] {
                    assert_eq!(bound(&ours_def["properties"][key], b), value[b], "{ours} {key} {b}");
                }
            }
            compared.push(ours);
        }
    }
    // A definition of the registry policy and CloudFormation files, by its
    // name in the editor schema.
    for (file, theirs, ours) in [
        (
            "cloudformation-replication-configuration.schema.json",
            "resource",
            "cloudformationResource",
        ),
        (
            "cloudformation-replication-configuration.schema.json",
            "properties",
            "cloudformationProperties",
        ),
        (
            "registry-policy.schema.json",
            "cloudformationResource",
            "cloudformationRegistryPolicyResource",
        ),
        (
            "registry-policy.schema.json",
            "cloudformationProperties",
            "cloudformationRegistryPolicyProperties",
        ),
        (
            "registry-policy.schema.json",
            "registryPolicy",
            "cloudformationRegistryPolicy",
        ),
        (
            "registry-policy.schema.json",
            "statement",
            "cloudformationRegistryPolicyStatement",
        ),
        (
            "registry-policy.schema.json",
            "principal",
            "cloudformationRegistryPolicyPrincipal",
        ),
        (
            "registry-policy.schema.json",
            "pulumiResource",
            "pulumiRegistryPolicyResource",
        ),
        (
            "registry-policy.schema.json",
            "pulumiProperties",
            "pulumiRegistryPolicyProperties",
        ),
        ("registry-policy.schema.json", "registryPolicy", "pulumiRegistryPolicy"),
        (
            "registry-policy.schema.json",
            "statement",
            "pulumiRegistryPolicyStatement",
        ),
        (
            "registry-policy.schema.json",
            "principal",
            "pulumiRegistryPolicyPrincipal",
        ),
    ] {
        let theirs = &load(file)["$defs"][theirs];
        let ours_def = &defs[ours];
        assert_eq!(keys(ours_def), keys(theirs), "{ours}");
        for key in ["required", "additionalProperties", "allOf"] {
            assert_eq!(ours_def[key], theirs[key], "{ours} {key}");
        }
        for (key, value) in theirs["properties"].as_object().into_iter().flatten() {
            for b in ["minItems", "maxItems"] {
                assert_eq!(bound(&ours_def["properties"][key], b), value[b], "{ours} {key} {b}");
            }
        }
    }
    compared.sort();
    assert_eq!(
        compared,
        [
            "pulumiProperties",
            "pulumiReplicationConfiguration",
            "pulumiReplicationDestination",
            "pulumiReplicationRule",
            "pulumiRepositoryFilter",
            "pulumiResource",
            "terraformDynamicInReplicationConfigurationLabels",
            "terraformDynamicInResourceLabels",
            "terraformDynamicInRuleLabels",
            "terraformModuleBlock",
            "terraformModuleDestination",
            "terraformModuleFilter",
            "terraformModuleReplicationRules",
            "terraformModuleRule",
            "terraformReplicationConfiguration",
            "terraformReplicationConfigurationArguments",
            "terraformReplicationDestination",
            "terraformReplicationDestinationArguments",
            "terraformReplicationRule",
            "terraformReplicationRuleArguments",
            "terraformRepositoryFilter",
            "terraformRepositoryFilterArguments",
            "terraformResource"
        ]
    );
    let module = &editor["$defs"]["terraformModuleReplicationRules"];
    let theirs = &load("terraform-replication-configuration.schema.json")["$defs"]["moduleReplicationRules"];
    assert_eq!(module["maxItems"], theirs["maxItems"]);
}

/// `schemas/editor.schema.json` is what the generator makes of the shape
/// table (`crates/checks/src/schema/editor.rs`): a shape added there is a branch here.
/// `ECRLINT_BLESS_EDITOR_SCHEMA=1 cargo test --test editor_schema` writes it.
#[test]
fn the_editor_schema_is_generated_from_the_shape_table() {
    let generated = ecrlint::schema::editor::editor_schema();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/editor.schema.json");
    if std::env::var_os("ECRLINT_BLESS_EDITOR_SCHEMA").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(&path).unwrap();
    assert!(
        checked_in == generated,
        "schemas/editor.schema.json differs from the generator's output: run ECRLINT_BLESS_EDITOR_SCHEMA=1 cargo test --test editor_schema"
    );
    // Every shape ecrlint names in reports is a branch, by its definition.
    let schema: Value = serde_json::from_str(&generated).unwrap();
    let branches: Vec<&str> = schema["anyOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["$ref"].as_str().unwrap())
        .collect();
    assert_eq!(
        branches,
        [
            "replication-configuration.schema.json#/$defs/replicationConfiguration",
            "replication-configuration.schema.json#/$defs/putReplicationConfigurationRequest",
            "repository-creation-template.schema.json#/$defs/createRepositoryCreationTemplateRequest",
            "repository-creation-template.schema.json#/$defs/repositoryCreationTemplateResponse",
            "repository-creation-template.schema.json#/$defs/describeRepositoryCreationTemplatesResponse",
            "replication-configuration.schema.json#/$defs/describeRegistryResponse",
            "#/$defs/cloudformationTemplate",
            "#/$defs/cloudformationProperties",
            "registry-policy.schema.json#/$defs/registryPolicy",
            "registry-policy.schema.json#/$defs/getRegistryPolicyResponse",
            "#/$defs/pulumiProgram",
            "#/$defs/terraformPlan",
            "#/$defs/terraformConfiguration",
            "#/$defs/terraformModuleFragment"
        ]
    );
}
