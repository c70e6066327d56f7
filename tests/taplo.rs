//! `ecrlint init`'s file works with taplo (Even Better TOML's engine) as
//! written, offline: its first line is taplo's `#:schema` directive naming
//! the schema's copy `init` writes beside it, and through it taplo validates
//! the file (as written and with every example uncommented) and rejects a
//! mistake. Ignored without taplo (`.ci/run` installs it: `npm install
//! --prefix .ci/node @taplo/cli`).

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `$TAPLO`, the copy `.ci/run` installs, or `taplo` on PATH.
fn taplo() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("TAPLO").map(PathBuf::from),
        Some(repo().join(".ci/node/node_modules/.bin/taplo")),
        Some(PathBuf::from("taplo")),
    ];
    candidates.into_iter().flatten().find(|t| {
        Command::new(t)
            .arg("--version")
            .output()
            // The npm package prints its version but exits 1.
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).starts_with("taplo "))
    })
}

/// Runs `taplo check` on `file` (no configuration file, no catalogs):
/// whether it passed, and what it said.
fn check(taplo: &Path, file: &Path) -> (bool, String) {
    // From another folder: the directive is read relative to the file.
    let out = Command::new(taplo)
        .args(["check", "--no-auto-config", "--colors", "never"])
        .arg(file)
        .current_dir(repo())
        .output()
        .expect("taplo runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
#[ignore = "needs taplo (npm install --prefix .ci/node @taplo/cli, or TAPLO): .ci/run installs it and runs this"]
fn the_init_file_validates_with_taplo_through_its_schema_directive() {
    let taplo = taplo().expect("this test needs taplo: npm install --prefix .ci/node @taplo/cli, or set TAPLO");
    let dir = tempfile::tempdir().unwrap();
    common::ecrlint().current_dir(dir.path()).arg("init").assert().success();
    let written = std::fs::read_to_string(dir.path().join(".ecrlint.toml")).unwrap();
    let first = written.lines().next().unwrap();
    assert_eq!(first, format!("#:schema ./{}", ecrlint::cli::SCHEMA_COPY));
    let mapped = written.clone();
    let uncommented: String = mapped
        .lines()
        .map(|l| match l.strip_prefix("# ") {
            Some(rest) if rest.contains(" = ") => rest,
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let mistaken = uncommented.replacen("region = \"us-east-1\"", "region = 5", 1);
    assert_ne!(mistaken, uncommented);
    for (name, text, valid) in [
        ("as-written.toml", &mapped, true),
        ("uncommented.toml", &uncommented, true),
        ("mistaken.toml", &mistaken, false),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let (passed, said) = check(&taplo, &path);
        assert_eq!(passed, valid, "{name}: {said}");
        if !valid {
            // Rejected by the schema (not, say, for a schema it could not load).
            assert!(said.contains("is not of type \"string\""), "{name}: {said}");
        }
    }
}
