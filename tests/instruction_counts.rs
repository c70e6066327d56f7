//! The instruction-count guard (`scripts/instruction-counts`) itself: it
//! must fail a run whose count rose 20 % over the record, and pass one
//! within 10 %. Measured for real, under valgrind's callgrind, on the
//! binary these tests build; the record is a file of the test's own.
//!
//! Needs valgrind: the tests are ignored in a plain `cargo test`; `.ci/run`
//! installs valgrind and runs them with `cargo test -- --ignored`.

use std::path::Path;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_ecrlint");
const CASE: &str = "one-small-file";

fn guard(counts: &Path, extra: &[&str]) -> Output {
    Command::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/instruction-counts"))
        .args(["--binary", BIN, "--only", CASE, "--counts"])
        .arg(counts)
        .args(extra)
        .output()
        .expect("run scripts/instruction-counts")
}

fn recorded(counts: &Path) -> u64 {
    let record: serde_json::Value = serde_json::from_slice(&std::fs::read(counts).unwrap()).unwrap();
    record["counts"][CASE].as_u64().expect("a recorded count")
}

fn set_recorded(counts: &Path, count: u64) {
    let mut record: serde_json::Value = serde_json::from_slice(&std::fs::read(counts).unwrap()).unwrap();
    record["counts"][CASE] = count.into();
    std::fs::write(counts, serde_json::to_vec(&record).unwrap()).unwrap();
}

fn needs_valgrind() {
    let installed = Command::new("valgrind")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        installed,
        "this test needs valgrind (apt-get install valgrind; .ci/run installs it)"
    );
}

#[test]
#[ignore = "needs valgrind: .ci/run installs it and runs this"]
fn a_count_20_percent_over_its_record_fails_and_one_within_10_percent_passes() {
    needs_valgrind();
    let dir = tempfile::tempdir().unwrap();
    let counts = dir.path().join("instructions.json");

    let record = guard(&counts, &["--record"]);
    assert!(record.status.success(), "{}", String::from_utf8_lossy(&record.stderr));
    let measured = recorded(&counts);
    assert!(measured > 100_000, "a real count: {measured}");

    // The same binary and input again: within a fraction of a percent.
    let same = guard(&counts, &[]);
    let out = String::from_utf8_lossy(&same.stdout);
    assert!(same.status.success(), "{out}");
    assert!(out.starts_with(&format!("ok   {CASE}: ")), "{out}");

    // A record 1/1.2 of the count: the run is a 20 % slowdown over it.
    set_recorded(&counts, measured * 5 / 6);
    let slower = guard(&counts, &[]);
    let out = String::from_utf8_lossy(&slower.stdout);
    assert_eq!(slower.status.code(), Some(1), "{out}");
    assert!(out.contains(&format!("FAIL {CASE}: ")), "{out}");
    assert!(out.contains("more than 10% over the record"), "{out}");

    // A record 1/1.05 of the count: 5 % over it is within the tolerance.
    set_recorded(&counts, measured * 100 / 105);
    let within = guard(&counts, &[]);
    let out = String::from_utf8_lossy(&within.stdout);
    assert!(within.status.success(), "{out}");
    assert!(out.starts_with(&format!("ok   {CASE}: ")), "{out}");
}

#[test]
#[ignore = "needs valgrind: .ci/run installs it and runs this"]
fn a_case_without_a_record_fails() {
    needs_valgrind();
    let dir = tempfile::tempdir().unwrap();
    let counts = dir.path().join("instructions.json");
    std::fs::write(&counts, r#"{"counts": {}}"#).unwrap();
    let run = guard(&counts, &[]);
    let out = String::from_utf8_lossy(&run.stdout);
    assert_eq!(run.status.code(), Some(1), "{out}");
    assert!(out.contains("no recorded count"), "{out}");
}
