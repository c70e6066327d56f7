//! The YAML front end: YAML 1.1 scalars, CloudFormation tags, anchors,
//! multi-line strings, spans, and errors.

use ecrlint::syntax::yaml::parse;
use ecrlint::syntax::{Node, NodeKind};
use serde_json::json;

fn value(text: &str) -> serde_json::Value {
    parse(text.as_bytes())
        .unwrap_or_else(|e| panic!("{}: {text}", e.message))
        .to_value()
}

fn slice<'a>(text: &'a str, node: &Node) -> &'a str {
    &text[node.span.start..node.span.end]
}

#[test]
fn plain_scalars_follow_yaml_1_1_as_cloudformation_reads_them() {
    let v = value(
        "a: 012345670123\nb: '012345670123'\nc: true\nd: ~\ne: 1.5e+3\nf: us-west-2\ng: 0x1F\ni: \"\"\nj: 012345678901\nk: 210_987_654_321\nl: 1:30\nm: 0b101\nr: 1.5e3\no: 0o17\np: -0\nq: +12\n",
    );
    assert_eq!(
        v["a"],
        json!(1_402_433_619u64),
        "a leading 0 with octal digits only is octal"
    );
    assert_eq!(v["b"], "012345670123");
    assert_eq!(v["c"], true);
    assert_eq!(v["d"], serde_json::Value::Null);
    assert_eq!(v["e"], json!(1500.0));
    assert_eq!(v["f"], "us-west-2");
    assert_eq!(v["g"], json!(31));
    assert_eq!(v["i"], "");
    assert_eq!(v["j"], "012345678901", "8 and 9 are not octal digits: a string");
    assert_eq!(v["k"], json!(210_987_654_321u64), "underscores separate digits");
    assert_eq!(v["l"], json!(90), "sexagesimal");
    assert_eq!(v["m"], json!(5));
    assert_eq!(v["r"], "1.5e3", "a YAML 1.1 exponent has a sign");
    assert_eq!(v["o"], "0o17", "0o is YAML 1.2 only");
    assert_eq!(v["p"], json!(0));
    assert_eq!(v["q"], json!(12));
}

#[test]
fn yaml_1_1_boolean_words_in_every_listed_case() {
    for word in ["y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"] {
        assert_eq!(value(&format!("a: {word}\n"))["a"], true, "{word}");
    }
    for word in [
        "n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE",
    ] {
        assert_eq!(value(&format!("a: {word}\n"))["a"], false, "{word}");
    }
    for word in ["yES", "oN", "nO", "ye", "o", "'on'", "\"yes\""] {
        assert!(value(&format!("a: {word}\n"))["a"].is_string(), "{word}");
    }
}

#[test]
fn verbatim_tags_equal_their_short_forms() {
    let v = value(
        "a: !<tag:yaml.org,2002:str> 123\nb: !!str 123\nc: !<tag:yaml.org,2002:int> '0x10'\nd: !!int \"012345670123\"\ne: !<!Ref> AWS::AccountId\nf: ! 123\ng: !!bool 'on'\nh: !!int \"abc\"\n",
    );
    assert_eq!(v["a"], "123");
    assert_eq!(v["b"], "123");
    assert_eq!(v["c"], json!(16), "a core tag wins over quotes");
    assert_eq!(v["d"], json!(1_402_433_619u64));
    assert_eq!(v["e"], json!({"Ref": "AWS::AccountId"}));
    assert_eq!(v["f"], "123", "the non-specific tag makes a string");
    assert_eq!(v["g"], true);
    assert_eq!(v["h"], "abc", "a value the tag cannot hold stays a string");
}

#[test]
fn numbers_carry_their_value_and_span_their_text() {
    let text = "RegistryId: 012345670123\n";
    let root = parse(text.as_bytes()).unwrap();
    let m = &root.as_object().unwrap()[0];
    assert!(
        matches!(&m.value.kind, NodeKind::Number(n) if n == "1402433619"),
        "the value, as JSON number text"
    );
    assert_eq!(
        slice(text, &m.value),
        "012345670123",
        "the span holds the text as written"
    );
    assert_eq!(&text[m.key_span.start..m.key_span.end], "RegistryId");
}

#[test]
fn cloudformation_short_forms_become_long_forms() {
    let v = value(
        "a: !Ref AWS::AccountId\nb: !Sub '${AWS::Region}'\nc: !GetAtt Repo.Arn\nd: !If [IsProd, us-west-2, !Ref AWS::NoValue]\ne: !Condition IsProd\nf: !!str 123\n",
    );
    assert_eq!(v["a"], json!({"Ref": "AWS::AccountId"}));
    assert_eq!(v["b"], json!({"Fn::Sub": "${AWS::Region}"}));
    assert_eq!(v["c"], json!({"Fn::GetAtt": "Repo.Arn"}));
    assert_eq!(
        v["d"],
        json!({"Fn::If": ["IsProd", "us-west-2", {"Ref": "AWS::NoValue"}]})
    );
    assert_eq!(v["e"], json!({"Condition": "IsProd"}));
    assert_eq!(v["f"], "123", "!!str forces a string");
}

