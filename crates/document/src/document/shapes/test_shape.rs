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
    use crate::document::recognise::{recognise, Recognition};
    use crate::document::shapes;
    use crate::syntax::json;

    // The front ends' half of the proof: the table alone makes the shape
    // recognised, named, built and listed. Validation (schema and rules)
    // sits in the layers above, which see the table without this shape
    // (it exists only in this crate's unit tests).
    #[test]
    fn a_shape_in_the_table_is_recognised_named_and_built() {
        let valid = r#"{"ecrlintTestShape": {"rules": [{"destinations": [{"region": "us-west-2", "registryId": "210987654321"}]}]}}"#;
        let root = json::parse(valid.as_bytes()).unwrap();
        let Recognition::Replication(shape) = recognise(&root) else {
            panic!("the test shape is recognised as a replication document")
        };
        assert_eq!(shape.name, "test-shape");
        let document = (shape.build)(&root, shape);
        assert_eq!(document.shape.name, "test-shape");
        let rules: Vec<usize> = document
            .configurations
            .iter()
            .flat_map(|c| c.rules.iter().flat_map(|r| r.items.iter().map(|rule| rule.index)))
            .collect();
        assert_eq!(rules, [0]);
        // Its schema file names the API definitions it imports.
        assert_eq!(shape.schema.id, "test-shape");
        assert_eq!(shape.schema.imports.iter().map(|f| f.id).collect::<Vec<_>>(), ["api"]);
        assert!(shapes::describe_all().contains("ecrlintTestShape"));
    }
}
