//! Human output wraps at the terminal's width, and only at spaces: a Region
//! name, an account ID or a code span is never cut at its hyphen.

mod common;

use ecrlint::render::human::{width_from, DEFAULT_WIDTH, MIN_WIDTH};
use std::path::Path;

fn check_at(columns: &str) -> String {
    let out = common::ecrlint()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/wrapping"))
        .env("COLUMNS", columns)
        .args(["check", "--color", "never", "regions.json"])
        .output()
        .expect("runs");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The tokens of messages and help that must stay whole.
const WHOLE: &[&str] = &[
    "ap-southeast-2",
    "eu-wset-1",
    "`\"eu-wset-1\"`",
    "`\"eu-west-1\"`",
    "`prod-api/v2-internal`",
    "[regions]",
];

#[test]
fn no_width_splits_a_region_or_a_code_span() {
    for width in [40, 44, 48, 52, 57, 60, 64, 71, 80, 100] {
        let text = check_at(&width.to_string());
        // Words joined again across wrapped lines (miette indents them).
        let words: Vec<&str> = text.split_whitespace().collect();
        for line in text.lines() {
            for token in line.split_whitespace() {
                assert!(
                    !(token.ends_with('-') && token.len() > 1 && token.chars().any(char::is_alphanumeric)),
                    "width {width}: a word is cut at a hyphen: {line:?}\n{text}"
                );
            }
        }
        for whole in WHOLE {
            let prefix = &whole[..whole.len() / 2];
            for word in words
                .iter()
                .filter(|w| w.contains(prefix) && !w.contains('│') && !w.contains('─'))
            {
                assert!(
                    !whole.starts_with(word.trim_end_matches([',', '.', ';', ':'])) || word.len() >= whole.len(),
                    "width {width}: `{whole}` is split: {word:?}\n{text}"
                );
            }
        }
    }
}

#[test]
fn messages_follow_the_width() {
    let narrow = check_at("60");
    let wide = check_at("120");
    // Message and help lines (not source lines, which are shown as written).
    let prose = |text: &str, width: usize| {
        text.lines()
            .filter(|l| l.trim_start().starts_with(['×', '⚠', '│', 'h']) || l.starts_with("        "))
            .all(|l| l.chars().count() <= width)
    };
    assert!(prose(&narrow, 60), "{narrow}");
    assert!(
        narrow.lines().count() > wide.lines().count(),
        "a narrower terminal wraps more"
    );
}

#[test]
fn a_narrow_terminal_snapshot() {
    insta::assert_snapshot!(check_at("56"));
}

#[test]
fn the_width_comes_from_columns_then_the_terminal_then_a_default() {
    assert_eq!(width_from(Some("72"), || Some(150)), 72, "COLUMNS wins");
    assert_eq!(width_from(Some(" 90 "), || None), 90);
    assert_eq!(width_from(None, || Some(150)), 150, "the terminal's width");
    assert_eq!(
        width_from(Some("wide"), || Some(130)),
        130,
        "a COLUMNS that is not a number is ignored"
    );
    assert_eq!(width_from(Some("0"), || None), DEFAULT_WIDTH);
    assert_eq!(width_from(None, || None), DEFAULT_WIDTH, "not a terminal");
    assert_eq!(
        width_from(Some("12"), || None),
        MIN_WIDTH,
        "never narrower than a snippet needs"
    );
}
