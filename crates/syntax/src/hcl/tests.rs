use super::*;
use crate::Pointer;
use serde_json::json;

fn tree(src: &str) -> Node<'_> {
    parse(src.as_bytes()).unwrap_or_else(|e| panic!("{src:?} does not parse: {e:?}"))
}

/// The span of the `n`th (0-based) occurrence of `needle` in `src`.
fn nth(src: &str, needle: &str, n: usize) -> Span {
    let start = src
        .match_indices(needle)
        .nth(n)
        .unwrap_or_else(|| panic!("no {needle:?} #{n}"))
        .0;
    Span::new(start, start + needle.len())
}

fn at(src: &str, needle: &str) -> Span {
    nth(src, needle, 0)
}

fn node<'a, 's>(root: &'a Node<'s>, pointer: &str) -> &'a Node<'s> {
    root.resolve(pointer).unwrap_or_else(|| panic!("no {pointer}")).0
}

fn key_span(root: &Node, pointer: &str) -> Span {
    root.resolve(pointer)
        .unwrap_or_else(|| panic!("no {pointer}"))
        .1
        .unwrap()
}

const RESOURCE: &str = r#"resource "aws_ecr_replication_configuration" "example" {
  replication_configuration {
    rule {
      destination {
        region      = "eu-west-1"
        registry_id = "123456789012"
      }
      repository_filter {
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
      destination {
        region      = var.region
        registry_id = data.aws_caller_identity.current.account_id
      }
    }
  }
}
"#;

#[test]
fn a_resource_is_the_json_syntax_tree() {
    let root = tree(RESOURCE);
    assert_eq!(
        root.to_value(),
        json!({"resource": {"aws_ecr_replication_configuration": {"example": {
            "replication_configuration": [{"rule": [{
                "destination": [
                    {"region": "eu-west-1", "registry_id": "123456789012"},
                    {"region": "${var.region}", "registry_id": "${data.aws_caller_identity.current.account_id}"}
                ],
                "repository_filter": [{"filter": "prod", "filter_type": "PREFIX_MATCH"}]
            }]}]
        }}}})
    );
}

#[test]
fn spans_of_blocks_labels_attributes_and_values() {
    let src = RESOURCE;
    let root = tree(src);
    assert_eq!(root.span, Span::new(0, src.len()));
    let r = "/resource";
    assert_eq!(key_span(&root, r), at(src, "resource"));
    // A label level spans from its label to the end of the block.
    let end = src.trim_end().len();
    assert_eq!(node(&root, r).span, Span::new(at(src, "\"aws_ecr").start, end));
    let t = "/resource/aws_ecr_replication_configuration";
    assert_eq!(key_span(&root, t), at(src, "\"aws_ecr_replication_configuration\""));
    assert_eq!(node(&root, t).span, Span::new(at(src, "\"example\"").start, end));
    let body = format!("{t}/example");
    assert_eq!(key_span(&root, &body), at(src, "\"example\""));
    // A body spans its braces.
    assert_eq!(node(&root, &body).span, Span::new(at(src, "{").start, end));
    // An array of blocks spans from the first type name to the last brace.
    let rc = format!("{body}/replication_configuration");
    let rc_key = nth(src, "replication_configuration", 1);
    assert_eq!(key_span(&root, &rc), rc_key);
    let rc_body = node(&root, &format!("{rc}/0"));
    assert_eq!(&src[rc_body.span.start..rc_body.span.start + 1], "{");
    assert_eq!(node(&root, &rc).span, Span::new(rc_key.start, end - 2));
    let dest = format!("{rc}/0/rule/0/destination");
    assert_eq!(key_span(&root, &dest), nth(src, "destination", 0));
    let group = node(&root, &dest);
    let last_close = nth(src, "}", 2).end;
    assert_eq!(group.span, Span::new(nth(src, "destination", 0).start, last_close));
    assert_eq!(group.as_array().unwrap().len(), 2);
    assert_eq!(
        node(&root, &format!("{dest}/1")).span.start,
        nth(src, "destination", 1).end + 1
    );
    // Attributes: key span the name, value span the expression.
    assert_eq!(key_span(&root, &format!("{dest}/0/region")), nth(src, "region", 0));
    assert_eq!(node(&root, &format!("{dest}/0/region")).span, at(src, "\"eu-west-1\""));
    assert_eq!(node(&root, &format!("{dest}/1/region")).span, at(src, "var.region"));
    assert_eq!(
        node(&root, &format!("{dest}/1/registry_id")).span,
        at(src, "data.aws_caller_identity.current.account_id")
    );
}

