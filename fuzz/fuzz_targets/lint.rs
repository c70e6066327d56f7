//! The whole pipeline on arbitrary bytes, every way a file enters: as JSON,
//! as YAML, detected from its content, found in a directory, as an
//! `.ecrlint.toml`, and as Terraform HCL; each lint result goes through every renderer, and its
//! fixes are applied (all of them, unsafe too): the result must have no
//! finding the input did not have and be a fixed point. Two more modes:
//! `check --fix` over several files through the file system (each file must
//! end as its own fix), and the recognition table's shapes (a file hook mode
//! passes over must be one that, named, is not linted as ours either). Any
//! panic, hang or overflow is a bug.
#![no_main]

use ecrlint::lint::{lint, Origin, Outcome};
use ecrlint::settings::Settings;
use ecrlint::render::{self, human, FileResult, Renderer};
use ecrlint::syntax::{ReadAs, SourceFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else { return };
    match (mode & 0x7f) % 8 {
        6 => return fix_files(input),
        7 => return hook_mode_passes_only_what_is_not_ours(input),
        _ => {}
    }
    if mode % 6 == 4 {
        let text = String::from_utf8_lossy(input);
        let _ = ecrlint::config::parse(std::path::Path::new(".ecrlint.toml"), &text);
        return;
    }
    let read_as = match mode % 6 {
        0 => ReadAs::Format(SourceFormat::Json),
        1 => ReadAs::Format(SourceFormat::Yaml),
        5 => ReadAs::Format(SourceFormat::Hcl),
        _ => ReadAs::Detect,
    };
    let origin = if mode % 6 == 3 { Origin::Found } else { Origin::Named };
    let settings = Settings {
        source_region: Some("us-east-1".into()),
        source_registry: Some("210987654321".into()),
        ..Settings::default()
    };
    let Outcome::Linted { document, diagnostics, .. } = lint(input, read_as, origin, &settings) else {
        return;
    };
    let file = FileResult {
        path: "fuzz.json".into(),
        path_bytes: None,
        text: String::from_utf8_lossy(input).into_owned(),
        document: document.map(|d| d.name),
        diagnostics,
        error: None,
        fixed: None,
        omitted: Default::default(),
    };
    let tool = render::sarif::Tool {
        name: "ecrlint",
        version: "0",
        information_uri: "",
        rules: Vec::new(),
    };
    let options = human::HumanOptions { color: mode & 0x80 != 0, width: 80 };
    let renderers: Vec<Box<dyn Renderer>> = vec![
        Box::new(human::Human::new(&options, 200)),
        Box::new(render::json::Json::default()),
        Box::new(render::concise::Concise),
        Box::new(render::github::Github),
        Box::new(render::gitlab::Gitlab::new(None)),
        Box::new(render::sarif::Sarif::new(&tool)),
    ];
    let summary = render::Summary::of(std::slice::from_ref(&file));
    for mut r in renderers {
        let mut out = std::io::sink();
        r.begin(&mut out).unwrap();
        r.file(&mut out, &file).unwrap();
        r.end(&mut out, &summary).unwrap();
    }
    if let Ok(text) = std::str::from_utf8(input) {
        if file.diagnostics.iter().any(|d| d.fix.is_some()) {
            check_fixes(text, read_as, origin, &settings, &file.diagnostics);
        }
    }
});

/// Fixing everything adds no finding and reaches a fixed point.
fn check_fixes(
    text: &str,
    read_as: ReadAs,
    origin: Origin,
    settings: &Settings,
    before: &[ecrlint::diagnostic::Diagnostic],
) {
    use ecrlint::fix::apply::Mode;
    use ecrlint::fix_loop::{fix_text, Linter};
    let linter = Linter { read_as, origin, settings };
    let fixed = fix_text(text, linter, Mode::Unsafe);
    // Findings compared as the fix loop compares them: by code and message
    // with each run of digits one `#`, so that a fix that lowers a count or
    // corrects `us-gov-west-2` to `us-gov-west-1` leaves the same finding.
    let shape = |message: &str| {
        let mut shaped = String::with_capacity(message.len());
        for c in message.chars() {
            if !(c.is_ascii_digit() && shaped.ends_with('#')) {
                shaped.push(if c.is_ascii_digit() { '#' } else { c });
            }
        }
        shaped
    };
    let tally = |ds: &[ecrlint::diagnostic::Diagnostic]| {
        let mut counts = std::collections::HashMap::new();
        for d in ds {
            *counts.entry((d.code, shape(&d.message))).or_insert(0usize) += 1;
        }
        counts
    };
    if let Some(after) = &fixed.diagnostics {
        let (before, after) = (tally(before), tally(after));
        for (key, n) in &after {
            assert!(before.get(key).is_some_and(|m| n <= m), "fixing added {key:?}");
        }
    }
    let again = fix_text(&fixed.text, linter, Mode::Unsafe);
    assert_eq!(again.applied, 0, "not a fixed point");
    assert_eq!(again.text, fixed.text);
}

