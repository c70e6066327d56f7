//! The rule catalogue in `rules/` is documentation that is tested: every
//! registered rule has a file and every file a rule; each Invalid example
//! (`## Invalid`, and further ones under `## Invalid: <what it shows>`)
//! produces exactly that rule's finding and nothing else, each Valid example
//! (likewise) produces nothing. An example of several files (```json file=NAME blocks,
//! for the rules that check across files) is checked as one run over them. `ecrlint explain` prints the same text.

mod common;

use std::path::Path;

struct Doc {
    file: String,
    text: String,
}

fn docs() -> Vec<Doc> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    let mut docs: Vec<Doc> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .map(|p| Doc {
            file: p.file_stem().unwrap().to_string_lossy().to_string(),
            text: std::fs::read_to_string(&p).unwrap(),
        })
        .collect();
    docs.sort_by(|a, b| a.file.cmp(&b.file));
    docs
}

/// The body of the first ```json or ```yaml block after `## {heading}`,
/// and the file name that reads it as that format.
fn example(text: &str, heading: &str) -> Option<(String, &'static str)> {
    let after = text.split(&format!("\n## {heading}\n")).nth(1)?;
    let (json, yaml) = (after.find("```json\n"), after.find("```yaml\n"));
    let (start, name) = match (json, yaml) {
        (Some(j), Some(y)) if y < j => (y, "input.yaml"),
        (Some(j), _) => (j, "input.json"),
        (None, Some(y)) => (y, "input.yaml"),
        (None, None) => return None,
    };
    let body = &after[start..].split_once('\n')?.1;
    Some((body.split("\n```").next()?.to_string(), name))
}

/// The ```json file=NAME / ```yaml file=NAME blocks after `## {heading}`
/// (up to the next section): an example of several files, checked in one
/// run (the rules that check across files).
fn file_examples(text: &str, heading: &str) -> Vec<(String, String)> {
    let Some(after) = text.split(&format!("\n## {heading}\n")).nth(1) else {
        return Vec::new();
    };
    let section = after.split("\n## ").next().unwrap_or_default();
    section
        .split("```")
        .collect::<Vec<_>>()
        .chunks(2)
        .filter_map(|pair| pair.get(1))
        .filter_map(|block| {
            let (info, body) = block.split_once('\n')?;
            let name = info.strip_prefix("json file=").or(info.strip_prefix("yaml file="))?;
            Some((name.trim().to_string(), body.to_string()))
        })
        .collect()
}

/// The codes found in every file of a several-file example, in one run.
fn codes_for_files(files: &[(String, String)], args: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        common::write(dir.path(), name, body);
    }
    let out = common::ecrlint()
        .args(["check", "--format", "json"])
        .args(args)
        .arg(dir.path())
        .output()
        .expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    report["files"]
        .as_array()
        .expect("files")
        .iter()
        .flat_map(|f| f["diagnostics"].as_array().cloned().unwrap_or_default())
        .map(|d| d["code"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Extra arguments from an `<!-- ecrlint-args: ... -->` comment, and a
/// `--config` for the doc's ```toml block (written to `dir`), if any.
fn doc_args(text: &str, dir: &Path) -> Vec<String> {
    let mut args: Vec<String> = text
        .split("<!-- ecrlint-args: ")
        .nth(1)
        .and_then(|s| s.split(" -->").next())
        .map(|s| s.split_whitespace().map(str::to_string).collect())
        .unwrap_or_default();
    if let Some(toml) = text.split("```toml\n").nth(1).and_then(|s| s.split("\n```").next()) {
        let path = dir.join("ecrlint.toml");
        std::fs::write(&path, toml).unwrap();
        args.extend(["--config".to_string(), path.display().to_string()]);
    }
    args
}

#[test]
fn every_rule_has_a_doc_and_every_doc_a_rule() {
    let files: Vec<String> = docs().into_iter().map(|d| d.file).collect();
    let registered: Vec<String> = ecrlint::rules::RULES
        .iter()
        .map(|r| format!("{}-{}", r.meta.code, r.meta.name))
        .collect();
    for r in &registered {
        assert!(files.contains(r), "rule {r} has no rules/{r}.md");
    }
    for f in &files {
        assert!(registered.contains(f), "rules/{f}.md documents no registered rule");
    }
}

#[test]
fn docs_have_every_section() {
    for doc in docs() {
        for section in [
            "## What it checks",
            "## Why it matters",
            "## Invalid",
            "## Valid",
            "## How to fix",
            "Default severity:",
            "Configurable:",
        ] {
            assert!(doc.text.contains(section), "{} lacks `{section}`", doc.file);
        }
        assert!(
            doc.text.starts_with(&format!("# {}", doc.file.replacen('-', " ", 1))),
            "{} has the wrong title",
            doc.file
        );
    }
}

/// The headings of the examples of one kind: `Invalid` (or `Valid`) and
/// the further ones, `Invalid: <what it shows>`.
fn example_headings<'t>(text: &'t str, kind: &str) -> Vec<&'t str> {
    text.lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter(|h| *h == kind || h.strip_prefix(kind).is_some_and(|rest| rest.starts_with(": ")))
        .collect()
}

