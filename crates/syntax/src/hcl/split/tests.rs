use super::parse;
use crate::hcl::{parse_whole, parse_with_comments};
use std::path::{Path, PathBuf};

/// Every `.tf` file under `dir`, depth first.
fn tf_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            tf_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "tf") {
            out.push(path);
        }
    }
}

fn bom(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        3
    } else {
        0
    }
}

/// The benchmark's shape (scripts/instruction-counts' `big_terraform`):
/// one resource holding `rules` rules, with a comment in each.
fn big(rules: usize) -> String {
    let mut out =
        String::from("resource \"aws_ecr_replication_configuration\" \"big\" {\n  replication_configuration {\n");
    for rule in 0..rules {
        out.push_str("    rule { # rule\n");
        for d in 0..8 {
            out.push_str(&format!(
                "      destination {{\n        region      = \"us-west-2\"\n        registry_id = \"2{rule:06}{d:05}\"\n      }}\n"
            ));
        }
        for f in 0..20 {
            out.push_str(&format!(
                "      repository_filter {{\n        filter      = \"team{rule}/svc-{f}/\" // f\n        filter_type = \"PREFIX_MATCH\"\n      }}\n"
            ));
        }
        out.push_str("    }\n");
    }
    out.push_str("  }\n}\n");
    out
}

/// Parsed in pieces of every size given, `text` gives the whole parse's
/// tree and comments; how many of the sizes were taken (not given up).
fn same_as_whole(name: &str, text: &str, pieces: &[usize]) -> usize {
    let base = bom(text);
    let whole = parse_whole(text, base, true);
    let mut taken = 0;
    for &piece in pieces {
        if let Some(split) = parse(text, base, true, piece) {
            let whole = whole
                .as_ref()
                .unwrap_or_else(|e| panic!("{name}: pieces of {piece} parse, whole does not: {e:?}"));
            assert_eq!(split.root, whole.root, "{name}: the tree, pieces of {piece}");
            assert_eq!(
                split.comments, whole.comments,
                "{name}: the comments, pieces of {piece}"
            );
            taken += 1;
        }
    }
    taken
}

#[test]
fn every_tf_fixture_parses_in_pieces_as_whole() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests");
    let mut files = Vec::new();
    tf_files(&root, &mut files);
    assert!(files.len() > 200, "{} .tf files", files.len());
    let mut given_up = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let name = path.display().to_string();
        // 0: every structure its own piece and every block split.
        let pieces = [0, 1, 64, 512, 1 << 20];
        let taken = same_as_whole(&name, text, &pieces);
        if taken < pieces.len() && parse_whole(text, bom(text), false).is_ok() {
            given_up.push(name);
        }
    }
    // A valid file is given up on only for what the scanner does not read.
    assert!(given_up.is_empty(), "valid files parsed whole: {given_up:#?}");
}

#[test]
fn a_large_file_is_parsed_in_pieces_as_whole() {
    let text = big(400);
    assert!(text.len() > 3 * super::PIECE);
    assert_eq!(same_as_whole("big", &text, &[super::PIECE, 4096]), 2);
    let with_bom = format!("\u{feff}{text}");
    assert_eq!(
        same_as_whole("big with a byte order mark", &with_bom, &[super::PIECE]),
        1
    );
    let crlf = text.replace('\n', "\r\n");
    assert_eq!(same_as_whole("big with CRLF", &crlf, &[super::PIECE]), 1);
}

#[test]
fn tricky_text_splits_only_where_a_structure_ends() {
    let text = concat!(
        "# top\n",
        "locals {\n",
        "  a = \"x { # not a comment\"\n",
        "  b = \"${jsonencode({ k = \"}\" })} %{ if true }{%{ endif }\"\n",
        "  c = <<-EOT\n",
        "    } { # no\n",
        "    EOT\n",
        "  d = [\n",
        "    1, # c\n",
        "    2,\n",
        "  ]\n",
        "  /* a\n } */ e = { f = 1 }\n",
        "}\n",
        "resource \"a#b\" /* c */ \"c//d\" { // after\n",
        "  x = 1\n",
        "  nested \"l\" {\n",
        "    y = 2\n",
        "  } # end\n",
        "  dynamic \"z\" {\n",
        "    content {}\n",
        "  }\n",
        "}\n",
        "provider \"aws\" {\n",
        "  region = \"us-east-1\"\n",
        "}\n",
        "provider \"aws\" {\n",
        "  alias = \"b\"\n",
        "}",
    );
    assert_eq!(same_as_whole("tricky", text, &[0, 1, 40]), 3);
}

#[test]
fn an_attribute_set_again_in_another_piece_is_the_whole_parse_error() {
    let text = format!("{}a = 1\n", big(40)).replace("resource", "a = 2\nresource");
    assert!(parse(&text, 0, false, 1024).is_none());
    let error = parse_with_comments(text.as_bytes()).unwrap_err();
    assert_eq!(error, parse_whole(&text, 0, true).unwrap_err());
    assert!(error.message.contains("already set"), "{}", error.message);
}

#[test]
fn nesting_counts_the_split_blocks_above_a_piece() {
    // 63 nested blocks parse; 64 do not: the limit is hcl-edit's, counted
    // from the file's top even when the blocks above a piece are split.
    for levels in [63, 64] {
        let mut text = String::new();
        for _ in 0..levels {
            text.push_str("b {\n");
        }
        for i in 0..200 {
            text.push_str(&format!("x{i} = 1\n"));
        }
        for _ in 0..levels {
            text.push_str("}\n");
        }
        let whole = parse_whole(&text, 0, false);
        assert_eq!(levels == 63, whole.is_ok(), "{levels}: {whole:?}");
        let split = parse(&text, 0, false, 64);
        assert_eq!(split.is_some(), whole.is_ok(), "{levels}");
    }
}

#[test]
fn a_syntax_error_in_a_later_piece_is_the_whole_parse_error() {
    let text = big(40).replace("\"2000039", "2000039");
    assert!(parse(&text, 0, false, 1024).is_none());
    assert_eq!(
        parse_with_comments(text.as_bytes()).unwrap_err(),
        parse_whole(&text, 0, true).unwrap_err()
    );
}

#[test]
fn blocks_nested_past_any_limit_are_an_error_not_a_stack_overflow() {
    let levels = 100_000;
    let text = format!("{}x = 1\n{}", "b {\n".repeat(levels), "}\n".repeat(levels));
    assert!(text.len() > super::PIECE);
    let error = parse_with_comments(text.as_bytes()).unwrap_err();
    assert_eq!(error, parse_whole(&text, 0, true).unwrap_err());
}
