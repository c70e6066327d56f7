//! The whole pipeline on arbitrary bytes, every way a file enters: as JSON,
//! as YAML, detected from its content, found in a directory, as an
//! `.ecrlint.toml`, and as Terraform HCL; each lint result goes through every renderer, and its
//! fixes are applied (all of them, unsafe too): the result must have no
//! finding the input did not have and be a fixed point. Any panic, hang or
//! overflow is a bug.
#![no_main]

use ecrlint::lint::{lint, Origin, Outcome};
use ecrlint::settings::Settings;
use ecrlint::render::{self, human, FileResult, Renderer};
use ecrlint::syntax::{ReadAs, SourceFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, input)) = data.split_first() else { return };
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
    use ecrlint::fix::apply::{fix_text, Linter, Mode};
    let linter = Linter { read_as, origin, settings };
    let fixed = fix_text(text, linter, Mode::Unsafe);
    let tally = |ds: &[ecrlint::diagnostic::Diagnostic]| {
        let mut counts = std::collections::HashMap::new();
        for d in ds {
            *counts.entry((d.code, d.message.clone())).or_insert(0usize) += 1;
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
