//! Repository creation templates, as a kind: read by each shape into the
//! document's `templates` (`crate::document::creation_template`); across
//! files, by [`super::file_facts`] into what arrives at a destination.

/// What its rules read of a document: its templates.
pub static KIND: super::kind::Kind = super::kind::Kind {
    name: "creation-template",
    held: |doc| !doc.templates.is_empty(),
    schema: None,
};