/// The names a file of the recognition table has, by shape (tests/recognition.rs).
const SHAPE_NAMES: [&str; 8] = [
    "replication.json",
    "stack.json",
    "stack.yaml",
    "main.tf",
    "main.tf.json",
    "registry-policy.json",
    "Pulumi.yaml",
    "terragrunt.hcl",
];

/// First byte: the file's name (its shape in the recognition table); the
/// rest: its bytes. Hook mode (`--skip-unrecognised`) reads a named file as
/// found in a directory: when it passes the file over, the file named
/// without that flag must not be linted as ours either (its only finding
/// is ECR003, "not a replication document"). A broken replication file is
/// never passed. A text that does not parse is the exception: named, it is
/// ECR001 whether or not it is ours, and whether its words make it ours is
/// tested case by case in tests/recognition.rs.
fn hook_mode_passes_only_what_is_not_ours(data: &[u8]) {
    let Some((&shape, input)) = data.split_first() else { return };
    let name = SHAPE_NAMES[usize::from(shape) % SHAPE_NAMES.len()];
    let read_as = ReadAs::for_path(std::path::Path::new(name));
    let settings = Settings::default();
    if !matches!(lint(input, read_as, Origin::Found, &settings), Outcome::Skipped { .. }) {
        return;
    }
    match lint(input, read_as, Origin::Named, &settings) {
        Outcome::Linted { diagnostics, .. } => {
            let ours: Vec<_> = diagnostics.iter().filter(|d| d.code != "ECR003").map(|d| d.code).collect();
            // Does not parse: see above.
            if ours == ["ECR001"] {
                return;
            }
            assert!(ours.is_empty(), "hook mode passed over {name}, which named has {ours:?}");
        }
        Outcome::Skipped { .. } => panic!("a named file is never passed over"),
    }
}

/// The extensions a file of the several-files mode may have.
const EXTENSIONS: [&str; 4] = ["json", "yaml", "tf", "tf.json"];

/// Several files (the input split at NUL bytes, at most four; each part's
/// first byte picks its extension) written to a fresh folder, then
/// `ecrlint check --fix --unsafe-fixes` over them, as a user runs it. Each
/// file must end as its own fix ([`fix_text`] on it alone); a file that is
/// not UTF-8 keeps its bytes. The fixed text adds no finding and is a
/// fixed point.
fn fix_files(input: &[u8]) {
    use ecrlint::fix::apply::Mode;
    use ecrlint::fix_loop::{fix_text, Linter};
    static RUN: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "ecrlint-fuzz-{}-{}",
        std::process::id(),
        RUN.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let files: Vec<(std::path::PathBuf, &[u8])> = input
        .split(|&b| b == 0)
        .take(4)
        .enumerate()
        .filter_map(|(i, part)| {
            let (&kind, bytes) = part.split_first()?;
            let ext = EXTENSIONS[usize::from(kind) % EXTENSIONS.len()];
            Some((dir.join(format!("f{i}.{ext}")), bytes))
        })
        .collect();
    if files.is_empty() {
        // No path would check (and fix) the current folder.
        std::fs::remove_dir_all(&dir).unwrap();
        return;
    }
    for (path, bytes) in &files {
        std::fs::write(path, bytes).unwrap();
    }
    let report = dir.join("report.json");
    let mut args: Vec<std::ffi::OsString> = ["ecrlint", "check", "--isolated", "--fix", "--unsafe-fixes", "--quiet"]
        .iter()
        .map(Into::into)
        .collect();
    args.extend(["--format".into(), "json".into(), "--output-file".into(), report.clone().into()]);
    args.extend(files.iter().map(|(p, _)| p.clone().into_os_string()));
    let code = ecrlint::cli::run_from(args);
    assert_ne!(code, 2, "check --fix failed");
    let settings = Settings::default();
    for (path, original) in &files {
        let now = std::fs::read(path).unwrap();
        let read_as = ReadAs::for_path(path);
        let linter = Linter { read_as, origin: Origin::Named, settings: &settings };
        let linted = matches!(lint(original, read_as, Origin::Named, &settings), Outcome::Linted { .. });
        match std::str::from_utf8(original) {
            Ok(text) if linted => {
                let expected = fix_text(text, linter, Mode::Unsafe);
                assert_eq!(
                    String::from_utf8_lossy(&now),
                    expected.text,
                    "{} is not its own fix",
                    path.display()
                );
                let before = match lint(original, read_as, Origin::Named, &settings) {
                    Outcome::Linted { diagnostics, .. } => diagnostics,
                    Outcome::Skipped { .. } => Vec::new(),
                };
                if expected.applied > 0 {
                    check_fixes(text, read_as, Origin::Named, &settings, &before);
                }
            }
            _ => assert_eq!(now.as_slice(), *original, "{} changed, though nothing in it is fixable", path.display()),
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
