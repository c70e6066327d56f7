//! The YAML front end: core-schema scalars, CloudFormation tags, anchors,
//! multi-line strings, spans, and errors.

use ecrlint::json::{Node, NodeKind};
use ecrlint::yaml::parse;
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
fn core_schema_scalars() {
    let v =
        value("a: 012345670123\nb: '012345670123'\nc: true\nd: ~\ne: 1.5e3\nf: us-west-2\ng: 0x1F\nh: yes\ni: \"\"\n");
    assert!(v["a"].is_number(), "an unquoted account ID is a number");
    assert_eq!(v["b"], "012345670123");
    assert_eq!(v["c"], true);
    assert_eq!(v["d"], serde_json::Value::Null);
    assert!(v["e"].is_number());
    assert_eq!(v["f"], "us-west-2");
    assert!(v["g"].is_number());
    assert_eq!(v["h"], "yes", "YAML 1.2: yes is a string");
    assert_eq!(v["i"], "");
}

#[test]
fn numbers_keep_their_text() {
    let text = "RegistryId: 012345670123\n";
    let root = parse(text.as_bytes()).unwrap();
    let m = &root.as_object().unwrap()[0];
    assert_eq!(m.value.kind, NodeKind::Number("012345670123"));
    assert_eq!(slice(text, &m.value), "012345670123");
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
    let e = parse(b"a: [1, 2\nb: 3\n").unwrap_err();
    assert!(e.message.starts_with("YAML syntax error"), "{}", e.message);
    let e = parse(b"a: 1\n---\nb: 2\n").unwrap_err();
    assert!(e.message.contains("second YAML document"));
    let e = parse(b"").unwrap_err();
    assert!(e.message.contains("empty"));
    let e = parse(b"a: *nowhere\n").unwrap_err();
    assert!(
        e.message.contains("YAML syntax error") || e.message.contains("unknown anchor"),
        "{}",
        e.message
    );
    let deep = "a: ".to_string() + &"[".repeat(200_000);
    assert!(parse(deep.as_bytes()).is_err());
    let laughs = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n";
    let e = parse(laughs.as_bytes()).unwrap_err();
    assert!(e.message.contains("aliases expand"), "{}", e.message);
    assert!(parse(b"\xff: 1").is_err());
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
