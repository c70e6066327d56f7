//! The span parser: JSONTestSuite, adversarial inputs, exact error spans,
//! and property tests against serde_json.

mod common;

use ecrlint::syntax::{json::parse, NodeKind, MAX_DEPTH};
use proptest::prelude::*;

#[test]
fn jsontestsuite_accepts_every_y_and_rejects_every_n() {
    let dir = common::data("jsontestsuite/test_parsing");
    let mut failures = Vec::new();
    let mut counted = 0;
    for entry in std::fs::read_dir(dir).expect("readable") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let bytes = std::fs::read(&path).expect("readable");
        // i_ cases may go either way; they only must not panic.
        let result = std::panic::catch_unwind(|| parse(&bytes).is_ok());
        let Ok(accepted) = result else {
            failures.push(format!("{name}: panicked"));
            continue;
        };
        counted += 1;
        if name.starts_with("y_") && !accepted {
            failures.push(format!("{name}: rejected, must accept"));
        }
        if name.starts_with("n_") && accepted {
            failures.push(format!("{name}: accepted, must reject"));
        }
    }
    assert!(counted > 300, "only {counted} cases found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn error(text: &str) -> (usize, usize, String) {
    let e = parse(text.as_bytes()).expect_err("must be rejected");
    (e.span.start, e.span.end, e.message)
}

