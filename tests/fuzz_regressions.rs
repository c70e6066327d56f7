//! Inputs the fuzzer found, kept so that what it found stays fixed. Each
//! runs the checks the fuzz target makes.

use ecrlint::fix::apply::Mode;
use ecrlint::fix_loop::{fix_text, Linter};
use ecrlint::lint::Origin;
use ecrlint::settings::Settings;
use ecrlint::syntax::ReadAs;
use std::path::Path;

fn settings() -> Settings {
    Settings {
        source_region: Some("us-east-1".into()),
        source_registry: Some("210987654321".into()),
        ..Settings::default()
    }
}

#[test]
fn fixing_every_regression_input_reaches_a_fixed_point() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz-regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    inputs.sort();
    assert!(!inputs.is_empty());
    let settings = settings();
    for path in inputs {
        let text = std::fs::read_to_string(&path).unwrap();
        for origin in [Origin::Named, Origin::Found] {
            let linter = Linter {
                read_as: ReadAs::Detect,
                origin,
                settings: &settings,
            };
            let fixed = fix_text(&text, linter, Mode::Unsafe);
            let again = fix_text(&fixed.text, linter, Mode::Unsafe);
            assert_eq!(
                again.applied,
                0,
                "{}: not a fixed point after {:?}",
                path.display(),
                fixed.text
            );
        }
    }
}