#[test]
fn pointers_through_interleaved_blocks() {
    let src = RESOURCE;
    let root = tree(src);
    let dest = "/resource/aws_ecr_replication_configuration/example/replication_configuration/0/rule/0/destination";
    let filter =
        "/resource/aws_ecr_replication_configuration/example/replication_configuration/0/rule/0/repository_filter";
    // The filter block sits inside the span of the destination group.
    assert_eq!(
        root.pointer_at(at(src, "\"prod\"")).as_str(),
        format!("{filter}/0/filter")
    );
    assert_eq!(
        root.pointer_at(at(src, "filter_type")).as_str(),
        format!("{filter}/0/filter_type")
    );
    assert_eq!(
        root.pointer_at(at(src, "var.region")).as_str(),
        format!("{dest}/1/region")
    );
    assert_eq!(
        root.pointer_at(nth(src, "region", 0)).as_str(),
        format!("{dest}/0/region")
    );
    // Every node and key is found by its own span, in a tree whose spans
    // overlap (deepest of equal spans).
    check_every_pointer(&root);
}

/// Each value's span leads back to its pointer, unless a deeper node has
/// the very same span; each key's span leads to its member.
fn check_every_pointer(root: &Node) {
    fn walk(root: &Node, node: &Node, pointer: Pointer) {
        let found = root.pointer_at(node.span);
        let deeper_same = match &node.kind {
            NodeKind::Array(items) => items.iter().any(|n| n.span == node.span),
            NodeKind::Object(members) => members.iter().any(|m| m.value.span == node.span),
            _ => false,
        };
        if !deeper_same {
            assert_eq!(found, pointer, "span {:?}", node.span);
        }
        match &node.kind {
            NodeKind::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(root, item, pointer.index(i));
                }
            }
            NodeKind::Object(members) => {
                for m in members {
                    assert_eq!(root.pointer_at(m.key_span), pointer.key(&m.key), "key {}", m.key);
                    walk(root, &m.value, pointer.key(&m.key));
                }
            }
            _ => {}
        }
    }
    walk(root, root, Pointer::root());
}

#[test]
fn top_level_blocks_merge_by_label_even_when_interleaved() {
    let src = r#"
resource "a" "x" { v = 1 }
data "d" "y" { v = 2 }
resource "b" "z" { v = 3 }
resource "a" "w" { v = 4 }
provider "aws" { region = "us-east-1" }
provider "aws" {
  alias  = "west"
  region = "us-west-2"
}
locals { l = 1 }
locals { m = 2 }
terraform { required_version = ">= 1.0" }
variable "region" { default = "eu-west-1" }
module "ecr" {
  source = "terraform-aws-modules/ecr/aws"
}
"#;
    let root = tree(src);
    assert_eq!(
        root.to_value(),
        json!({
            "resource": {"a": {"x": {"v": 1}, "w": {"v": 4}}, "b": {"z": {"v": 3}}},
            "data": {"d": {"y": {"v": 2}}},
            "provider": {"aws": [{"region": "us-east-1"}, {"alias": "west", "region": "us-west-2"}]},
            "locals": [{"l": 1}, {"m": 2}],
            "terraform": [{"required_version": ">= 1.0"}],
            "variable": {"region": {"default": "eu-west-1"}},
            "module": {"ecr": {"source": "terraform-aws-modules/ecr/aws"}}
        })
    );
    // One member per block type, at its first occurrence.
    let keys: Vec<&str> = root.as_object().unwrap().iter().map(|m| m.key.as_ref()).collect();
    assert_eq!(
        keys,
        [
            "resource",
            "data",
            "provider",
            "locals",
            "terraform",
            "variable",
            "module"
        ]
    );
    assert_eq!(root.pointer_at(at(src, "2")).as_str(), "/data/d/y/v");
    assert_eq!(root.pointer_at(at(src, "3")).as_str(), "/resource/b/z/v");
    assert_eq!(root.pointer_at(at(src, "4")).as_str(), "/resource/a/w/v");
    assert_eq!(
        root.pointer_at(at(src, "\"us-west-2\"")).as_str(),
        "/provider/aws/1/region"
    );
    assert_eq!(root.pointer_at(at(src, "\"w\"")).as_str(), "/resource/a/w");
    check_every_pointer(&root);
    // A single provider block is an array too.
    assert_eq!(
        tree("provider \"aws\" {}\n").to_value(),
        json!({"provider": {"aws": [{}]}})
    );
}

