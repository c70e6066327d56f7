//! Registry policies written as JSON inside a string (`get-registry-policy`
//! output, a template's `PolicyText` text): findings point at the exact
//! bytes of the file, escapes included.

use ecrlint::lint::{lint, Origin, Outcome};
use ecrlint::settings::Settings;
use ecrlint::syntax::{ReadAs, SourceFormat};

/// Each finding's code and the source text its span covers.
fn findings(text: &str, format: SourceFormat) -> Vec<(&'static str, String)> {
    let Outcome::Linted { diagnostics, .. } = lint(
        text.as_bytes(),
        ReadAs::Format(format),
        Origin::Named,
        &Settings::default(),
    ) else {
        panic!("a named file is linted");
    };
    diagnostics
        .iter()
        .map(|d| (d.code, text[d.span.start..d.span.end].to_string()))
        .collect()
}

#[test]
fn findings_in_policy_text_point_at_the_escaped_source() {
    // `\"`, `\n`, `\u0041` and a surrogate pair before the values at fault.
    let text = r#"{"registryId": "109876543210", "policyText": "{\"Version\":\n\"2012-10-17\",\"Statement\":[{\"Sid\":\"\ud83d\ude00\",\"Effect\":\"\u0041llow\",\"Principal\":{\"AWS\":\"arn:aws:iam::21098765432:root\"},\"Action\":[\"ecr:Replicate\u0049mage\",\"ecr:BatchGetImage\"],\"Resource\":\"arn:aws:us-west-2:109876543210:repository/*\"}]}"}"#;
    assert_eq!(
        findings(text, SourceFormat::Json),
        [
            ("ECR503", r#"\"arn:aws:iam::21098765432:root\""#.to_string()),
            ("ECR501", r#"\"ecr:BatchGetImage\""#.to_string()),
            (
                "ECR502",
                r#"\"arn:aws:us-west-2:109876543210:repository/*\""#.to_string()
            ),
        ]
    );
}

#[test]
fn policy_text_that_does_not_parse_is_reported_where_it_breaks() {
    let text = r#"{"policyText": "{\"Statement\": [}"}"#;
    let found = findings(text, SourceFormat::Json);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "ECR001");
    assert_eq!(found[0].1, "}");
}

#[test]
fn a_yaml_block_scalar_maps_past_its_indentation() {
    let text = "Resources:\n  P:\n    Type: AWS::ECR::RegistryPolicy\n    Properties:\n      PolicyText: |\n        {\"Statement\": [{\"Effect\": \"Allow\",\n          \"Principal\": {\"AWS\": \"210987654321\"},\n          \"Action\": \"ecr:ReplicateImage\",\n          \"Resource\": \"arn:aws:ecr:us-west-2:109876543210:repo/*\"}]}\n";
    assert_eq!(
        findings(text, SourceFormat::Yaml),
        [("ECR502", "\"arn:aws:ecr:us-west-2:109876543210:repo/*\"".to_string())]
    );
}