#[test]
fn tagged_values_span_the_tag_and_the_value() {
    let text = "RegistryId: !Ref AWS::AccountId\n";
    let root = parse(text.as_bytes()).unwrap();
    let tagged = &root.as_object().unwrap()[0].value;
    assert_eq!(slice(text, tagged), "!Ref AWS::AccountId");
    let inner = &tagged.as_object().unwrap()[0];
    assert_eq!(slice(text, &inner.value), "AWS::AccountId");
    assert_eq!(&text[inner.key_span.start..inner.key_span.end], "!Ref");
}

#[test]
fn anchors_aliases_and_multi_line_strings() {
    let v =
        value("base: &dest\n  Region: us-west-2\nother: *dest\nfolded: >\n  one\n  two\nliteral: |\n  one\n  two\n");
    assert_eq!(v["other"], json!({"Region": "us-west-2"}));
    assert_eq!(v["folded"], "one two\n");
    assert_eq!(v["literal"], "one\ntwo\n");
}

#[test]
fn duplicate_keys_are_all_kept() {
    let root = parse(b"a: 1\na: 2\n").unwrap();
    assert_eq!(root.as_object().unwrap().len(), 2);
}

#[test]
fn spans_of_block_and_flow_collections() {
    let text = "rules:\n  - destinations: [{region: us-west-2}]\n    x: 1\n";
    let root = parse(text.as_bytes()).unwrap();
    let rules = &root.as_object().unwrap()[0].value;
    assert_eq!(slice(text, rules), "- destinations: [{region: us-west-2}]\n    x: 1");
    let dests = &rules.as_array().unwrap()[0].as_object().unwrap()[0].value;
    assert_eq!(slice(text, dests), "[{region: us-west-2}]");
}

#[test]
fn non_ascii_offsets_are_bytes() {
    let text = "é: ü\nkey: value\n";
    let root = parse(text.as_bytes()).unwrap();
    let m = &root.as_object().unwrap()[1];
    assert_eq!(&text[m.key_span.start..m.key_span.end], "key");
    assert_eq!(slice(text, &m.value), "value");
}

#[test]
fn errors_have_positions_and_never_panic() {
    // Each error points at the bytes that break: the text there is asserted,
    // not only the message.
    let at = |input: &[u8], message: &str, text: &[u8]| {
        let e = parse(input).unwrap_err();
        assert!(e.message.contains(message), "{}", e.message);
        assert_eq!(&input[e.span.start..e.span.end], text, "{} at {:?}", e.message, e.span);
    };
    // The flow list is never closed: the `:` of the next key is where it breaks.
    at(b"a: [1, 2\nb: 3\n", "YAML syntax error", b":");
    at(b"a: 1\n---\nb: 2\n", "second YAML document", b"---");
    at(b"a: *nowhere\n", "unknown anchor", b"*");
    at(b"\xff: 1", "invalid UTF-8 at byte 0", b"\xff");
    let e = parse(b"").unwrap_err();
    assert!(e.message.contains("empty"), "{}", e.message);
    assert_eq!((e.span.start, e.span.end), (0, 0));
    let deep = "a: ".to_string() + &"[".repeat(200_000);
    let e = parse(deep.as_bytes()).unwrap_err();
    assert!(
        e.span.start >= 3 && e.span.end <= deep.len(),
        "{:?}: {}",
        e.span,
        e.message
    );
    assert_eq!(
        &deep[e.span.start..e.span.end.max(e.span.start + 1)],
        "[",
        "{}",
        e.message
    );
    let laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    let e = parse(laughs.as_bytes()).unwrap_err();
    assert!(e.message.contains("aliases expand"), "{}", e.message);
    // At an alias whose expansion passes the limit (one on the last line).
    let alias = &laughs[e.span.start..e.span.end];
    assert!(
        alias.starts_with('*') && laughs[e.span.start..].starts_with("*e"),
        "{alias:?}"
    );
}

#[test]
fn a_yaml_1_1_boolean_word_as_a_key_is_the_boolean() {
    let v = value("n: 1\non: 2\n");
    assert_eq!(v["false"], json!(1));
    assert_eq!(v["true"], json!(2));
}

#[test]
fn merge_keys_add_what_the_mapping_does_not_set() {
    let v = value(
        "base: &base\n  Region: us-west-2\n  RegistryId: '111122223334'\nother: &other\n  Region: eu-west-1\n  Extra: 1\none:\n  <<: *base\n  RegistryId: '210987654321'\nmany:\n  <<: [*other, *base]\nquoted:\n  '<<': 1\n",
    );
    assert_eq!(
        v["one"],
        json!({"Region": "us-west-2", "RegistryId": "210987654321"}),
        "own keys win"
    );
    assert_eq!(
        v["many"],
        json!({"Region": "eu-west-1", "Extra": 1, "RegistryId": "111122223334"}),
        "earlier sources win"
    );
    assert_eq!(v["quoted"], json!({"<<": 1}), "a quoted << is a plain key");
}