#[test]
fn invalid_examples_produce_exactly_their_finding_and_valid_ones_nothing() {
    let mut failures = Vec::new();
    for doc in docs() {
        let code = &doc.file[..6];
        let dir = tempfile::tempdir().unwrap();
        let args = doc_args(&doc.text, dir.path());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let sections = example_headings(&doc.text, "Invalid")
            .into_iter()
            .map(|h| (h, true))
            .chain(example_headings(&doc.text, "Valid").into_iter().map(|h| (h, false)));
        for (heading, invalid) in sections {
            let expected: &[&str] = if invalid { &[code] } else { &[] };
            let files = file_examples(&doc.text, heading);
            let found = if files.is_empty() {
                let (body, name) = example(&doc.text, heading)
                    .unwrap_or_else(|| panic!("{}: `## {heading}` has no example", doc.file));
                common::codes_for_file(&body, name, &args)
            } else {
                assert!(files.len() > 1, "{}: `## {heading}`: several files", doc.file);
                codes_for_files(&files, &args)
            };
            if found != expected {
                failures.push(format!(
                    "{}: `## {heading}` gives {found:?}, expected exactly {expected:?}",
                    doc.file
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn explain_prints_the_embedded_doc_by_code_and_by_name() {
    for doc in docs() {
        let (code, name) = doc.file.split_at(6);
        let name = &name[1..];
        for key in [code, name, &code.to_lowercase()] {
            let out = common::ecrlint().args(["explain", key]).output().unwrap();
            assert!(out.status.success(), "explain {key}");
            assert_eq!(String::from_utf8(out.stdout).unwrap(), doc.text, "explain {key}");
        }
    }
    common::ecrlint().args(["explain", "ECR999"]).assert().code(2);
}

#[test]
fn the_books_rule_table_matches_the_registry() {
    let table = common::doc_page("rules.md");
    for r in ecrlint::rules::RULES {
        let m = r.meta;
        let row = format!(
            "| [{code}](rules/{code}-{name}.md) | `{name}` | {default} | {summary} |",
            code = m.code,
            name = m.name,
            default = m.default.as_str(),
            summary = m.summary
        );
        assert!(table.contains(&row), "docs/rules.md lacks the row:\n{row}");
    }
}

#[test]
fn doc_headers_state_the_rules_real_severity_and_configurability() {
    use ecrlint::settings::Level;
    for rule in ecrlint::rules::RULES {
        let meta = rule.meta;
        let header = meta.doc.lines().nth(2).unwrap_or_default();
        let severity = match meta.default {
            Level::On(s) => format!("Default severity: **{s}**."),
            Level::Off => "(off by default)".to_string(),
        };
        assert!(
            header.contains(&severity),
            "{}: header `{header}` lacks `{severity}`",
            meta.code
        );
        let configurable = if meta.configurable {
            "Configurable: yes"
        } else {
            "Configurable: no"
        };
        assert!(
            header.contains(configurable),
            "{}: header `{header}` lacks `{configurable}`",
            meta.code
        );
    }
}

#[test]
fn doc_headers_say_whether_and_how_the_rule_is_fixable() {
    for rule in ecrlint::rules::RULES {
        let meta = rule.meta;
        let header = meta.doc.lines().nth(2).unwrap_or_default();
        let fixable = format!("Fixable: {}.", meta.fix.as_str());
        assert!(
            header.ends_with(&fixable),
            "{}: header `{header}` lacks `{fixable}`",
            meta.code
        );
        // A fixable rule says how in a `## Fix` section.
        assert_eq!(
            meta.doc_section("Fix").is_some(),
            meta.fixable(),
            "{}: a `## Fix` section goes with a fixable rule",
            meta.code
        );
    }
    // The book's table of fixes lists every fixable rule.
    let fixes = common::doc_page("fixes.md");
    for meta in ecrlint::rules::RULES.iter().map(|r| r.meta).filter(|m| m.fixable()) {
        let row = format!("| {} | {} |", meta.code, meta.fix.as_str());
        assert!(fixes.contains(&row), "the Fixes table of docs/fixes.md lacks `{row}`");
    }
}

#[test]
fn a_rule_that_is_not_configurable_is_refused_by_both_level_parsers() {
    let refused = common::ecrlint()
        .args(["check", "--isolated", "--rule", "ECR001=off", "-"])
        .write_stdin("{\"rules\": [")
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("ECR001 invalid-json cannot be configured"), "{stderr}");

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(".ecrlint.toml"), "[rules]\nECR001 = \"off\"\n").unwrap();
    std::fs::write(dir.path().join("broken.json"), "{\"rules\": [").unwrap();
    let out = common::ecrlint()
        .current_dir(dir.path())
        .args(["check", "broken.json"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "an invalid configuration is trouble, never a pass"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot be configured"), "{stderr}");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("No problems"));
}
