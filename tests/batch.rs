//! The library's batch loop, as a language server would call it: one
//! result per input, in input order, whatever happens to each file.

use ecrlint::batch::{lint_all, Limits, Linted};
use ecrlint::config::{Mode, Resolver};
use ecrlint::discover::Input;
use ecrlint::settings::Overrides;
use std::fs;

const VALID: &str = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "210987654321"}]}]}"#;
const INVALID: &str = r#"{"rules": [{"destinations": [{"region": "us-west-2", "registryId": "2109876543"}]}]}"#;

const LIMITS: Limits = Limits {
    max_file_size: 1 << 20,
    skip_unrecognised: false,
    fix: None,
    terraform_modules: false,
    max_findings: Some(0),
    add_suppressions: false,
};

/// What each result was, by the name it reports.
fn outline(linted: &Linted, input: &Input) -> String {
    match linted {
        Linted::Skipped(_) => format!("{} skipped", input.display()),
        Linted::File(f) if f.error.is_some() => format!("{} failed", f.path),
        Linted::File(f) => format!("{} linted with {} findings", f.path, f.diagnostics.len()),
    }
}

#[test]
fn every_input_gets_one_result_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::write(root.join("valid.json"), VALID).unwrap();
    fs::write(root.join("invalid.json"), INVALID).unwrap();
    fs::write(root.join("package.json"), r#"{"name": "x"}"#).unwrap();
    fs::create_dir(root.join("broken")).unwrap();
    fs::write(root.join("broken/.ecrlint.toml"), "[rules]\nECR999 = \"off\"\n").unwrap();
    fs::write(root.join("broken/valid.json"), VALID).unwrap();
    let names = [
        "valid.json",
        "package.json",
        "missing.json",
        "broken/valid.json",
        "invalid.json",
    ];
    let inputs: Vec<Input> = names
        .iter()
        .map(|n| match *n {
            "package.json" => Input::Found(root.join(n)),
            _ => Input::Explicit(root.join(n)),
        })
        .collect();
    let resolver = Resolver::new(Mode::Discover);
    let mut seen = Vec::new();
    lint_all(&inputs, &resolver, &Overrides::default(), &LIMITS, |input, linted| {
        seen.push(outline(&linted, input));
        Ok(())
    })
    .unwrap();
    let shown = |n: &str| Input::Explicit(root.join(n)).display();
    assert_eq!(
        seen,
        [
            format!("{} linted with 0 findings", shown("valid.json")),
            format!("{} skipped", shown("package.json")),
            format!("{} failed", shown("missing.json")),
            format!("{} failed", shown("broken/valid.json")),
            format!("{} linted with 1 findings", shown("invalid.json")),
        ]
    );
}

#[test]
fn an_error_from_the_consumer_stops_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<Input> = (0..20)
        .map(|i| {
            let path = dir.path().join(format!("{i}.json"));
            fs::write(&path, VALID).unwrap();
            Input::Explicit(path)
        })
        .collect();
    let resolver = Resolver::new(Mode::Isolated);
    let mut calls = 0;
    let result = lint_all(&inputs, &resolver, &Overrides::default(), &LIMITS, |_, _| {
        calls += 1;
        if calls == 2 {
            return Err(std::io::Error::other("disk full"));
        }
        Ok(())
    });
    assert_eq!(result.unwrap_err().to_string(), "disk full");
    assert_eq!(calls, 2);
}

/// More inputs than the workers may run ahead of a slow consumer: every
/// worker reaches the window and waits for it, and each result still
/// arrives once, in order, with its own file's findings.
#[test]
fn many_inputs_behind_a_slow_consumer_arrive_once_each_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<Input> = (0..600)
        .map(|i| {
            let path = dir.path().join(format!("{i:03}.json"));
            fs::write(&path, if i % 3 == 0 { INVALID } else { VALID }).unwrap();
            Input::Explicit(path)
        })
        .collect();
    let resolver = Resolver::new(Mode::Isolated);
    let mut seen = Vec::new();
    lint_all(&inputs, &resolver, &Overrides::default(), &LIMITS, |input, linted| {
        if seen.len() % 100 == 0 {
            // The consumer falls behind, so the workers fill their window.
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        seen.push(outline(&linted, input));
        Ok(())
    })
    .unwrap();
    let expected: Vec<String> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| format!("{} linted with {} findings", input.display(), usize::from(i % 3 == 0)))
        .collect();
    assert_eq!(seen, expected);
}

/// A consumer that panics ends the run with its panic: the workers, a
/// window ahead of it, stop rather than wait for it forever.
#[test]
fn a_panicking_consumer_ends_the_run_with_its_panic() {
    let dir = tempfile::tempdir().unwrap();
    let inputs: Vec<Input> = (0..300)
        .map(|i| {
            let path = dir.path().join(format!("{i:03}.json"));
            fs::write(&path, VALID).unwrap();
            Input::Explicit(path)
        })
        .collect();
    let resolver = Resolver::new(Mode::Isolated);
    let mut handed = 0;
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        lint_all(&inputs, &resolver, &Overrides::default(), &LIMITS, |_, _| {
            handed += 1;
            assert!(handed < 5, "the consumer's own bug");
            Ok(())
        })
    }));
    assert!(run.is_err());
    assert_eq!(handed, 5);
}

/// A local module that 200 callers follow (100 files of one call each, and
/// one file of 100 calls) is read from disk once in the run, not once per
/// call: the run stays linear in its callers. Every call is still checked.
#[test]
fn a_module_folder_is_read_once_however_many_callers_follow_it() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    fs::create_dir_all(root.join("modules/ecr")).unwrap();
    fs::write(
        root.join("modules/ecr/main.tf"),
        "variable \"region\" {\n  type = string\n}\n\nresource \"aws_ecr_replication_configuration\" \"this\" {\n  replication_configuration {\n    rule {\n      destination {\n        region      = var.region\n        registry_id = \"210987654321\"\n      }\n    }\n  }\n}\n",
    )
    .unwrap();
    let call = |folder: &str, name: usize| {
        format!("module \"ecr_{name}\" {{\n  source = \"{folder}modules/ecr\"\n  region = \"eu-wst-1\"\n}}\n")
    };
    let mut inputs = Vec::new();
    for i in 0..100 {
        let folder = root.join(format!("callers/c{i:03}"));
        fs::create_dir_all(&folder).unwrap();
        fs::write(folder.join("main.tf"), call("../../", i)).unwrap();
        inputs.push(Input::Explicit(folder.join("main.tf")));
    }
    let many: String = (0..100).map(|i| call("./", i)).collect();
    fs::write(root.join("main.tf"), many).unwrap();
    inputs.push(Input::Explicit(root.join("main.tf")));
    let resolver = Resolver::new(Mode::Isolated);
    let limits = Limits {
        terraform_modules: true,
        ..LIMITS
    };
    let mut findings = 0;
    lint_all(&inputs, &resolver, &Overrides::default(), &limits, |_, linted| {
        if let Linted::File(f) = linted {
            findings += f.diagnostics.iter().filter(|d| d.code == "ECR203").count();
        }
        Ok(())
    })
    .unwrap();
    assert_eq!(findings, 200);
    assert_eq!(resolver.module_folder_reads(), 1);
}