#[test]
fn aliases_are_expanded_and_their_spans_reported() {
    let text = "a: &x us-west-2\nb: *x\nc:\n  <<: &m {k: 1}\nd:\n  <<: *m\n";
    let (root, aliases) = ecrlint::syntax::yaml::parse_with_aliases(text.as_bytes()).unwrap();
    assert_eq!(root.to_value()["b"], "us-west-2");
    let written: Vec<(&str, bool)> = aliases
        .iter()
        .map(|a| (&text[a.span.start..a.span.end], a.merge))
        .collect();
    assert_eq!(written, [("*x", false), ("*m", true)]);
    let (_, list) = ecrlint::syntax::yaml::parse_with_aliases(
        b"a: &a {x: 1}
b: &b {y: 1}
c:
  <<: [*a, *b]
  d: [*a]
",
    )
    .unwrap();
    let merges: Vec<bool> = list.iter().map(|a| a.merge).collect();
    assert_eq!(merges, [true, true, false]);
    let (_, none) = ecrlint::syntax::yaml::parse_with_aliases(b"a: &x 1\n").unwrap();
    assert!(none.is_empty(), "an anchor alone is no alias");
}

#[test]
fn anchors_are_not_part_of_the_values_they_name() {
    let text = "a: &x us-west-2\nb: !!str &y 12\nc: &m\n  k: 1\nd: &l [1]\ne: &f !Ref Foo\nf: [*x, *m]\n";
    let (parsed, reuse) = ecrlint::syntax::yaml::parse_with_reuse(text.as_bytes()).unwrap();
    let root = parsed.root;
    let at = |p: &str| {
        let (node, _) = root.resolve(p).unwrap();
        &text[node.span.start..node.span.end]
    };
    assert_eq!(at("/a"), "us-west-2");
    assert_eq!(at("/b"), "12");
    assert_eq!(at("/c"), "k: 1");
    assert_eq!(at("/d"), "[1]");
    assert_eq!(
        at("/e"),
        "!Ref Foo",
        "a tag starts a function's span, the anchor does not"
    );
    let uses: Vec<(&str, &str, &str)> = reuse
        .aliases
        .iter()
        .map(|a| {
            (
                &text[a.span.start..a.span.end],
                &text[a.anchor.start..a.anchor.end],
                &text[a.target.start..a.target.end],
            )
        })
        .collect();
    assert_eq!(uses, [("*x", "&x", "us-west-2"), ("*m", "&m", "k: 1")]);
}

#[test]
fn expanded_merge_keys_are_reported() {
    let text = "a: &a {x: 1}\nb:\n  <<: *a\nc:\n  <<: {y: 2}\nd:\n  <<: 3\n";
    let (_, reuse) = ecrlint::syntax::yaml::parse_with_reuse(text.as_bytes()).unwrap();
    let keys: Vec<usize> = reuse.merge_keys.iter().map(|k| k.start).collect();
    assert_eq!(
        keys,
        [text.find("<<: *a").unwrap(), text.find("<<: {").unwrap()],
        "not `<<: 3`, kept as a key"
    );
}

#[test]
fn a_key_over_the_implicit_key_limit_is_named_as_such() {
    let key = "k".repeat(1100);
    let text = format!("rules:\n  - {key}: 1\n");
    let e = parse(text.as_bytes()).unwrap_err();
    assert!(
        e.message.contains("longer than the 1,024 characters YAML allows"),
        "{}",
        e.message
    );
    assert_eq!(&text[e.span.start..e.span.end], key, "the span is the key");
    // A key that merely lacks its `:` keeps the scanner's message.
    let e = parse(b"a: 1\nb\nc: 2\n").unwrap_err();
    assert!(!e.message.contains("1,024"), "{}", e.message);
}

/// A template with YAML-1.1-sensitive values, functions, anchors and aliases.
const TEMPLATE: &str = "Resources:\n  R:\n    Type: AWS::ECR::ReplicationConfiguration\n    Properties:\n      ReplicationConfiguration:\n        Rules:\n          - Destinations:\n              - &d\n                Region: !If [C, us-west-2, on]\n                RegistryId: 012345670123\n              - *d\n            RepositoryFilters: !If\n              - C\n              - - <<: {Filter: prod}\n                  FilterType: PREFIX_MATCH\n              - []\n";

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]

    /// Splicing YAML fragments anywhere into a template never panics the linter.
    #[test]
    fn linting_spliced_templates_never_panics(
        cuts in proptest::collection::vec((0usize..400, 0usize..16), 1..6)
    ) {
        const PIECES: &[&str] = &[
            "!If [", "*d", "&d ", "<<: ", "on", "0123", "!!int ", "'", "\n", "  ", "- ", ": ", "{Fn::Nope: x}",
            "[]", "!<tag:yaml.org,2002:str> ", "\u{3000}",
        ];
        let mut text = TEMPLATE.to_string();
        for (at, piece) in cuts {
            let mut at = at.min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert_str(at, PIECES[piece]);
        }
        let settings = ecrlint::settings::Settings::default();
        let _ = ecrlint::lint::lint(text.as_bytes(), ecrlint::syntax::ReadAs::Format(ecrlint::syntax::SourceFormat::Yaml),
            ecrlint::lint::Origin::Named, &settings);
    }
}
