//! The whole pipeline on arbitrary bytes: parse, recognise, schema, rules,
//! and both renderers. Any panic, hang or overflow is a bug.
#![no_main]

use ecrlint::lint::{lint, Format, Outcome};
use ecrlint::settings::Settings;
use ecrlint::render::{self, human::HumanOptions, FileResult};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let settings = Settings {
        source_region: Some("us-east-1".into()),
        source_registry: Some("210987654321".into()),
        ..Settings::default()
    };
    for explicit in [true, false] {
        if let Outcome::Linted { document, diagnostics } = lint(data, Format::Detect, explicit, &settings) {
            let files = [FileResult {
                path: "fuzz.json".into(),
                path_bytes: None,
                text: String::from_utf8_lossy(data).into_owned(),
                document: document.map(|d| d.as_str()),
                diagnostics,
                error: None,
            }];
            let _ = render::json::render(&files);
            let _ = render::human::render(&files, &HumanOptions { color: false, width: 80 });
        }
    }
});
