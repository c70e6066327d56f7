//! Reading a workspace into the [`model`](crate::model): the files to read
//! (walked as `ecrlint check` walks them), each read from disk and given
//! the settings its configuration resolves to, or an editor's open text in
//! place of its file. The model itself is built from the texts alone.

use crate::config::Resolver;
use crate::discover::{discover, Input, WalkOptions};
use crate::model::Model;
use crate::settings::Overrides;
use crate::syntax::ReadAs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Larger files are not read (`ecrlint check`'s default `--max-file-size`).
const MAX_FILE_SIZE: u64 = 64 << 20;

/// The files to read for `paths` (files or folders), walked as `ecrlint
/// check` walks them (extensions, `exclude`, `.gitignore`), each with the
/// settings `resolver` gives it under `overrides`.
pub fn read_paths(paths: &[PathBuf], shown_from: &Path, resolver: Arc<Resolver>, overrides: &Overrides) -> Model {
    let inputs = discover(paths, None, WalkOptions::default(), &resolver).inputs;
    read_inputs(&inputs, &resolver, overrides, shown_from)
}

/// The model of the workspace a folder belongs to ([`crate::discover::workspace_of`]:
/// the git work tree, else the topmost folder with an `.ecrlint.toml`, else the folder).
pub fn read_workspace(folder: &Path, resolver: Arc<Resolver>, overrides: &Overrides) -> Model {
    let root = crate::discover::workspace_of(&folder.join("file")).unwrap_or_else(|| folder.to_path_buf());
    read_paths(std::slice::from_ref(&root), &root, resolver, overrides)
}

/// An open document's text, read in place of its file on disk.
pub struct OpenText {
    /// Its file, links resolved (compared with the walked files' resolved paths).
    pub file: PathBuf,
    pub text: String,
    pub settings: crate::settings::Settings,
}

/// The model of the files under `roots` but those in `except` (links
/// resolved): the workspace on disk, but for the documents an editor has
/// open (see [`read_open`] and [`Model::joined`]).
pub fn read_roots_except(
    roots: &[PathBuf],
    resolver: Arc<Resolver>,
    overrides: &Overrides,
    except: &[PathBuf],
) -> Model {
    if roots.is_empty() {
        return Model::default();
    }
    let inputs: Vec<Input> = discover(roots, None, WalkOptions::default(), &resolver)
        .inputs
        .into_iter()
        .filter(|i| !except.contains(&resolved(&i.config_path())))
        .collect();
    read_inputs(&inputs, &resolver, overrides, &roots[0])
}

fn resolved(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// The model of one open document alone (its path shown from `root`):
/// a piece for [`Model::joined`], read once per version of the text, so
/// that a view of the workspace after an edit reads the edited text only.
pub fn read_open(root: Option<&Path>, open: &OpenText) -> Model {
    let root = root.map(resolved);
    let shown = root
        .as_deref()
        .and_then(|r| open.file.strip_prefix(r).ok())
        .unwrap_or(&open.file)
        .to_string_lossy()
        .replace('\\', "/");
    let mut model = Model::default();
    model.read_text(shown, open.text.clone(), ReadAs::for_path(&open.file), &open.settings);
    model
}

fn read_inputs(inputs: &[Input], resolver: &Resolver, overrides: &Overrides, shown_from: &Path) -> Model {
    let mut model = Model::default();
    let base = std::path::absolute(shown_from).unwrap_or_else(|_| shown_from.to_path_buf());
    for input in inputs {
        let path = input.config_path();
        let shown = std::path::absolute(&path)
            .ok()
            .and_then(|p| p.strip_prefix(&base).ok().map(Path::to_path_buf))
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| path.clone())
            .to_string_lossy()
            .replace('\\', "/");
        let bytes = match crate::batch::read_input(input, MAX_FILE_SIZE) {
            Ok(bytes) => bytes,
            Err(e) => {
                model.unread.push((shown, format!("cannot read: {e}")));
                continue;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let settings = match resolver.resolve(&path, overrides) {
            Ok(r) => resolver.with_module(&path, r.settings),
            Err(config) => {
                let why = format!(
                    "not read: its configuration {} has errors",
                    crate::config::ConfigError::shown(&config).display()
                );
                model.unread.push((shown, why));
                continue;
            }
        };
        model.read_text(shown, text, ReadAs::for_path(&path), &settings);
    }
    model
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open(file: &str, text: &str) -> OpenText {
        OpenText {
            file: PathBuf::from(file),
            text: text.to_string(),
            settings: crate::settings::Settings::default(),
        }
    }

    #[test]
    fn an_open_text_is_shown_from_the_root_and_joins_after_the_disk_files() {
        let mut disk = Model::default();
        disk.read_text(
            "repos.tf".into(),
            "resource \"aws_ecr_repository\" \"a\" {\n  name = \"prod/api\"\n}\n".into(),
            ReadAs::for_path(Path::new("repos.tf")),
            &crate::settings::Settings::default(),
        );
        let replication = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "109876543210"}]}]}"#;
        let root = Some(Path::new("/w"));
        let notes = read_open(root, &open("/w/notes.json", "{}"));
        let read = read_open(root, &open("/w/r/replication.json", replication));
        assert_eq!(read.files[0].path, "r/replication.json");
        let (model, indices) = disk.joined(&[&notes, &read]);
        assert_eq!(indices, [None, Some(1)]);
        assert_eq!(model.files[1].path, "r/replication.json");
        // Outside the root: the path as given.
        let elsewhere = read_open(root, &open("/v/replication.json", replication));
        assert_eq!(elsewhere.files[0].path, "/v/replication.json");
    }

    #[test]
    fn the_index_across_files_answers_the_models_grants() {
        let policy = r#"{"registryId": "109876543210", "policyText": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Principal\": {\"AWS\": \"210987654321\"}, \"Action\": \"ecr:ReplicateImage\", \"Resource\": \"arn:aws:ecr:us-west-2:109876543210:repository/*\"}]}"}"#;
        let model = read_open(None, &open("p.json", policy));
        let set = crate::crosscheck::Set::new(&model.policy_members);
        assert_eq!(set.policies_for("109876543210", "us-west-2").len(), 1);
        let verdict = set.verdict(Some("210987654321"), "109876543210", "us-west-2");
        assert_eq!(verdict.replicate, crate::crosscheck::Access::Granted);
        let verdict = set.verdict(Some("333333333333"), "109876543210", "us-west-2");
        assert_eq!(verdict.replicate, crate::crosscheck::Access::Missing);
    }
}
