//! What `rule_meta!` declares holds for what the rules do: a rule reads only
//! the resources it declares, and a workspace rule never reports from the
//! lint of one file.

use ecrlint::lint::{lint, Origin, Outcome};
use ecrlint::model::kind::Kind;
use ecrlint::model::{creation_template, policy, replication};
use ecrlint::rules::Scope;
use ecrlint::settings::Settings;
use ecrlint::syntax::ReadAs;
use std::path::Path;

/// The resources a document of `shape` holds, when it holds one kind only.
fn only_kind(shape: &str) -> Option<&'static Kind> {
    match shape {
        "registry-policy" | "get-registry-policy" | "registry-policy-statement" => Some(&policy::KIND),
        "configuration" | "request" | "describe-registry" => Some(&replication::KIND),
        "repository-creation-template"
        | "describe-repository-creation-templates"
        | "repository-creation-template-response" => Some(&creation_template::KIND),
        _ => None,
    }
}

#[test]
fn fixtures_get_findings_only_from_rules_of_their_resources_and_scope() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut checked = 0;
    let mut wrong = Vec::new();
    for folder in std::fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()) {
        for file in std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()) {
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let is_fixture = (name.starts_with("valid-") || name.starts_with("invalid-"))
                && !name.ends_with(".codes")
                && !name.ends_with(".args");
            // (A folder fixture is a workspace, checked by tests/fixtures.rs.)
            if !is_fixture || !file.is_file() {
                continue;
            }
            let bytes = std::fs::read(&file).unwrap();
            let Outcome::Linted {
                document, diagnostics, ..
            } = lint(&bytes, ReadAs::for_path(&file), Origin::Named, &Settings::default())
            else {
                continue;
            };
            let kind = document.and_then(|s| only_kind(s.name));
            for d in &diagnostics {
                let Some(meta) = ecrlint::rules::find(d.code) else {
                    continue;
                };
                checked += 1;
                // A rule of one kind of resource in a document of another.
                let kinds = [&replication::KIND, &policy::KIND, &creation_template::KIND];
                let other_kind = kind.is_some_and(|k| match meta.resources {
                    [one] => kinds.contains(one) && *one != k,
                    _ => false,
                });
                if other_kind || meta.scope == Scope::Workspace {
                    wrong.push(format!(
                        "{}: {} ({:?}, {:?}) in a {} document",
                        file.display(),
                        d.code,
                        meta.resources,
                        meta.scope,
                        document.map_or("unrecognised", |s| s.name)
                    ));
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} findings were checked");
    assert!(
        wrong.is_empty(),
        "findings of rules that do not read such documents:\n{}",
        wrong.join("\n")
    );
}
