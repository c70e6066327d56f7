//! A shape that exists only in the unit tests, to prove that a shape is one
//! module plus its schema file: recognised, named in reports and validated
//! with no other file edited but the table.

use super::super::shape::{SchemaFile, SchemaTarget, Shape};
use super::super::{build, dialect, Document};
use crate::syntax::Node;

static SCHEMA: SchemaFile = SchemaFile {
    id: "test-shape",
    name: "test-shape.schema.json",
    text: include_str!("test_shape.schema.json"),
    imports: &[&super::API_SCHEMA],
};

pub static SHAPE: Shape = Shape {
    name: "test-shape",
    describe: "a test wrapper `{\"ecrlintTestShape\": {\"rules\": [...]}}`",
    dialect: dialect::API,
    matches: |root| root.get("ecrlintTestShape").is_some(),
    build: build_view,
    schema: &SCHEMA,
    target: SchemaTarget::Root("testShape"),
    read_by_aws_cli: false,
};

fn build_view<'a>(root: &'a Node<'a>, shape: &'static Shape) -> Document<'a> {
    let configurations = root
        .get("ecrlintTestShape")
        .filter(|m| m.value.as_object().is_some())
        .map(|m| build::configuration(&m.value, dialect::API));
    Document::new(shape, root, configurations.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use crate::lint::{lint, Origin, Outcome};
    use crate::syntax::{ReadAs, SourceFormat};

    fn run(text: &str) -> (Option<&'static str>, Vec<&'static str>) {
        let read_as = ReadAs::Format(SourceFormat::Json);
        match lint(
            text.as_bytes(),
            read_as,
            Origin::Named,
            &crate::settings::Settings::default(),
        ) {
            Outcome::Linted {
                document, diagnostics, ..
            } => (document.map(|s| s.name), diagnostics.iter().map(|d| d.code).collect()),
            Outcome::Skipped { .. } => panic!("a named file is never skipped"),
        }
    }

    #[test]
    fn a_shape_in_the_table_is_recognised_named_and_validated() {
        let valid = r#"{"ecrlintTestShape": {"rules": [{"destinations": [{"region": "us-west-2", "registryId": "210987654321"}]}]}}"#;
        assert_eq!(run(valid), (Some("test-shape"), vec![]));
        // Its schema file is applied (an unknown key beside the wrapper)...
        let extra = r#"{"ecrlintTestShape": {"rules": []}, "stray": 1}"#;
        assert_eq!(run(extra).1, ["ECR308", "ECR102"]);
        // ...and so are the API definitions it imports, and the rules.
        let glob = r#"{"ecrlintTestShape": {"rules": [{"destinations": [{"region": "us-west-2", "registryId": "21098765432"}], "repositoryFilters": [{"filter": "prod/*", "filterType": "PREFIX_MATCH"}]}]}}"#;
        assert_eq!(run(glob), (Some("test-shape"), vec!["ECR204", "ECR205"]));
        assert!(crate::document::shapes::describe_all().contains("ecrlintTestShape"));
    }
}
