//! A long-running process (a language server) keeps one resolver and tells
//! it when a configuration file changes: it then sees the new settings.

use ecrlint::config::{Mode, Resolver, FILE_NAME};
use ecrlint::settings::Overrides;
use std::fs;
use std::path::Path;

fn source_region(resolver: &Resolver, file: &Path) -> Option<String> {
    resolver
        .resolve(file, &Overrides::default())
        .expect("a valid configuration")
        .settings
        .source_region
}

fn configure(dir: &Path, region: &str) {
    fs::write(dir.join(FILE_NAME), format!("[source]\nregion = \"{region}\"\n")).unwrap();
}

#[test]
fn an_edited_configuration_is_read_again_once_invalidated() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("replication.json");
    configure(dir.path(), "us-east-1");
    let resolver = Resolver::new(Mode::Discover);
    assert_eq!(source_region(&resolver, &file).as_deref(), Some("us-east-1"));

    configure(dir.path(), "eu-west-1");
    // Loaded once: not read again until told.
    assert_eq!(source_region(&resolver, &file).as_deref(), Some("us-east-1"));
    resolver.invalidate(&dir.path().join(FILE_NAME));
    assert_eq!(source_region(&resolver, &file).as_deref(), Some("eu-west-1"));
}

#[test]
fn a_configuration_created_or_deleted_below_is_found_or_forgotten() {
    let dir = tempfile::tempdir().unwrap();
    let sub = dir.path().join("sub");
    fs::create_dir(&sub).unwrap();
    let file = sub.join("replication.json");
    configure(dir.path(), "us-east-1");
    let resolver = Resolver::new(Mode::Discover);
    assert_eq!(source_region(&resolver, &file).as_deref(), Some("us-east-1"));

    configure(&sub, "eu-west-1");
    resolver.invalidate(&sub.join(FILE_NAME));
    assert_eq!(source_region(&resolver, &file).as_deref(), Some("eu-west-1"));

    fs::remove_file(sub.join(FILE_NAME)).unwrap();
    resolver.invalidate(&sub.join(FILE_NAME));
    assert_eq!(source_region(&resolver, &file).as_deref(), Some("us-east-1"));
}

#[test]
fn a_broken_configuration_once_fixed_applies_and_its_errors_go() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("replication.json");
    fs::write(dir.path().join(FILE_NAME), "[source]\nregion = \"nowhere\"\n").unwrap();
    let resolver = Resolver::new(Mode::Discover);
    assert!(resolver.resolve(&file, &Overrides::default()).is_err());
    assert_eq!(resolver.errors().len(), 1);

    configure(dir.path(), "us-east-1");
    resolver.invalidate_all();
    assert_eq!(source_region(&resolver, &file).as_deref(), Some("us-east-1"));
    assert!(resolver.errors().is_empty());
}

#[test]
fn editing_an_extended_configuration_reloads_the_files_that_extend_it() {
    let dir = tempfile::tempdir().unwrap();
    let team = dir.path().join("team");
    fs::create_dir(&team).unwrap();
    configure(dir.path(), "us-east-1");
    fs::write(team.join(FILE_NAME), "extend = \"../.ecrlint.toml\"\n").unwrap();
    let file = team.join("replication.json");
    let resolver = Resolver::new(Mode::Discover);
    assert_eq!(source_region(&resolver, &file).as_deref(), Some("us-east-1"));
    configure(dir.path(), "eu-west-1");
    resolver.invalidate(&dir.path().join(FILE_NAME));
    assert_eq!(source_region(&resolver, &file).as_deref(), Some("eu-west-1"));
}