#[test]
fn repeated_labels_keep_every_body() {
    let root = tree("resource \"a\" \"x\" { v = 1 }\nresource \"a\" \"x\" { v = 2 }\n");
    assert_eq!(root.to_value(), json!({"resource": {"a": {"x": [{"v": 1}, {"v": 2}]}}}));
    check_every_pointer(&root);
}

#[test]
fn dynamic_blocks_nest_their_label() {
    let src = r#"resource "aws_ecr_replication_configuration" "r" {
  replication_configuration {
    rule {
      dynamic "destination" {
        for_each = var.regions
        content {
          region      = destination.value
          registry_id = "123456789012"
        }
      }
      repository_filter {
        filter      = "prod"
        filter_type = "PREFIX_MATCH"
      }
      dynamic "repository_filter" {
        for_each = toset(var.prefixes)
        content {
          filter      = repository_filter.value
          filter_type = "PREFIX_MATCH"
        }
      }
    }
  }
}
"#;
    let root = tree(src);
    let rule = "/resource/aws_ecr_replication_configuration/r/replication_configuration/0/rule/0";
    assert_eq!(
        node(&root, rule).to_value(),
        json!({
            "dynamic": [
                {"destination": [{"for_each": "${var.regions}", "content": [
                    {"region": "${destination.value}", "registry_id": "123456789012"}
                ]}]},
                {"repository_filter": [{"for_each": "${toset(var.prefixes)}", "content": [
                    {"filter": "${repository_filter.value}", "filter_type": "PREFIX_MATCH"}
                ]}]}
            ],
            "repository_filter": [{"filter": "prod", "filter_type": "PREFIX_MATCH"}]
        })
    );
    let dynamic = format!("{rule}/dynamic");
    assert_eq!(
        key_span(&root, &format!("{dynamic}/0/destination")),
        at(src, "\"destination\"")
    );
    assert_eq!(
        node(&root, &format!("{dynamic}/0")).span.start,
        at(src, "\"destination\"").start
    );
    assert_eq!(
        root.pointer_at(at(src, "\"123456789012\"")).as_str(),
        format!("{dynamic}/0/destination/0/content/0/registry_id")
    );
    assert_eq!(
        root.pointer_at(at(src, "toset(var.prefixes)")).as_str(),
        format!("{dynamic}/1/repository_filter/0/for_each")
    );
    assert_eq!(
        root.pointer_at(at(src, "\"prod\"")).as_str(),
        format!("{rule}/repository_filter/0/filter")
    );
    check_every_pointer(&root);
}

