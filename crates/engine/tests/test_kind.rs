//! The test-only resource kind (the `test-kind` feature: `model/test_kind.rs`,
//! its schema file and its rule ECR999), linted through the engine as any
//! file is: its schema and its rule report on its resources, and a document
//! without it never runs the rule. `tests/architecture.rs` checks that no
//! other code names the kind.
//!
//! Behind the feature, not `#[cfg(test)]`: the kind lives in the model
//! crate and its rule in the checks, which this crate's tests see without
//! their `cfg(test)`. CI runs it with `cargo test -p ecrlint-engine --features test-kind`.

use ecrlint_engine::lint::{lint, Origin, Outcome};
use ecrlint_engine::settings::Settings;
use ecrlint_engine::syntax::ReadAs;

const TEMPLATE: &str = "Resources:
  Template:
    Type: AWS::ECR::RepositoryCreationTemplate
    Properties:
      Prefix: prod
      AppliedFor: [REPLICATION]
  Loud:
    Type: Ecrlint::Test::Widget
    Properties:
      Name: Shouting
  Quiet:
    Type: Ecrlint::Test::Widget
    Properties:
      Name: quiet
  Unnamed:
    Type: Ecrlint::Test::Widget
    Properties:
      Colour: red
";

/// Each finding's code and line (from 1).
fn findings(text: &str) -> Vec<(&'static str, usize)> {
    let read_as = ReadAs::for_path(std::path::Path::new("template.yaml"));
    let Outcome::Linted { diagnostics, .. } = lint(text.as_bytes(), read_as, Origin::Named, &Settings::default())
    else {
        panic!("the template is linted");
    };
    diagnostics
        .iter()
        .map(|d| (d.code, text[..d.span.start].lines().count()))
        .collect()
}

#[test]
fn a_kind_in_the_table_is_validated_by_its_schema_and_checked_by_its_rule() {
    assert!(ecrlint_engine::rules::find("ECR999").is_some());
    let mut found = findings(TEMPLATE);
    found.sort();
    // ECR999 on the upper-case name; the schema's on the widget with no
    // `Name` (missing, reported on its properties) and a key it does not know.
    assert_eq!(found, [("ECR101", 18), ("ECR102", 18), ("ECR999", 10)]);
}

#[test]
fn a_document_without_the_kind_gets_nothing_of_it() {
    let without = TEMPLATE.split("  Loud:").next().unwrap();
    assert_eq!(findings(without), []);
    // The rule reads the kind's resources only: a widget's name elsewhere is not one.
    let elsewhere = format!("{without}  Other:\n    Type: AWS::SNS::Topic\n    Properties:\n      Name: Shouting\n");
    assert_eq!(findings(&elsewhere), []);
}