#[test]
fn keeps_every_member_in_order_with_spans() {
    let text = r#"{"a": 1, "b": [true, null], "a": "x"}"#;
    let root = parse(text.as_bytes()).unwrap();
    let members = root.as_object().unwrap();
    assert_eq!(
        members.iter().map(|m| m.key.as_ref()).collect::<Vec<_>>(),
        ["a", "b", "a"]
    );
    assert_eq!(&text[members[0].key_span.start..members[0].key_span.end], r#""a""#);
    assert_eq!(
        &text[members[1].value.span.start..members[1].value.span.end],
        "[true, null]"
    );
    assert_eq!(root.get("a").unwrap().value.as_str(), Some("x"), "last duplicate wins");
}

#[test]
fn numbers_are_kept_as_written() {
    let text = "[1.50e+3, -0, 012]";
    assert!(parse(text.as_bytes()).is_err(), "leading zero is rejected");
    let text = "[1.50e+3, -0]";
    let root = parse(text.as_bytes()).unwrap();
    let items = root.as_array().unwrap();
    assert!(matches!(&items[0].kind, NodeKind::Number(t) if t == "1.50e+3"));
    assert_eq!(&text[items[0].span.start..items[0].span.end], "1.50e+3");
}

#[test]
fn comment_is_reported_at_the_comment() {
    let text = "{\n  // replicate prod\n  \"rules\": []\n}";
    let (start, end, message) = error(text);
    assert_eq!(&text[start..end], "// replicate prod");
    assert_eq!(message, "comments are not allowed in JSON");
    let text = "{ /* a */ }";
    let (start, end, _) = error(text);
    assert_eq!(&text[start..end], "/* a */");
}

#[test]
fn trailing_comma_points_at_the_comma() {
    let text = r#"{"rules": [1, 2,]}"#;
    let (start, end, message) = error(text);
    assert_eq!((start, end), (15, 16));
    assert_eq!(message, "trailing comma before `]`");
    let text = r#"{"rules": [], }"#;
    let (start, _, message) = error(text);
    assert_eq!(start, 12);
    assert_eq!(message, "trailing comma before `}`");
}

#[test]
fn single_quotes_are_named() {
    let text = "{'rules': []}";
    let (start, end, message) = error(text);
    assert_eq!(&text[start..end], "'rules'");
    assert!(message.contains("double quotes"), "{message}");
}

#[test]
fn unterminated_string_spans_to_the_end_of_its_line() {
    let text = "{\"region\": \"eu-west-1}\n";
    let (start, end, message) = error(text);
    assert_eq!(message, "unterminated string: a line break inside a string");
    assert_eq!(start, text.find('\n').unwrap());
    assert_eq!(end, start + 1);
    let text = "\"abc";
    let (start, end, message) = error(text);
    assert_eq!((start, end, message.as_str()), (0, 4, "unterminated string"));
}

#[test]
fn invalid_utf8_is_reported_at_the_byte() {
    let bytes = b"{\"a\": \"\xff\"}";
    let e = parse(bytes).unwrap_err();
    assert_eq!((e.span.start, e.span.end), (7, 8));
    assert_eq!(e.message, "invalid UTF-8 at byte 7");
}

#[test]
fn control_character_in_string() {
    let text = "\"a\u{1}b\"";
    let (start, end, message) = error(text);
    assert_eq!((start, end), (2, 3));
    assert_eq!(message, "control character U+0001 in a string");
}

#[test]
fn empty_input_and_whitespace_only() {
    for text in ["", "  \n\t "] {
        let (_, _, message) = error(text);
        assert_eq!(message, "the input is empty: expected a JSON value");
    }
}

#[test]
fn second_top_level_value() {
    let text = "{} {}";
    let (start, _, message) = error(text);
    assert_eq!(start, 3);
    assert!(
        message.starts_with("unexpected content after the JSON value"),
        "{message}"
    );
}

#[test]
fn byte_order_mark_is_skipped_and_counted() {
    let bytes = b"\xef\xbb\xbf{\"rules\": []}";
    let root = parse(bytes).expect("BOM accepted");
    assert_eq!(root.span.start, 3, "spans index the original bytes");
    assert!(parse(b"\xef\xbb\xbf").is_err(), "a BOM alone is still empty");
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = "[".repeat(100_000);
    let (start, _, message) = error(&deep);
    assert_eq!(start, MAX_DEPTH);
    assert_eq!(message, format!("nesting is deeper than {MAX_DEPTH} levels"));
    let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
    assert!(parse(ok.as_bytes()).is_ok(), "exactly {MAX_DEPTH} levels is fine");
    let objects = "{\"a\":".repeat(100_000);
    assert!(parse(objects.as_bytes()).is_err());
}

#[test]
fn surrogate_pairs_decode_and_lone_surrogates_are_rejected() {
    let root = parse(br#""\ud83d\ude00""#).unwrap();
    assert_eq!(root.as_str(), Some("😀"));
    assert!(parse(br#""\ud800""#).is_err());
    assert!(parse(br#""\udc00\ud800""#).is_err());
}

#[test]
fn bare_words_and_unquoted_keys() {
    let (_, _, message) = error("{rules: []}");
    assert_eq!(message, "object keys must be double-quoted strings");
    let (_, _, message) = error("[True]");
    assert_eq!(message, "expected a JSON value, found `True`");
}

/// Strings built from JSON-ish tokens, so that many are valid and the rest
/// fail in interesting places.
fn jsonish() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        Just("{".to_string()),
        Just("}".to_string()),
        Just("[".to_string()),
        Just("]".to_string()),
        Just(",".to_string()),
        Just(":".to_string()),
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("\"k\"".to_string()),
        Just("\"\\u00e9\\n\"".to_string()),
        Just("\"é\"".to_string()),
        Just("-0.5e3".to_string()),
        Just("12".to_string()),
        Just("01".to_string()),
        Just("'x'".to_string()),
        Just("//".to_string()),
        Just("\"\\x\"".to_string()),
        Just("\"".to_string()),
        Just("1.".to_string()),
    ];
    prop::collection::vec(token, 0..24).prop_map(|v| v.concat())
}

/// Valid JSON generated from a value tree, so acceptance is exercised too.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| serde_json::json!(f)),
        ".*".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(".*", inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn agrees_with_serde_json_on_jsonish_text(text in jsonish()) {
        let ours = parse(text.as_bytes()).is_ok();
        let theirs = serde_json::from_str::<serde_json::Value>(&text);
        // Number range is implementation-defined (RFC 8259 §6): serde_json
        // refuses what an f64 cannot hold; we keep the text as written.
        prop_assume!(!theirs.as_ref().is_err_and(|e| e.to_string().contains("out of range")));
        let theirs = theirs.is_ok();
        prop_assert_eq!(ours, theirs, "input {:?}", text);
    }

    #[test]
    fn accepts_what_serde_json_writes_and_reads_it_back(value in json_value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&value).unwrap() } else { value.to_string() };
        let node = parse(text.as_bytes()).expect("valid JSON accepted");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(node.to_value(), back);
    }

    #[test]
    fn error_spans_lie_within_the_input(bytes in prop::collection::vec(any::<u8>(), 0..128)) {
        if let Err(e) = parse(&bytes) {
            prop_assert!(e.span.start <= e.span.end && e.span.end <= bytes.len());
        }
    }
}

#[test]
fn pointer_at_finds_values_keys_and_items() {
    let text = r#"{"rules": [{"destinations": [{"region": "us-west-2"}]}, {"a/b": true}]}"#;
    let root = parse(text.as_bytes()).unwrap();
    let span_of = |needle: &str| {
        let start = text.find(needle).unwrap();
        ecrlint::syntax::Span::new(start, start + needle.len())
    };
    assert_eq!(
        root.pointer_at(span_of(r#""us-west-2""#)).as_str(),
        "/rules/0/destinations/0/region"
    );
    assert_eq!(
        root.pointer_at(span_of(r#""region""#)).as_str(),
        "/rules/0/destinations/0/region"
    );
    let brace = text.find(r#"{"region""#).unwrap();
    let brace = ecrlint::syntax::Span::new(brace, brace + 1);
    assert_eq!(root.pointer_at(brace).as_str(), "/rules/0/destinations/0");
    assert_eq!(root.pointer_at(span_of("true")).as_str(), "/rules/1/a~1b");
    assert_eq!(root.pointer_at(root.span).as_str(), "");
    let (node, _) = root.resolve("/rules/1/a~1b").unwrap();
    assert_eq!(node.span, span_of("true"));
}