#[test]
fn expressions_are_template_strings_of_their_source() {
    let src = r#"
a = var.region
b = local.x
c = data.aws_regions.example.names[0]
d = lookup(var.m, "k", "d")
e = [for r in var.regions : upper(r)]
f = var.on ? "a" : "b"
g = var.list[*].id
h = (1 + 2)
i = !true
j = 1 + 2
"#;
    let root = tree(src);
    for (key, text) in [
        ("a", "var.region"),
        ("b", "local.x"),
        ("c", "data.aws_regions.example.names[0]"),
        ("d", r#"lookup(var.m, "k", "d")"#),
        ("e", "[for r in var.regions : upper(r)]"),
        ("f", r#"var.on ? "a" : "b""#),
        ("g", "var.list[*].id"),
        ("h", "(1 + 2)"),
        ("i", "!true"),
        ("j", "1 + 2"),
    ] {
        let n = node(&root, &format!("/{key}"));
        assert_eq!(n.as_str(), Some(format!("${{{text}}}").as_str()), "{key}");
        let occurrence = usize::from(key == "j");
        assert_eq!(n.span, nth(src, text, occurrence), "{key}");
    }
}

#[test]
fn literals_map_to_json() {
    let src = r#"
s = "a\"b\\c\n\u00e9"
p = "plain"
n = 42
f = -1.5e3
z = 007
t = true
u = false
v = null
l = ["x", 1, [true]]
o = { k = 1, "q k" = "v", (var.k) = 2, "${var.p}-x" = 3 }
e = {}
"#;
    let root = tree(src);
    assert_eq!(
        root.to_value(),
        json!({
            "s": "a\"b\\c\né", "p": "plain", "n": 42, "f": -1.5e3, "z": 7, "t": true, "u": false, "v": null,
            "l": ["x", 1, [true]],
            "o": {"k": 1, "q k": "v", "${(var.k)}": 2, "${var.p}-x": 3},
            "e": {}
        })
    );
    // Strings without escapes borrow from the source.
    assert!(matches!(&node(&root, "/p").kind, NodeKind::String(s) if s == "plain" && !s.is_owned()));
    assert!(matches!(&node(&root, "/n").kind, NodeKind::Number(n) if n == "42" && !n.is_owned()));
    assert_eq!(node(&root, "/f").span, at(src, "-1.5e3"));
    assert_eq!(node(&root, "/s").span, at(src, r#""a\"b\\c\n\u00e9""#));
    assert_eq!(key_span(&root, "/o/q k"), at(src, "\"q k\""));
    assert_eq!(key_span(&root, "/o/${(var.k)}"), at(src, "(var.k)"));
    assert_eq!(node(&root, "/l/2/0").span.start, at(src, "true]").start);
}

#[test]
fn templates_keep_interpolations_and_escaped_markers() {
    let src = r#"
t = "${var.team}/*"
m = "a\"b${var.x}c$${d}%{ if true }y%{ endif }"
l = "$${not} %%{this}"
h = <<-EOT
    hello ${var.a}
      $${lit}
    EOT
k = <<EOF
raw
EOF
"#;
    let root = tree(src);
    assert_eq!(node(&root, "/t").as_str(), Some("${var.team}/*"));
    assert_eq!(
        node(&root, "/m").as_str(),
        Some("a\"b${var.x}c$${d}%{ if true }y%{ endif }")
    );
    assert_eq!(node(&root, "/l").as_str(), Some("$${not} %%{this}"));
    // A literal written as in the source borrows it.
    assert!(matches!(&node(&root, "/l").kind, NodeKind::String(s) if !s.is_owned()));
    assert_eq!(node(&root, "/h").as_str(), Some("hello ${var.a}\n  $${lit}\n"));
    assert_eq!(node(&root, "/k").as_str(), Some("raw\n"));
    assert_eq!(node(&root, "/t").span, at(src, r#""${var.team}/*""#));
    let h = node(&root, "/h").span;
    assert_eq!(
        &src[h.start..h.end],
        "<<-EOT\n    hello ${var.a}\n      $${lit}\n    EOT"
    );
}

#[test]
fn comments_and_byte_order_marks() {
    let src = "\u{feff}# c\nresource \"a\" \"b\" /* { */ {\n  // x = 1\n  y = 2 # z\n}\n";
    let root = tree(src);
    assert_eq!(root.to_value(), json!({"resource": {"a": {"b": {"y": 2}}}}));
    let body = node(&root, "/resource/a/b");
    assert_eq!(&src[body.span.start..body.span.start + 1], "{");
    assert_eq!(body.span.start, src.rfind("*/ {").unwrap() + 3);
    assert_eq!(node(&root, "/resource/a/b/y").span, at(src, "2"));
    assert_eq!(root.span, Span::new(0, src.len()));
}

#[test]
fn empty_and_comment_only_files_are_empty_objects() {
    assert_eq!(tree("").to_value(), json!({}));
    assert_eq!(tree("# nothing\n").to_value(), json!({}));
}

#[test]
fn syntax_errors_point_at_the_parser_position() {
    let e = parse(b"x {\n  y = \n}\n").unwrap_err();
    assert_eq!(e.span, Span::new(10, 11));
    assert!(
        e.message.starts_with("HCL syntax error: invalid expression"),
        "{}",
        e.message
    );
    assert_eq!(e.label, "invalid expression");
    let e = parse(b"x {\n  y = 1\n").unwrap_err();
    assert!(e.message.contains("the file ends inside a block"), "{}", e.message);
    assert!(e.message.contains("expected `}`"), "{}", e.message);
    assert_eq!(e.label, "file ends here");
    let e = parse(b"a = 1 2\n").unwrap_err();
    assert!(e.message.starts_with("HCL syntax error"), "{}", e.message);
    assert!(e.help.is_some());
    let e = parse(b"d {\n  region = \"a\"\n  region = \"b\"\n}\n").unwrap_err();
    assert_eq!(e.span, Span::new(21, 27));
    assert!(e.message.contains("`region` is already set"), "{}", e.message);
    let e = parse(b"\xff").unwrap_err();
    assert_eq!(e.label, "not UTF-8");
}

#[test]
fn an_unclosed_string_is_named_where_it_starts() {
    let src = "d {\n  region = \"eu-west-1\n  registry_id = x\n}\nf {\n  filter = \"a\"\n}\n";
    let e = parse(src.as_bytes()).unwrap_err();
    assert_eq!(
        e.span,
        Span::new(at(src, "\"eu-west-1").start, at(src, "eu-west-1").end)
    );
    assert!(e.message.contains("no closing quote"), "{}", e.message);
    // Quotes inside interpolations, comments and heredocs are no confusion.
    for ok in [
        "a = \"${join(\"}\", [\"x\"])}\"\n",
        "# \"\nb = 1\n",
        "/* \" */ b = 1\n",
        "h = <<EOT\n\"\nEOT\n",
    ] {
        assert!(parse(ok.as_bytes()).is_ok(), "{ok:?}");
        assert_eq!(unterminated_string(ok, 0), None, "{ok:?}");
    }
}

#[test]
fn deep_input_is_an_error_not_a_stack_overflow() {
    for depth in [60, 64, 65, 200, 5000] {
        let arrays = format!("a = {}1{}\n", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("a = {}1{}\n", "{b = ".repeat(depth), "}".repeat(depth));
        let blocks = format!("{}{}", "a {\n".repeat(depth), "}\n".repeat(depth));
        for src in [arrays, objects, blocks] {
            let outcome = parse(src.as_bytes());
            if let Ok(root) = outcome {
                assert!(depth <= 64, "{depth} levels parsed");
                let _ = root.to_value();
            }
        }
    }
    // Labels nest without the parser counting them.
    let many_labels = format!("a {} {{}}\n", "\"l\" ".repeat(300));
    let e = parse(many_labels.as_bytes()).unwrap_err();
    assert!(e.message.contains("deeper than"), "{}", e.message);
    // 60 nested blocks fit within 128 levels (an array and a body each).
    let blocks = format!("{}{}", "a {\n".repeat(60), "}\n".repeat(60));
    let root = parse(blocks.as_bytes()).unwrap();
    check_every_pointer(&root);
}

#[test]
fn json_numbers() {
    for ok in ["0", "-0", "1", "10", "1.5", "1e3", "1E+3", "-2.5e-3"] {
        assert!(is_json_number(ok), "{ok}");
    }
    for bad in ["", "-", "01", "1.", ".5", "1e", "1x", "+1", "0x1"] {
        assert!(!is_json_number(bad), "{bad}");
    }
}

mod properties {
    use super::super::parse;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Any text: a tree or an error, never a panic, and every span
        /// inside the input on character boundaries.
        #[test]
        fn never_panics(src in "(\\PC|[{}\\[\\]\"$%<=#\\n ])*") {
            match parse(src.as_bytes()) {
                Ok(root) => check_spans(&src, &root),
                Err(e) => prop_assert!(
                    e.span.end <= src.len() && src.is_char_boundary(e.span.start) && src.is_char_boundary(e.span.end)
                ),
            }
        }

        /// HCL-looking input from fragments.
        #[test]
        fn fragments(parts in proptest::collection::vec(prop_oneof![
            Just("a {\n"), Just("}\n"), Just("b \"l\" {\n"), Just("x = 1\n"), Just("y = \"s${v}\"\n"),
            Just("z = [1, {k = v}]\n"), Just("dynamic \"d\" {\n"), Just("# c\n"), Just("\"\n"),
            Just("w = <<EOT\nq\nEOT\n"), Just("r = var.a[0]\n"),
        ], 0..24)) {
            let src: String = parts.concat();
            if let Ok(root) = parse(src.as_bytes()) {
                check_spans(&src, &root);
                super::check_every_pointer(&root);
            };
        }
    }

    fn check_spans(src: &str, node: &crate::Node) {
        assert!(node.span.start <= node.span.end && node.span.end <= src.len());
        assert!(src.is_char_boundary(node.span.start) && src.is_char_boundary(node.span.end));
        if let Some(members) = node.as_object() {
            for m in members {
                assert!(m.key_span.end <= src.len());
                check_spans(src, &m.value);
            }
        }
        if let Some(items) = node.as_array() {
            for i in items {
                check_spans(src, i);
            }
        }
    }
}
