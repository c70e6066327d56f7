//! The place scanners read half-typed documents at any cursor: they never
//! panic, and the range they say is typed lies on character boundaries.

use ecrlint_syntax::place::{self, Place};
use proptest::prelude::*;

type Scanner = fn(&str, usize) -> Option<Place>;

const SCANNERS: [(&str, Scanner); 3] = [("json", place::json), ("yaml", place::yaml), ("hcl", place::hcl::place)];

/// Every scanner at `offset`: the typed range is within the text, ends at
/// most at the cursor and is on character boundaries, and so is the end of
/// the word a hover reads from its start.
fn check(text: &str, offset: usize) {
    for (name, scan) in SCANNERS {
        let Some(place) = scan(text, offset) else {
            continue;
        };
        let (start, end) = place.typed;
        assert!(
            start <= end && end <= text.len(),
            "{name} at {offset} of {text:?}: {:?}",
            place.typed
        );
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{name} at {offset} of {text:?}: {:?}",
            place.typed
        );
        let word_end = place::word_end(text, start);
        assert!(
            text.is_char_boundary(word_end),
            "{name} at {offset} of {text:?}: {word_end}"
        );
    }
}

#[test]
fn a_word_after_a_multi_byte_separator_starts_after_the_whole_character() {
    // U+2028 and an emoji are neither word characters nor ASCII: the word
    // being typed starts after their last byte, not inside them (in JSON
    // and HCL; a YAML plain scalar holds them).
    for (text, word) in [
        ("{\"a\": 😀reg", "reg"),
        ("rule {\n  \u{2028}regi", "regi"),
        ("{\n  é😀reg", "reg"),
    ] {
        for (name, scan) in [SCANNERS[0], SCANNERS[2]] {
            if let Some(place) = scan(text, text.len()) {
                assert_eq!(&text[place.typed.0..place.typed.1], word, "{name} in {text:?}");
            }
        }
        check(text, text.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn scanners_never_panic_and_keep_to_char_boundaries(
        parts in prop::collection::vec(
            prop::sample::select(vec![
                "{", "}", "[", "]", "\"", ":", ",", "=", "\n", "\r\n", "\t", " ", "  ", "- ", "#", "//", "/*", "*/",
                "<<EOF\n", "<<-EOF\n", "EOF", "${", "%{", "'", "\\", "é", "😀", "\u{2028}", "\u{feff}", "region",
                "rule", "destination", "Fn::If", "!Ref ", "---", "|", ">-", "registry_id", "0", "true",
            ]),
            0..40,
        ),
    ) {
        let text = parts.concat();
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            check(&text, offset);
        }
    }
}
