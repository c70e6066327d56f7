//! `extend = "../.ecrlint.toml"` (ruff's key): a configuration builds on
//! another, so that a team's file in a subfolder keeps the organisation's
//! policy from the root one. The path is relative to the file that names
//! it; chains are followed; a cycle or a missing file is an error at the
//! `extend` value. Each file is checked on its own, so every error points
//! into the file it is in; then the settings are laid over each other,
//! the extending file's on top ([`Layer::over`] says how).

use super::check::Layer;
use super::{normalize, parse_layer, read_config, Config, ConfigError};
use crate::syntax::Span;
use std::path::{Path, PathBuf};

/// Longest chain of `extend`s followed: real ones are two or three long.
const MAX_CHAIN: usize = 32;

/// A path as messages show it: without `.` and `..`, relative to the
/// current folder when inside it.
pub fn shown(path: &Path) -> String {
    let path = normalize(path);
    let cwd = std::env::current_dir().map(|d| normalize(&d)).unwrap_or_default();
    match path.strip_prefix(&cwd) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// What makes two names the same file: its real path when it exists.
fn identity(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| normalize(path))
}

/// `path`'s configuration (its text is `text`), with every file it extends.
pub(super) fn resolve(path: &Path, text: &str) -> Result<Config, Vec<ConfigError>> {
    let (first, mut errors) = parse_layer(path, text)?;
    // The chain so far, the extending file first: identities, and names as shown.
    let mut seen = vec![identity(path)];
    let mut names = vec![shown(path)];
    let mut layers: Vec<Layer> = Vec::new();
    let mut current = first;
    while let Some(extend) = current.extend.take() {
        let dir = current.path.parent().unwrap_or(Path::new(""));
        let target = normalize(&dir.join(extend.get_ref()));
        let id = identity(&target);
        let r = extend.span();
        let error = |message: String, help: &str| ConfigError {
            path: current.path.clone(),
            text: current.text.clone(),
            span: Span::new(r.start, r.end),
            message,
            help: Some(help.to_string()),
        };
        if let Some(at) = seen.iter().position(|s| *s == id) {
            let cycle: Vec<&str> = names[at..]
                .iter()
                .map(String::as_str)
                .chain([names[at].as_str()])
                .collect();
            errors.push(error(
                format!("`extend` makes a cycle: {}", cycle.join(" → ")),
                "a configuration cannot extend itself, directly or through others: remove one of these `extend` keys",
            ));
            break;
        }
        if seen.len() >= MAX_CHAIN {
            errors.push(error(
                format!("`extend` chains more than {MAX_CHAIN} configuration files"),
                "extend the organisation's file directly",
            ));
            break;
        }
        let parent = match read_config(&target) {
            Ok(text) => parse_layer(&target, &text),
            Err(e) => {
                errors.push(error(
                    format!("cannot read `{}`, which `extend` names: {e}", extend.get_ref()),
                    "the path is relative to the folder of this file, such as \"../.ecrlint.toml\"",
                ));
                break;
            }
        };
        match parent {
            Ok((layer, more)) => {
                errors.extend(more);
                seen.push(id);
                names.push(shown(&target));
                layers.push(std::mem::replace(&mut current, layer));
            }
            Err(more) => {
                errors.extend(more);
                break;
            }
        }
    }
    layers.push(current);
    if !errors.is_empty() {
        return Err(errors);
    }
    // The files that set the Regions in force: the first in the chain that sets each.
    let setting = |sets: fn(&Layer) -> bool| {
        layers
            .iter()
            .find(|l| sets(l))
            .map(|l| (l.path.clone(), l.text.clone()))
    };
    let source = setting(|l| l.source_region.is_some());
    let destination = setting(|l| l.destination_region.is_some());
    let chain: Vec<PathBuf> = layers.iter().map(|l| l.path.clone()).collect();
    let mut merged = layers.pop().expect("at least the file itself");
    while let Some(child) = layers.pop() {
        merged = child.over(merged);
    }
    merged.finish(
        chain,
        source.as_ref().map(|(p, t)| (p.as_path(), t)),
        destination.as_ref().map(|(p, t)| (p.as_path(), t)),
    )
}
