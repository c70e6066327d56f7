//! The HCL front end on real Terraform files: each `.tf` of the corpus
//! gives the tree its hand-written Terraform JSON syntax twin gives
//! (`tests/data/terraform/*.tf.json`), and the one with a syntax error is
//! reported where the error is.

mod common;

use ecrlint::syntax::{hcl, json, ReadAs, SourceFormat};
use std::path::Path;

#[test]
fn real_tf_files_equal_their_tf_json_twins() {
    let twins = common::data("terraform");
    let corpus = common::data("corpus");
    let mut n = 0;
    for entry in std::fs::read_dir(&twins).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let Some(tf) = name.strip_suffix(".json") else { continue };
        let json_bytes = std::fs::read(&path).unwrap();
        let tf_bytes = std::fs::read(corpus.join(tf)).unwrap();
        let expected = json::parse(&json_bytes).unwrap().to_value();
        let got = hcl::parse(&tf_bytes).unwrap_or_else(|e| panic!("{tf}: {e:?}"));
        assert_eq!(got.to_value(), expected, "{tf}");
        n += 1;
    }
    assert!(n >= 2, "only {n} twins");
}

#[test]
fn every_real_tf_file_parses_but_the_broken_one() {
    let corpus = common::data("corpus");
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "tf") {
            let bytes = std::fs::read(&path).unwrap();
            let outcome = hcl::parse(&bytes);
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            assert_eq!(outcome.is_err(), name.starts_with("24-"), "{name}: {:?}", outcome.err());
        }
    }
}

#[test]
fn the_unclosed_quote_of_issue_21230_is_found_where_it_is() {
    let bytes = std::fs::read(common::data("corpus").join("24-tf-issue-21230.tf")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    let e = hcl::parse(&bytes).unwrap_err();
    assert_eq!(&text[e.span.start..e.span.end], "\"eu-west-1");
    assert!(e.message.contains("no closing quote"), "{}", e.message);
}

#[test]
fn tf_files_are_hcl_and_tf_json_files_are_json() {
    assert_eq!(
        ReadAs::for_path(Path::new("main.tf")),
        ReadAs::Format(SourceFormat::Hcl)
    );
    assert_eq!(
        ReadAs::for_path(Path::new("MAIN.TF")),
        ReadAs::Format(SourceFormat::Hcl)
    );
    assert_eq!(
        ReadAs::for_path(Path::new("main.tf.json")),
        ReadAs::Format(SourceFormat::Json)
    );
    assert_eq!(ReadAs::for_path(Path::new("prod.tfvars")), ReadAs::NotRead);
    assert_eq!(ReadAs::for_path(Path::new("build.pkr.hcl")), ReadAs::NotRead);
}
